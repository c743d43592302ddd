import { permitTenant, startTestIssuer, type TestIssuer } from '@tessera/issuer/testing';
import type { JsonObject } from '@tessera/shared';
import { type Database, openDatabase } from '@tessera/shared/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holderView, receiveCredential, type Wallet } from '../index.ts';
import { createTestProfile, fileBackend, type TestBackend } from '../node/test-wallets.ts';
import { PERMIT_VCT } from '../present/test-requests.ts';
import {
  cardClaims,
  claimRows,
  credentialCards,
  formatClaimValue,
  legibleColors,
  pickDisplay,
  validityText,
} from './credential-view.ts';
import { receiveErrorKey } from './errors.ts';
import { loadTranslator } from './i18n.ts';

let database: Database;
let running: TestIssuer;
let backend: TestBackend;
let wallet: Wallet;
let did: string;

beforeAll(async () => {
  database = await openDatabase({ kind: 'pglite' });
  running = await startTestIssuer(database, {
    batchSize: 3,
    tenants: [
      permitTenant('bologna', { en: 'City of Bologna', it: 'Comune di Bologna', ar: 'بلدية بولونيا' }, { didMethod: 'jwk' }),
    ],
  });
  did = await running.did('bologna');
  backend = await fileBackend();
  wallet = await createTestProfile(backend, 'holder', '493817');
}, 60_000);

afterAll(async () => {
  wallet?.lock();
  await backend?.dispose();
  await running?.close();
  await database?.close();
});

const offer = () => running.offer('bologna');
const trust = () => ({ issuers: [{ id: did, credentialTypes: [PERMIT_VCT] }] });

describe('the credential screens over a credential from the real issuer', () => {
  it('show a batch of three as one card, named in Arabic, with the issuer’s legible colours and validity', async () => {
    const created = await offer();
    const received = await receiveCredential(wallet, created.link, {
      trust: trust(),
      txCode: created.pin as string,
      allowInsecureLocalhost: true,
    });
    const records = await wallet.records.list('credential');
    const now = Date.now();
    const [card, ...others] = credentialCards(records, 'ar', now);
    expect(others).toEqual([]);
    expect(card?.recordIds).toEqual([...received.credentialIds].sort());
    expect(card).toMatchObject({
      name: 'تصريح الإقامة',
      issuerName: 'بلدية بولونيا',
      colors: { background: '#1f4e79', text: '#ffffff' },
      issuerTrusted: true,
      expired: false,
    });
    // English, and Dari through the issuer's Farsi (`fa`) display: no Dari entry was published.
    expect(credentialCards(records, 'en', now)[0]).toMatchObject({ name: 'Residence permit', issuerName: 'City of Bologna' });
    expect(credentialCards(records, 'fa-AF', now)[0]?.name).toBe('اجازه اقامت');
    // Pashto has no entry: the issuer's English one, never nothing.
    expect(credentialCards(records, 'ps', now)[0]?.name).toBe('Residence permit');

    const english = await loadTranslator('en');
    const expiresAt = card?.expiresAt as number;
    expect(expiresAt).toBeGreaterThan(now);
    expect(validityText(card as NonNullable<typeof card>, english)).toBe(
      `Valid until ${english.formatDate(expiresAt - 1000, { dateStyle: 'long', timeZone: 'UTC' })}`,
    );
    // A permit valid through 30 June ends at 1 July 00:00 UTC: the card names 30 June, as the permit does.
    expect(validityText({ expiresAt: Date.UTC(2027, 6, 1), expired: false }, english)).toBe('Valid until 30 June 2027');
    expect(validityText({ expiresAt, expired: true }, english)).toMatch(/^Expired on /);
    expect(validityText({ expiresAt: undefined, expired: false }, english)).toBe('No end date');
    // Expired by the clock of the screen, not only by what was stored.
    expect(credentialCards(records, 'en', expiresAt + 1)[0]?.expired).toBe(true);
  });

  it('show every claim with the issuer’s label in the holder’s language and the values of the disclosures', async () => {
    const [card] = credentialCards(await wallet.records.list('credential'), 'ar', Date.now());
    const claims = await holderView(card?.token as string);
    expect(card?.format).toBe('dc+sd-jwt');
    expect(claims).toMatchObject({
      given_name: 'Amina',
      residence_status: 'lawfully_resident',
      age_equal_or_over: { '18': true },
    });
    expect(claims).not.toHaveProperty('_sd');

    const arabic = await loadTranslator('ar');
    const rows = claimRows(claims, card?.claimDescriptions ?? [], 'ar').map((row) => [
      row.label,
      formatClaimValue(row.value, arabic),
    ]);
    const byLabel = Object.fromEntries(rows);
    expect(byLabel['وضع الإقامة']).toBe('lawfully_resident');
    expect(byLabel['نوع التصريح']).toBe('humanitarian');
    // A nationality is an ISO 3166-1 code on the credential, and a country's name on the screen.
    expect(rows.map(([, value]) => value)).toContain(new Intl.DisplayNames(['ar'], { type: 'region' }).of('ER'));
    expect(rows.map(([, value]) => value)).not.toContain('ER');
    // A birth date is a calendar day: Gregorian, in UTC, in the reader's language.
    const birthRow = rows.find(
      ([, value]) => value === arabic.formatDate(Date.UTC(1994, 2, 7), { dateStyle: 'long', timeZone: 'UTC' }),
    );
    expect(birthRow).toBeDefined();
    // `age_equal_or_over` is shown through its described member, as a translated yes.
    expect(rows.filter(([, value]) => value === 'نعم')).toHaveLength(1);
    // Nothing technical (iss, cnf, vct, status, iat, exp) is shown as information about the holder.
    expect(rows.map(([label]) => label)).not.toEqual(expect.arrayContaining(['iss', 'cnf', 'vct', 'status', 'exp']));
    expect(rows.map(([, value]) => value).join(' ')).not.toContain(did);

    const dari = await loadTranslator('fa-AF');
    const dariBirth = claimRows(claims, card?.claimDescriptions ?? [], 'fa-AF')
      .map((row) => formatClaimValue(row.value, dari))
      .find((value) => value.includes('۱۹۹۴'));
    // Gregorian 1994, not the Persian calendar's 1372.
    expect(dariBirth).toBeDefined();
  });

  it('explain a wrong office PIN and an untrusted office in plain words, and store nothing', async () => {
    const before = (await wallet.records.list('credential')).length;
    const created = await offer();
    const wrong = [...(created.pin as string)].map((digit) => String((Number(digit) + 1) % 10)).join('');
    const failure = await receiveCredential(wallet, created.link, {
      trust: trust(),
      txCode: wrong,
      allowInsecureLocalhost: true,
    }).catch((error: unknown) => error);
    expect(receiveErrorKey(failure)).toBe('error.tx_code_invalid');

    const another = await offer();
    const untrusted = await receiveCredential(wallet, another.link, {
      trust: { issuers: [] },
      txCode: another.pin as string,
      allowInsecureLocalhost: true,
    }).catch((error: unknown) => error);
    expect(receiveErrorKey(untrusted)).toBe('error.untrusted_issuer');
    expect(
      receiveErrorKey(await receiveCredential(wallet, 'not a link', { trust: trust() }).catch((error: unknown) => error)),
    ).toBe('error.offer_invalid');
    expect(receiveErrorKey(new Error('anything'))).toBe('error.unknown');
    expect((await wallet.records.list('credential')).length).toBe(before);
  });

  it('list a W3C credential (jwt_vc_json) as a card too, with its subject’s claims labelled and the holder’s DID left out', async () => {
    const created = await offer();
    const received = await receiveCredential(wallet, created.link, {
      trust: { issuers: [{ id: did, credentialTypes: [PERMIT_VCT, 'ResidencePermitCredential'] }] },
      txCode: created.pin as string,
      allowInsecureLocalhost: true,
      configurationId: 'residence_permit_jwt_vc_json',
    });
    const cards = credentialCards(await wallet.records.list('credential'), 'en', Date.now());
    const card = cards.find((candidate) => candidate.recordIds.includes(received.credentialIds[0] as string));
    expect(card).toMatchObject({
      format: 'jwt_vc_json',
      type: 'ResidencePermitCredential',
      name: 'Residence permit',
      issuerName: 'City of Bologna',
      issuer: did,
    });
    expect(card?.recordIds).toHaveLength(received.credentialIds.length);
    expect(card?.keyIds).toHaveLength(received.credentialIds.length);
    const { claims, descriptions } = await cardClaims(card as NonNullable<typeof card>);
    expect(claims).toMatchObject({ given_name: 'Amina', residence_status: 'lawfully_resident' });
    expect(claims).not.toHaveProperty('id');
    const english = await loadTranslator('en');
    const rows = Object.fromEntries(
      claimRows(claims, descriptions, 'en').map((row) => [row.label, formatClaimValue(row.value, english)]),
    );
    expect(rows['Residence status']).toBe('lawfully_resident');
    expect(Object.values(rows).join(' ')).not.toContain('did:jwk');
  });
});

describe('claim values', () => {
  it('names countries in claims that hold ISO 3166-1 codes, in the reader’s language, and leaves other codes alone', async () => {
    const english = await loadTranslator('en');
    const german = await loadTranslator('de');
    const claims = {
      nationality: 'ER',
      nationalities: ['SY', 'AF'],
      place_of_birth: { country: 'UA' },
      issuing_country: 'XK',
      unknown_country: 'ER',
      country: 'Eritrea',
      permit_code: 'ER',
    };
    const descriptions = [{ path: ['place_of_birth', 'country'], display: [{ name: 'Country of birth', locale: 'en' }] }];
    const shown = (translator: typeof english) =>
      Object.fromEntries(
        claimRows(claims, descriptions, 'en').map((row) => [row.label, formatClaimValue(row.value, translator)]),
      );
    expect(shown(english)).toEqual({
      'Country of birth': 'Ukraine',
      nationality: 'Eritrea',
      nationalities: 'Syria, Afghanistan',
      issuing_country: 'Kosovo',
      unknown_country: 'ER',
      country: 'Eritrea',
      permit_code: 'ER',
    });
    expect(shown(german).nationality).toBe('Eritrea');
    expect(shown(german).nationalities).toBe('Syrien, Afghanistan');
  });
});

describe('display helpers', () => {
  const entries: JsonObject[] = [
    { name: 'Permit', locale: 'en' },
    { name: 'Aufenthaltstitel', locale: 'de-DE' },
    { name: 'Default' },
  ];

  it('pick the holder’s language or a regional variant of it, else the untagged default, else English', () => {
    expect(pickDisplay(entries, 'de')?.name).toBe('Aufenthaltstitel');
    expect(pickDisplay(entries, 'ar')?.name).toBe('Default');
    expect(pickDisplay(entries.slice(0, 2), 'ar')?.name).toBe('Permit');
    expect(pickDisplay([{ name: 'Kurmancî', locale: 'ku' }], 'kmr')?.name).toBe('Kurmancî');
    expect(pickDisplay([], 'en')).toBeUndefined();
  });

  it('use the issuer’s colours only when they are hex colours with a contrast of at least 4.5:1', () => {
    expect(legibleColors('#1f4e79', '#ffffff')).toEqual({ background: '#1f4e79', text: '#ffffff' });
    expect(legibleColors('#fff', '#000')).toEqual({ background: '#fff', text: '#000' });
    expect(legibleColors('#777777', '#888888')).toBeUndefined();
    expect(legibleColors('red', '#ffffff')).toBeUndefined();
    expect(legibleColors('#000; background: url(x)', '#ffffff')).toBeUndefined();
    expect(legibleColors(undefined, '#ffffff')).toBeUndefined();
  });
});
