import type { CryptoProvider, HashAlgorithm } from '../crypto/types.ts';
import { decodeBase64UrlText, encodeBase64Url, encodeBase64UrlText } from '../encoding/base64url.ts';
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

/** Claim names a disclosure may never carry (RFC 9901 §7.1 step 3.3.2.2). */
const FORBIDDEN_NAMES = new Set(['_sd', '...']);

/** Decodes and checks one disclosure string. */
export function decodeDisclosure(encoded: string, maxDepth: number): Disclosure {
  const text = decodeBase64UrlText(encoded);
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
export function encodeDisclosure(salt: string, name: string | undefined, value: JsonValue): string {
  return encodeBase64UrlText(JSON.stringify(name === undefined ? [salt, value] : [salt, name, value]));
}

/** base64url(hash(ASCII(input))), the digest form used for disclosures and `sd_hash`. */
export function digestOf(input: string, alg: HashAlgorithm, hash: CryptoProvider['hash']): string | Promise<string> {
  const result = hash(input, alg);
  return result instanceof Uint8Array ? encodeBase64Url(result) : result.then(encodeBase64Url);
}

/** Digests of many inputs, staying synchronous when the hasher is. */
export function digestsOf(
  inputs: readonly string[],
  alg: HashAlgorithm,
  hash: CryptoProvider['hash'],
): string[] | Promise<string[]> {
  const out = inputs.map((input) => digestOf(input, alg, hash));
  return out.every((d): d is string => typeof d === 'string') ? out : Promise.all(out);
}
