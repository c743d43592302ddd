import { checkCatalogs, createTranslator, textDirection } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import { type AppMessageKey, LANGUAGES, LOCALES, loadCatalog } from './i18n.ts';
import en from './messages/en.json' with { type: 'json' };

const catalogs = Object.fromEntries(
  await Promise.all(LOCALES.map(async (locale) => [locale, await loadCatalog(locale)] as const)),
);

describe('the wallet app catalogs', () => {
  it('have exactly the keys of the English catalog, valid ICU messages and the same placeholders, in every language', () => {
    expect(checkCatalogs(catalogs)).toEqual([]);
  });

  it('ship the fifteen languages of issue 6: English, Arabic, Ukrainian, Dari, Farsi, Pashto, Russian, Turkish, Kurmanji, Tigrinya, Somali, French, German, Spanish, Italian', () => {
    expect([...LOCALES].sort()).toEqual([
      'ar',
      'de',
      'en',
      'es',
      'fa',
      'fa-AF',
      'fr',
      'it',
      'kmr',
      'ps',
      'ru',
      'so',
      'ti',
      'tr',
      'uk',
    ]);
  });

  it('name each language in that language, as the picker shows it', () => {
    for (const { tag, endonym } of LANGUAGES) {
      expect(createTranslator(catalogs, [tag]).t('language.name' as AppMessageKey)).toBe(endonym);
    }
  });

  it('are translations, not copies of English', () => {
    for (const [locale, catalog] of Object.entries(catalogs)) {
      if (locale === 'en') continue;
      const copied = Object.entries(catalog).filter(
        ([key, text]) => text === (en as Record<string, string>)[key] && !SAME_IN_SOME_LANGUAGES.has(`${locale} ${key}`),
      );
      expect(copied.map(([key]) => `${locale}: ${key}`)).toEqual([]);
    }
  });

  it('write Arabic, Dari, Farsi and Pashto in Arabic script: no Latin letter but the "QR" of a QR code', () => {
    for (const locale of ['ar', 'fa-AF', 'fa', 'ps']) {
      expect(textDirection(locale)).toBe('rtl');
      const latin = Object.entries(catalogs[locale] ?? {}).filter(([, text]) =>
        /[A-Za-z]/.test(visibleText(text).replace(/QR/g, '')),
      );
      expect(latin.map(([key]) => `${locale}: ${key}`)).toEqual([]);
    }
  });

  it('write Tigrinya in Ethiopic script and Ukrainian and Russian in Cyrillic', () => {
    const script = (locale: string, pattern: RegExp): string[] =>
      Object.entries(catalogs[locale] ?? {})
        .filter(([, text]) => !pattern.test(text))
        .map(([key]) => key);
    expect(script('ti', /\p{Script=Ethiopic}/u)).toEqual([]);
    expect(script('uk', /\p{Script=Cyrillic}/u)).toEqual([]);
    expect(script('ru', /\p{Script=Cyrillic}/u)).toEqual([]);
  });
});

/**
 * The words of an ICU message a reader sees: placeholders (`{name}`, `{min, number}`) and the
 * syntax of plural and select arguments (`{count, plural, one {…} other {…}}`) are removed, the
 * text of every branch is kept.
 */
function visibleText(message: string): string {
  return message
    .replace(/\{\s*\w+\s*,\s*(?:plural|selectordinal|select)\s*,/g, '{')
    .replace(/(?:=\d+|\b(?:zero|one|two|few|many|other))\s*\{/g, '{')
    .replace(/\{\s*\w+\s*(?:,\s*\w+\s*)?\}/g, '')
    .replace(/[{}#]/g, '');
}

/** Words that are the same as in English in some languages (PIN, Wallet, Document, No). */
const SAME_IN_SOME_LANGUAGES = new Set([
  'de profiles.unnamed',
  'de unlock.pin',
  'tr unlock.pin',
  'kmr unlock.pin',
  'so unlock.pin',
  'es unlock.pin',
  'it unlock.pin',
  'fr credential.unnamed',
  'es claim.no',
  'it claim.no',
]);
