import { sha256 } from '@noble/hashes/sha2.js';
import {
  DEFAULT_LIMITS,
  type Disclosure,
  decodeDisclosure,
  decodeJws,
  encodeBase64Url,
  type JsonObject,
  type JsonValue,
  splitSdJwt,
} from '@tessera/shared';
import { w3cCredentialView } from '../receive/verify-received-w3c.ts';
import { cachedViews } from '../wallet/view-cache.ts';
import { sessionOf, type Wallet } from '../wallet/wallet.ts';

/**
 * A stored credential the wallet can present, with the holder's full view of its claims. It is
 * cached as JSON (wallet/view-cache.ts): keep it JSON, and bump `HELD_VIEW_VERSION` when its shape
 * or the way it is derived changes.
 */
export type HeldCredential = HeldSdJwtVc | HeldJwtVc;

/** A `dc+sd-jwt` credential: its claims can be disclosed one by one. */
export interface HeldSdJwtVc {
  readonly format: 'dc+sd-jwt';
  /** The wallet record id. */
  readonly id: string;
  readonly sdJwt: string;
  /** The holder key bound in `cnf`. */
  readonly keyId: string;
  readonly vct: string;
  /** The payload with every disclosure applied (what the holder may show). */
  readonly claims: JsonObject;
}

/** A `jwt_vc_json` credential: a W3C VC shown whole, in a presentation the holder's did:jwk signs. */
export interface HeldJwtVc {
  readonly format: 'jwt_vc_json';
  /** The wallet record id. */
  readonly id: string;
  readonly jwt: string;
  /** The holder key whose did:jwk is the credential's subject. */
  readonly keyId: string;
  /** The holder's did:jwk (`sub`). */
  readonly holderDid: string;
  /** The credential's `type` values. */
  readonly types: readonly string[];
  /**
   * The credential as W3C JSON (the `vc` claim with issuer, subject id and dates from the signed
   * claims): DCQL claims paths start at its root (OpenID4VP 1.0 Appendix B.1, "Claims Matching").
   */
  readonly claims: JsonObject;
}

/** The metadata record that lists the credential instances already shown to some verifier. */
export const PRESENTED_INSTANCES_ID = 'present-presented-instances';

/** The view-cache record of held credentials, and the version of what it holds. */
const HELD_VIEW_CACHE_ID = 'present-held-credentials';
const HELD_VIEW_VERSION = 1;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every credential record the wallet can present: `dc+sd-jwt` and `jwt_vc_json`. The receiving
 * code stores the credential, its format and holder key id; a record without them (another
 * format, a damaged one) is left out rather than failing the whole consent screen.
 */
export async function heldCredentials(wallet: Wallet): Promise<HeldCredential[]> {
  // Decoding every credential again for each request is what made opening one slow with many
  // credentials (docs/wallet.md, Speed): the views are cached, encrypted, per record version.
  return cachedViews(sessionOf(wallet), {
    kind: 'credential',
    cacheId: HELD_VIEW_CACHE_ID,
    version: HELD_VIEW_VERSION,
    derive: heldCredential,
  });
}

/** One credential record as the wallet presents it, or `undefined` when it cannot be presented. */
async function heldCredential(id: string, value: JsonValue): Promise<HeldCredential | undefined> {
  if (!isObject(value)) return undefined;
  if (value.format === 'jwt_vc_json') return heldJwtVc(id, value);
  const sdJwt = value.sdJwt;
  const keyId = value.keyId ?? value.holderKeyId;
  if (typeof sdJwt !== 'string' || typeof keyId !== 'string') return undefined;
  if (value.format !== undefined && value.format !== 'dc+sd-jwt') return undefined;
  try {
    const claims = await holderView(sdJwt);
    const vct = typeof value.vct === 'string' ? value.vct : claims.vct;
    if (typeof vct !== 'string') return undefined;
    return { format: 'dc+sd-jwt', id, sdJwt, keyId, vct, claims };
  } catch {
    // A record the wallet cannot read is not offered; the receiving code verified it once.
    return undefined;
  }
}

function heldJwtVc(id: string, value: JsonObject): HeldJwtVc | undefined {
  const { jwt, keyId, holderDid, types } = value;
  if (typeof jwt !== 'string' || typeof keyId !== 'string' || typeof holderDid !== 'string') return undefined;
  if (!Array.isArray(types) || !types.every((type): type is string => typeof type === 'string')) return undefined;
  try {
    const { payload } = decodeJws(jwt);
    // The signature was checked when it was received; the record must still be what was stored.
    if (payload.sub !== holderDid) return undefined;
    return { format: 'jwt_vc_json', id, jwt, keyId, holderDid, types, claims: w3cCredentialView(payload) };
  } catch {
    return undefined;
  }
}

/** Ids of credential instances presented before. */
export async function presentedInstances(wallet: Wallet): Promise<Set<string>> {
  const value = await wallet.records.get('metadata', PRESENTED_INSTANCES_ID);
  const ids = isObject(value) && Array.isArray(value.ids) ? value.ids : [];
  return new Set(ids.filter((id): id is string => typeof id === 'string'));
}

/**
 * The holder's view of an SD-JWT: the issuer-signed payload with every disclosure put in place
 * (RFC 9901 §7.1 steps 3–4, without the signature check, which was done when it was received).
 * `_sd`, `_sd_alg` and array digests are removed.
 */
export async function holderView(sdJwt: string): Promise<JsonObject> {
  const parts = splitSdJwt(sdJwt, DEFAULT_LIMITS);
  const { payload } = decodeJws(parts.jwt, 'malformed_sd_jwt');
  const alg = payload._sd_alg ?? 'sha-256';
  if (alg !== 'sha-256') throw new Error('Only sha-256 SD-JWTs are read');
  const byDigest = new Map<string, Disclosure>();
  const encoder = new TextEncoder();
  for (const encoded of parts.disclosures) {
    // Synchronous SHA-256 (@noble/hashes): a disclosure is a few dozen bytes, and one WebCrypto
    // round trip per disclosure cost ten times the hashing (docs/wallet.md, Speed).
    const digest = encodeBase64Url(sha256(encoder.encode(encoded)));
    byDigest.set(digest, decodeDisclosure(encoded, DEFAULT_LIMITS.maxDepth));
  }
  const { _sd_alg: _alg, ...rest } = payload;
  return resolve(rest, byDigest) as JsonObject;
}

function resolve(value: JsonValue, byDigest: ReadonlyMap<string, Disclosure>): JsonValue {
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (const element of value) {
      if (isObject(element) && Object.keys(element).length === 1 && typeof element['...'] === 'string') {
        const disclosure = byDigest.get(element['...']);
        if (disclosure !== undefined && disclosure.name === undefined) out.push(resolve(disclosure.value, byDigest));
      } else {
        out.push(resolve(element, byDigest));
      }
    }
    return out;
  }
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [name, member] of Object.entries(value)) {
    if (name !== '_sd') define(out, name, resolve(member, byDigest));
  }
  const digests = Array.isArray(value._sd) ? value._sd : [];
  for (const digest of digests) {
    const disclosure = typeof digest === 'string' ? byDigest.get(digest) : undefined;
    if (disclosure?.name !== undefined) define(out, disclosure.name, resolve(disclosure.value, byDigest));
  }
  return out;
}

/** An own property even for `__proto__`, so a hostile name cannot change the object's prototype. */
function define(target: JsonObject, name: string, value: JsonValue): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}
