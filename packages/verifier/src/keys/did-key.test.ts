import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { errorCodeOf } from '@tessera/shared/testing';
import { describe, expect, it } from 'vitest';
import { decodeMultikey, didKeyDocument } from './did-key.ts';

/**
 * Known answers from the did:key specification's test vectors: repository w3c-ccg/did-method-key,
 * files test-vectors/nist-curves.json (P-256, P-384, P-521 as JsonWebKey2020) and
 * test-vectors/ed25519-x25519.json (Ed25519 from fixed seeds, as publicKeyBase58).
 */
const NIST_VECTORS = [
  {
    did: 'did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv',
    jwk: {
      kty: 'EC',
      crv: 'P-256',
      x: 'igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns',
      y: 'efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM',
    },
  },
  {
    did: 'did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169',
    jwk: {
      kty: 'EC',
      crv: 'P-256',
      x: 'fyNYMN0976ci7xqiSdag3buk-ZCwgXU4kz9XNkBlNUI',
      y: 'hW2ojTNfH7Jbi8--CJUo3OCbH3y5n91g-IMA9MLMbTU',
    },
  },
  {
    did: 'did:key:z82Lm1MpAkeJcix9K8TMiLd5NMAhnwkjjCBeWHXyu3U4oT2MVJJKXkcVBgjGhnLBn2Kaau9',
    jwk: {
      kty: 'EC',
      crv: 'P-384',
      x: 'lInTxl8fjLKp_UCrxI0WDklahi-7-_6JbtiHjiRvMvhedhKVdHBfi2HCY8t_QJyc',
      y: 'y6N1IC-2mXxHreETBW7K3mBcw0qGr3CWHCs-yl09yCQRLcyfGv7XhqAngHOu51Zv',
    },
  },
  {
    did: 'did:key:z82LkvCwHNreneWpsgPEbV3gu1C6NFJEBg4srfJ5gdxEsMGRJUz2sG9FE42shbn2xkZJh54',
    jwk: {
      kty: 'EC',
      crv: 'P-384',
      x: 'CA-iNoHDg1lL8pvX3d1uvExzVfCz7Rn6tW781Ub8K5MrDf2IMPyL0RTDiaLHC1JT',
      y: 'Kpnrn8DkXUD3ge4mFxi-DKr0DYO2KuJdwNBrhzLRtfMa3WFMZBiPKUPfJj8dYNl_',
    },
  },
  {
    did: 'did:key:z2J9gaYxrKVpdoG9A4gRnmpnRCcxU6agDtFVVBVdn1JedouoZN7SzcyREXXzWgt3gGiwpoHq7K68X4m32D8HgzG8wv3sY5j7',
    jwk: {
      kty: 'EC',
      crv: 'P-521',
      x: 'ASUHPMyichQ0QbHZ9ofNx_l4y7luncn5feKLo3OpJ2nSbZoC7mffolj5uy7s6KSKXFmnNWxGJ42IOrjZ47qqwqyS',
      y: 'AW9ziIC4ZQQVSNmLlp59yYKrjRY0_VqO-GOIYQ9tYpPraBKUloEId6cI_vynCzlZWZtWpgOM3HPhYEgawQ703RjC',
    },
  },
  {
    did: 'did:key:z2J9gcGdb2nEyMDmzQYv2QZQcM1vXktvy1Pw4MduSWxGabLZ9XESSWLQgbuPhwnXN7zP7HpTzWqrMTzaY5zWe6hpzJ2jnw4f',
    jwk: {
      kty: 'EC',
      crv: 'P-521',
      x: 'AQgyFy6EwH3_u_KXPw8aTXTY7WSVytmbuJeFpq4U6LipxtSmBJe_jjRzms9qubnwm_fGoHMQlvQ1vzS2YLusR2V0',
      y: 'Ab06MCcgoG7dM2I-VppdLV1k3lDoeHMvyYqHVfP05Ep2O7Zu0Qwd6IVzfZi9K0KMDud22wdnGUpUtFukZo0EeO15',
    },
  },
];

/** did:key → Ed25519 seed (test-vectors/ed25519-x25519.json); the public key is derived here with node:crypto. */
const ED25519_VECTORS = [
  { did: 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp', seed: '00'.repeat(32) },
  { did: 'did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG', seed: `${'00'.repeat(31)}01` },
  { did: 'did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf', seed: `${'00'.repeat(31)}02` },
];

function ed25519PublicX(seedHex: string): string {
  const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex'); // RFC 8410 §7 PrivateKeyInfo for Ed25519
  const key = createPrivateKey({ key: Buffer.concat([pkcs8Prefix, Buffer.from(seedHex, 'hex')]), format: 'der', type: 'pkcs8' });
  return createPublicKey(key).export({ format: 'jwk' }).x as string;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58btc(bytes: Uint8Array): string {
  let n = 0n;
  for (const byte of bytes) n = (n << 8n) | BigInt(byte);
  let out = '';
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return `z${out}`;
}

describe('decodeMultikey', () => {
  it.each(NIST_VECTORS)('decompresses the spec vector $did into its JWK', ({ did, jwk }) => {
    expect(decodeMultikey(did.slice('did:key:'.length))).toEqual(jwk);
  });

  it.each(ED25519_VECTORS)('decodes the Ed25519 spec vector $did into an OKP JWK', ({ did, seed }) => {
    expect(decodeMultikey(did.slice('did:key:'.length))).toEqual({ kty: 'OKP', crv: 'Ed25519', x: ed25519PublicX(seed) });
  });

  it.each([
    ['P-256', [0x80, 0x24]],
    ['P-384', [0x81, 0x24]],
    ['P-521', [0x82, 0x24]],
  ] as const)('round-trips freshly generated %s keys through compression', (curve, varint) => {
    for (let i = 0; i < 8; i++) {
      const jwk = generateKeyPairSync('ec', { namedCurve: curve }).publicKey.export({ format: 'jwk' });
      const x = Buffer.from(jwk.x as string, 'base64url');
      const y = Buffer.from(jwk.y as string, 'base64url');
      const prefix = 2 + ((y[y.length - 1] as number) & 1);
      const multibase = base58btc(new Uint8Array([...varint, prefix, ...x]));
      expect(decodeMultikey(multibase)).toEqual({ kty: 'EC', crv: curve, x: jwk.x, y: jwk.y });
    }
  });

  it('refuses what is not a base58btc multibase key', () => {
    expect(errorCodeOf(() => decodeMultikey('uAAAA'))).toBe('did_invalid'); // base64url multibase
    expect(errorCodeOf(() => decodeMultikey('z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooW0'))).toBe('did_invalid'); // '0' is not base58
    expect(errorCodeOf(() => decodeMultikey('z'))).toBe('did_invalid');
    expect(errorCodeOf(() => decodeMultikey(`z${'1'.repeat(200)}`))).toBe('did_invalid');
  });

  it('refuses an unsupported multicodec (secp256k1, X25519) and a non-minimal varint', () => {
    // secp256k1-pub (0xe7) and x25519-pub (0xec), from the same spec's test vectors.
    expect(errorCodeOf(() => decodeMultikey('zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme'))).toBe('did_invalid');
    expect(errorCodeOf(() => decodeMultikey('z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW'))).toBe('did_invalid');
    expect(errorCodeOf(() => decodeMultikey(base58btc(new Uint8Array([0xed, 0x81, 0x00, ...new Uint8Array(32)]))))).toBe(
      'did_invalid',
    );
  });

  it('refuses keys of the wrong length and points that are not on the curve', () => {
    expect(errorCodeOf(() => decodeMultikey(base58btc(new Uint8Array([0xed, 0x01, ...new Uint8Array(31)]))))).toBe('did_invalid');
    expect(errorCodeOf(() => decodeMultikey(base58btc(new Uint8Array([0x80, 0x24, 0x02, ...new Uint8Array(31)]))))).toBe(
      'did_invalid',
    );
    // Uncompressed points are not the did:key encoding.
    expect(errorCodeOf(() => decodeMultikey(base58btc(new Uint8Array([0x80, 0x24, 0x04, ...new Uint8Array(64)]))))).toBe(
      'did_invalid',
    );
    // x = p (not a field element) and x = 1 (x³ − 3x + b is not a square mod p for P-256).
    const p = Buffer.from('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff', 'hex');
    expect(errorCodeOf(() => decodeMultikey(base58btc(new Uint8Array([0x80, 0x24, 0x02, ...p]))))).toBe('did_invalid');
    const one = new Uint8Array(32);
    one[31] = 1;
    expect(errorCodeOf(() => decodeMultikey(base58btc(new Uint8Array([0x80, 0x24, 0x02, ...one]))))).toBe('did_invalid');
    one[31] = 5; // on the curve: the same encoding decodes
    expect(errorCodeOf(() => decodeMultikey(base58btc(new Uint8Array([0x80, 0x24, 0x02, ...one]))))).toBeUndefined();
  });
});

describe('didKeyDocument', () => {
  it('builds one Multikey verification method did:key:z…#z… used for assertions', () => {
    const did = 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp';
    const id = `${did}#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp`;
    expect(didKeyDocument(did)).toMatchObject({
      id: did,
      verificationMethod: [{ id, type: 'Multikey', controller: did, publicKeyMultibase: did.slice(8) }],
      assertionMethod: [id],
      authentication: [id],
    });
  });

  it('refuses a malformed did:key', () => {
    for (const did of [
      'did:key:',
      'did:key:6MkiTBz',
      'did:key:z6Mk#x',
      'did:jwk:z6Mk',
      'did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZp',
    ]) {
      expect(
        errorCodeOf(() => didKeyDocument(did)),
        did,
      ).toBe('did_invalid');
    }
  });
});
