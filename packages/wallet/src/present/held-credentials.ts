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
import type { Wallet } from '../wallet/wallet.ts';

/** A stored SD-JWT VC the wallet can present, with the holder's full view of its claims. */
export interface HeldCredential {
  /** The wallet record id. */
  readonly id: string;
  readonly sdJwt: string;
  /** The holder key bound in `cnf`. */
  readonly keyId: string;
  readonly vct: string;
  /** The payload with every disclosure applied (what the holder may show). */
  readonly claims: JsonObject;
}

/** The metadata record that lists the credential instances already shown to some verifier. */
export const PRESENTED_INSTANCES_ID = 'present-presented-instances';

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every `dc+sd-jwt` credential record the wallet can present. The receiving code stores the
 * SD-JWT, its format and holder key id; a record without them (another format, a damaged one) is
 * left out rather than failing the whole consent screen.
 */
export async function heldCredentials(wallet: Wallet): Promise<HeldCredential[]> {
  const held: HeldCredential[] = [];
  for (const record of await wallet.records.list('credential')) {
    const value = record.value;
    if (!isObject(value)) continue;
    const sdJwt = value.sdJwt;
    const keyId = value.keyId ?? value.holderKeyId;
    if (typeof sdJwt !== 'string' || typeof keyId !== 'string') continue;
    if (value.format !== undefined && value.format !== 'dc+sd-jwt') continue;
    try {
      const claims = await holderView(sdJwt);
      const vct = typeof value.vct === 'string' ? value.vct : claims.vct;
      if (typeof vct !== 'string') continue;
      held.push({ id: record.id, sdJwt, keyId, vct, claims });
    } catch {
      // A record the wallet cannot read is not offered; the receiving code verified it once.
    }
  }
  return held;
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
  for (const encoded of parts.disclosures) {
    const digest = encodeBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(encoded))));
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
