import { type ErrorCode, fail, isTesseraError, type JsonObject, type JsonValue } from '@tessera/shared';

/**
 * The wallet's outbound HTTP for receiving: any `fetch`-shaped function (the global one by
 * default, so it runs in browsers), with a time limit, a size limit, no redirects, and https only
 * (plain http to loopback only when the caller allows it, for local development).
 */

/** The `fetch` the wallet uses: the platform's, or one the app hardens (proxies, pinning). */
export type WalletFetch = (url: string, init: RequestInit) => Promise<Response>;

/** How the wallet talks to issuers. */
export interface WalletHttp {
  readonly fetch: WalletFetch;
  readonly allowInsecureLocalhost: boolean;
  /** Milliseconds for one exchange. */
  readonly timeoutMs: number;
  /** Largest response body accepted, in bytes. */
  readonly maxBytes: number;
}

/** An answer read as JSON (`undefined` for an empty or non-JSON body). */
export interface JsonAnswer {
  status: number;
  body: JsonValue | undefined;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * `value` as a URL the wallet may call: `https:`, or `http:` to loopback when allowed; no user
 * info (it would leak into logs and mislead the holder about the host). Fails with `code`.
 */
export function checkUrl(value: unknown, what: string, allowInsecureLocalhost: boolean, code: ErrorCode): URL {
  if (typeof value !== 'string' || value.length > 2048) fail(code, `${what} is not a URL`);
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    fail(code, `${what} is not a URL`, cause);
  }
  if (url.username !== '' || url.password !== '') fail(code, `${what} must not carry user credentials`);
  const insecureAllowed = allowInsecureLocalhost && url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !insecureAllowed) fail(code, `${what} must be an https URL`);
  return url;
}

/** True for a JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One HTTP exchange; the answer's body read as JSON within the size limit. */
export async function exchangeJson(url: string, init: RequestInit, http: WalletHttp): Promise<JsonAnswer> {
  let response: Response;
  try {
    // Redirects are refused: a redirect could leave https or the issuer's origin unseen.
    response = await http.fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(http.timeoutMs) });
  } catch (cause) {
    if (isTesseraError(cause)) throw cause;
    if (cause instanceof Error && cause.name === 'TimeoutError')
      fail('fetch_timeout', `No answer from ${origin(url)} in time`, cause);
    fail('fetch_failed', `Could not reach ${origin(url)}`, cause);
  }
  const text = await readLimited(response, http.maxBytes, url);
  let body: JsonValue | undefined;
  try {
    body = text === '' ? undefined : (JSON.parse(text) as JsonValue);
  } catch {
    body = undefined;
  }
  return { status: response.status, body };
}

/** GET `url` expecting a 200 JSON object, or fails with `code`. */
export async function getJsonObject(
  url: string,
  headers: Record<string, string>,
  http: WalletHttp,
  code: ErrorCode,
  what: string,
): Promise<JsonObject> {
  const answer = await exchangeJson(url, { method: 'GET', headers: { accept: 'application/json', ...headers } }, http);
  if (answer.status !== 200) fail(code, `${what} answered HTTP ${answer.status}`);
  if (!isObject(answer.body)) fail(code, `${what} is not a JSON object`);
  return answer.body;
}

async function readLimited(response: Response, maxBytes: number, url: string): Promise<string> {
  const bytes = await readBodyWithin(response, maxBytes);
  if (bytes === undefined) fail('fetch_too_large', `The answer from ${origin(url)} is too large`);
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

/**
 * The body of `response`, or `undefined` when it is larger than `maxBytes` (by its declared
 * length, or once that many bytes have arrived: the rest is cancelled, so a server cannot make the
 * device hold more). Every fetch of the wallet reads through it; each caller says what "too large"
 * means for it.
 */
export async function readBodyWithin(response: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    return undefined;
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The origin alone, for messages: paths may hold one-time codes. */
function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the server';
  }
}
