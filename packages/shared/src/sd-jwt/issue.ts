import type { ClaimPath } from '../claim-path/claim-path.ts';
import { isClaimPath } from '../claim-path/claim-path.ts';
import type { CryptoProvider, HashAlgorithm, SigningKey } from '../crypto/types.ts';
import { HASH_ALGORITHMS } from '../crypto/types.ts';
import { type Base64UrlCodec, codecOf } from '../encoding/base64url.ts';
import { defineOwn, isJsonObject, type JsonObject, type JsonValue } from '../encoding/json.ts';
import { signJwt } from '../jws/compact.ts';
import { digestOf, encodeDisclosure } from './disclosure.ts';

export interface IssueSdJwtOptions {
  /** Every claim of the payload, in plain form. */
  claims: JsonObject;
  /**
   * Which claims are selectively disclosable, as claims path pointers. A path inside another
   * disclosable claim makes a recursive disclosure (RFC 9901 §4.2.6); `null` marks every element
   * of an array. Paths that match no claim are ignored, so optional claims may be absent.
   */
  disclosable: readonly ClaimPath[];
  signingKey: SigningKey;
  crypto: Pick<CryptoProvider, 'hash' | 'digest' | 'randomBytes' | 'base64url'>;
  /** The JWS `typ`, e.g. `dc+sd-jwt` for SD-JWT VC. */
  typ: string;
  /** Further JWS header members (`kid`, `x5c`). */
  header?: JsonObject;
  /** `_sd_alg`; default `sha-256` (RFC 9901 §4.1.1). */
  hashAlgorithm?: HashAlgorithm;
  /**
   * Decoy digests added to every object and array that has disclosable members (RFC 9901 §4.2.5),
   * chosen at random between 0 and this number. Default 0.
   */
  maxDecoys?: number;
}

/** Salt entropy: 128 bits, the minimum RFC 9901 §4.2.1 recommends. */
const SALT_BYTES = 16;

/** Names the payload itself reserves (RFC 9901 §4.2.4). */
const RESERVED = new Set(['_sd', '...', '_sd_alg']);

/**
 * Issues an SD-JWT (RFC 9901 §4): each disclosable claim becomes a salted disclosure whose digest
 * replaces it in the signed payload.
 * @example
 * const sdJwt = await issueSdJwt({ claims, disclosable: [['given_name'], ['address'], ['address', 'locality']],
 *   signingKey, crypto: webCrypto, typ: 'example+sd-jwt' });
 */
export async function issueSdJwt(options: IssueSdJwtOptions): Promise<string> {
  const { claims, disclosable, signingKey, crypto, typ, header = {}, hashAlgorithm = 'sha-256', maxDecoys = 0 } = options;
  if (!isJsonObject(claims)) throw new TypeError('claims must be a JSON object');
  if (!HASH_ALGORITHMS.includes(hashAlgorithm)) throw new TypeError(`Unsupported hash algorithm ${hashAlgorithm}`);
  if (!Number.isSafeInteger(maxDecoys) || maxDecoys < 0) throw new TypeError('maxDecoys must be a non-negative integer');
  for (const path of disclosable) {
    if (!isClaimPath(path)) throw new TypeError(`Invalid claims path ${JSON.stringify(path)}`);
  }
  assertNoReservedNames(claims, 0);
  const frame = buildFrame(disclosable);
  const disclosures: string[] = [];
  const context: EncodeContext = { crypto, codec: codecOf(crypto), hashAlgorithm, maxDecoys, disclosures };
  const payload = (await encodeValue(claims, frame, context)) as JsonObject;
  if (frame.children.size > 0 || disclosures.length > 0) payload._sd_alg = hashAlgorithm;
  const jwt = await signJwt({ ...header, typ }, payload, signingKey, context.codec);
  return `${jwt}~${disclosures.map((d) => `${d}~`).join('')}`;
}

/** The input must not already speak SD-JWT: `_sd`, `_sd_alg` or `...` would be read as digests. */
function assertNoReservedNames(value: JsonValue, depth: number): void {
  if (depth > 64) throw new TypeError('claims are nested too deeply');
  if (Array.isArray(value)) {
    for (const element of value) assertNoReservedNames(element, depth + 1);
  } else if (isJsonObject(value)) {
    for (const key of Object.keys(value)) {
      if (RESERVED.has(key)) throw new TypeError(`The claim name ${JSON.stringify(key)} is reserved by SD-JWT`);
      assertNoReservedNames(value[key] as JsonValue, depth + 1);
    }
  }
}

/** A tree of the disclosable paths. `null` children apply to every array element. */
interface FrameNode {
  disclosable: boolean;
  children: Map<string | number | null, FrameNode>;
}

function buildFrame(paths: readonly ClaimPath[]): FrameNode {
  const root: FrameNode = { disclosable: false, children: new Map() };
  for (const path of paths) {
    let node = root;
    for (const step of path) {
      let child = node.children.get(step);
      if (child === undefined) {
        child = { disclosable: false, children: new Map() };
        node.children.set(step, child);
      }
      node = child;
    }
    node.disclosable = true;
  }
  return root;
}

interface EncodeContext {
  crypto: Pick<CryptoProvider, 'hash' | 'digest' | 'randomBytes' | 'base64url'>;
  codec: Base64UrlCodec;
  hashAlgorithm: HashAlgorithm;
  maxDecoys: number;
  disclosures: string[];
}

async function encodeValue(value: JsonValue, frame: FrameNode | undefined, context: EncodeContext): Promise<JsonValue> {
  if (frame === undefined || frame.children.size === 0) return value;
  if (Array.isArray(value)) return encodeArray(value, frame, context);
  if (isJsonObject(value)) return encodeObject(value, frame, context);
  return value;
}

async function encodeObject(object: JsonObject, frame: FrameNode, context: EncodeContext): Promise<JsonObject> {
  const out: JsonObject = {};
  const digests: string[] = [];
  for (const key of Object.keys(object)) {
    const child = frame.children.get(key);
    // Await only real promises: with a synchronous provider (node:crypto) most of this loop then
    // runs without a microtask per claim.
    const pending = encodeChild(object[key] as JsonValue, child, context);
    const encoded = pending instanceof Promise ? await pending : pending;
    if (child?.disclosable) {
      const digest = disclose(key, encoded, context);
      digests.push(typeof digest === 'string' ? digest : await digest);
    } else {
      defineOwn(out, key, encoded);
    }
  }
  if (digests.length > 0 || hasDisclosableChild(frame)) {
    await addDecoys(digests, context);
    // RFC 9901 §4.2.4.1: hide the original order by sorting the digests.
    if (digests.length > 0) out._sd = digests.sort();
  }
  return out;
}

async function encodeArray(array: JsonValue[], frame: FrameNode, context: EncodeContext): Promise<JsonValue[]> {
  const out: JsonValue[] = [];
  let disclosed = 0;
  for (let i = 0; i < array.length; i++) {
    const child = frame.children.get(i) ?? frame.children.get(null);
    const pending = encodeChild(array[i] as JsonValue, child, context);
    const encoded = pending instanceof Promise ? await pending : pending;
    if (child?.disclosable) {
      const digest = disclose(undefined, encoded, context);
      out.push({ '...': typeof digest === 'string' ? digest : await digest });
      disclosed++;
    } else {
      out.push(encoded);
    }
  }
  if (disclosed > 0) {
    // Decoy array elements go in at random positions (RFC 9901 §4.2.5).
    const decoys: string[] = [];
    await addDecoys(decoys, context);
    for (const decoy of decoys) {
      const position = randomBelow(out.length + 1, context);
      out.splice(position, 0, { '...': decoy });
    }
  }
  return out;
}

function hasDisclosableChild(frame: FrameNode): boolean {
  for (const child of frame.children.values()) if (child.disclosable) return true;
  return false;
}

/**
 * A claim with nothing disclosable inside stays as it is, without a trip through the async
 * encoder: most claims are leaves, and issuing many credentials a second is the issuer's hot path.
 */
function encodeChild(value: JsonValue, frame: FrameNode | undefined, context: EncodeContext): JsonValue | Promise<JsonValue> {
  return frame === undefined || frame.children.size === 0 ? value : encodeValue(value, frame, context);
}

/** Adds a disclosure and returns its digest, synchronously when the provider hashes synchronously. */
function disclose(name: string | undefined, value: JsonValue, context: EncodeContext): string | Promise<string> {
  const salt = context.codec.encode(context.crypto.randomBytes(SALT_BYTES));
  const disclosure = encodeDisclosure(salt, name, value, context.codec);
  context.disclosures.push(disclosure);
  return digestOf(disclosure, context.hashAlgorithm, context.crypto);
}

async function addDecoys(digests: string[], context: EncodeContext): Promise<void> {
  if (context.maxDecoys === 0) return;
  const count = randomBelow(context.maxDecoys + 1, context);
  for (let i = 0; i < count; i++) {
    // A decoy is the digest of random bytes: indistinguishable from a real one (RFC 9901 §4.2.5).
    const bytes = context.crypto.randomBytes(SALT_BYTES);
    const digest = context.crypto.hash(bytes, context.hashAlgorithm);
    digests.push(context.codec.encode(digest instanceof Uint8Array ? digest : await digest));
  }
}

/** An unbiased random integer in [0, bound) from the CSPRNG (bound ≤ 2^32). */
function randomBelow(bound: number, context: EncodeContext): number {
  if (bound <= 1) return 0;
  // With 16 bits, a bound above 2^16 made `limit` 0 and this loop never ended (maxDecoys ≥ 65536,
  // or decoys in an array of 65536+ elements); 32 bits cover every array length.
  if (bound > 2 ** 32) throw new TypeError('maxDecoys is too large');
  const limit = 2 ** 32 - (2 ** 32 % bound);
  for (;;) {
    const [a, b, c, d] = context.crypto.randomBytes(4) as unknown as [number, number, number, number];
    const n = a * 2 ** 24 + ((b << 16) | (c << 8) | d);
    if (n < limit) return n % bound;
  }
}
