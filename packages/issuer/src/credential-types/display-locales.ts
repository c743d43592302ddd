import { negotiateLocale, parseAcceptLanguage } from '@tessera/shared';
import type { CredentialType } from './credential-type.ts';

/** Which locales to publish display metadata in, and the `Content-Language` to send with it. */
export interface DisplayLocaleSelection {
  /** The locales to publish, most preferred first. */
  locales: string[];
  /** Set when `locales` is a subset chosen from `Accept-Language`; absent when all are sent. */
  contentLanguage?: string;
}

/** Every locale the types have display metadata for, in first-seen order. */
export function availableLocales(types: readonly CredentialType[]): string[] {
  const seen = new Set<string>();
  for (const type of types) for (const locale of Object.keys(type.display)) seen.add(locale);
  return [...seen];
}

/**
 * Picks the display locales for a metadata response from an `Accept-Language` header
 * (RFC 9110 §12.5.4: ranges ordered by q-value, `q=0` excluded). OpenID4VCI 1.0 §12.2.2 leaves
 * the Credential Issuer two choices; Tessera takes the first one — "send a subset of the metadata
 * containing internationalized display data for one or all of the requested languages and
 * indicate returned languages using the HTTP `Content-Language` header" — and falls back to the
 * second — "send all supported languages" — when the header is absent or nothing in it matches,
 * so a wallet always has something to show.
 *
 * A range matches by RFC 4647 §3.3.1 basic filtering (`fr` → `fr`, `fr-CH`) or, failing that, by
 * §3.4 lookup as `negotiateLocale` does it (`fr-CH` → `fr`, `pt` → `pt-BR`).
 * @example
 * displayForLocales(['en', 'de', 'fr', 'ar'], 'fr-CH, fr;q=0.9, de;q=0.5') // { locales: ['fr', 'de'], contentLanguage: 'fr, de' }
 */
export function displayForLocales(
  available: readonly string[],
  acceptLanguage: string | null | undefined,
): DisplayLocaleSelection {
  const chosen: string[] = [];
  for (const range of parseAcceptLanguage(acceptLanguage)) {
    const lowered = range.toLowerCase();
    const filtered = available.filter((tag) => {
      const candidate = tag.toLowerCase();
      return candidate === lowered || candidate.startsWith(`${lowered}-`);
    });
    if (filtered.length > 0) {
      chosen.push(...filtered);
      continue;
    }
    if (available.length === 0) continue;
    // negotiateLocale falls back to a default when nothing fits; keep its answer only when it
    // shares the requested primary language, i.e. when it was a real lookup hit.
    const hit = negotiateLocale([range], available);
    if (primaryLanguage(hit) === primaryLanguage(lowered)) chosen.push(hit);
  }
  const locales = [...new Set(chosen)];
  if (locales.length === 0) return { locales: [...available] };
  return { locales, contentLanguage: locales.join(', ') };
}

function primaryLanguage(tag: string): string {
  return tag.toLowerCase().split('-')[0] ?? '';
}
