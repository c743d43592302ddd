import { createHash } from 'node:crypto';
import type { ClaimDisclosure, CredentialType, CredentialTypeDisplay } from './credential-type.ts';

/** The `simple` rendering method (draft-ietf-oauth-sd-jwt-vc, "Rendering Method simple"). */
export interface SimpleRendering {
  background_color: string;
  text_color: string;
  logo?: { uri: string; alt_text?: string };
}

/** One entry of the type's `display` (draft-ietf-oauth-sd-jwt-vc, "Display Metadata"). */
export interface TypeDisplayMetadata {
  locale: string;
  name: string;
  description: string;
  rendering: { simple: SimpleRendering };
}

/** One entry of `claims` (draft-ietf-oauth-sd-jwt-vc, "Claim Metadata"). */
export interface TypeClaimMetadata {
  path: string[];
  display: { locale: string; label: string; description?: string }[];
  mandatory: boolean;
  sd: ClaimDisclosure;
  svg_id: string;
}

/** An SD-JWT VC Type Metadata document (draft-ietf-oauth-sd-jwt-vc, "Type Metadata Format"). */
export interface TypeMetadata {
  vct: string;
  name: string;
  description: string;
  display: TypeDisplayMetadata[];
  claims: TypeClaimMetadata[];
}

/**
 * The SD-JWT VC Type Metadata document to serve at the type's `vct` URL as `application/json`
 * (draft-ietf-oauth-sd-jwt-vc, "From a URL in the vct Claim"). It carries every locale: the
 * draft says the `display` arrays MUST hold an entry for each supported locale, and the wallet
 * picks. `name` and `description` are for developers, so they are the English ones.
 * @example
 * app.get('/credentials/residence-permit', (_req, res) => res.type('application/json').send(serializeTypeMetadata(typeMetadata(type))));
 */
export function typeMetadata(type: CredentialType): TypeMetadata {
  const locales = Object.keys(type.display);
  const english = type.display.en as CredentialTypeDisplay;
  return {
    vct: type.vct,
    name: english.name,
    description: english.description,
    display: locales.map((locale) => {
      const display = type.display[locale] as CredentialTypeDisplay;
      const simple: SimpleRendering = { background_color: display.backgroundColor, text_color: display.textColor };
      if (display.logo !== undefined) {
        simple.logo = { uri: display.logo.uri };
        if (display.logo.altText !== undefined) simple.logo.alt_text = display.logo.altText;
      }
      return { locale, name: display.name, description: display.description, rendering: { simple } };
    }),
    claims: type.claims.map((claim) => ({
      path: [...claim.path],
      display: locales.flatMap((locale) => {
        const label = claim.display[locale];
        if (label === undefined) return [];
        return label.description === undefined
          ? [{ locale, label: label.label }]
          : [{ locale, label: label.label, description: label.description }];
      }),
      mandatory: claim.required,
      sd: claim.disclosure,
      // Claim names are letters, digits and `_`, and the top-level one starts with a letter, so
      // the joined path is a valid svg_id; the config schema checks that it is unique.
      svg_id: claim.path.join('_'),
    })),
  };
}

/** The exact bytes to serve for a Type Metadata document; `vct#integrity` is computed over them. */
export function serializeTypeMetadata(metadata: TypeMetadata): string {
  return JSON.stringify(metadata);
}

/**
 * The `vct#integrity` value for a Type Metadata document: W3C Subresource Integrity metadata
 * (`sha256-` and the base64 SHA-256 of the served bytes), as draft-ietf-oauth-sd-jwt-vc
 * "Document Integrity" requires. Serve `serializeTypeMetadata(metadata)` byte for byte, or
 * wallets will reject the credential.
 * @example
 * await issueSdJwtVc({ ..., vct: type.vct, vctIntegrity: typeMetadataIntegrity(typeMetadata(type)) });
 */
export function typeMetadataIntegrity(metadata: TypeMetadata): string {
  return `sha256-${createHash('sha256').update(serializeTypeMetadata(metadata), 'utf8').digest('base64')}`;
}
