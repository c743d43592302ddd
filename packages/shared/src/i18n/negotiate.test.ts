import { describe, expect, it } from 'vitest';
import { negotiateLocale, parseAcceptLanguage, textDirection } from './negotiate.ts';

describe('parseAcceptLanguage', () => {
  it('orders language ranges by q value and keeps header order among equal values', () => {
    expect(parseAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.9, *;q=0.5')).toEqual(['fr-CH', 'fr', 'de', 'en']);
  });

  it('drops ranges with q=0, the wildcard and malformed entries', () => {
    expect(parseAcceptLanguage('ar;q=0, *, en_US, de;q=2, fr;q=abc, toolonglanguage, it;q=0.001')).toEqual(['it']);
  });

  it('returns nothing for a missing or empty header', () => {
    expect(parseAcceptLanguage(undefined)).toEqual([]);
    expect(parseAcceptLanguage(null)).toEqual([]);
    expect(parseAcceptLanguage('')).toEqual([]);
  });

  it('reads at most 32 ranges of a hostile header', () => {
    const header = Array.from({ length: 10_000 }, (_, i) => `x${String.fromCharCode(97 + (i % 26))}`).join(',');
    expect(parseAcceptLanguage(header)).toHaveLength(32);
  });
});

describe('negotiateLocale', () => {
  const available = ['en', 'de', 'fr', 'ar'];

  it('takes the first requested language that is available', () => {
    expect(negotiateLocale(['it', 'fr', 'de'], available)).toBe('fr');
  });

  it('matches case-insensitively and returns the tag as the catalogs spell it', () => {
    expect(negotiateLocale(['DE'], available)).toBe('de');
    expect(negotiateLocale(['pt-br'], ['en', 'pt-BR'])).toBe('pt-BR');
  });

  it('shortens a requested tag subtag by subtag, dropping a trailing singleton', () => {
    expect(negotiateLocale(['de-AT'], available)).toBe('de');
    expect(negotiateLocale(['ar-u-nu-latn'], available)).toBe('ar');
    expect(negotiateLocale(['fr-x-desk'], available)).toBe('fr');
  });

  it('falls back to a sibling of the same primary language', () => {
    expect(negotiateLocale(['pt'], ['en', 'pt-BR'])).toBe('pt-BR');
  });

  it('falls back to English, then to the first available locale', () => {
    expect(negotiateLocale(['ti', 'so'], available)).toBe('en');
    expect(negotiateLocale([], ['de', 'fr'])).toBe('de');
    expect(negotiateLocale(['ti'], ['de', 'fr'], 'fr')).toBe('fr');
  });

  it('ignores requested values that are not language tags', () => {
    expect(negotiateLocale(['../../etc', '', 'de'], available)).toBe('de');
  });

  it('throws a TypeError when no locale is available', () => {
    expect(() => negotiateLocale(['en'], [])).toThrow(TypeError);
  });
});

describe('textDirection', () => {
  it.each(['ar', 'fa', 'prs', 'ps', 'he', 'ur', 'ckb', 'ar-SY', 'fa-AF', 'ku-Arab', 'ps_AF'])('is rtl for %s', (tag) => {
    expect(textDirection(tag)).toBe('rtl');
  });

  it.each(['en', 'de', 'fr', 'ti', 'uk', 'ku', 'az-Latn', 'sd-Deva', 'zh-Hant-TW'])('is ltr for %s', (tag) => {
    expect(textDirection(tag)).toBe('ltr');
  });
});
