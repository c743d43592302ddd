import { formatDate } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import { applyDocumentLanguage, dateLocale, LOCALES, loadTranslator, pickLocale } from './i18n.ts';

describe('pickLocale', () => {
  it('picks the shipped language a phone asks for, with its region or without', () => {
    expect(pickLocale(['ar-EG', 'en'])).toBe('ar');
    expect(pickLocale(['uk-UA'])).toBe('uk');
    expect(pickLocale(['de-AT', 'en'])).toBe('de');
    expect(pickLocale(['ti-ER'])).toBe('ti');
    expect(pickLocale(['so-SO'])).toBe('so');
    expect(pickLocale(['ps-AF'])).toBe('ps');
  });

  it('tells Dari (fa-AF, or the ISO 639-3 prs) from Farsi (fa, fa-IR)', () => {
    expect(pickLocale(['fa-AF'])).toBe('fa-AF');
    expect(pickLocale(['prs'])).toBe('fa-AF');
    expect(pickLocale(['prs-AF'])).toBe('fa-AF');
    expect(pickLocale(['fa-IR'])).toBe('fa');
    expect(pickLocale(['fa'])).toBe('fa');
  });

  it('takes CLDR’s ku (Kurmanji in Latin script) for Kurmanji, but not Sorani', () => {
    expect(pickLocale(['ku'])).toBe('kmr');
    expect(pickLocale(['ku-TR'])).toBe('kmr');
    expect(pickLocale(['kmr'])).toBe('kmr');
    expect(pickLocale(['ckb', 'ar'])).toBe('ar');
  });

  it('falls back to English for a language it does not ship, or for nothing at all', () => {
    expect(pickLocale(['ja-JP'])).toBe('en');
    expect(pickLocale([])).toBe('en');
    expect(pickLocale(['not a tag'])).toBe('en');
  });
});

describe('loadTranslator', () => {
  it('sets dir=rtl and lang for Arabic, Dari, Farsi and Pashto, and ltr for the others', async () => {
    for (const locale of LOCALES) {
      const translator = await loadTranslator(locale);
      const root = { lang: '', dir: '' };
      applyDocumentLanguage(root, translator);
      expect(root).toEqual({ lang: locale, dir: ['ar', 'fa-AF', 'fa', 'ps'].includes(locale) ? 'rtl' : 'ltr' });
    }
  });

  it('formats credential dates in the Gregorian calendar even where the Persian calendar is the default', async () => {
    const march12 = Date.UTC(2027, 2, 12, 12);
    for (const locale of ['fa', 'fa-AF', 'ps']) {
      const translator = await loadTranslator(locale);
      const text = translator.t('credential.valid_until', {
        date: translator.formatDate(march12, { dateStyle: 'long', timeZone: 'UTC' }),
      });
      // ۲۰۲۷ is 2027 in Extended Arabic-Indic digits; the Persian calendar would say 1405 or 1406.
      expect(text).toContain('۲۰۲۷');
      expect(text).not.toMatch(/۱۴۰[56]/);
    }
    const english = await loadTranslator('en');
    expect(
      english.t('credential.valid_until', { date: formatDate(march12, 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }) }),
    ).toBe('Valid until 12 March 2027');
  });

  it('writes English dates day first unless the phone asks for another English, and lends the phone’s region', async () => {
    const march12 = Date.UTC(2027, 2, 12, 12);
    const long = { dateStyle: 'long', timeZone: 'UTC' } as const;
    expect((await loadTranslator('en')).formatDate(march12, long)).toBe('12 March 2027');
    expect((await loadTranslator('en', ['de-DE', 'en-US'])).formatDate(march12, long)).toBe('March 12, 2027');
    expect((await loadTranslator('de', ['de-AT'])).formatDate(Date.UTC(2027, 0, 12, 12), long)).toBe('12. Jänner 2027');
    // The language of the page stays the catalog's.
    expect((await loadTranslator('en', ['en-US'])).locale).toBe('en');
    expect(dateLocale('en', ['fr-FR', 'en-IE'])).toBe('en-IE');
    expect(dateLocale('fa-AF', ['fa-IR'])).toBe('fa-AF');
    expect(dateLocale('fr', [])).toBe('fr');
    expect(dateLocale('en', ['not a tag', ''])).toBe('en-GB');
  });

  it('refuses a language the app does not ship (a programmer mistake)', async () => {
    await expect(loadTranslator('ja')).rejects.toThrow(TypeError);
    await expect(loadTranslator('__proto__')).rejects.toThrow(TypeError);
  });

  it('formats numbers with the reader’s language conventions: "Wallet 2" in Arabic and Farsi', async () => {
    expect((await loadTranslator('ar')).t('profiles.unnamed', { number: 2 })).toBe(
      `المحفظة ${new Intl.NumberFormat('ar').format(2)}`,
    );
    expect((await loadTranslator('fa')).t('profiles.unnamed', { number: 2 })).toBe('کیف پول ۲');
    expect((await loadTranslator('en')).t('profiles.unnamed', { number: 2 })).toBe('Wallet 2');
  });
});
