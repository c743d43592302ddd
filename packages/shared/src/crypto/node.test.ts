import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { portableBase64Url, utf8 } from '../encoding/base64url.ts';
import { createNodeCrypto, nodeBase64Url, nodeCrypto, nodeSigningKey } from './node.ts';
import type { Jwk, JwsAlgorithm, Verifier } from './types.ts';
import { generateKeyPair, webCrypto } from './web.ts';

const bytes = (value: Uint8Array | undefined): number[] | undefined => (value === undefined ? undefined : [...value]);

describe('the node:crypto provider agrees with the portable code', () => {
  it('decodes exactly what the portable base64url decoder decodes, and rejects the rest', () => {
    // Characters around every edge of the alphabet, padding and standard-base64 symbols that
    // Buffer would silently accept, whitespace, a NUL, and characters beyond ASCII and Latin-1.
    const char = fc.constantFrom(...'AZaz09-_=+/ .~\n\t\u0000\u007f\u0080\u00e9\u0100\u2028QgwQEAIM', '\ud83d\ude00');
    fc.assert(
      fc.property(fc.array(fc.oneof(char, fc.string({ maxLength: 2 })), { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        expect(bytes(nodeBase64Url.decode(text))).toEqual(bytes(portableBase64Url.decode(text)));
      }),
      { numRuns: 20000 },
    );
  });

  it('decodes every canonical encoding back to its bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (data) => {
        expect(bytes(nodeBase64Url.decode(portableBase64Url.encode(data)))).toEqual([...data]);
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes text exactly as the portable decoder does: invalid UTF-8 and byte-order marks refused alike', () => {
    const tricky = fc.constantFrom(
      [0xef, 0xbb, 0xbf, 0x7b, 0x7d], // a UTF-8 byte-order mark before "{}"
      [0xc3, 0x28], // an invalid two-byte sequence
      [0xed, 0xa0, 0x80], // an encoded surrogate
      [0xf8, 0x88, 0x80, 0x80, 0x80], // a five-byte form
      [0xe2, 0x82], // a truncated sequence
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 40 }),
          tricky.map((b) => new Uint8Array(b)),
        ),
        (data) => {
          const encoded = portableBase64Url.encode(data);
          expect(nodeBase64Url.decodeText(encoded)).toBe(portableBase64Url.decodeText(encoded));
        },
      ),
      { numRuns: 3000 },
    );
    expect(portableBase64Url.decodeText(portableBase64Url.encode(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d])))).toBe(
      '\ufeff{}',
    );
    expect(nodeBase64Url.decodeText(portableBase64Url.encode(new Uint8Array([0xc3, 0x28])))).toBeUndefined();
  });

  it('decodes text from any string exactly as the portable decoder does, and rejects the rest', () => {
    const char = fc.constantFrom(...'AZaz09-_=+/ .~\n\u0000\u0080\u00e9\u0100QgwQEAIM77-9w6g', '\ud83d\ude00');
    fc.assert(
      fc.property(fc.array(fc.oneof(char, fc.string({ maxLength: 2 })), { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        expect(nodeBase64Url.decodeText(text)).toBe(portableBase64Url.decodeText(text));
      }),
      { numRuns: 20000 },
    );
  });

  it('keeps a genuine U+FFFD in decoded text and still refuses invalid UTF-8 beside one', () => {
    const replacement = [0xef, 0xbf, 0xbd];
    const piece = fc.oneof(
      fc.constant(replacement),
      fc.constantFrom([0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xff], [0x7b, 0x7d], [0xc3, 0xa9]),
      fc.uint8Array({ maxLength: 4 }).map((b) => [...b]),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const encoded = portableBase64Url.encode(new Uint8Array(pieces.flat()));
        expect(nodeBase64Url.decodeText(encoded)).toBe(portableBase64Url.decodeText(encoded));
      }),
      { numRuns: 5000 },
    );
    expect(nodeBase64Url.decodeText(portableBase64Url.encode(new Uint8Array([...replacement, 0x41])))).toBe('\ufffdA');
    expect(nodeBase64Url.decodeText(portableBase64Url.encode(new Uint8Array([...replacement, 0xc3, 0x28])))).toBeUndefined();
  });

  it('decodes text of every size alike, short ones through its reused buffer and long ones without it', () => {
    // The reused buffer holds 8 KiB: lengths on both sides of it, valid and invalid UTF-8.
    for (const length of [8190, 8191, 8192, 8193, 8194, 20_000]) {
      const text = 'é'.repeat(length >> 1) + 'x'.repeat(length & 1);
      const encoded = portableBase64Url.encodeText(text);
      expect(nodeBase64Url.decodeText(encoded)).toBe(text);
      const broken = portableBase64Url.encode(new Uint8Array([...utf8(text).subarray(1)]));
      expect(nodeBase64Url.decodeText(broken)).toBeUndefined();
      expect(nodeBase64Url.decodeText(`${encoded.slice(0, -4)}+${encoded.slice(-3)}`)).toBeUndefined();
    }
    // A short decode after a long one sees only its own bytes.
    expect(nodeBase64Url.decodeText(portableBase64Url.encodeText('{}'))).toBe('{}');
  });

  it('rejects non-canonical trailing bits that Buffer would accept', () => {
    expect(bytes(nodeBase64Url.decode('QQ'))).toEqual([65]);
    expect(nodeBase64Url.decode('QR')).toBeUndefined();
    expect(nodeBase64Url.decode('QUF')).toBeUndefined();
    expect(nodeBase64Url.decode('QQ==')).toBeUndefined();
    expect(nodeBase64Url.decode('Q Q')).toBeUndefined();
  });

  it('encodes bytes and text exactly as the portable encoder does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 60 }), (data, text) => {
        expect(nodeBase64Url.encode(data)).toBe(portableBase64Url.encode(data));
        // A view into a larger buffer encodes only its own bytes.
        const view = new Uint8Array([7, ...data, 9]).subarray(1, data.length + 1);
        expect(nodeBase64Url.encode(view)).toBe(portableBase64Url.encode(data));
        expect(nodeBase64Url.encodeText(text)).toBe(portableBase64Url.encodeText(text));
      }),
      { numRuns: 500 },
    );
  });

  it('computes the same one-step digests as WebCrypto for every hash algorithm', async () => {
    for (const alg of ['sha-256', 'sha-384', 'sha-512'] as const) {
      for (const text of ['', 'WyJzYWx0IiwgIm5hbWUiLCAidmFsdWUiXQ', 'ünïcödé ✓']) {
        const viaWeb = portableBase64Url.encode(await webCrypto.hash(text, alg));
        expect(nodeCrypto.digest?.(text, alg)).toBe(viaWeb);
        expect(portableBase64Url.encode(await nodeCrypto.hash(text, alg))).toBe(viaWeb);
      }
    }
  });

  it('verifies a signing input given as text of any length and script, read as UTF-8', async () => {
    const { privateJwk, publicJwk } = await generateKeyPair('ES256');
    const key = nodeSigningKey(privateJwk, 'ES256');
    const verifier = (await nodeCrypto.verifier(publicJwk, 'ES256')) as Verifier;
    // Around the 16 KiB reused buffer: 5461 code units always fit it, 5462 three-byte ones do not.
    const texts = [5461, 5462, 20_000].flatMap((n) => ['a'.repeat(n), '€'.repeat(n), `${'ü'.repeat(n - 2)}😀`]);
    const signatures = await Promise.all(texts.map((text) => key.sign(utf8(text))));
    for (const [i, text] of texts.entries()) {
      expect(verifier(text, signatures[i] as Uint8Array)).toBe(true);
      expect(verifier(`${text}.`, signatures[i] as Uint8Array)).toBe(false);
      // A long input after a short one, and the reverse, leave nothing behind.
      expect(verifier(text.slice(0, -1), signatures[i] as Uint8Array)).toBe(false);
    }
  });

  it('keeps two keys that share an x coordinate apart in its verifier cache', async () => {
    const crypto = createNodeCrypto({ cacheSize: 4 });
    const { privateJwk, publicJwk } = await generateKeyPair('ES256');
    const signature = await nodeSigningKey(privateJwk, 'ES256').sign(utf8('input'));
    // The point (x, p - y) is on the curve too: another key with the same x.
    const p = 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n;
    const y = BigInt(`0x${Buffer.from(publicJwk.y as string, 'base64url').toString('hex')}`);
    const negated: Jwk = { ...publicJwk, y: Buffer.from((p - y).toString(16).padStart(64, '0'), 'hex').toString('base64url') };
    for (let round = 0; round < 3; round++) {
      expect(((await crypto.verifier(publicJwk, 'ES256')) as Verifier)('input', signature)).toBe(true);
      expect(((await crypto.verifier(negated, 'ES256')) as Verifier)('input', signature)).toBe(false);
    }
  });

  it('answers correctly from a verifier cache smaller than the number of keys it sees', async () => {
    const crypto = createNodeCrypto({ cacheSize: 1 });
    const algs: JwsAlgorithm[] = ['ES256', 'ES256', 'EdDSA'];
    const keys = await Promise.all(algs.map(async (alg) => ({ alg, ...(await generateKeyPair(alg)) })));
    const signatures = await Promise.all(keys.map((k) => nodeSigningKey(k.privateJwk, k.alg).sign(utf8('input'))));
    for (let round = 0; round < 3; round++) {
      for (const [i, { alg, publicJwk }] of keys.entries()) {
        for (const [j, signature] of signatures.entries()) {
          expect(((await crypto.verifier(publicJwk, alg)) as Verifier)('input', signature)).toBe(i === j);
        }
      }
    }
  });

  it('hands out distinct random bytes from its pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(portableBase64Url.encode(nodeCrypto.randomBytes(16)));
    expect(seen.size).toBe(5000);
    expect(nodeCrypto.randomBytes(1000)).toHaveLength(1000);
    expect(nodeCrypto.randomBytes(3)).toHaveLength(3);
  });
});
