import { createTranslator } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import type { TransactionView, VerifiedCredential } from '../openid4vp/types.ts';
import { DESK_CATALOGS } from './messages.ts';
import { DEFAULT_CREDENTIAL_TYPES } from './templates.ts';
import { renderTransactionView } from './view.ts';

const OPTIONS = { credentialTypes: DEFAULT_CREDENTIAL_TYPES, timeZone: 'UTC' };
const en = createTranslator(DESK_CATALOGS, 'en');
const ar = createTranslator(DESK_CATALOGS, 'ar');
const de = createTranslator(DESK_CATALOGS, 'de');
const CREATED = Date.UTC(2026, 0, 31, 9, 0);
const base = { id: 'tx-1', createdAt: CREATED, expiresAt: CREATED + 300_000 };

const permit: VerifiedCredential = {
  queryId: 'residence_permit',
  issuer: 'did:web:bologna.example',
  trustedIssuer: {
    id: 'did:web:bologna.example',
    name: { en: 'City of Bologna', it: 'Comune di Bologna', ar: 'بلدية بولونيا' },
    credentialTypes: [DEFAULT_CREDENTIAL_TYPES.residencePermit],
  },
  vct: DEFAULT_CREDENTIAL_TYPES.residencePermit,
  // The verifier's claims hold registered claims and what the issuer left in the clear, too.
  claims: {
    iss: 'did:web:bologna.example',
    vct: DEFAULT_CREDENTIAL_TYPES.residencePermit,
    iat: 1767225600,
    exp: 1798761600,
    document_number: 'CLEAR-NOT-DISCLOSED',
    residence_status: 'lawfully_resident',
    age_equal_or_over: { '18': true },
  },
  disclosed: [['residence_status'], ['age_equal_or_over', '18'], ['age_equal_or_over']],
  status: { status: 'valid', value: 0, checkedAt: Math.floor(CREATED / 1000), fromCache: false },
};

const responded = (credential: VerifiedCredential): TransactionView => ({
  ...base,
  status: 'responded',
  credentials: [credential],
});

describe('renderTransactionView', () => {
  it('shows a pending transaction as pending, with nothing else', () => {
    expect(renderTransactionView({ ...base, status: 'pending' }, en, OPTIONS)).toEqual({
      id: 'tx-1',
      outcome: 'pending',
      expiresAt: base.expiresAt,
    });
  });

  it('shows only the disclosed claims, each once, with labels and values in the reader language', () => {
    const view = renderTransactionView(responded(permit), en, OPTIONS);
    expect(view.outcome).toBe('accepted');
    expect(view.title).toBe('Verified');
    expect(view.credentials?.[0]?.claims).toEqual([
      { label: 'Residence status', value: 'lawfully_resident' },
      { label: '18 or older', value: 'Yes' },
    ]);
    expect(JSON.stringify(view)).not.toContain('CLEAR-NOT-DISCLOSED');
    expect(JSON.stringify(view)).not.toContain('1798761600');
  });

  it('names the issuer from the trust list in the reader language, with its direction', () => {
    expect(renderTransactionView(responded(permit), ar, OPTIONS).credentials?.[0]?.issuer).toEqual({
      text: 'بلدية بولونيا',
      lang: 'ar',
      dir: 'rtl',
    });
    // No German name: English, marked as English so the page can set lang="en" on it.
    expect(renderTransactionView(responded(permit), de, OPTIONS).credentials?.[0]?.issuer).toEqual({
      text: 'City of Bologna',
      lang: 'en',
      dir: 'ltr',
    });
  });

  it('names the credential type, or shows its vct when the desk has no name for it', () => {
    expect(renderTransactionView(responded(permit), de, OPTIONS).credentials?.[0]?.type).toBe('Aufenthaltstitel');
    const other = { ...permit, vct: 'https://other.example/vct' };
    expect(renderTransactionView(responded(other), de, OPTIONS).credentials?.[0]?.type).toBe('https://other.example/vct');
  });

  it('gives the status and when it was checked, as a Gregorian date', () => {
    const status = renderTransactionView(responded(permit), en, OPTIONS).credentials?.[0]?.status;
    expect(status).toMatchObject({ code: 'valid', label: 'Valid' });
    // ICU versions differ in the space before AM (U+0020 or U+202F).
    expect(status?.checkedAt).toMatch(/^checked on Jan 31, 2026, 9:00\sAM$/);
    expect(renderTransactionView(responded(permit), ar, OPTIONS).credentials?.[0]?.status.checkedAt).toMatch(/2026|٢٠٢٦/);
  });

  it.each([
    [{ status: 'none' } as const, 'none', 'No status information'],
    [{ status: 'unknown', reason: 'unreachable' } as const, 'unknown', 'Status unknown'],
    [{ status: 'suspended', value: 2, checkedAt: 1, fromCache: true } as const, 'suspended', 'Suspended'],
    [{ status: 'invalid', value: 1, checkedAt: 1, fromCache: true } as const, 'revoked', 'Revoked'],
    [{ status: 'other', value: 3, checkedAt: 1, fromCache: true } as const, 'unknown', 'Status unknown'],
  ])('maps the status %j to %s', (status, code, label) => {
    const view = renderTransactionView(responded({ ...permit, status }), en, OPTIONS);
    expect(view.credentials?.[0]?.status).toMatchObject({ code, label });
  });

  it('formats booleans, numbers, dates, lists and nested objects for the reader', () => {
    const certificate: VerifiedCredential = {
      ...permit,
      vct: DEFAULT_CREDENTIAL_TYPES.languageCourseCertificate,
      claims: { language: 'de', level: 'B1', hours: 1200, completed: '2025-11-03', modules: ['A', 'B'], school: { name: 'VHS' } },
      disclosed: [['language'], ['level'], ['hours'], ['completed'], ['modules'], ['school']],
    };
    const claims = renderTransactionView(responded(certificate), de, OPTIONS).credentials?.[0]?.claims;
    expect(claims).toEqual([
      { label: 'Sprache', value: 'de' },
      { label: 'Niveau', value: 'B1' },
      { label: '"hours"', value: '1.200' },
      { label: '"completed"', value: '3. November 2025' },
      { label: '"modules"', value: 'A, B' },
      { label: '"school"."name"', value: 'VHS' },
    ]);
  });

  it('explains a rejection in the reader language, with the code for support', () => {
    const failed: TransactionView = {
      ...base,
      status: 'failed',
      error: { code: 'kb_nonce_mismatch', message: 'The KB-JWT nonce differs' },
    };
    expect(renderTransactionView(failed, de, OPTIONS)).toEqual({
      id: 'tx-1',
      outcome: 'rejected',
      expiresAt: base.expiresAt,
      title: 'Nicht akzeptiert',
      explanation: 'Die Antwort wurde für eine andere Anfrage erstellt. Starten Sie eine neue Prüfung.',
      errorCode: 'kb_nonce_mismatch',
      errorCodeText: 'Technischer Code: kb_nonce_mismatch',
    });
  });

  it('shows a revoked or suspended credential with its status', () => {
    const revoked: TransactionView = { ...base, status: 'failed', error: { code: 'credential_revoked', message: 'revoked' } };
    expect(renderTransactionView(revoked, en, OPTIONS).status).toEqual({ code: 'revoked', label: 'Revoked' });
    const suspended: TransactionView = {
      ...base,
      status: 'failed',
      error: { code: 'credential_suspended', message: 'suspended' },
    };
    expect(renderTransactionView(suspended, ar, OPTIONS).status).toEqual({ code: 'suspended', label: 'موقوفة مؤقتًا' });
  });

  it('explains a declined request and an unknown error code', () => {
    const declined: TransactionView = { ...base, status: 'failed', error: { code: 'access_denied', message: 'declined' } };
    expect(renderTransactionView(declined, en, OPTIONS).explanation).toMatch(/declined to share/);
    const odd: TransactionView = { ...base, status: 'failed', error: { code: 'brand_new_code', message: 'x' } };
    const view = renderTransactionView(odd, en, OPTIONS);
    expect(view.explanation).toMatch(/could not be accepted/);
    expect(view.errorCodeText).toBe('Technical code: brand_new_code');
  });

  it('shows an expired transaction as expired', () => {
    const view = renderTransactionView({ ...base, status: 'expired' }, fr(), OPTIONS);
    expect(view).toMatchObject({ outcome: 'expired', title: 'Pas de réponse à temps' });
    expect(view.explanation).toMatch(/expiré/);
  });
});

function fr() {
  return createTranslator(DESK_CATALOGS, 'fr');
}
