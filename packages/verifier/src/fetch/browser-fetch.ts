import { fail, isTesseraError } from '@tessera/shared';
import { checkUrl, fetchLimits } from './fetch-policy.ts';
import type { FetchPolicy, SafeFetch, SafeFetchResponse } from './safe-fetch.ts';

/**
 * A `SafeFetch` on the runtime's global `fetch` (browsers, and Node, Deno or Bun where no better
 * one is available). It enforces the URL policy (`checkUrl`), sends no cookies or credentials, does
 * not follow redirects, and limits time and size while streaming the body.
 *
 * Limitation: a browser never reveals the address a host name resolves to, so only IP-literal hosts
 * (and `localhost`) are checked against private and loopback ranges. A public name that resolves to
 * a private address (or is rebound to one) is not caught here; on a server, use `createNodeFetch`
 * from `@tessera/verifier/node`, which checks every resolved address.
 * @example
 * const fetch = createBrowserFetch({ timeoutMs: 3000 });
 * const { body } = await fetch({ url: 'https://issuer.example/.well-known/jwt-vc-issuer', accept: 'application/json' });
 */
export function createBrowserFetch(policy: FetchPolicy = {}): SafeFetch {
  return async (request) => {
    const url = checkUrl(request.url, policy);
    const { maxBytes, timeoutMs } = fetchLimits(request, policy);
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await globalThis.fetch(url, {
        method: 'GET',
        headers: { accept: request.accept },
        // A redirect could lead anywhere, past the policy: it is reported, never followed.
        redirect: 'manual',
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        signal,
      });
      // Browsers hide a manual redirect behind an opaque response with status 0; Node shows the 3xx.
      if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
        await discard(response);
        fail('fetch_blocked', 'The server answered with a redirect; redirects are not followed');
      }
      if (response.status < 200 || response.status > 299) {
        await discard(response);
        fail('fetch_failed', `The server answered with HTTP status ${response.status}`);
      }
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      const declared = headers['content-length'];
      if (declared !== undefined && Number(declared) > maxBytes) {
        await discard(response);
        fail('fetch_too_large', `The response declares more than ${maxBytes} bytes`);
      }
      const body = await readLimited(response.body, maxBytes);
      return { status: response.status, headers, body } satisfies SafeFetchResponse;
    } catch (error) {
      if (isTesseraError(error)) throw error;
      if (signal.aborted) fail('fetch_timeout', `No complete response within ${timeoutMs} ms`, error);
      fail('fetch_failed', 'The request failed before a complete response arrived', error);
    }
  };
}

/** Drops a body that will not be read; a failure to cancel changes nothing. */
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** Reads a body stream, cancelling it as soon as it grows past `maxBytes`. */
async function readLimited(stream: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  if (stream === null) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel().catch(() => undefined);
      fail('fetch_too_large', `The response is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
