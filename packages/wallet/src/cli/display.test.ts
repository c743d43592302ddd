import { createTranslator, type JsonObject } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import type { WalletRecord } from '../index.ts';
import { claimLabel, claimViews, cleanText, credentialViews, findCredential, formatValue, localized } from './display.ts';
import { CLI_CATALOGS } from './messages.ts';

/** A record as `receiveCredential` stores it, with display data in English and Arabic. */
function record(id: string, receiptId: string, extra: JsonObject = {}): WalletRecord {
  return {
    id,
    kind: 'credential',
    value: {
      format: 'dc+sd-jwt',
      sdJwt: 'x~',
      keyId: 'k',
      configurationId: 'residence_permit',
      vct: 'https://example.org/permit',
      issuer: 'did:web:example.org',
      credentialIssuer: 'https://example.org',
      issuerTrusted: true,
      receivedAt: Date.UTC(2026, 0, 31),
      expiresAt: null,
      receiptId,
      display: {
        issuer: [
          { name: 'City of Bologna', locale: 'en' },
          { name: 'بلدية بولونيا', locale: 'ar' },
        ],
        credential: [
          { name: 'Residence permit', locale: 'en' },
          { name: 'تصريح الإقامة', locale: 'ar' },
        ],
        claims: [
          { path: ['given_name'], display: [{ name: 'Given name', locale: 'en' }] },
          { path: ['address'], display: [{ name: 'Address', locale: 'en' }] },
          { path: ['address', 'locality'], display: [{ name: 'Town', locale: 'en' }] },
          { path: ['birth_date'], display: [{ name: 'Date of birth', locale: 'en' }] },
        ],
      },
      ...extra,
    },
  };
}

describe('credentialViews', () => {
  it('shows the instances received together as one credential, named in the holder’s language', () => {
    const views = credentialViews([record('a', 'r1'), record('b', 'r1'), record('c', 'r2')], ['ar-SY']);
    expect(views.map((view) => [view.id, view.recordIds, view.name, view.issuerName])).toEqual([
      ['r1', ['a', 'b'], 'تصريح الإقامة', 'بلدية بولونيا'],
      ['r2', ['c'], 'تصريح الإقامة', 'بلدية بولونيا'],
    ]);
  });

  it('falls back to English, and to the type when there is no display data', () => {
    expect(credentialViews([record('a', 'r1')], ['fr'])[0]?.name).toBe('Residence permit');
    expect(credentialViews([record('a', 'r1', { display: [] })], ['en'])[0]).toMatchObject({
      name: 'https://example.org/permit',
      issuerName: 'did:web:example.org',
    });
  });

  it('makes issuer-supplied names safe for a terminal', () => {
    const hostile = record('a', 'r1', {
      display: { issuer: [{ name: 'Evil\u001b[2J\u202Eco', locale: 'en' }], credential: [], claims: [] },
    });
    expect(credentialViews([hostile], ['en'])[0]?.issuerName).toBe('Evil [2J co');
  });
});

describe('findCredential', () => {
  const views = credentialViews([record('a', 'abcdef1'), record('b', 'abcdxyz'), record('c', 'zzzz999')], ['en']);

  it('finds a credential by its id, a record id, or a unique beginning of four characters or more', () => {
    expect(findCredential(views, 'abcdef1')).toMatchObject({ found: { id: 'abcdef1' } });
    expect(findCredential(views, 'b')).toMatchObject({ found: { id: 'abcdxyz' } });
    expect(findCredential(views, 'zzzz')).toMatchObject({ found: { id: 'zzzz999' } });
  });

  it('says when an id is unknown, too short, or matches more than one', () => {
    expect(findCredential(views, 'nope')).toEqual({ problem: 'unknown' });
    expect(findCredential(views, 'zzz')).toEqual({ problem: 'unknown' });
    expect(findCredential(views, 'abcd')).toEqual({ problem: 'ambiguous' });
  });
});

describe('claim labels and values', () => {
  const value = record('a', 'r1').value as JsonObject;

  it('labels a claim by its own metadata, else by its parent’s, else by its name', () => {
    expect(claimLabel(value, ['address', 'locality'], ['en'])).toBe('Town');
    expect(claimLabel(value, ['address', 'street'], ['en'])).toBe('Address › street');
    expect(claimLabel(value, ['nationalities', null], ['en'])).toBe('nationalities.*');
    expect(claimLabel(undefined, ['given_name'], ['en'])).toBe('given_name');
  });

  it('lists the holder’s claims in the metadata’s order, leaving out the credential’s own members', () => {
    const claims = claimViews(
      value,
      {
        iss: 'did:web:example.org',
        vct: 'https://example.org/permit',
        cnf: { jwk: {} },
        exp: 1,
        nickname: 'Mimi',
        birth_date: '1994-03-07',
        address: { locality: 'Bologna', street: 'Via Roma 1' },
        given_name: 'Amina',
      },
      ['en'],
    );
    expect(claims.map((claim) => [claim.label, claim.value])).toEqual([
      ['Given name', 'Amina'],
      ['Address › street', 'Via Roma 1'],
      ['Town', 'Bologna'],
      ['Date of birth', '1994-03-07'],
      ['nickname', 'Mimi'],
    ]);
  });

  it('writes dates in the holder’s language in the Gregorian calendar, and yes/no in words', () => {
    const en = createTranslator(CLI_CATALOGS, ['en']);
    const ar = createTranslator(CLI_CATALOGS, ['ar']);
    expect(formatValue('1994-03-07', en)).toBe('March 7, 1994');
    expect(formatValue('1994-03-07', ar)).toMatch(/^(7|٧) مارس (1994|١٩٩٤)$/);
    expect(formatValue('2024-02-30', en)).toBe('2024-02-30');
    expect(formatValue(true, en)).toBe('yes');
    expect(formatValue(false, ar)).toBe('لا');
    expect(formatValue(['ER', 'ET'], en)).toBe('ER, ET');
    expect(formatValue(null, en)).toBe('—');
  });
});

describe('cleanText and localized', () => {
  it('turns control and direction-override characters into spaces, keeps joiners, and cuts long texts', () => {
    expect(cleanText('a\u0007b\u202Ec\u2066d')).toBe('a b c d');
    expect(cleanText('می\u200Cخواهم')).toBe('می\u200Cخواهم');
    expect(cleanText('x'.repeat(10), 5)).toBe('xxxx…');
  });

  it('picks the display entry for the holder’s language, English failing that, the first untagged one failing all', () => {
    const entries = [
      { name: 'Permit', locale: 'en' },
      { name: 'Titre', locale: 'fr' },
    ];
    expect(localized(entries, ['fr-BE'])?.name).toBe('Titre');
    expect(localized(entries, ['uk'])?.name).toBe('Permit');
    expect(localized([{ name: 'Plain' }], ['uk'])?.name).toBe('Plain');
    expect(localized('not a list', ['en'])).toBeUndefined();
  });
});
