import { type ErrorCode, fail, type JsonObject, type Jwk, jwkOfDidJwk, publicJwkFor } from '@tessera/shared';
import { getJsonObject, isObject, type WalletHttp } from './wallet-http.ts';

/**
 * The wallet's one DID resolver, for issuers when receiving and for `decentralized_identifier:`
 * verifiers when presenting: did:jwk decoded locally (did:jwk §2.2), did:web fetched through the
 * wallet's hardened HTTP (did:web §3.2). Other DID methods are not resolved.
 */

/**
 * Which verification methods of the DID may have signed:
 * - `assertionMethod`: only those in that relationship (DID Core §5.3.2), for issuers, who assert
 *   claims;
 * - `verificationMethod`: any method in the document's `verificationMethod` property, for
 *   OpenID4VP request objects (§5.9.3 says the key "MUST be obtained from the
 *   `verificationMethod` property").
 */
export type DidKeyPurpose = 'assertionMethod' | 'verificationMethod';

export interface DidKeyOptions {
  /** The JWS `kid`: a DID URL of `did` (absolute, or relative `#fragment`), or none. */
  readonly kid: string | undefined;
  readonly purpose: DidKeyPurpose;
  readonly http: WalletHttp;
  /**
   * The code for "this DID has no such usable key": `issuer_key_not_found` when receiving,
   * `client_id_mismatch` when presenting (the request is not signed by its client id's key).
   */
  readonly notFound: ErrorCode;
}

/** True for the DID methods `resolveDidKey` resolves. */
export function isResolvableDid(did: string): boolean {
  return did.startsWith('did:jwk:') || did.startsWith('did:web:');
}

/**
 * The P-256 public key a DID's controller signed with, picked by `kid` for `purpose`. Fails with
 * `did_invalid` (a malformed DID), `did_resolution_failed` (the did:web document is unusable or
 * names another DID), `options.notFound` (no such key, or not a P-256 public key) or `fetch_*`.
 * @example
 * const jwk = await resolveDidKey('did:web:issuer.example', { kid, purpose: 'assertionMethod', http, notFound: 'issuer_key_not_found' });
 */
export async function resolveDidKey(did: string, options: DidKeyOptions): Promise<Jwk> {
  if (did.startsWith('did:jwk:')) return didJwkKey(did, options);
  if (did.startsWith('did:web:')) return didWebKey(did, options);
  fail(options.notFound, 'The wallet resolves did:jwk and did:web only');
}

/**
 * did:web §3.2: `did:web:host%3Aport:a:b` → `https://host:port/a/b/did.json` (`/.well-known`
 * without a path). Plain http only for localhost / 127.0.0.1 when allowed (development).
 * @example didWebUrl('did:web:issuer.example:tenants:a', false) // 'https://issuer.example/tenants/a/did.json'
 */
export function didWebUrl(did: string, allowInsecureLocalhost: boolean): string {
  const match = /^did:web:([A-Za-z0-9.-]+)(?:%3[Aa]([0-9]{1,5}))?((?::[A-Za-z0-9._~-]+)*)$/.exec(did);
  if (match === null) fail('did_invalid', 'A did:web must be did:web:<host>[%3A<port>][:<path>…]');
  const host = (match[1] as string).toLowerCase();
  const segments = (match[3] as string).split(':').slice(1);
  if (segments.some((segment) => segment === '.' || segment === '..')) fail('did_invalid', 'A did:web path has a dot segment');
  const insecure = allowInsecureLocalhost && (host === 'localhost' || host === '127.0.0.1');
  const authority = match[2] === undefined ? host : `${host}:${match[2]}`;
  const path = segments.length === 0 ? '/.well-known' : `/${segments.join('/')}`;
  return `${insecure ? 'http' : 'https'}://${authority}${path}/did.json`;
}

function didJwkKey(did: string, { kid, notFound }: DidKeyOptions): Jwk {
  // did:jwk §2.2: the one verification method is `<did>#0`, in every signing relationship.
  if (kid !== undefined && kid !== `${did}#0` && kid !== '#0') fail(notFound, 'The kid is not the did:jwk key');
  const jwk = jwkOfDidJwk(did);
  return publicKeyOf(jwk, 'did_invalid');
}

async function didWebKey(did: string, { kid, purpose, http, notFound }: DidKeyOptions): Promise<Jwk> {
  const url = didWebUrl(did, http.allowInsecureLocalhost);
  const document = await getJsonObject(
    url,
    { accept: 'application/did+json, application/json;q=0.9' },
    http,
    'did_resolution_failed',
    'The did:web document',
  );
  // did:web §3.2: the document must be the one of the DID that was resolved.
  if (document.id !== did) fail('did_resolution_failed', 'The DID document id is not the DID');
  const { methods, allowed } = indexMethods(document, did, purpose);
  let id: string;
  if (kid === undefined) {
    if (allowed.size !== 1) fail(notFound, `No kid, and the DID does not have exactly one ${purpose}`);
    id = allowed.values().next().value as string;
  } else {
    const absolute = absoluteId(kid, did);
    if (absolute === undefined) fail(notFound, 'The kid is not a DID URL of the DID');
    if (!allowed.has(absolute)) fail(notFound, `The kid is not a ${purpose} of the DID`);
    id = absolute;
  }
  return publicKeyOf((methods.get(id) as JsonObject).publicKeyJwk, notFound);
}

/**
 * The document's verification methods by absolute id, and the ids allowed for `purpose`. A
 * method of another DID is left out: it never signs for this one.
 */
function indexMethods(
  document: JsonObject,
  did: string,
  purpose: DidKeyPurpose,
): { methods: Map<string, JsonObject>; allowed: Set<string> } {
  const methods = new Map<string, JsonObject>();
  const add = (method: unknown): string | undefined => {
    if (!isObject(method) || typeof method.id !== 'string') fail('did_resolution_failed', 'A verification method has no id');
    const id = absoluteId(method.id, did);
    if (id === undefined) return undefined;
    // Two methods under one id would let the document say one key and sign with another.
    if (methods.has(id) && methods.get(id) !== method) fail('did_resolution_failed', 'Two verification methods share an id');
    methods.set(id, method);
    return id;
  };
  const listed = listOf(document.verificationMethod, 'verificationMethod').map(add);
  if (purpose === 'verificationMethod') {
    return { methods, allowed: new Set(listed.filter((id): id is string => id !== undefined)) };
  }
  const allowed = new Set<string>();
  for (const entry of listOf(document.assertionMethod, 'assertionMethod')) {
    // DID Core §5.3: a relationship lists references to verification methods, or embeds them.
    const id = typeof entry === 'string' ? absoluteId(entry, did) : add(entry);
    if (id !== undefined && methods.has(id)) allowed.add(id);
  }
  return { methods, allowed };
}

function listOf(value: unknown, name: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail('did_resolution_failed', `The DID document's ${name} is not an array`);
  return value;
}

/** A DID URL with a fragment of `did`, relative (`#key-1`) or absolute (`did…#key-1`), made absolute; else undefined. */
function absoluteId(reference: string, did: string): string | undefined {
  const id = reference.startsWith('#') ? `${did}${reference}` : reference;
  return id.startsWith(`${did}#`) && id.length > did.length + 1 ? id : undefined;
}

/** A P-256 public key only: a JWK with private members is refused, not trimmed. */
export function publicKeyOf(value: unknown, code: ErrorCode): Jwk {
  if (!isObject(value)) fail(code, 'The key is not a JWK');
  if (['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'].some((member) => member in value)) fail(code, 'The key has private members');
  try {
    return publicJwkFor(value, 'ES256');
  } catch (cause) {
    fail(code, 'The key is not a P-256 public key', cause);
  }
}
