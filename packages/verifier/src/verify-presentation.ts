import {
  type ClaimPath,
  type Clock,
  type CryptoProvider,
  isTesseraError,
  type JsonObject,
  type JwsAlgorithm,
  type StatusListReference,
  verifySdJwtVc,
  webCrypto,
} from '@tessera/shared';
import { createBrowserFetch } from './fetch/browser-fetch.ts';
import type { FetchPolicy, SafeFetch } from './fetch/safe-fetch.ts';
import { createDidResolver } from './keys/did.ts';
import { credentialKeyResolver, type IssuerKeyOptions, statusListKeyResolver } from './keys/issuer-key.ts';
import { bundleFetch, bundleKeyResolver, type TrustBundle } from './offline/trust-bundle.ts';
import { assertStatusValid, createStatusChecker, type StatusChecker, type StatusResult } from './status/status-checker.ts';
import { findTrustedIssuer, type TrustedIssuer, type TrustList } from './trust/trust-list.ts';
import type { VerifiedW3cPresentation } from './w3c/verify-presentation.ts';

/** What to do when a credential's status cannot be checked. Fail closed unless told otherwise. */
export type StatusPolicy = 'fail-closed' | 'fail-open';

/** Everything a verifier keeps across presentations: trust, policy, fetch, crypto and the status cache. */
export interface PresentationVerifierConfig {
  /** Which issuers are trusted, for which credential types. Default with a bundle: the bundle's trust list. */
  trust?: TrustList;
  /** Default `'fail-closed'`: an unreachable or invalid status list rejects the presentation. */
  status?: StatusPolicy;
  /** Offline mode: issuer keys and status list tokens come from this bundle, with no network call. */
  bundle?: TrustBundle;
  /** The hardened fetch for DID documents, issuer metadata and status lists. Default: `createBrowserFetch(fetchPolicy)`. */
  fetch?: SafeFetch;
  /** Policy for the default fetch; `allowInsecureLocalhost` also lets did:web and issuer metadata use http on localhost. */
  fetchPolicy?: FetchPolicy;
  crypto?: CryptoProvider;
  algorithms?: readonly JwsAlgorithm[];
  clock?: Clock;
  /** Seconds of clock skew allowed, 0–60. Default 0. */
  clockTolerance?: number;
  /** How old a KB-JWT may be, in seconds. Default 300. */
  kbMaxAge?: number;
  /**
   * Longest time a fetched status list is relied on, in seconds, whatever its `ttl` says (Token
   * Status List "Expiration and Caching": relying parties bound it). Default 86400; 0 fetches the
   * list for every presentation, so a revocation counts from the moment the issuer publishes it.
   */
  statusMaxCacheSeconds?: number;
}

/** What one transaction expects of its presentation. */
export interface PresentationExpectations {
  /** The nonce this verifier issued for the transaction; the KB-JWT must carry it. */
  nonce: string;
  /** This verifier's identifier (the OpenID4VP client id); the KB-JWT's `aud` must equal it. */
  audience: string;
}

export interface VerifyPresentationOptions extends PresentationVerifierConfig, PresentationExpectations {}

export interface PresentationVerifier {
  verify(presentation: string, expectations: PresentationExpectations): Promise<VerifiedPresentation>;
  /**
   * Verifies a `jwt_vc_json` presentation: a VP JWT whose `nonce` and `aud` are the expectations'
   * (OpenID4VP 1.0 Appendix B.1.3.1), every credential in it bound to the holder who signed it,
   * trusted for its types, and not revoked (always fail closed). A verifier without it refuses
   * `jwt_vc_json` credential queries.
   */
  verifyJwtVc?(presentation: string, expectations: PresentationExpectations): Promise<VerifiedW3cPresentation>;
}

/** The credential's status as checked, or why it was not. */
export type PresentationStatus =
  | StatusResult
  /** The credential carries no status reference. */
  | { status: 'none' }
  /** Only with `status: 'fail-open'`: the list could not be checked. */
  | { status: 'unknown'; reason: string };

export interface VerifiedPresentation {
  verified: true;
  issuer: string;
  /** The trust list's entry for the issuer (display names in several languages). */
  trustedIssuer: TrustedIssuer;
  vct: string;
  /** Every claim the presentation carries: the disclosed ones and those the issuer left in the clear. */
  claims: JsonObject;
  /** The claim paths the holder chose to disclose. */
  disclosed: ClaimPath[];
  status: PresentationStatus;
}

/**
 * Verifies an SD-JWT VC presentation for a verifier: the whole SD-JWT check with key binding
 * required for this `audience` and `nonce`, an issuer key from a permitted mechanism only, the
 * issuer and credential type against the trust list, and the credential's status (fail closed).
 * All or nothing: it returns the verified result or throws a `TesseraError`. For many
 * presentations, `createPresentationVerifier` keeps status lists cached between calls.
 * @example
 * const result = await verifyPresentation(vpToken, { nonce, audience: clientId, trust });
 */
export function verifyPresentation(presentation: string, options: VerifyPresentationOptions): Promise<VerifiedPresentation> {
  return createPresentationVerifier(options).verify(presentation, options);
}

/**
 * A verifier for many presentations under one configuration; status list tokens are cached
 * between them, each for as long as its `ttl` allows.
 * @example
 * const desk = createPresentationVerifier({ trust, fetch: createNodeFetch() });
 * const result = await desk.verify(vpToken, { nonce, audience: clientId });
 */
export function createPresentationVerifier(config: PresentationVerifierConfig): PresentationVerifier {
  const { bundle, clock = Date.now, crypto = webCrypto, status: statusPolicy = 'fail-closed' } = config;
  if (statusPolicy !== 'fail-closed' && statusPolicy !== 'fail-open')
    throw new TypeError('status must be "fail-closed" or "fail-open"');
  const trust = config.trust ?? bundle?.trustList;
  if (trust === undefined) throw new TypeError('A trust list is required (trust, or a bundle that carries one)');
  // Offline, nothing may reach the network: every fetch is answered from the bundle.
  const fetch = bundle !== undefined ? bundleFetch(bundle) : (config.fetch ?? createBrowserFetch(config.fetchPolicy));
  const allowInsecureLocalhost = config.fetchPolicy?.allowInsecureLocalhost === true;
  const keyOptions: IssuerKeyOptions = {
    trust,
    didResolver: createDidResolver({ fetch, allowInsecureLocalhost }),
    fetch,
    now: clock,
    allowInsecureLocalhost,
  };
  if (bundle !== undefined) keyOptions.bundleKeys = bundleKeyResolver(bundle);
  const issuerKey = credentialKeyResolver(keyOptions);
  // Credentials and their status list tokens are held to the same algorithms and clock skew.
  const tokenRules = {
    ...(config.algorithms !== undefined ? { algorithms: config.algorithms } : {}),
    ...(config.clockTolerance !== undefined ? { clockTolerance: config.clockTolerance } : {}),
  };
  const checker = createStatusChecker({
    fetch,
    crypto,
    resolveKey: statusListKeyResolver(keyOptions),
    clock,
    ...tokenRules,
    ...(config.statusMaxCacheSeconds !== undefined ? { maxTtlSeconds: config.statusMaxCacheSeconds } : {}),
  });

  return {
    async verifyJwtVc(presentation, { nonce, audience }) {
      // `@tessera/verifier/w3c` brings Veramo along: loaded on the first W3C presentation only,
      // so a desk that asks for SD-JWT VCs alone never loads it (and bundlers can split it off).
      const { verifyW3cPresentationJwt } = await import('./w3c/verify-presentation.ts');
      return verifyW3cPresentationJwt(presentation, {
        resolver: keyOptions.didResolver,
        nonce,
        audience,
        trust,
        // The same status lists and cache as SD-JWT VCs; W3C status always fails closed.
        status: checker,
        clock,
        ...tokenRules,
        ...(config.kbMaxAge !== undefined ? { maxAge: config.kbMaxAge } : {}),
      });
    },
    async verify(presentation, { nonce, audience }) {
      const verified = await verifySdJwtVc(presentation, {
        issuerKey,
        crypto,
        keyBinding: 'required',
        audience,
        nonce,
        clock,
        ...tokenRules,
        ...(config.kbMaxAge !== undefined ? { kbMaxAge: config.kbMaxAge } : {}),
      });
      // The trust decision again, now on verified claims.
      const trustedIssuer = findTrustedIssuer(trust, verified.issuer, verified.vct);
      // Expired credentials were refused above, before any status fetch.
      const status =
        verified.status === undefined
          ? { status: 'none' as const }
          : await checkStatus(checker, verified.status, verified.issuer, statusPolicy);
      return {
        verified: true,
        issuer: verified.issuer,
        trustedIssuer,
        vct: verified.vct,
        claims: verified.claims,
        disclosed: verified.disclosed,
        status,
      };
    },
  };
}

function isUnreachable(cause: unknown): boolean {
  return (
    isTesseraError(cause, 'fetch_failed') ||
    isTesseraError(cause, 'fetch_timeout') ||
    isTesseraError(cause, 'fetch_too_large') ||
    isTesseraError(cause, 'fetch_blocked')
  );
}

async function checkStatus(
  checker: StatusChecker,
  reference: StatusListReference,
  issuer: string,
  policy: StatusPolicy,
): Promise<PresentationStatus> {
  let result: StatusResult;
  try {
    result = await checker.check(reference, { issuer });
  } catch (error) {
    // fail-open forgives only an unreachable list (a fetch failure); a list that answers with a
    // bad signature, the wrong subject or garbage still rejects.
    if (policy === 'fail-open' && isTesseraError(error, 'status_unavailable') && isUnreachable(error.cause)) {
      return { status: 'unknown', reason: error.message };
    }
    throw error;
  }
  // Revoked and suspended reject under either policy: fail-open is only about reachability.
  assertStatusValid(result);
  return result;
}
