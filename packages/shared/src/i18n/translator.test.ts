import { describe, expect, it } from 'vitest';
import { type Catalog, type Catalogs, createTranslator } from './translator.ts';

const en = {
  greeting: 'Hello, {name}!',
  expires: 'Expires in {minutes, plural, one {# minute} other {# minutes}}',
  issued: 'Issued on {when, date, long}',
  markup: 'Use <b>{name}</b> as is',
};
const de = {
  greeting: 'Guten Tag, {name}!',
  expires: 'Läuft in {minutes, plural, one {# Minute} other {# Minuten}} ab',
  issued: 'Ausgestellt am {when, date, long}',
  markup: 'Nehmen Sie <b>{name}</b> so',
};
const ar = {
  greeting: 'مرحبًا يا {name}!',
  expires:
    'تنتهي الصلاحية خلال {minutes, plural, zero {# دقيقة} one {دقيقة واحدة} two {دقيقتين} few {# دقائق} many {# دقيقة} other {# دقيقة}}',
  issued: 'صدر في {when, date, long}',
  markup: '<b>{name}</b>',
};
const fa = { ...en, issued: 'صادر شده در {when, date, long}' };
const catalogs = { en, de, ar, fa };

describe('createTranslator', () => {
  it('negotiates the language from an Accept-Language header', () => {
    const translator = createTranslator(catalogs, 'it-IT, de-CH;q=0.9, en;q=0.5');
    expect(translator.locale).toBe('de');
    expect(translator.dir).toBe('ltr');
    expect(translator.t('greeting', { name: 'Amal' })).toBe('Guten Tag, Amal!');
  });

  it('negotiates the language from a list of tags and sets rtl for Arabic', () => {
    const translator = createTranslator(catalogs, ['ar-SY']);
    expect(translator.locale).toBe('ar');
    expect(translator.dir).toBe('rtl');
  });

  it('falls back to English for an unavailable language or no preference at all', () => {
    expect(createTranslator(catalogs, 'ti').locale).toBe('en');
    expect(createTranslator(catalogs).locale).toBe('en');
    expect(createTranslator(catalogs, null).t('greeting', { name: 'Amal' })).toBe('Hello, Amal!');
  });

  it('applies the plural rules of each language', () => {
    expect(createTranslator(catalogs, 'en').t('expires', { minutes: 1 })).toBe('Expires in 1 minute');
    expect(createTranslator(catalogs, 'de').t('expires', { minutes: 5 })).toBe('Läuft in 5 Minuten ab');
    expect(createTranslator(catalogs, 'ar').t('expires', { minutes: 2 })).toBe('تنتهي الصلاحية خلال دقيقتين');
  });

  it('formats date arguments in the Gregorian calendar, also for Persian', () => {
    const when = new Date(Date.UTC(2026, 0, 31, 12));
    expect(createTranslator(catalogs, 'fa').t('issued', { when })).toContain('۲۰۲۶');
    expect(createTranslator(catalogs, 'fa').formatDate(when, { year: 'numeric', timeZone: 'UTC' })).toBe('۲۰۲۶');
  });

  it('formats dates in formatLocale when it is the negotiated language, and ignores one of another language', () => {
    const march12 = Date.UTC(2027, 2, 12, 12);
    const long = { dateStyle: 'long', timeZone: 'UTC' } as const;
    expect(createTranslator(catalogs, 'en', { formatLocale: 'en-GB' }).formatDate(march12, long)).toBe('12 March 2027');
    expect(createTranslator(catalogs, 'en', { formatLocale: 'en-US' }).formatDate(march12, long)).toBe('March 12, 2027');
    expect(createTranslator(catalogs, 'de', { formatLocale: 'en-GB' }).formatDate(march12, long)).toBe('12. März 2027');
    expect(createTranslator(catalogs, 'de', { formatLocale: 'no tag' }).formatDate(march12, long)).toBe('12. März 2027');
  });

  it('treats angle brackets as text, never as markup', () => {
    expect(createTranslator(catalogs, 'en').t('markup', { name: '<i>x</i>' })).toBe('Use <b><i>x</i></b> as is');
  });

  it('takes a key the negotiated catalog lacks from the fallback catalog', () => {
    const partial: Catalogs<'greeting' | 'only_en'> = {
      en: { greeting: 'Hello', only_en: 'Only in English' },
      de: { greeting: 'Guten Tag' } as Catalog<'greeting' | 'only_en'>,
    };
    const translator = createTranslator(partial, 'de');
    expect(translator.t('greeting')).toBe('Guten Tag');
    expect(translator.t('only_en')).toBe('Only in English');
  });

  it('throws a TypeError for a key no catalog has', () => {
    const translator = createTranslator<string>(catalogs, 'de');
    expect(() => translator.t('nope')).toThrow(TypeError);
  });

  it('throws a TypeError when a placeholder value is missing', () => {
    expect(() => createTranslator(catalogs, 'en').t('greeting')).toThrow(TypeError);
  });

  it('throws a TypeError for a message that is not valid ICU MessageFormat', () => {
    const broken = { en: { bad: 'Hello {name' } };
    expect(() => createTranslator(broken, 'en').t('bad', { name: 'x' })).toThrow(/not valid ICU MessageFormat/);
  });

  it('does not look up keys on the prototype chain', () => {
    const translator = createTranslator<string>(catalogs, 'en');
    expect(() => translator.t('toString')).toThrow(TypeError);
    expect(() => translator.t('__proto__')).toThrow(TypeError);
  });
});
