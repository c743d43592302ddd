import { checkCatalogs, createTranslator } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import { STAFF_CATALOGS } from './messages.ts';

/** Words that are the same in English and some of the other languages. */
const SAME_AS_ENGLISH = new Set(['result.pin', 'records.status', 'value.no', 'login.key_label']);

describe('the staff page catalogs', () => {
  it('have exactly the keys of the English catalog, valid ICU messages and the same placeholders', () => {
    expect(checkCatalogs(STAFF_CATALOGS)).toEqual([]);
  });

  it('speak English, German, French, Italian and Arabic', () => {
    expect(Object.keys(STAFF_CATALOGS)).toEqual(['en', 'de', 'fr', 'it', 'ar']);
  });

  it('are translations, not copies of English', () => {
    const en = STAFF_CATALOGS.en as Record<string, string>;
    for (const [locale, catalog] of Object.entries(STAFF_CATALOGS)) {
      if (locale === 'en') continue;
      const copied = Object.entries(catalog).filter(([key, text]) => text === en[key] && !SAME_AS_ENGLISH.has(key));
      expect(copied.map(([key]) => `${locale}: ${key}`)).toEqual([]);
    }
  });

  it('name each language in that language, and write Arabic in Arabic script', () => {
    const names = Object.keys(STAFF_CATALOGS).map((locale) => createTranslator(STAFF_CATALOGS, [locale]).t('language.name'));
    expect(names).toEqual(['English', 'Deutsch', 'Français', 'Italiano', 'العربية']);
    const ar = createTranslator(STAFF_CATALOGS, ['ar']);
    expect(ar.dir).toBe('rtl');
    expect(ar.t('action.revoke')).toMatch(/\p{Script=Arabic}/u);
  });
});
