import { describe, expect, it } from 'vitest';
import { checkCatalogs } from './check-catalogs.ts';

const en = {
  title: 'Service desk',
  expires: 'Expires in {minutes, plural, one {# minute} other {# minutes}}',
  status: '{status, select, valid {Valid} revoked {Revoked} other {Unknown}}',
  issuer: 'Issued by {issuer}',
};

describe('checkCatalogs', () => {
  it('accepts catalogs with the same keys and placeholders, whatever their plural branches', () => {
    const ar = {
      title: 'مكتب الخدمة',
      expires:
        'تنتهي خلال {minutes, plural, zero {# دقيقة} one {دقيقة} two {دقيقتين} few {# دقائق} many {# دقيقة} other {# دقيقة}}',
      status: '{status, select, valid {صالح} revoked {ملغى} other {غير معروف}}',
      issuer: 'صادر عن {issuer}',
    };
    expect(checkCatalogs({ en, ar })).toEqual([]);
  });

  it('reports a missing key and an extra key', () => {
    const { title: _, ...rest } = en;
    expect(checkCatalogs({ en, de: { ...rest, titel: 'Schalter' } })).toEqual([
      { locale: 'de', key: 'title', problem: 'missing_key' },
      { locale: 'de', key: 'titel', problem: 'extra_key' },
    ]);
  });

  it('reports a message that does not parse, in a translation or in the reference', () => {
    expect(checkCatalogs({ en, fr: { ...en, issuer: 'Délivré par {issuer' } })).toEqual([
      expect.objectContaining({ locale: 'fr', key: 'issuer', problem: 'unparsable' }),
    ]);
    expect(checkCatalogs({ en: { ...en, title: '{' } })).toEqual([
      expect.objectContaining({ locale: 'en', key: 'title', problem: 'unparsable' }),
    ]);
  });

  it('reports a plural without an other branch as unparsable', () => {
    const fr = { ...en, expires: 'Expire dans {minutes, plural, one {# minute}}' };
    expect(checkCatalogs({ en, fr })).toEqual([expect.objectContaining({ locale: 'fr', key: 'expires', problem: 'unparsable' })]);
  });

  it('reports a renamed placeholder', () => {
    const de = { ...en, issuer: 'Ausgestellt von {aussteller}' };
    expect(checkCatalogs({ en, de })).toEqual([
      { locale: 'de', key: 'issuer', problem: 'placeholders_differ', detail: 'en: issuer:argument; de: aussteller:argument' },
    ]);
  });

  it('reports a placeholder of another kind, a missing one and a missing select branch', () => {
    const de = {
      ...en,
      expires: 'Läuft in {minutes} Minuten ab',
      issuer: 'Ausgestellt',
      status: '{status, select, valid {Gültig} other {Unbekannt}}',
    };
    expect(checkCatalogs({ en, de }).map(({ key, problem }) => `${key}: ${problem}`)).toEqual([
      'expires: placeholders_differ',
      'status: placeholders_differ',
      'issuer: placeholders_differ',
    ]);
  });

  it('reports placeholders nested in plural and select branches', () => {
    const base = { n: '{count, plural, one {# item by {who}} other {# items by {who}}}' };
    expect(checkCatalogs({ en: base, de: { n: '{count, plural, one {# Stück} other {# Stück von {wer}}}' } })).toEqual([
      {
        locale: 'de',
        key: 'n',
        problem: 'placeholders_differ',
        detail: 'en: count:plural, who:argument; de: count:plural, wer:argument',
      },
    ]);
  });

  it('reports values that are not strings and catalogs that are not objects', () => {
    expect(checkCatalogs({ en, de: { ...en, title: 42 }, fr: ['title'] })).toEqual([
      { locale: 'de', key: 'title', problem: 'not_a_string' },
      { locale: 'fr', problem: 'not_an_object' },
    ]);
  });

  it('reports a missing reference catalog', () => {
    expect(checkCatalogs({ de: en })).toEqual([{ locale: 'en', problem: 'missing_reference' }]);
    expect(checkCatalogs({ de: en, fr: en }, 'de')).toEqual([]);
  });

  it('treats angle brackets as text, so markup-like text is no placeholder', () => {
    expect(checkCatalogs({ en: { a: 'Use <b>{x}</b>' }, de: { a: '{x} <i>nutzen' } })).toEqual([]);
  });
});
