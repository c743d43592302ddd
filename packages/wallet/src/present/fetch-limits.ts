import { fail } from '@tessera/shared';
import { readBodyWithin } from '../receive/wallet-http.ts';

/** A fetch function (the global `fetch` by default); tests and apps may inject their own. */
export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Request objects and verifier answers are small; anything bigger is refused unread. */
export const MAX_BODY_BYTES = 256 * 1024;
export const FETCH_TIMEOUT_MS = 10_000;

/**
 * The wallet talks only to `https:` verifiers (OpenID4VP 1.0 §14: request and response URIs are
 * TLS-protected), or `http:` on the loopback host when the caller allows it for development.
 */
export function checkVerifierUrl(value: unknown, allowInsecureLocalhost: boolean, what: string): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch (cause) {
    fail('request_invalid', `The ${what} is not a URL`, cause);
  }
  // User info would mislead the holder about the host and leak into logs (RFC 3986 §3.2.1).
  if (url.username !== '' || url.password !== '') fail('request_invalid', `The ${what} must not carry user credentials`);
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && allowInsecureLocalhost && LOOPBACK_HOSTS.has(url.hostname)) return url;
  fail('fetch_blocked', `The ${what} is not an https: URL`);
}

/** Calls `fetchFunction` with a timeout, mapping network failures to `fetch_failed` / `fetch_timeout`. */
export async function fetchWithTimeout(fetchFunction: FetchFunction, url: URL, init: RequestInit): Promise<Response> {
  try {
    return await fetchFunction(url.href, { ...init, redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'TimeoutError')
      fail('fetch_timeout', 'The verifier did not answer in time');
    fail('fetch_failed', 'The verifier could not be reached', cause);
  }
}

/** The body as text, at most `MAX_BODY_BYTES`. */
export async function readLimitedText(response: Response): Promise<string> {
  const bytes = await readBodyWithin(response, MAX_BODY_BYTES);
  if (bytes === undefined) fail('fetch_too_large', 'The verifier sent too large an answer');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    fail('request_invalid', 'The verifier sent text that is not UTF-8', cause);
  }
}
