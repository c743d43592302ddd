import { isTesseraError } from '@tessera/shared';
import { errorCodeOfAsync } from '@tessera/shared/testing';
import { describe, expect, it } from 'vitest';
import { FAST_SCRYPT } from '../node/test-wallets.ts';
import { openRecord, sealRecord } from './cipher.ts';
import { nobleScrypt } from './kdf.ts';
import { createKeySlot, type KeySlot, openKeySlot, parseKeySlot, rewrapKeySlot } from './key-slot.ts';

const plaintext = new TextEncoder().encode('{"vct":"permit"}');

describe('key slots', () => {
  it('opens the data key with the right passphrase, and the key decrypts what it encrypted', async () => {
    const { slot, key } = await createKeySlot('correct horse', 'wallet', FAST_SCRYPT, nobleScrypt);
    const body = await sealRecord(key, 'credential', 'c1', plaintext);
    const reopened = await openKeySlot(slot, 'correct horse', 'wallet', nobleScrypt);
    expect(reopened.extractable).toBe(false);
    expect(await openRecord(reopened, 'credential', 'c1', body)).toEqual(plaintext);
  });

  it('says wrong_passphrase for another passphrase, another purpose or changed parameters', async () => {
    const { slot } = await createKeySlot('correct horse', 'wallet', FAST_SCRYPT, nobleScrypt);
    expect(await errorCodeOfAsync(openKeySlot(slot, 'correct hors', 'wallet', nobleScrypt))).toBe('wrong_passphrase');
    expect(await errorCodeOfAsync(openKeySlot(slot, 'correct horse', 'backup', nobleScrypt))).toBe('wrong_passphrase');
    const cheaper: KeySlot = { ...slot, kdf: { ...slot.kdf, N: 2 ** 11 } };
    expect(await errorCodeOfAsync(openKeySlot(cheaper, 'correct horse', 'wallet', nobleScrypt))).toBe('wrong_passphrase');
  });

  it('re-wraps only the data key when the passphrase changes', async () => {
    const { slot, key } = await createKeySlot('old pin', 'wallet', FAST_SCRYPT, nobleScrypt);
    const body = await sealRecord(key, 'credential', 'c1', plaintext);
    const next = await rewrapKeySlot(slot, 'old pin', 'new pin', 'wallet', FAST_SCRYPT, nobleScrypt);
    expect(next.kdf.salt).not.toBe(slot.kdf.salt);
    const reopened = await openKeySlot(next, 'new pin', 'wallet', nobleScrypt);
    expect(reopened.extractable).toBe(false);
    expect(await openRecord(reopened, 'credential', 'c1', body)).toEqual(plaintext);
    expect(await errorCodeOfAsync(openKeySlot(next, 'old pin', 'wallet', nobleScrypt))).toBe('wrong_passphrase');
    expect(await errorCodeOfAsync(rewrapKeySlot(slot, 'not it', 'x', 'wallet', FAST_SCRYPT, nobleScrypt))).toBe(
      'wrong_passphrase',
    );
  });

  it('refuses record ciphertexts that were damaged, truncated or moved to another id or kind', async () => {
    const { key } = await createKeySlot('pin', 'wallet', FAST_SCRYPT, nobleScrypt);
    const body = await sealRecord(key, 'credential', 'c1', plaintext);
    const flipped = body.slice();
    flipped[20] = (flipped[20] as number) ^ 1;
    for (const [kind, id, bytes] of [
      ['credential', 'c2', body],
      ['metadata', 'c1', body],
      ['credential', 'c1', flipped],
      ['credential', 'c1', body.subarray(0, body.length - 1)],
      ['credential', 'c1', body.subarray(0, 20)],
      ['credential', 'c1', Uint8Array.of(2, ...body.subarray(1))],
    ] as const) {
      expect(await errorCodeOfAsync(openRecord(key, kind, id, bytes))).toBe('wallet_corrupt');
    }
  });

  it('uses a fresh IV for every record', async () => {
    const { key } = await createKeySlot('pin', 'wallet', FAST_SCRYPT, nobleScrypt);
    const ivs = new Set<string>();
    for (let index = 0; index < 50; index++) {
      ivs.add(Buffer.from((await sealRecord(key, 'credential', 'c1', plaintext)).subarray(1, 13)).toString('hex'));
    }
    expect(ivs.size).toBe(50);
  });

  it('parses only well-formed slots within the limits, with the code it is given', async () => {
    const { slot } = await createKeySlot('pin', 'wallet', FAST_SCRYPT, nobleScrypt);
    expect(parseKeySlot(JSON.parse(JSON.stringify(slot)), 'backup_invalid')).toEqual(slot);
    const hostile: unknown[] = [
      null,
      'slot',
      [],
      { ...slot, extra: 1 },
      { kdf: slot.kdf },
      { ...slot, kdf: { ...slot.kdf, name: 'argon2id' } },
      { ...slot, kdf: { ...slot.kdf, N: 2 ** 30 } },
      { ...slot, kdf: { ...slot.kdf, p: 1e9 } },
      { ...slot, kdf: { ...slot.kdf, salt: 'AAAA' } },
      { ...slot, kdf: { ...slot.kdf, salt: 42 } },
      { ...slot, wrappedKey: `${slot.wrappedKey}AA` },
      { ...slot, wrappedKey: '!!' },
      JSON.parse('{"__proto__":{"polluted":true},"kdf":1,"wrappedKey":1}'),
    ];
    for (const value of hostile) {
      let code: string | undefined;
      try {
        parseKeySlot(value, 'backup_invalid');
      } catch (error) {
        code = isTesseraError(error) ? error.code : String(error);
      }
      expect(code, JSON.stringify(value)).toBe('backup_invalid');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
