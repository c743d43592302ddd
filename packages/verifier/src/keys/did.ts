import { carriesPrivateKey, type ErrorCode, fail, isTesseraError, type Jwk, jwkOfDidJwk } from '@tessera/shared';
import {
  type DIDDocument,
  type DIDResolutionResult,
  type DIDResolver,
  type JsonWebKey,
  parse,
  type Resolvable,
  Resolver,
  type VerificationMethod,
} from 'did-resolver';
import type { SafeFetch } from '../fetch/safe-fetch.ts';
import { decodeMultikey, didKeyDocument } from './did-key.ts';

/**
 * Issuer keys from DIDs: a `did-resolver` `Resolver` with our own drivers for did:jwk, did:key
 * and did:web (did:web documents fetched only through a `SafeFetch`, never with
 * web-did-resolver's own fetch), and `resolveDidKey`, which picks the issuer's signing key:
 * a verification method of the DID that is also an assertion method (DID Core §5.3.2).
 */

export type DidMethod = 'jwk' | 'key' | 'web';

export interface DidResolverOptions {
  /** The hardened fetch for did:web documents. Without it, did:web DIDs fail to resolve. */
  fetch?: SafeFetch;
  /** The DID methods to resolve; others fail with `did_invalid`. Default: did:jwk, did:key, did:web. */
  methods?: readonly DidMethod[];
  /**
   * Development only: resolve `did:web:localhost%3A<port>` and `did:web:127.0.0.1%3A<port>` over
   * plain `http://`. The did:web specification requires https; the `SafeFetch` must also allow
   * insecure localhost for such a request to go out.
   */
  allowInsecureLocalhost?: boolean;
  /** Largest did:web document accepted, in bytes. Default: the fetch's limit. */
  maxBytes?: number;
}

/** Accept header for did:web (DID Core §6.2: JSON; §6.3: JSON-LD). */
const DID_ACCEPT = 'application/did+json, application/did+ld+json;q=0.9, application/json;q=0.8';
/** Codes that our drivers report and `resolveDidKey` passes on unchanged. */
export const PASSED_ON: ReadonlySet<string> = new Set<ErrorCode>([
  'did_invalid',
  'did_resolution_failed',
  'fetch_blocked',
  'fetch_failed',
  'fetch_timeout',
  'fetch_too_large',
]);
/** The members of a public key that travel on to signature verification. */
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e', 'alg'];

/**
 * A `did-resolver` `Resolver` for did:jwk, did:key and did:web. Failures come back as resolution
 * metadata (`error`: `invalidDid` or `notFound`), with our error code in `code` and a `message`.
 * No cache: did:web documents change, and an in-memory cache without expiry would pin old keys.
 * @example
 * const resolver = createDidResolver({ fetch: createNodeFetch() });
 * const { didDocument } = await resolver.resolve('did:web:issuer.example');
 */
export function createDidResolver(options: DidResolverOptions = {}): Resolver {
  const methods = options.methods ?? ['jwk', 'key', 'web'];
  const drivers: Record<DidMethod, DIDResolver> = {
    jwk: driver((did) => didJwkDocument(did)),
    key: driver((did) => didKeyDocument(did)),
    web: driver((did) => resolveDidWeb(did, options)),
  };
  const registry: Record<string, DIDResolver> = {};
  for (const method of methods) registry[method] = drivers[method];
  return new Resolver(registry);
}

/**
 * The public JWK an issuer signed with, found through its DID: `kid` (absolute `did:…#frag` or
 * relative `#frag`) must name a verification method of `did` that is an assertion method
 * (issuers sign credentials with assertion keys) and carries `publicKeyJwk` or
 * `publicKeyMultibase`. Without `kid`, the DID must have exactly one assertion method.
 * Fails with `did_invalid`, `did_resolution_failed`, `issuer_key_not_found` or a `fetch_*` code.
 * @example
 * const jwk = await resolveDidKey(payload.iss, header.kid, { resolver });
 */
export async function resolveDidKey(did: string, kid: string | undefined, options: { resolver: Resolvable }): Promise<Jwk> {
  const parsed = parse(did);
  if (parsed === null || parsed.didUrl !== parsed.did) {
    fail('did_invalid', 'The issuer is not a plain DID (no path, query, fragment or parameters)');
  }
  const result = await options.resolver.resolve(did);
  const metadata = result.didResolutionMetadata;
  if (metadata.error !== undefined) {
    if (typeof metadata.code === 'string' && PASSED_ON.has(metadata.code)) {
      fail(metadata.code as ErrorCode, typeof metadata.message === 'string' ? metadata.message : 'DID resolution failed');
    }
    const invalid = metadata.error === 'invalidDid' || metadata.error === 'unsupportedDidMethod';
    fail(invalid ? 'did_invalid' : 'did_resolution_failed', `DID resolution failed (${String(metadata.error).slice(0, 40)})`);
  }
  const document = result.didDocument;
  if (document === null || typeof document !== 'object' || document.id !== did) {
    fail('did_resolution_failed', 'The resolved DID document is missing or its id is not the DID');
  }
  if (result.didDocumentMetadata?.deactivated === true) fail('did_resolution_failed', 'The DID is deactivated');

  const { methods, assertion } = indexMethods(document, did);
  let id: string;
  if (kid === undefined) {
    if (assertion.size !== 1) {
      fail('issuer_key_not_found', 'The token has no kid, and the DID does not have exactly one assertion method');
    }
    id = assertion.values().next().value as string;
  } else {
    id = absoluteId(kid, did) ?? fail('issuer_key_not_found', 'The kid is not a DID URL of the issuer DID');
    if (!assertion.has(id)) fail('issuer_key_not_found', 'The kid is not an assertion method of the issuer DID');
  }
  const method = methods.get(id);
  if (method === undefined) fail('issuer_key_not_found', 'The key is not a verification method of the issuer DID');
  return publicKeyOf(method);
}

/**
 * The URL of a did:web document (did:web method §3.2 "Read (Resolve)"): `:` separators become
 * `/`, a percent-encoded port (`%3A`) is decoded, and `/.well-known` stands in for an empty path:
 * `did:web:example.com` → `https://example.com/.well-known/did.json`,
 * `did:web:example.com:user:alice` → `https://example.com/user/alice/did.json`.
 */
export function didWebUrl(did: string, options: { allowInsecureLocalhost?: boolean } = {}): string {
  const match = /^did:web:([^:]+)((?::[^:]+)*)$/.exec(did);
  if (match === null) fail('did_invalid', 'A did:web must be did:web:<domain>[:<path>…]');
  const hostMatch =
    /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*)(?:%3[Aa]([0-9]{1,5}))?$/.exec(
      match[1] as string,
    );
  if (hostMatch === null) fail('did_invalid', 'The did:web domain is not a host name with an optional %3A port');
  const host = (hostMatch[1] as string).toLowerCase();
  const port = hostMatch[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) fail('did_invalid', 'The did:web port is out of range');
  const segments = (match[2] as string).split(':').slice(1);
  for (const segment of segments) {
    // Unreserved characters only: no percent-encoding that could smuggle `/`, `..` or `?`.
    if (!/^[A-Za-z0-9._~-]+$/.test(segment) || segment === '.' || segment === '..') {
      fail('did_invalid', 'A did:web path segment has characters outside the unreserved set');
    }
  }
  const insecure = options.allowInsecureLocalhost === true && (host === 'localhost' || host === '127.0.0.1');
  const authority = port === undefined ? host : `${host}:${port}`;
  const path = segments.length === 0 ? '/.well-known' : `/${segments.join('/')}`;
  return `${insecure ? 'http' : 'https'}://${authority}${path}/did.json`;
}

function driver(resolve: (did: string) => DIDDocument | Promise<DIDDocument>): DIDResolver {
  return async (did) => {
    try {
      const didDocument = await resolve(did);
      return {
        didResolutionMetadata: { contentType: 'application/did+json' },
        didDocument,
        didDocumentMetadata: {},
      };
    } catch (error) {
      return failedResolution(error);
    }
  };
}

function failedResolution(error: unknown): DIDResolutionResult {
  if (!isTesseraError(error)) throw error;
  return {
    didResolutionMetadata: {
      error: error.code === 'did_invalid' ? 'invalidDid' : 'notFound',
      code: error.code,
      message: error.message,
    },
    didDocument: null,
    didDocumentMetadata: {},
  };
}

/** did:jwk method specification, "Read": the base64url JWK becomes one verification method, `#0`. */
function didJwkDocument(did: string): DIDDocument {
  const jwk = jwkOfDidJwk(did);
  const id = `${did}#0`;
  const relationships =
    jwk.use === 'enc'
      ? { keyAgreement: [id] }
      : {
          assertionMethod: [id],
          authentication: [id],
          capabilityInvocation: [id],
          capabilityDelegation: [id],
          ...(jwk.use === 'sig' ? {} : { keyAgreement: [id] }),
        };
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: did,
    verificationMethod: [{ id, type: 'JsonWebKey2020', controller: did, publicKeyJwk: jwk as JsonWebKey }],
    ...relationships,
  };
}

async function resolveDidWeb(did: string, options: DidResolverOptions): Promise<DIDDocument> {
  const url = didWebUrl(did, options);
  if (options.fetch === undefined) fail('did_resolution_failed', 'did:web needs a fetch, and none was given');
  const response = await options.fetch({
    url,
    accept: DID_ACCEPT,
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
  });
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(response.body));
  } catch {
    fail('did_resolution_failed', 'The did:web document is not UTF-8 JSON');
  }
  if (!isObject(document)) fail('did_resolution_failed', 'The did:web document is not a JSON object');
  // did:web method §3.2: the document's id must be the DID that was resolved.
  if (document.id !== did) fail('did_resolution_failed', 'The did:web document id is not the DID');
  return document as DIDDocument;
}

/** Verification methods by absolute id, and the ids of the assertion methods (embedded or referenced). */
function indexMethods(document: DIDDocument, did: string): { methods: Map<string, VerificationMethod>; assertion: Set<string> } {
  const methods = new Map<string, VerificationMethod>();
  const add = (method: unknown): string | undefined => {
    if (!isObject(method) || typeof method.id !== 'string') fail('did_resolution_failed', 'A verification method has no id');
    const id = absoluteId(method.id, did);
    if (id === undefined) return undefined; // a method of another DID never signs for this one
    if (methods.has(id) && (methods.get(id) as unknown) !== method)
      fail('did_resolution_failed', 'Two verification methods share an id');
    methods.set(id, method as unknown as VerificationMethod);
    return id;
  };
  for (const method of listOf(document.verificationMethod, 'verificationMethod')) add(method);
  const assertion = new Set<string>();
  for (const entry of listOf(document.assertionMethod, 'assertionMethod')) {
    const id = typeof entry === 'string' ? absoluteId(entry, did) : add(entry);
    if (id !== undefined) assertion.add(id);
  }
  return { methods, assertion };
}

function listOf(value: unknown, name: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail('did_resolution_failed', `The DID document's ${name} is not an array`);
  return value;
}

/** A DID URL with a fragment, relative (`#key-1`) or absolute (`did:…#key-1`), made absolute; else undefined. */
function absoluteId(reference: string, did: string): string | undefined {
  if (reference.startsWith('#') && reference.length > 1) return `${did}${reference}`;
  if (reference.startsWith(`${did}#`) && reference.length > did.length + 1) return reference;
  return undefined;
}

function publicKeyOf(method: VerificationMethod): Jwk {
  const { publicKeyJwk, publicKeyMultibase } = method as { publicKeyJwk?: unknown; publicKeyMultibase?: unknown };
  if (publicKeyJwk !== undefined && publicKeyMultibase !== undefined) {
    fail('did_resolution_failed', 'A verification method carries two forms of its key');
  }
  if (publicKeyJwk !== undefined) {
    if (!isObject(publicKeyJwk) || typeof publicKeyJwk.kty !== 'string')
      fail('did_resolution_failed', 'publicKeyJwk is not a JWK');
    if (carriesPrivateKey(publicKeyJwk)) {
      fail('did_resolution_failed', 'The verification method carries private key material');
    }
    if (publicKeyJwk.use !== undefined && publicKeyJwk.use !== 'sig')
      fail('issuer_key_not_found', 'The key is not for signatures');
    const jwk: Jwk = { kty: publicKeyJwk.kty };
    for (const name of PUBLIC_MEMBERS) if (publicKeyJwk[name] !== undefined) jwk[name] = publicKeyJwk[name];
    return jwk;
  }
  if (typeof publicKeyMultibase === 'string') {
    try {
      return decodeMultikey(publicKeyMultibase);
    } catch (error) {
      if (isTesseraError(error, 'did_invalid')) fail('did_resolution_failed', error.message, error);
      throw error;
    }
  }
  fail('issuer_key_not_found', 'The verification method has no publicKeyJwk or publicKeyMultibase');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
