import { encodeBase64Url, fail, type Jwk } from '@tessera/shared';
import type { DIDDocument } from 'did-resolver';

/**
 * did:key (W3C CCG "The did:key Method" v0.7) and Multikey public keys (W3C Controlled
 * Identifiers 1.0 §2.2.2): `z` + base58btc(multicodec varint ‖ raw public key). Supported:
 * Ed25519 (`ed25519-pub`, 0xed), and P-256, P-384, P-521 (`p256-pub` 0x1200, `p384-pub` 0x1201,
 * `p521-pub` 0x1202) as SEC 1 compressed points, which are decompressed here into EC JWKs.
 */

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
/** Longest multibase key accepted: P-521 needs 95 characters; anything much longer is not a key. */
const MAX_MULTIBASE_LENGTH = 128;

interface Curve {
  crv: 'P-256' | 'P-384' | 'P-521';
  /** Field prime; each is ≡ 3 (mod 4), so a square root is one exponentiation. */
  p: bigint;
  /** Curve coefficient b of y² = x³ − 3x + b (SEC 2 §2.4.2, §2.5.1, §2.6.1). */
  b: bigint;
  bytes: number;
}

const P256: Curve = {
  crv: 'P-256',
  p: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
  b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
  bytes: 32,
};
const P384: Curve = {
  crv: 'P-384',
  p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
  b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
  bytes: 48,
};
const P521: Curve = {
  crv: 'P-521',
  p: 2n ** 521n - 1n,
  b: 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
  bytes: 66,
};

/** Multicodec table entries this module understands (https://github.com/multiformats/multicodec). */
const CODECS = new Map<number, Curve | 'Ed25519'>([
  [0xed, 'Ed25519'],
  [0x1200, P256],
  [0x1201, P384],
  [0x1202, P521],
]);

/**
 * Decodes a Multikey `publicKeyMultibase` value (or the identifier of a did:key) into a public
 * JWK. Anything malformed, unsupported or off the curve fails with `did_invalid`.
 * @example decodeMultikey('z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp') // { kty: 'OKP', crv: 'Ed25519', x: '…' }
 */
export function decodeMultikey(multibase: string): Jwk {
  if (!multibase.startsWith('z') || multibase.length > MAX_MULTIBASE_LENGTH) {
    fail('did_invalid', 'A multibase key must be base58btc (prefix z) and of key size');
  }
  const bytes = decodeBase58btc(multibase.slice(1));
  if (bytes === undefined) fail('did_invalid', 'A multibase key is not valid base58btc');
  const { code, length } = readVarint(bytes);
  const codec = CODECS.get(code);
  if (codec === undefined) fail('did_invalid', `Unsupported multicodec key type 0x${code.toString(16)}`);
  const key = bytes.subarray(length);
  if (codec === 'Ed25519') {
    if (key.length !== 32) fail('did_invalid', 'An Ed25519 key must be 32 bytes');
    return { kty: 'OKP', crv: 'Ed25519', x: encodeBase64Url(key) };
  }
  return decompress(codec, key);
}

/**
 * The DID document of a did:key (did:key method §3.1.1): one Multikey verification method,
 * `did:key:z…#z…`, for authentication, assertions and capabilities. The X25519 key-agreement key
 * the method derives from Ed25519 keys is left out: a verifier only checks signatures.
 * @example didKeyDocument('did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv')
 */
export function didKeyDocument(did: string): DIDDocument {
  const match = /^did:key:(z[1-9A-HJ-NP-Za-km-z]+)$/.exec(did);
  if (match === null) fail('did_invalid', 'A did:key must be did:key: followed by a base58btc multibase key');
  const multibase = match[1] as string;
  decodeMultikey(multibase); // validates the key before any document exists for it
  const id = `${did}#${multibase}`;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [{ id, type: 'Multikey', controller: did, publicKeyMultibase: multibase }],
    authentication: [id],
    assertionMethod: [id],
    capabilityInvocation: [id],
    capabilityDelegation: [id],
  };
}

function decodeBase58btc(text: string): Uint8Array | undefined {
  let zeros = 0;
  while (zeros < text.length && text[zeros] === '1') zeros++;
  // Little-endian base-256 digits, multiplied by 58 and added to for each input character.
  const digits: number[] = [];
  for (const char of text) {
    let carry = BASE58_ALPHABET.indexOf(char);
    if (carry < 0) return undefined;
    for (let i = 0; i < digits.length; i++) {
      carry += (digits[i] as number) * 58;
      digits[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      digits.push(carry & 0xff);
      carry >>= 8;
    }
  }
  const out = new Uint8Array(zeros + digits.length);
  for (let i = 0; i < digits.length; i++) out[zeros + i] = digits[digits.length - 1 - i] as number;
  return out;
}

/** Unsigned LEB128 (the multiformats unsigned-varint), at most 3 bytes and minimally encoded. */
function readVarint(bytes: Uint8Array): { code: number; length: number } {
  let code = 0;
  for (let i = 0; i < 3 && i < bytes.length; i++) {
    const byte = bytes[i] as number;
    code |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) === 0) {
      if (i > 0 && byte === 0) break; // a trailing zero group is a non-minimal encoding
      return { code, length: i + 1 };
    }
  }
  fail('did_invalid', 'A multibase key does not start with a valid multicodec varint');
}

/** SEC 1 §2.3.4: a compressed point (0x02/0x03 ‖ x) to an EC JWK, checking that it is on the curve. */
function decompress(curve: Curve, key: Uint8Array): Jwk {
  const prefix = key[0];
  if (key.length !== curve.bytes + 1 || (prefix !== 2 && prefix !== 3)) {
    fail('did_invalid', `A ${curve.crv} key must be a ${curve.bytes + 1}-byte compressed point`);
  }
  const { p, b } = curve;
  const x = toBigInt(key.subarray(1));
  if (x >= p) fail('did_invalid', `The ${curve.crv} point is not on the curve`);
  const rhs = (((x * x) % p) * x - 3n * x + b) % p;
  const alpha = rhs < 0n ? rhs + p : rhs;
  // p ≡ 3 (mod 4): y = alpha^((p+1)/4) is a square root of alpha when one exists.
  let y = modPow(alpha, (p + 1n) / 4n, p);
  if ((y * y) % p !== alpha) fail('did_invalid', `The ${curve.crv} point is not on the curve`);
  if (Number(y & 1n) !== (prefix & 1)) y = (p - y) % p;
  return { kty: 'EC', crv: curve.crv, x: encodeBase64Url(key.subarray(1)), y: encodeBase64Url(toBytes(y, curve.bytes)) };
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

function toBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

function toBytes(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
