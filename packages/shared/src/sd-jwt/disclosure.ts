import type { CryptoProvider, HashAlgorithm } from '../crypto/types.ts';
import { type Base64UrlCodec, codecOf, portableBase64Url } from '../encoding/base64url.ts';
import { type JsonValue, jsonDepthExceeds, parseJson } from '../encoding/json.ts';
import { fail } from '../errors/tessera-error.ts';

/**
 * One disclosure (RFC 9901 §4.2.1 object property, §4.2.2 array element), with the exact
 * base64url string it arrived as: digests are computed over that string, never a re-encoding.
 */
export interface Disclosure {
  encoded: string;
  salt: string;
  /** Present for object properties, absent for array elements. */
  name?: string;
  value: JsonValue;
}

/**
 * Claim names a disclosure may never carry: `_sd` and `...` (RFC 9901 §7.1 step 3.3.2.2), and
 * `_sd_alg`, which belongs only to the top level of the signed payload (§4.1.1).
 */
const FORBIDDEN_NAMES = new Set(['_sd', '...', '_sd_alg']);

/** Decodes and checks one disclosure string. */
export function decodeDisclosure(encoded: string, maxDepth: number, codec: Base64UrlCodec = portableBase64Url): Disclosure {
  const text = codec.decodeText(encoded);
  if (text === undefined) fail('malformed_disclosure', 'A disclosure is not valid base64url UTF-8');
  const array = parseJson(text);
  if (!Array.isArray(array) || (array.length !== 2 && array.length !== 3)) {
    fail('malformed_disclosure', 'A disclosure must be a JSON array of two or three elements');
  }
  const [salt] = array;
  if (typeof salt !== 'string') fail('malformed_disclosure', 'A disclosure salt must be a string');
  if (array.length === 2) {
    const value = array[1] as JsonValue;
    if (jsonDepthExceeds(value, maxDepth)) fail('nesting_too_deep', 'A disclosed value is nested too deeply');
    return { encoded, salt, value };
  }
  const name = array[1];
  if (typeof name !== 'string') fail('malformed_disclosure', 'A disclosure claim name must be a string');
  if (FORBIDDEN_NAMES.has(name)) fail('forbidden_claim_name', 'A disclosure uses a reserved claim name');
  const value = array[2] as JsonValue;
  if (jsonDepthExceeds(value, maxDepth)) fail('nesting_too_deep', 'A disclosed value is nested too deeply');
  return { encoded, salt, name, value };
}

/** Encodes a disclosure: `[salt, name, value]` or `[salt, value]`, JSON, then base64url. */
export function encodeDisclosure(
  salt: string,
  name: string | undefined,
  value: JsonValue,
  codec: Base64UrlCodec = portableBase64Url,
): string {
  return codec.encodeText(JSON.stringify(name === undefined ? [salt, value] : [salt, name, value]));
}

/** The crypto a digest needs: `hash`, and the optional one-step `digest`. */
export type DigestCrypto = Pick<CryptoProvider, 'hash' | 'digest' | 'base64url'>;

/** base64url(hash(ASCII(input))), the digest form used for disclosures and `sd_hash`. */
export function digestOf(input: string, alg: HashAlgorithm, crypto: DigestCrypto): string | Promise<string> {
  if (crypto.digest !== undefined) return crypto.digest(input, alg);
  const result = crypto.hash(input, alg);
  const { encode } = codecOf(crypto);
  return result instanceof Uint8Array ? encode(result) : result.then(encode);
}

/** Digests of many inputs, staying synchronous when the hasher is. */
export function digestsOf(inputs: readonly string[], alg: HashAlgorithm, crypto: DigestCrypto): string[] | Promise<string[]> {
  const out = inputs.map((input) => digestOf(input, alg, crypto));
  return out.every((d): d is string => typeof d === 'string') ? out : Promise.all(out);
}
