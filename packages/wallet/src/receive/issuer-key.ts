import { decodeBase64Url, fail, type JsonObject, type Jwk, publicJwkFor } from '@tessera/shared';
import { getJsonObject, isObject, type WalletHttp } from './wallet-http.ts';

/**
 * The public key an issuer signed a credential with, found from its `iss` DID and header `kid`:
 * did:jwk is decoded locally (did:jwk §2.2); did:web is fetched (did:web §3.2) and the `kid` must
 * name one of its assertion methods (DID Core §5.3.2: issuers sign with assertion keys). Other
 * identifiers, and `x5c`-signed credentials, are refused with `issuer_key_not_found`: the wallet
 * does not carry X.509 trust anchors.
 */
export async function resolveIssuerKey(header: JsonObject, payload: JsonObject, http: WalletHttp): Promise<Jwk> {
  const iss = payload.iss;
  if (header.x5c !== undefined) {
    fail('issuer_key_not_found', 'The credential is signed with an X.509 certificate, which this wallet cannot check yet');
  }
  if (typeof iss !== 'string') fail('missing_claim', 'The credential has no iss claim');
  const kid = header.kid;
  if (kid !== undefined && typeof kid !== 'string') fail('issuer_key_not_found', 'The kid header is not a string');
  if (iss.startsWith('did:jwk:')) return didJwkKey(iss, kid);
  if (iss.startsWith('did:web:')) return didWebKey(iss, kid, http);
  fail('issuer_key_not_found', 'The wallet resolves issuer keys for did:jwk and did:web issuers only');
}

function didJwkKey(did: string, kid: string | undefined): Jwk {
  // did:jwk §2.2: the one verification method is `<did>#0`.
  if (kid !== undefined && kid !== `${did}#0` && kid !== '#0') fail('issuer_key_not_found', 'The kid is not the did:jwk key');
  const match = /^did:jwk:([A-Za-z0-9_-]+)$/.exec(did);
  const bytes = match === null ? undefined : decodeBase64Url(match[1] as string);
  let jwk: unknown;
  try {
    jwk = bytes === undefined ? undefined : JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    fail('did_invalid', 'The did:jwk does not hold a JSON key', cause);
  }
  return publicKeyOf(jwk, 'did_invalid');
}

/** did:web §3.2: `did:web:host%3Aport:a:b` → `https://host:port/a/b/did.json` (`/.well-known` without a path). */
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

async function didWebKey(did: string, kid: string | undefined, http: WalletHttp): Promise<Jwk> {
  const document = await getJsonObject(
    didWebUrl(did, http.allowInsecureLocalhost),
    { accept: 'application/did+json, application/json;q=0.9' },
    http,
    'did_resolution_failed',
    'The did:web document',
  );
  if (document.id !== did) fail('did_resolution_failed', 'The DID document id is not the issuer DID');
  const absolute = (id: unknown): string | undefined =>
    typeof id !== 'string' ? undefined : id.startsWith('#') ? `${did}${id}` : id;
  const methods = new Map<string, JsonObject>();
  const assertion = new Set<string>();
  for (const method of Array.isArray(document.verificationMethod) ? document.verificationMethod : []) {
    const id = isObject(method) ? absolute(method.id) : undefined;
    if (id !== undefined) methods.set(id, method as JsonObject);
  }
  for (const entry of Array.isArray(document.assertionMethod) ? document.assertionMethod : []) {
    // An assertion method is a reference to a verification method or an embedded one.
    const id = isObject(entry) ? absolute(entry.id) : absolute(entry);
    if (id === undefined) continue;
    assertion.add(id);
    if (isObject(entry)) methods.set(id, entry);
  }
  let id: string;
  if (kid === undefined) {
    if (assertion.size !== 1) fail('issuer_key_not_found', 'No kid, and the DID does not have exactly one assertion method');
    id = assertion.values().next().value as string;
  } else {
    id = absolute(kid) as string;
    if (!id.startsWith(`${did}#`)) fail('issuer_key_not_found', 'The kid is not a key of the issuer DID');
    if (!assertion.has(id)) fail('issuer_key_not_found', 'The kid is not an assertion method of the issuer DID');
  }
  const method = methods.get(id);
  if (method === undefined) fail('issuer_key_not_found', 'The kid is not a verification method of the issuer DID');
  return publicKeyOf(method.publicKeyJwk, 'issuer_key_not_found');
}

/** A public key only: a JWK with private members is refused, not trimmed. */
function publicKeyOf(value: unknown, code: 'did_invalid' | 'issuer_key_not_found'): Jwk {
  if (!isObject(value)) fail(code, 'The issuer key is not a JWK');
  if (['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].some((member) => member in value)) fail(code, 'The issuer key has private members');
  try {
    return publicJwkFor(value, 'ES256');
  } catch (cause) {
    fail(code, 'The issuer key is not a P-256 public key', cause);
  }
}
