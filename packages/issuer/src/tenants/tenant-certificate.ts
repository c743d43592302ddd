import type { Jwk } from '@tessera/shared';
import { type DevelopmentCa, type DevelopmentCertificate, issueDevelopmentCertificate } from '@tessera/shared/node';

export interface IssueTenantCertificateOptions {
  /** The tenant's current public key (P-256). */
  publicJwk: Jwk;
  /**
   * The credentials' `iss`: an https URL or a DID. It becomes a uniformResourceIdentifier SAN, and
   * an https URL's host also a dNSName SAN: what verifiers match `iss` against (HAIP 1.0 §6.1.1).
   */
  issuer: string;
  /** More dNSName SANs, e.g. the service's host when `issuer` is a DID. */
  dnsNames?: readonly string[];
  /** Common name of the leaf, e.g. `City of Bologna — Immigration Office`. */
  name: string;
  /** Validity in days. Default 365. */
  validityDays?: number;
  clock?: () => number;
}

/** A tenant's `x5c` certificate from the development CA, with the SANs that name its `iss`. */
export function issueTenantCertificate(
  ca: DevelopmentCa,
  options: IssueTenantCertificateOptions,
): Promise<DevelopmentCertificate> {
  const { issuer, dnsNames = [], ...rest } = options;
  if (typeof issuer !== 'string' || issuer === '') throw new TypeError('issuer must be a non-empty string');
  const host = httpsHost(issuer);
  return issueDevelopmentCertificate(ca, {
    ...rest,
    uris: [issuer],
    dnsNames: host === undefined ? dnsNames : [host, ...dnsNames],
  });
}

function httpsHost(issuer: string): string | undefined {
  if (!issuer.startsWith('https://')) return undefined;
  try {
    return new URL(issuer).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
