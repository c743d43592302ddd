/**
 * did:web identifiers of tenants. One service hosts several issuers, each under its own path:
 * base URL `https://issuer.example.org` and tenant `bologna` give
 * `did:web:issuer.example.org:tenants:bologna`, whose document the service serves at
 * `https://issuer.example.org/tenants/bologna/did.json` (did:web method §3.2: `:` separates path
 * segments, a port is percent-encoded as `%3A`, and `/did.json` is appended).
 */

export interface TenantDidWeb {
  did: string;
  /** Where resolvers fetch the document. */
  documentUrl: string;
  /** The route the service must answer, including the base URL's own path. */
  documentPath: string;
}

/** Tenant ids: lower-case DNS-label style, so they are safe as a did:web segment, a URL path segment and a log field. */
const TENANT_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** did:web path segments are limited to unreserved characters here, as the verifier requires. */
const SEGMENT = /^[A-Za-z0-9._~-]+$/;

/** True when `id` is a well-formed tenant id. */
export function isTenantId(id: unknown): id is string {
  return typeof id === 'string' && TENANT_ID.test(id);
}

/**
 * The did:web of a tenant of the service at `baseUrl`. `baseUrl` must be https, except plain http
 * on `localhost`/`127.0.0.1` for development (verifiers accept that only when told to).
 * @example
 * tenantDidWeb('https://issuer.example.org', 'bologna').did // 'did:web:issuer.example.org:tenants:bologna'
 */
export function tenantDidWeb(baseUrl: string, tenantId: string): TenantDidWeb {
  if (!isTenantId(tenantId)) throw new TypeError('A tenant id is 1–63 lower-case letters, digits and inner hyphens');
  const { host, port, segments, origin } = parseBaseUrl(baseUrl);
  const path = [...segments, 'tenants', tenantId];
  const authority = port === '' ? host : `${host}%3A${port}`;
  const documentPath = `/${path.join('/')}/did.json`;
  return { did: `did:web:${authority}:${path.join(':')}`, documentUrl: `${origin}${documentPath}`, documentPath };
}

/** Checks a service base URL for use in did:web identifiers; throws TypeError when it cannot be one. */
export function parseBaseUrl(baseUrl: string): { host: string; port: string; segments: string[]; origin: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError('baseUrl must be an absolute URL');
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new TypeError('baseUrl must be https (plain http only on localhost or 127.0.0.1)');
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new TypeError('baseUrl must not carry credentials, a query or a fragment');
  }
  // did:web has no syntax for IPv6 literals: the `:` inside them would read as path separators.
  if (url.hostname.startsWith('[')) throw new TypeError('baseUrl must name a host, not an IPv6 address');
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => !SEGMENT.test(segment))) {
    throw new TypeError('The path of baseUrl may only hold letters, digits and . _ ~ -');
  }
  return { host: url.hostname, port: url.port, segments, origin: url.origin };
}
