/**
 * The one way the verifier reaches the network: DID documents, issuer metadata and status lists
 * are fetched only through a `SafeFetch`, which enforces the outbound policy (HTTPS only, no
 * private or loopback targets, no redirects, size and time limits). Implementations: the browser
 * one in `fetch/browser-fetch.ts` and the Node one in `node/node-fetch.ts` (`@tessera/verifier/node`),
 * which also checks the addresses a host name resolves to.
 */

export interface SafeFetchRequest {
  url: string;
  /** Value of the Accept header. */
  accept: string;
  /** Largest response body accepted, in bytes; more fails with `fetch_too_large`. */
  maxBytes?: number;
  /** Time for the whole exchange, in milliseconds; longer fails with `fetch_timeout`. */
  timeoutMs?: number;
}

export interface SafeFetchResponse {
  /** Always 2xx: other statuses fail with `fetch_failed`. */
  status: number;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string>>;
  body: Uint8Array;
}

/** Fetches one URL under the outbound policy, or fails with a `fetch_*` TesseraError. */
export type SafeFetch = (request: SafeFetchRequest) => Promise<SafeFetchResponse>;

export interface FetchPolicy {
  /**
   * Development only: also allow plain `http://` to `localhost`, `127.0.0.1` and `[::1]` (and
   * those loopback targets over HTTPS). Default false.
   */
  allowInsecureLocalhost?: boolean;
  /** Allow HTTPS to private, loopback and link-local addresses (an intranet deployment). Default false. */
  allowPrivateNetworks?: boolean;
  /** Default response size limit in bytes. Default 262144 (256 KiB). */
  maxBytes?: number;
  /** Default time limit in milliseconds. Default 5000. */
  timeoutMs?: number;
}

export const DEFAULT_FETCH_MAX_BYTES = 256 * 1024;
export const DEFAULT_FETCH_TIMEOUT_MS = 5000;
