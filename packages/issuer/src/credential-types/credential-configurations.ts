import {
  type CredentialFormat,
  type CredentialType,
  type CredentialTypeDisplay,
  credentialConfigurationId,
} from './credential-type.ts';

/** A display entry of `credential_metadata.display` (OpenID4VCI 1.0 §12.2.4). */
export interface CredentialDisplayMetadata {
  name: string;
  locale: string;
  description: string;
  background_color: string;
  text_color: string;
  logo?: { uri: string; alt_text?: string };
}

/** A claims description object for issuer metadata (OpenID4VCI 1.0 Appendix B.2). */
export interface ClaimDescription {
  path: string[];
  mandatory: boolean;
  display: { name: string; locale: string }[];
}

interface CredentialConfigurationBase {
  format: CredentialFormat;
  credential_signing_alg_values_supported: string[];
  cryptographic_binding_methods_supported: string[];
  proof_types_supported: { jwt: { proof_signing_alg_values_supported: string[] } };
  credential_metadata: { display: CredentialDisplayMetadata[]; claims: ClaimDescription[] };
}

/** OpenID4VCI 1.0 Appendix A.3: SD-JWT VC, identified by its `vct`. */
export interface SdJwtVcCredentialConfiguration extends CredentialConfigurationBase {
  format: 'dc+sd-jwt';
  vct: string;
}

/** OpenID4VCI 1.0 Appendix A.1.1: a W3C VC signed as a JWT, identified by `credential_definition.type`. */
export interface JwtVcJsonCredentialConfiguration extends CredentialConfigurationBase {
  format: 'jwt_vc_json';
  credential_definition: { type: string[] };
}

export type CredentialConfiguration = SdJwtVcCredentialConfiguration | JwtVcJsonCredentialConfiguration;

export interface CredentialConfigurationsOptions {
  /** Publish display data in these locales only (from `displayForLocales`); default: all. */
  locales?: readonly string[];
  /** `credential_signing_alg_values_supported`. Default `['ES256']`. */
  signingAlgorithms?: readonly string[];
  /** `proof_types_supported.jwt.proof_signing_alg_values_supported`. Default `['ES256']`. */
  proofSigningAlgorithms?: readonly string[];
  /**
   * `cryptographic_binding_methods_supported`, for every format. Default by format: `['jwk']` for
   * `dc+sd-jwt` (the holder key goes in `cnf.jwk`), `['did:jwk']` for `jwt_vc_json` (the credential
   * names the holder by the did:jwk of the proof's key in `credentialSubject.id`).
   */
  bindingMethods?: readonly string[];
}

/**
 * The `credential_configurations_supported` object of the Credential Issuer Metadata
 * (OpenID4VCI 1.0 §12.2.4) for the given types: one configuration per type and format, keyed by
 * `credentialConfigurationId`, in the 1.0 shape where `credential_metadata` holds `display` and
 * `claims`. Claims keep their declared order, which wallets use as display order (Appendix B.3).
 * @example
 * const metadata = { credential_issuer, credential_endpoint,
 *   credential_configurations_supported: credentialConfigurationsSupported(types, { locales }) };
 */
export function credentialConfigurationsSupported(
  types: readonly CredentialType[],
  {
    locales,
    signingAlgorithms = ['ES256'],
    proofSigningAlgorithms = ['ES256'],
    bindingMethods,
  }: CredentialConfigurationsOptions = {},
): Record<string, CredentialConfiguration> {
  const out: Record<string, CredentialConfiguration> = {};
  for (const type of types) {
    for (const format of type.formats) {
      const base: Omit<CredentialConfigurationBase, 'format'> = {
        credential_signing_alg_values_supported: [...signingAlgorithms],
        cryptographic_binding_methods_supported: [...(bindingMethods ?? defaultBindingMethods(format))],
        proof_types_supported: { jwt: { proof_signing_alg_values_supported: [...proofSigningAlgorithms] } },
        credential_metadata: {
          display: credentialDisplay(type, locales),
          claims: claimDescriptions(type, format, locales),
        },
      };
      out[credentialConfigurationId(type, format)] =
        format === 'dc+sd-jwt'
          ? { format, vct: type.vct, ...base }
          : { format, credential_definition: { type: ['VerifiableCredential', w3cTypeName(type)] }, ...base };
    }
  }
  return out;
}

/**
 * How a credential of `format` names its holder (`cryptographic_binding_methods_supported`,
 * OpenID4VCI 1.0 §12.2.4): `jwk` for `dc+sd-jwt` (the key in `cnf.jwk`), `did:jwk` for
 * `jwt_vc_json` (the holder's DID in `credentialSubject.id`). The credential endpoint accepts the
 * proofs these allow (`verifyProofJwt`).
 */
export function defaultBindingMethods(format: CredentialFormat): readonly string[] {
  return format === 'jwt_vc_json' ? ['did:jwk'] : ['jwk'];
}

/** The W3C `type` of the credential besides `VerifiableCredential`: `residence_permit` → `ResidencePermitCredential`. */
export function w3cTypeName(type: Pick<CredentialType, 'id' | 'w3cType'>): string {
  if (type.w3cType !== undefined) return type.w3cType;
  const pascal = type.id
    .split('_')
    .filter((word) => word.length > 0)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join('');
  return `${pascal}Credential`;
}

/** The type's locales in the wanted order, or all of them in declared order. */
export function selectLocales(type: Pick<CredentialType, 'display'>, locales: readonly string[] | undefined): string[] {
  const declared = Object.keys(type.display);
  if (locales === undefined) return declared;
  const chosen = locales.filter((locale) => declared.includes(locale));
  // A type lacking every chosen locale still shows something: its English display.
  return chosen.length > 0 ? chosen : declared.filter((locale) => locale === 'en');
}

function credentialDisplay(type: CredentialType, locales: readonly string[] | undefined): CredentialDisplayMetadata[] {
  return selectLocales(type, locales).map((locale) => {
    const display = type.display[locale] as CredentialTypeDisplay;
    const entry: CredentialDisplayMetadata = {
      name: display.name,
      locale,
      description: display.description,
      background_color: display.backgroundColor,
      text_color: display.textColor,
    };
    if (display.logo !== undefined) {
      entry.logo = { uri: display.logo.uri };
      if (display.logo.altText !== undefined) entry.logo.alt_text = display.logo.altText;
    }
    return entry;
  });
}

function claimDescriptions(
  type: CredentialType,
  format: CredentialFormat,
  locales: readonly string[] | undefined,
): ClaimDescription[] {
  const chosen = selectLocales(type, locales);
  return type.claims.map((claim) => ({
    // Appendix A.1.1 example: W3C claims live under `credentialSubject`.
    path: format === 'jwt_vc_json' ? ['credentialSubject', ...claim.path] : [...claim.path],
    mandatory: claim.required,
    display: chosen.flatMap((locale) => {
      const label = claim.display[locale]?.label;
      return label === undefined ? [] : [{ name: label, locale }];
    }),
  }));
}
