import { checkCatalogs, createTranslator } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import { DESK_CATALOGS, errorMessageKey } from './messages.ts';

describe('the desk catalogs', () => {
  it('have exactly the keys of the English catalog, valid ICU messages and the same placeholders', () => {
    expect(checkCatalogs(DESK_CATALOGS)).toEqual([]);
  });

  it('speak at least English, German, French and Arabic', () => {
    expect(Object.keys(DESK_CATALOGS)).toEqual(expect.arrayContaining(['en', 'de', 'fr', 'ar']));
  });

  it('are translations, not copies of English', () => {
    const en = DESK_CATALOGS.en as Record<string, string>;
    for (const [locale, catalog] of Object.entries(DESK_CATALOGS)) {
      if (locale === 'en') continue;
      const copied = Object.entries(catalog).filter(([key, text]) => text === en[key] && !SAME_IN_EVERY_LANGUAGE.has(key));
      expect(copied.map(([key]) => `${locale}: ${key}`)).toEqual([]);
    }
  });

  it('name each language in that language, for the language switcher', () => {
    const names = Object.keys(DESK_CATALOGS).map((locale) => createTranslator(DESK_CATALOGS, [locale]).t('language.name'));
    expect(names).toEqual(['English', 'Deutsch', 'Français', 'العربية']);
  });
});

/** Words that are the same in some of the languages. */
const SAME_IN_EVERY_LANGUAGE = new Set(['result.credential_type', 'result.status', 'claim.organisation']);

describe('errorMessageKey', () => {
  it('explains a TesseraError code, an OAuth error and any other code', () => {
    expect(errorMessageKey('credential_revoked')).toBe('error.credential_revoked');
    expect(errorMessageKey('access_denied')).toBe('error.access_denied');
    expect(errorMessageKey('unrequested_disclosure')).toBe('error.unrequested_disclosure');
    expect(errorMessageKey('something_new')).toBe('error.unknown');
  });

  it('never takes a key from outside the error messages', () => {
    expect(errorMessageKey('')).toBe('error.unknown');
    expect(errorMessageKey('__proto__')).toBe('error.unknown');
    expect(errorMessageKey('x.page.title')).toBe('error.unknown');
  });

  it('gives a different explanation in each language', () => {
    const texts = ['en', 'de', 'fr', 'ar'].map((locale) =>
      createTranslator(DESK_CATALOGS, [locale]).t(errorMessageKey('kb_nonce_mismatch')),
    );
    expect(new Set(texts).size).toBe(4);
  });
});
