import { type Catalog, createTranslator, negotiateLocale, type Translator } from '@tessera/shared';
import type en from './messages/en.json';

/** A key of the app's catalogs; English is the reference the others must match. */
export type AppMessageKey = keyof typeof en;
/** The app's translator. */
export type AppTranslator = Translator<AppMessageKey>;

/**
 * The languages the app ships, in the picker's order, each named in its own language and script
 * (an endonym: a flag names a country, not a language). Dari is `fa-AF`: CLDR, ICU and the phone
 * systems know Dari by that tag (CLDR aliases ISO 639-3 `prs` to it), so a phone set to Dari asks
 * for `fa-AF`, and `Intl` formats dates with Dari month names; `prs` is accepted as an alias.
 * Kurmanji is `kmr` (ISO 639-3); CLDR's Latin-script `ku` is Kurmanji too, accepted as an alias.
 */
export const LANGUAGES: readonly { readonly tag: string; readonly endonym: string }[] = [
  { tag: 'en', endonym: 'English' },
  { tag: 'ar', endonym: 'العربية' },
  { tag: 'uk', endonym: 'Українська' },
  { tag: 'fa-AF', endonym: 'دری' },
  { tag: 'fa', endonym: 'فارسی' },
  { tag: 'ps', endonym: 'پښتو' },
  { tag: 'ru', endonym: 'Русский' },
  { tag: 'tr', endonym: 'Türkçe' },
  { tag: 'kmr', endonym: 'Kurmancî' },
  { tag: 'ti', endonym: 'ትግርኛ' },
  { tag: 'so', endonym: 'Soomaali' },
  { tag: 'fr', endonym: 'Français' },
  { tag: 'de', endonym: 'Deutsch' },
  { tag: 'es', endonym: 'Español' },
  { tag: 'it', endonym: 'Italiano' },
];

/** The shipped language tags. */
export const LOCALES: readonly string[] = LANGUAGES.map(({ tag }) => tag);

/**
 * Tags a phone may send for a shipped language under another name. Sorani (`ckb`, `ku-Arab`) is
 * not Kurmanji and is left to fall back.
 */
const ALIASES: Readonly<Record<string, string>> = {
  prs: 'fa-AF',
  'prs-af': 'fa-AF',
  ku: 'kmr',
  'ku-latn': 'kmr',
  'ku-tr': 'kmr',
};

/**
 * The shipped language that serves a reader who prefers `requested` (e.g. `navigator.languages`)
 * best, English when none does.
 * @example pickLocale(['prs', 'en']) // 'fa-AF'
 */
export function pickLocale(requested: readonly string[]): string {
  const mapped = requested.map((tag) => (typeof tag === 'string' ? (ALIASES[tag.toLowerCase()] ?? tag) : tag));
  return negotiateLocale(mapped, LOCALES, 'en');
}

/** One loader per catalog, so the app downloads only the language it shows. */
const LOADERS: Readonly<Record<string, () => Promise<{ default: Catalog<AppMessageKey> }>>> = {
  en: () => import('./messages/en.json', { with: { type: 'json' } }),
  ar: () => import('./messages/ar.json', { with: { type: 'json' } }),
  uk: () => import('./messages/uk.json', { with: { type: 'json' } }),
  'fa-AF': () => import('./messages/fa-AF.json', { with: { type: 'json' } }),
  fa: () => import('./messages/fa.json', { with: { type: 'json' } }),
  ps: () => import('./messages/ps.json', { with: { type: 'json' } }),
  ru: () => import('./messages/ru.json', { with: { type: 'json' } }),
  tr: () => import('./messages/tr.json', { with: { type: 'json' } }),
  kmr: () => import('./messages/kmr.json', { with: { type: 'json' } }),
  ti: () => import('./messages/ti.json', { with: { type: 'json' } }),
  so: () => import('./messages/so.json', { with: { type: 'json' } }),
  fr: () => import('./messages/fr.json', { with: { type: 'json' } }),
  de: () => import('./messages/de.json', { with: { type: 'json' } }),
  es: () => import('./messages/es.json', { with: { type: 'json' } }),
  it: () => import('./messages/it.json', { with: { type: 'json' } }),
};

/** The catalog of a shipped language. */
export async function loadCatalog(locale: string): Promise<Catalog<AppMessageKey>> {
  const load = Object.hasOwn(LOADERS, locale) ? LOADERS[locale] : undefined;
  if (load === undefined) throw new TypeError(`The app ships no catalog for ${locale}`);
  return (await load()).default;
}

/**
 * A translator for one shipped language. Only that catalog is loaded: the catalog test keeps every
 * catalog complete, so no English fallback is needed (and none can leak onto a translated screen).
 * Dates follow `dateLocale(locale, preferred)`.
 */
export async function loadTranslator(locale: string, preferred: readonly string[] = []): Promise<AppTranslator> {
  return createTranslator({ [locale]: await loadCatalog(locale) }, [locale], {
    fallback: locale,
    formatLocale: dateLocale(locale, preferred),
  });
}

/**
 * Where a catalog's tag names no region, the region of dates comes from the phone: the first of
 * its languages (`navigator.languages`) in the same language lends its region (`de-AT`, `ar-SY`).
 * With none, English dates are British: the app serves people in Europe, where "3/12/2027" or
 * "March 12, 2027" reads wrong or not at all; every other catalog keeps its language's default.
 * @example dateLocale('en', ['fr-FR', 'en-IE']) // 'en-IE'
 * @example dateLocale('en', []) // 'en-GB'
 */
export function dateLocale(locale: string, preferred: readonly string[]): string {
  const catalog = new Intl.Locale(locale);
  if (catalog.region !== undefined) return locale;
  for (const tag of preferred) {
    let phone: Intl.Locale;
    try {
      phone = new Intl.Locale(tag);
    } catch {
      continue;
    }
    if (phone.language === catalog.language && phone.region !== undefined) {
      return new Intl.Locale(catalog.language, { region: phone.region }).toString();
    }
  }
  return catalog.language === 'en' ? 'en-GB' : locale;
}

/** Sets `lang` and `dir` on the page, so the layout mirrors for Arabic, Dari, Farsi and Pashto. */
export function applyDocumentLanguage(root: { lang: string; dir: string }, translator: AppTranslator): void {
  root.lang = translator.locale;
  root.dir = translator.dir;
}
