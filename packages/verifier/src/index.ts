/**
 * @tessera/verifier — verifies what a holder presents and asks for no more than it needs.
 * Runs in browsers and Node; Node-only parts live in `@tessera/verifier/node`.
 */

// Outbound fetches
export {
  DEFAULT_FETCH_MAX_BYTES,
  DEFAULT_FETCH_TIMEOUT_MS,
  type FetchPolicy,
  type SafeFetch,
  type SafeFetchRequest,
  type SafeFetchResponse,
} from './fetch/safe-fetch.ts';
// [fetch: browser implementation]

// Issuer keys: DIDs and issuer metadata
// [keys: did + metadata]

// Issuer keys: X.509 (x5c)
// [keys: x509]

// Trust list, status, offline bundle
// [trust + status + offline]

// Verifying a presentation
// [verify-presentation]
