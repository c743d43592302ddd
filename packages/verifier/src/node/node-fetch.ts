import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { fail, isTesseraError, TesseraError } from '@tessera/shared';
import { blockedMessage, checkUrl, classifyAddress, fetchLimits, isBlockedAddress } from '../fetch/fetch-policy.ts';
import type { FetchPolicy, SafeFetch, SafeFetchResponse } from '../fetch/safe-fetch.ts';

export interface NodeFetchPolicy extends FetchPolicy {
  /**
   * Extra trust roots (PEM), added to Node's bundled Mozilla roots: an intranet CA, or a test CA.
   * Certificate verification itself is never switched off.
   */
  ca?: string | Buffer | Array<string | Buffer>;
  /**
   * Resolves a host name to every address it stands for. Default: `dns.lookup` with `all: true`
   * (the system resolver, /etc/hosts included). Replace it to use another resolver, or in tests.
   */
  lookup?: (hostname: string) => Promise<LookupAddress[]>;
}

/**
 * The server-side `SafeFetch`, on node:http and node:https. On top of the URL policy it resolves
 * the host name once, refuses the request if ANY resolved address is private, loopback,
 * link-local or otherwise special (unless the policy allows that kind), and connects the socket
 * to exactly the addresses it checked, so a second DNS answer (DNS rebinding) cannot swap the
 * target; TLS SNI and the Host header stay the original host name. Redirects are refused, the
 * whole exchange (DNS, connect, headers, body) has one time limit, and the body is cut off past
 * the size limit while streaming.
 * @example
 * import { createNodeFetch } from '@tessera/verifier/node';
 * const fetch = createNodeFetch({ timeoutMs: 3000 });
 */
export function createNodeFetch(policy: NodeFetchPolicy = {}): SafeFetch {
  const extraRoots = policy.ca === undefined ? [] : Array.isArray(policy.ca) ? policy.ca : [policy.ca];
  // `ca` replaces Node's default roots, so the bundled ones are passed along explicitly.
  const ca = extraRoots.length === 0 ? undefined : [...rootCertificates, ...extraRoots];
  const lookup = policy.lookup ?? ((hostname: string) => dnsLookup(hostname, { all: true, verbatim: true }));
  return async (request) => {
    const url = checkUrl(request.url, policy);
    const { maxBytes, timeoutMs } = fetchLimits(request, policy);
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const addresses = await untilAborted(resolveChecked(url, policy, lookup), signal);
      return await exchange({ url, addresses, accept: request.accept, maxBytes, ca, signal });
    } catch (error) {
      if (isTesseraError(error)) throw error;
      if (signal.aborted) fail('fetch_timeout', `No complete response within ${timeoutMs} ms`, error);
      fail('fetch_failed', `The request failed before a complete response arrived${errorCode(error)}`, error);
    }
  };
}

function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** Every address the host stands for, each one checked against the policy. */
async function resolveChecked(
  url: URL,
  policy: FetchPolicy,
  lookup: (hostname: string) => Promise<LookupAddress[]>,
): Promise<LookupAddress[]> {
  const host = hostOf(url);
  const family = isIP(host);
  let addresses: LookupAddress[];
  if (family !== 0) {
    addresses = [{ address: host, family }];
  } else {
    try {
      addresses = await lookup(host);
    } catch (error) {
      fail('fetch_failed', `The host name could not be resolved${errorCode(error)}`, error);
    }
  }
  if (addresses.length === 0) fail('fetch_failed', 'The host name resolved to no address');
  for (const { address } of addresses) {
    const kind = classifyAddress(address);
    if (isBlockedAddress(address, policy)) fail('fetch_blocked', `${blockedMessage(kind)} (after name resolution)`);
    // Plain http is unencrypted: even behind the development flag it never leaves the machine.
    if (url.protocol === 'http:' && kind !== 'loopback') fail('fetch_blocked', 'Plain http is allowed only over loopback');
  }
  return addresses.map(({ address }) => ({ address, family: isIP(address) }));
}

interface Exchange {
  url: URL;
  addresses: LookupAddress[];
  accept: string;
  maxBytes: number;
  ca: Array<string | Buffer> | undefined;
  signal: AbortSignal;
}

function exchange({ url, addresses, accept, maxBytes, ca, signal }: Exchange): Promise<SafeFetchResponse> {
  const host = hostOf(url);
  const first = addresses[0] as LookupAddress;
  // The socket connects to the addresses checked above: no second DNS query.
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, first.address, first.family);
  };
  const options: https.RequestOptions = {
    hostname: host,
    port: url.port === '' ? undefined : Number(url.port),
    path: `${url.pathname}${url.search}`,
    method: 'GET',
    // No compression: the size limit then applies to exactly the bytes we receive and keep.
    headers: { accept, 'accept-encoding': 'identity' },
    lookup,
    agent: false,
    signal,
  };
  if (url.protocol === 'https:') {
    options.rejectUnauthorized = true;
    options.minVersion = 'TLSv1.2';
    if (ca !== undefined) options.ca = ca;
    // SNI carries host names only (RFC 6066 §3), never IP literals.
    if (isIP(host) === 0) options.servername = host;
  }
  return new Promise<SafeFetchResponse>((resolve, reject) => {
    let settled = false;
    const settle = (error: unknown, response?: SafeFetchResponse): void => {
      if (settled) return;
      settled = true;
      if (error === undefined && response !== undefined) {
        resolve(response);
      } else {
        req.destroy();
        reject(error);
      }
    };
    const req = (url.protocol === 'https:' ? https : http).request(options, (res) => {
      const status = res.statusCode ?? 0;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const refuse = (code: 'fetch_blocked' | 'fetch_failed' | 'fetch_too_large', message: string): void => {
        res.destroy();
        settle(new TesseraError(code, message));
      };
      if (status >= 300 && status < 400)
        return refuse('fetch_blocked', 'The server answered with a redirect; redirects are not followed');
      if (status < 200 || status > 299) return refuse('fetch_failed', `The server answered with HTTP status ${status}`);
      const encoding = headers['content-encoding'];
      if (encoding !== undefined && encoding !== 'identity')
        return refuse('fetch_failed', 'The response uses a content-encoding');
      const declared = headers['content-length'];
      if (declared !== undefined && Number(declared) > maxBytes) {
        return refuse('fetch_too_large', `The response declares more than ${maxBytes} bytes`);
      }
      const chunks: Buffer[] = [];
      let length = 0;
      res.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (length > maxBytes) refuse('fetch_too_large', `The response is larger than ${maxBytes} bytes`);
        else chunks.push(chunk);
      });
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        settle(undefined, { status, headers, body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) });
      });
      res.on('error', (error) => settle(error));
      res.on('close', () => {
        if (!res.complete) settle(new Error('The connection closed before the body ended'));
      });
    });
    req.on('error', (error) => settle(error));
    req.end();
  });
}

/** Rejects with the abort reason as soon as `signal` fires (DNS lookups cannot be cancelled). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A system error code (ECONNREFUSED, CERT_HAS_EXPIRED…) for the message: it says why, and names no data. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? ` (${code})` : '';
}
