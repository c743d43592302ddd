import type { ReceiveTrust } from '../index.ts';

/**
 * The deployment's settings, read from `wallet-config.json` beside index.html (same origin, cached
 * by the service worker): which issuers the wallet trusts when receiving, and which root
 * certificates vouch for service desks (`x509_hash:` verifiers, OpenID4VP 1.0 §5.9.3). Strict by
 * default: no trusted issuer, unknown issuers refused, no desk verified, https only.
 * ```json
 * { "trust": { "issuers": [{ "id": "did:web:city.example", "credentialTypes": ["https://…/residence_permit"] }],
 *              "acceptUnknownIssuers": false },
 *   "trustAnchors": ["-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----"],
 *   "allowInsecureLocalhost": false }
 * ```
 */
export interface AppConfig {
  readonly trust: ReceiveTrust;
  /** PEM root certificates that authenticate `x509_hash:` verifiers; none: every such desk shows as unverified. */
  readonly trustAnchors: readonly string[];
  /** Development only: plain http to localhost for the demo's issuer. */
  readonly allowInsecureLocalhost: boolean;
}

/** The settings when the file is missing or malformed. */
export const STRICT_CONFIG: AppConfig = Object.freeze({
  trust: Object.freeze({ issuers: [], acceptUnknownIssuers: false }),
  trustAnchors: Object.freeze([]),
  allowInsecureLocalhost: false,
});

/** At most this many anchors, each at most this long: a deployment names a few roots, not a trust store. */
const MAX_ANCHORS = 100;
const MAX_ANCHOR_LENGTH = 16 * 1024;
/** RFC 7468 §2: one PEM certificate, base64 lines between the encapsulation boundaries. */
const PEM_CERTIFICATE = /^-----BEGIN CERTIFICATE-----\r?\n(?:[A-Za-z0-9+/=]+\r?\n)+-----END CERTIFICATE-----\r?\n?$/;

/** Reads the settings from parsed JSON; anything malformed gives `STRICT_CONFIG` (fail closed). */
export function parseConfig(value: unknown): AppConfig {
  if (typeof value !== 'object' || value === null) return STRICT_CONFIG;
  const { trust, trustAnchors = [], allowInsecureLocalhost } = value as Record<string, unknown>;
  if (!Array.isArray(trustAnchors) || trustAnchors.length > MAX_ANCHORS) return STRICT_CONFIG;
  // A malformed anchor may be a typo in the one certificate that should verify the desks: say no
  // to everything rather than silently trust fewer desks than the deployment meant.
  if (!trustAnchors.every(isPemAnchor)) return STRICT_CONFIG;
  if (typeof trust !== 'object' || trust === null) return STRICT_CONFIG;
  const { issuers, acceptUnknownIssuers } = trust as Record<string, unknown>;
  if (!Array.isArray(issuers) || issuers.length > 1000) return STRICT_CONFIG;
  const parsed: { id: string; credentialTypes?: string[]; x509TrustAnchors?: string[] }[] = [];
  for (const issuer of issuers) {
    if (typeof issuer !== 'object' || issuer === null) return STRICT_CONFIG;
    const { id, credentialTypes, x509TrustAnchors } = issuer as Record<string, unknown>;
    if (typeof id !== 'string' || id === '') return STRICT_CONFIG;
    const entry: { id: string; credentialTypes?: string[]; x509TrustAnchors?: string[] } = { id };
    if (credentialTypes !== undefined) {
      if (!Array.isArray(credentialTypes) || !credentialTypes.every((type) => typeof type === 'string')) return STRICT_CONFIG;
      entry.credentialTypes = credentialTypes as string[];
    }
    // The roots an `x5c`-signing issuer's certificate must chain to, per issuer (as in the
    // verifier's trust list), so a CA trusted for one issuer vouches for no other.
    if (x509TrustAnchors !== undefined) {
      if (!Array.isArray(x509TrustAnchors) || x509TrustAnchors.length > MAX_ANCHORS || !x509TrustAnchors.every(isPemAnchor)) {
        return STRICT_CONFIG;
      }
      entry.x509TrustAnchors = x509TrustAnchors.map((anchor: string) => anchor.trim());
    }
    parsed.push(entry);
  }
  return {
    trust: { issuers: parsed, acceptUnknownIssuers: acceptUnknownIssuers === true },
    trustAnchors: trustAnchors.map((anchor: string) => anchor.trim()),
    allowInsecureLocalhost: allowInsecureLocalhost === true,
  };
}

/** A PEM certificate of a sane size (the library parses the DER when it uses it). */
function isPemAnchor(anchor: unknown): anchor is string {
  return typeof anchor === 'string' && anchor.length <= MAX_ANCHOR_LENGTH && PEM_CERTIFICATE.test(`${anchor.trim()}\n`);
}

/** Fetches and parses `wallet-config.json` from the app's own origin. */
export async function loadConfig(url: URL): Promise<AppConfig> {
  try {
    const response = await fetch(url, { credentials: 'omit', cache: 'no-cache' });
    return response.ok ? parseConfig(await response.json()) : STRICT_CONFIG;
  } catch {
    return STRICT_CONFIG;
  }
}
