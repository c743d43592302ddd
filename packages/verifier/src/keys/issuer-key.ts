import { fail, type IssuerKeyInput, type JsonObject, type Jwk, type JwsAlgorithm } from '@tessera/shared';
import type { Resolvable } from 'did-resolver';
import type { SafeFetch } from '../fetch/safe-fetch.ts';
import type { StatusListKeyContext } from '../status/status-checker.ts';
import { findIssuerEntry, findTrustedIssuer, type TrustedIssuer, type TrustList } from '../trust/trust-list.ts';
import { resolveDidKey } from './did.ts';
import { resolveIssuerMetadataKey } from './issuer-metadata.ts';
import { cachedLocalDidKeyResolver, type LocalDidKeyResolver } from './local-did-key-cache.ts';
import { verifyX5cChain } from './x509.ts';

/**
 * JWS header members that would let a token name its own key; never honoured (RFC 7515 §10.3 key
 * origin authentication, RFC 8725 §3.10).
 */
const SELF_CERTIFYING_HEADERS = ['jwk', 'jku', 'x5u'] as const;

export interface IssuerKeyOptions {
  trust: TrustList;
  /** Resolves DIDs (did:jwk, did:key, did:web through the hardened fetch). */
  didResolver: Resolvable;
  /** For SD-JWT VC issuer metadata (`/.well-known/jwt-vc-issuer`). */
  fetch: SafeFetch;
  /** Current time for certificate validity, in milliseconds. */
  now: () => number;
  /** Development only: issuer metadata over plain http on localhost (see FetchPolicy). */
  allowInsecureLocalhost?: boolean;
  /** Offline mode: keys exported in a trust bundle replace DID and metadata resolution. */
  bundleKeys?: IssuerKeyInput;
}

/**
 * The key of a credential's issuer, from a permitted mechanism only (issue 3): an `x5c` chain to
 * one of that issuer's trust anchors, the issuer's DID, or its SD-JWT VC issuer metadata — and
 * only for an issuer the trust list allows to issue this `vct`, checked before anything is
 * fetched, so an untrusted token never makes the verifier reach out.
 */
export function credentialKeyResolver(options: IssuerKeyOptions): IssuerKeyInput {
  const localDidKey = cachedLocalDidKeyResolver(options.didResolver);
  return ({ header, payload }) => {
    const issuer = issuerOf(payload.iss);
    // Unverified at this point: verifyPresentation repeats the decision on the verified claims.
    const vct = typeof payload.vct === 'string' ? payload.vct : '';
    return keyFor(findTrustedIssuer(options.trust, issuer, vct), issuer, header, payload, options, localDidKey);
  };
}

/**
 * The key of a status list token's signer: the issuer of the credential that points to the list
 * (a token naming another `iss` is refused), through the same permitted mechanisms.
 */
export function statusListKeyResolver(options: IssuerKeyOptions): (context: StatusListKeyContext) => Promise<Jwk> {
  const localDidKey = cachedLocalDidKeyResolver(options.didResolver);
  return ({ header, payload, referencedIssuer }) => {
    const issuer = issuerOf(payload.iss ?? referencedIssuer);
    if (referencedIssuer !== undefined && issuer !== referencedIssuer) {
      fail('untrusted_issuer', 'The status list is signed for another issuer than the credential’s');
    }
    return keyFor(findIssuerEntry(options.trust, issuer), issuer, header, payload, options, localDidKey);
  };
}

function issuerOf(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) fail('missing_claim', 'The token has no iss claim');
  return value;
}

async function keyFor(
  entry: TrustedIssuer,
  issuer: string,
  header: JsonObject,
  payload: JsonObject,
  options: IssuerKeyOptions,
  localDidKey: LocalDidKeyResolver,
): Promise<Jwk> {
  for (const name of SELF_CERTIFYING_HEADERS) {
    if (header[name] !== undefined) fail('key_source_forbidden', `A key named by the token itself (${name}) is never used`);
  }
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  if (header.x5c !== undefined) {
    return verifyX5cChain(header.x5c, {
      trustAnchors: entry.x509TrustAnchors ?? [],
      issuer,
      now: new Date(options.now()),
      alg: header.alg as JwsAlgorithm,
    });
  }
  // did:jwk and did:key carry the key in the identifier itself: resolved locally, online or not,
  // and kept in a small cache (see local-did-key-cache.ts).
  if (issuer.startsWith('did:jwk:') || issuer.startsWith('did:key:')) return localDidKey(issuer, kid);
  if (options.bundleKeys !== undefined) {
    const bundleKeys = options.bundleKeys;
    return typeof bundleKeys === 'function' ? bundleKeys({ header, payload: { ...payload, iss: issuer } }) : bundleKeys;
  }
  if (issuer.startsWith('did:')) return resolveDidKey(issuer, kid, { resolver: options.didResolver });
  const metadataOptions = { fetch: options.fetch, allowInsecureLocalhost: options.allowInsecureLocalhost === true };
  return resolveIssuerMetadataKey(issuer, kid, metadataOptions);
}
