import { type CredentialType, type CredentialTypeInput, parseCredentialType, type SHIPPED_LOCALES } from '../credential-type.ts';

/** One text in each of the ten shipped languages; the type makes a missing one a compile error. */
export type Translations = Record<(typeof SHIPPED_LOCALES)[number], string>;

/** One claim declaration as a shipped type writes it, before parsing. */
export type ClaimInput = CredentialTypeInput['claims'][number];

/** A claim declaration with its label in all ten languages. */
export function claim(
  path: string[],
  valueType: ClaimInput['valueType'],
  label: Translations,
  rest: Partial<ClaimInput> = {},
): ClaimInput {
  const display: ClaimInput['display'] = {};
  for (const [locale, text] of Object.entries(label)) display[locale] = { label: text };
  return { path, valueType, display, ...rest };
}

/** The type's display in all ten languages, on one card colour. */
export function typeDisplay(
  names: Translations,
  descriptions: Translations,
  colours: { backgroundColor: string; textColor: string },
): CredentialTypeInput['display'] {
  const display: CredentialTypeInput['display'] = {};
  for (const [locale, name] of Object.entries(names)) {
    display[locale] = { name, description: descriptions[locale as keyof Translations], ...colours };
  }
  return display;
}

/** Shipped types go through the same schema as configured ones, once, when the module loads. */
export function defineCredentialType(input: CredentialTypeInput): CredentialType {
  return parseCredentialType(input);
}
