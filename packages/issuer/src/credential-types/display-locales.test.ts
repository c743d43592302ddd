import { describe, expect, it } from 'vitest';
import { availableLocales, displayForLocales } from './display-locales.ts';
import { SHIPPED_CREDENTIAL_TYPES } from './shipped/index.ts';

const TEN = ['en', 'de', 'fr', 'it', 'es', 'ar', 'fa', 'uk', 'ti', 'so'];

describe('availableLocales', () => {
  it('lists the ten shipped languages once each', () => {
    expect(availableLocales(SHIPPED_CREDENTIAL_TYPES)).toEqual(TEN);
  });
});

describe('displayForLocales', () => {
  it('sends every locale, and no Content-Language, when there is no Accept-Language', () => {
    expect(displayForLocales(TEN, undefined)).toEqual({ locales: TEN });
    expect(displayForLocales(TEN, '')).toEqual({ locales: TEN });
    expect(displayForLocales(TEN, null)).toEqual({ locales: TEN });
  });

  it('follows the q-values of the OpenID4VCI example header, dropping what it lacks', () => {
    // OpenID4VCI 1.0 §12.2.2 example: fr-ch, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5
    expect(displayForLocales(TEN, 'fr-ch, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5')).toEqual({
      locales: ['fr', 'en', 'de'],
      contentLanguage: 'fr, en, de',
    });
  });

  it('orders by q-value, not by position in the header', () => {
    expect(displayForLocales(TEN, 'de;q=0.2, ar;q=0.9, ti').locales).toEqual(['ti', 'ar', 'de']);
  });

  it('leaves out languages the reader refused with q=0', () => {
    expect(displayForLocales(TEN, 'fa, en;q=0').locales).toEqual(['fa']);
  });

  it('matches a bare language to regional variants (basic filtering) and a region to its language (lookup)', () => {
    expect(displayForLocales(['en', 'pt-BR', 'pt-PT'], 'pt').locales).toEqual(['pt-BR', 'pt-PT']);
    expect(displayForLocales(['en', 'fr'], 'fr-CA').locales).toEqual(['fr']);
    expect(displayForLocales(['en', 'pt-BR'], 'pt-PT').locales).toEqual(['pt-BR']);
  });

  it('is case-insensitive and answers with the tags as declared', () => {
    expect(displayForLocales(['en', 'pt-BR'], 'PT-br').locales).toEqual(['pt-BR']);
  });

  it('falls back to every locale when nothing requested is available', () => {
    expect(displayForLocales(TEN, 'zh-CN, ja;q=0.8')).toEqual({ locales: TEN });
    expect(displayForLocales(TEN, '*')).toEqual({ locales: TEN });
  });

  it('survives malformed and oversized headers', () => {
    expect(displayForLocales(TEN, ';;;,,=q, 12, ar;q=abc, so;q=2')).toEqual({ locales: TEN });
    expect(displayForLocales(TEN, `${'x-'.repeat(10_000)}, uk`).locales.length).toBeGreaterThan(0);
    expect(displayForLocales([], 'en')).toEqual({ locales: [] });
  });
});
