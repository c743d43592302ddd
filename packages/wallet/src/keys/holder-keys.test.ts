import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeBase64Url, encodeBase64Url, isTesseraError, webCrypto } from '@tessera/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, FAST_SCRYPT, fileBackend, type TestBackend } from '../node/test-wallets.ts';
import { openJson } from '../vault/json-record.ts';
import { openKeySlot } from '../vault/key-slot.ts';
import { decodeWalletHeader } from '../vault/wallet-header.ts';
import { createProfile } from '../wallet/profiles.ts';
import { HOLDER_KEY_KIND, type HolderKey, parseHolderKeyRecord, unwrapHolderKey } from './holder-keys.ts';

const data = new TextEncoder().encode('eyJhbGciOiJFUzI1NiJ9.eyJub25jZSI6IjEyMyJ9');

describe.each(BACKENDS)('holder keys on the %s', (_name, makeBackend) => {
  let backend: TestBackend;
  beforeEach(async () => {
    backend = await makeBackend();
  });
  afterEach(() => backend.dispose());

  const create = () =>
    createProfile({
      store: backend.store,
      profile: 'amina',
      passphrase: '4711',
      scrypt: backend.scrypt,
      scryptParams: FAST_SCRYPT,
    });

  it('generates a distinct ES256 key per credential instance and signs raw R‖S that its public key verifies', async () => {
    const wallet = await create();
    const batch = await wallet.keys.generateBatch(3);
    const single = await wallet.keys.generate();
    const keys = [...batch, single];
    expect(new Set(keys.map((key) => key.publicJwk.x)).size).toBe(4);
    expect(new Set(keys.map((key) => key.id)).size).toBe(4);
    for (const key of keys) {
      expect(key.publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) });
      const signer = await wallet.keys.signingKey(key.id);
      expect(signer.alg).toBe('ES256');
      const signature = await signer.sign(data);
      expect(signature).toHaveLength(64);
      const verify = await webCrypto.verifier(key.publicJwk, 'ES256');
      expect(await verify(data, signature)).toBe(true);
      const other = keys.find((candidate) => candidate !== key);
      expect(await (await webCrypto.verifier((other as HolderKey).publicJwk, 'ES256'))(data, signature)).toBe(false);
    }
    expect((await wallet.keys.list()).map((key) => key.id).sort()).toEqual(keys.map((key) => key.id).sort());
    expect(await wallet.keys.get(single.id)).toEqual(single);
  });

  it('unwraps private keys only as non-extractable keys', async () => {
    const wallet = await create();
    const key = await wallet.keys.generate();
    const header = decodeWalletHeader((await backend.store.readHeader('amina')) as Uint8Array);
    const dataKey = await openKeySlot(header, '4711', 'wallet', backend.scrypt);
    const record = parseHolderKeyRecord(await openJson(dataKey, (await backend.store.getRecord('amina', key.id)) ?? fail()));
    const unwrapped = await unwrapHolderKey(dataKey, key.id, record);
    expect(unwrapped.extractable).toBe(false);
    expect(unwrapped.usages).toEqual(['sign']);
    await expect(crypto.subtle.exportKey('pkcs8', unwrapped)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('jwk', unwrapped)).rejects.toThrow();
  });

  it('stops a signer from signing once the wallet locks, and rejects unknown key ids', async () => {
    const wallet = await create();
    const key = await wallet.keys.generate();
    const signer = await wallet.keys.signingKey(key.id);
    wallet.lock();
    await expect(signer.sign(data)).rejects.toMatchObject({ code: 'wallet_locked' });
    const reopened = await createProfile({
      store: backend.store,
      profile: 'other',
      passphrase: '1',
      scrypt: backend.scrypt,
      scryptParams: FAST_SCRYPT,
    });
    await expect(reopened.keys.signingKey(key.id)).rejects.toMatchObject({ code: 'invalid_key' });
    await expect(reopened.keys.signingKey('nope')).rejects.toMatchObject({ code: 'invalid_key' });
  });

  it('refuses a wrapped private key moved to another key record', async () => {
    const wallet = await create();
    const [a, b] = await wallet.keys.generateBatch(2);
    const header = decodeWalletHeader((await backend.store.readHeader('amina')) as Uint8Array);
    const dataKey = await openKeySlot(header, '4711', 'wallet', backend.scrypt);
    const recordA = parseHolderKeyRecord(
      await openJson(dataKey, (await backend.store.getRecord('amina', a?.id ?? '')) ?? fail()),
    );
    let code: string | undefined;
    try {
      await unwrapHolderKey(dataKey, b?.id ?? '', recordA);
    } catch (error) {
      code = isTesseraError(error) ? error.code : undefined;
    }
    expect(code).toBe('wallet_corrupt');
  });

  it('refuses batches of no keys or too many', async () => {
    const wallet = await create();
    await expect(wallet.keys.generateBatch(0)).rejects.toThrow(TypeError);
    await expect(wallet.keys.generateBatch(101)).rejects.toThrow(TypeError);
    await expect(wallet.keys.generateBatch(1.5)).rejects.toThrow(TypeError);
  });
});

describe('holder key material at rest', () => {
  it('never appears in clear in the wallet file', async () => {
    const backend = await fileBackend();
    try {
      const wallet = await createProfile({
        store: backend.store,
        profile: 'amina',
        passphrase: '4711',
        scrypt: backend.scrypt,
        scryptParams: FAST_SCRYPT,
      });
      const keys = await wallet.keys.generateBatch(3);
      const file = await readFile(join(backend.directory as string, 'amina', 'wallet.json'));
      const text = file.toString('utf8');
      // The only way to see the private key is to unwrap it as extractable with the data key.
      const header = decodeWalletHeader((await backend.store.readHeader('amina')) as Uint8Array);
      const dataKey = await openKeySlot(header, '4711', 'wallet', backend.scrypt);
      const stored = JSON.parse(text) as { records: { id: string; kind: string; body: string }[] };
      const bodies = stored.records.map((record) => Buffer.from(decodeBase64Url(record.body) ?? []));
      for (const key of keys) {
        const storedRecord = (await backend.store.getRecord('amina', key.id)) ?? fail();
        expect(storedRecord.kind).toBe(HOLDER_KEY_KIND);
        const record = parseHolderKeyRecord(await openJson(dataKey, storedRecord));
        const extractable = await unwrapHolderKey(dataKey, key.id, record, true);
        const { d } = (await crypto.subtle.exportKey('jwk', extractable)) as JsonWebKey;
        const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', extractable));
        const raw = Buffer.from(decodeBase64Url(d ?? '') ?? []);
        expect(raw).toHaveLength(32);
        for (const needle of [
          d ?? '',
          raw.toString('hex'),
          raw.toString('base64'),
          encodeBase64Url(pkcs8),
          pkcs8.toString('base64'),
        ]) {
          expect(text.includes(needle)).toBe(false);
        }
        expect(file.includes(raw)).toBe(false);
        for (const body of bodies) {
          expect(body.includes(raw)).toBe(false);
          expect(body.includes(pkcs8.subarray(-32))).toBe(false);
        }
        // Nor does the public key appear: credentials' cnf keys are not linkable from the file.
        expect(text.includes(key.publicJwk.x as string)).toBe(false);
      }
    } finally {
      await backend.dispose();
    }
  });
});

function fail(): never {
  throw new Error('missing record');
}
