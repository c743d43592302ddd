import { TesseraError } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import type { Consent, ConsentClaim, WalletRecord } from '../index.ts';
import { consentChoices, consentViewModel } from './consent-view.ts';
import { loadTranslator } from './i18n.ts';
import en from './messages/en.json' with { type: 'json' };
import { openRequestErrorKey, shareReceipt } from './share-flow.ts';

/**
 * The consent screen's rules as data: what `openRequest` returns (the shape the library documents,
 * docs/wallet.md "Present") and credential records as `receiveCredential` stores them.
 */

const VCT = 'https://tessera.example/credentials/residence-permit';
const SECRET = 'Amina-PLANTED-SECRET';
const english = await loadTranslator('en');
const t = english.t;

const claim = (queryId: string, ...path: (string | number)[]): ConsentClaim => ({
  ref: `${queryId}:${JSON.stringify(path)}`,
  path,
  name: path.join('.'),
});

const permitRecord: WalletRecord = {
  id: 'c1',
  kind: 'credential',
  value: {
    format: 'dc+sd-jwt',
    // Only the record's shape matters here; the planted value must never reach the screen's data.
    sdJwt: `eyJhbGciOiJFUzI1NiJ9.${SECRET}.sig~`,
    vct: VCT,
    keyId: 'k1',
    issuer: 'did:jwk:city',
    issuerTrusted: true,
    receivedAt: 1,
    expiresAt: null,
    receiptId: 'r1',
    display: {
      issuer: [{ name: 'City of Bologna', locale: 'en' }],
      credential: [
        { name: 'Residence permit', locale: 'en' },
        { name: 'تصريح الإقامة', locale: 'ar' },
      ],
      claims: [
        { path: ['residence_status'], display: [{ name: 'Residence status', locale: 'en' }] },
        { path: ['given_name'], display: [{ name: 'Given name', locale: 'en' }] },
        { path: ['birth_date'], display: [{ name: 'Date of birth', locale: 'en' }] },
        { path: ['family_name'], display: [{ name: 'Family name', locale: 'en' }] },
      ],
    },
  },
};

function permitConsent(overrides: Partial<Consent> = {}): Consent {
  return {
    verifier: { clientId: 'x509_hash:abc', prefix: 'x509_hash', verified: true, name: 'Job centre Bologna' },
    purpose: { language: 'en', text: 'To check that you may work' },
    satisfiable: true,
    queries: [
      {
        queryId: 'permit',
        need: 'required',
        multiple: false,
        candidates: [
          {
            format: 'dc+sd-jwt',
            vct: VCT,
            disclosesEverything: false,
            credentialId: 'c1',
            presentedBefore: false,
            required: [claim('permit', 'residence_status')],
            optional: [claim('permit', 'given_name'), claim('permit', 'birth_date')],
          },
        ],
      },
    ],
    credentialSets: [
      { required: true, implicit: true, options: [{ queryIds: ['permit'], satisfiable: true }], defaultOption: 0 },
    ],
    warnings: [
      { code: 'full_birth_date_asked', queryId: 'permit', claim: 'birth_date' },
      { code: 'claim_outside_claim_sets', queryId: 'permit', claim: 'family_name' },
    ],
    ...overrides,
  };
}

describe('the consent view-model', () => {
  it('names the verified desk, the purpose, the document, required claims by label, and every optional claim off', () => {
    const model = consentViewModel(permitConsent(), [permitRecord], 'en', t);
    expect(model.verifier).toEqual({ verified: true, name: 'Job centre Bologna' });
    expect(model.purpose).toBe('To check that you may work');
    const [document] = model.sections[0]?.documents ?? [];
    expect(document?.card?.name).toBe('Residence permit');
    expect(document?.required.map((line) => line.label)).toEqual(['Residence status']);
    expect(document?.optional.map((line) => line.label)).toEqual(['Given name', 'Date of birth']);
    const choices = consentChoices(model);
    for (const line of document?.optional ?? []) expect(choices.isOn(line.ref)).toBe(false);
    expect(choices.respondOptions()).toEqual({ optional: [] });
    // What the screen writes out (everything but the stored token, which it only keeps) holds no value.
    const shown = {
      ...model,
      sections: model.sections.map((item) => ({
        ...item,
        documents: item.documents.map((choice) => ({ ...choice, card: { ...choice.card, token: '' } })),
      })),
    };
    expect(JSON.stringify(shown)).not.toContain(SECRET);
  });

  it('sends exactly the optional claims switched on, after any number of changes of mind', () => {
    const model = consentViewModel(permitConsent(), [permitRecord], 'en', t);
    const choices = consentChoices(model);
    const [givenName, birthDate] = model.sections[0]?.documents[0]?.optional ?? [];
    choices.set(birthDate?.ref as string, true);
    choices.set(givenName?.ref as string, true);
    choices.set(birthDate?.ref as string, false);
    expect(choices.respondOptions()).toEqual({ optional: [givenName?.ref] });
    expect(choices.isOn(givenName?.ref as string)).toBe(true);
    expect(choices.isOn(birthDate?.ref as string)).toBe(false);
  });

  it('does not let a required claim be switched off, nor anything be switched that the screen does not show', () => {
    const model = consentViewModel(permitConsent(), [permitRecord], 'en', t);
    const choices = consentChoices(model);
    const required = model.sections[0]?.documents[0]?.required[0]?.ref as string;
    expect(() => choices.set(required, false)).toThrow(/required claim cannot be switched off/);
    expect(() => choices.set('permit:["family_name"]', true)).toThrow(TypeError);
    expect(choices.respondOptions()).toEqual({ optional: [] });
  });

  it('puts an optional document behind its own switch, off, and sends its claims only with it', () => {
    const consent = permitConsent({
      queries: [
        ...permitConsent().queries,
        {
          queryId: 'course',
          need: 'optional',
          multiple: false,
          candidates: [
            {
              format: 'dc+sd-jwt',
              vct: VCT,
              disclosesEverything: false,
              credentialId: 'c1',
              presentedBefore: true,
              required: [claim('course', 'residence_status')],
              optional: [claim('course', 'given_name')],
            },
          ],
        },
      ],
    });
    const model = consentViewModel(consent, [permitRecord], 'en', t);
    expect(model.sections.map((section) => [section.queryId, section.need, section.documents[0]?.presentedBefore])).toEqual([
      ['permit', 'required', false],
      ['course', 'optional', true],
    ]);
    const choices = consentChoices(model);
    expect([choices.shown('permit'), choices.shown('course')]).toEqual(['required', 'optional']);
    const nameInCourse = model.sections[1]?.documents[0]?.optional[0]?.ref as string;
    choices.set(nameInCourse, true);
    expect(choices.respondOptions()).toEqual({ optional: [] });
    choices.set('course', true);
    expect(choices.respondOptions().optional).toEqual(expect.arrayContaining(['course', nameInCourse]));
    expect(choices.respondOptions().optional).toHaveLength(2);
  });

  it('warns about an unverified desk with the reason, and about over-asking in plain words with labels', () => {
    const model = consentViewModel(
      permitConsent({
        verifier: {
          clientId: 'x509_hash:abc',
          prefix: 'x509_hash',
          verified: false,
          reason: 'untrusted_certificate',
          claimedName: 'Job centre\u202E Bologna',
        },
        warnings: [{ code: 'unverified_verifier' }, ...permitConsent().warnings],
      }),
      [permitRecord],
      'en',
      t,
    );
    // A bidirectional override in what the desk calls itself cannot reorder the screen.
    expect(model.verifier).toEqual({
      verified: false,
      claimedName: 'Job centre  Bologna',
      reason: 'consent.reason.untrusted_certificate',
    });
    expect(model.warnings).toEqual([
      { key: 'consent.warning.full_birth_date_asked', claim: 'Date of birth' },
      { key: 'consent.warning.claim_outside_claim_sets', claim: 'Family name' },
    ]);
    for (const reason of ['unsigned_request', 'no_trust_anchor'] as const) {
      const other = consentViewModel(
        permitConsent({ verifier: { clientId: 'redirect_uri:https://x', prefix: 'redirect_uri', verified: false, reason } }),
        [permitRecord],
        'en',
        t,
      );
      expect(other.verifier).toEqual({ verified: false, claimedName: undefined, reason: `consent.reason.${reason}` });
    }
  });

  it('offers Share and Don’t share alike, neither one the default; only Don’t share when nothing can answer', () => {
    const model = consentViewModel(permitConsent(), [permitRecord], 'en', t);
    expect(model.actions).toEqual([
      { action: 'share', label: 'consent.share', style: 'answer' },
      { action: 'decline', label: 'consent.decline', style: 'answer' },
    ]);
    expect(new Set(model.actions.map((action) => action.style)).size).toBe(1);
    expect(en['consent.share']).not.toBe(en['consent.decline']);

    const unanswerable = consentViewModel(
      permitConsent({ satisfiable: false, queries: [{ queryId: 'permit', need: 'required', multiple: false, candidates: [] }] }),
      [permitRecord],
      'en',
      t,
    );
    expect(unanswerable.sections).toEqual([]);
    expect(unanswerable.missing).toBe(1);
    expect(unanswerable.held).toEqual(['Residence permit']);
    expect(unanswerable.actions).toEqual([{ action: 'decline', label: 'consent.decline', style: 'answer' }]);
  });

  it('says a W3C credential is shared whole, listing every claim it holds with labels', () => {
    const w3cRecord: WalletRecord = {
      id: 'w1',
      kind: 'credential',
      value: {
        ...(permitRecord.value as object),
        format: 'jwt_vc_json',
        jwt: 'eyJ.x.y',
        types: ['VerifiableCredential', 'ResidencePermitCredential'],
        receiptId: 'r2',
        display: {
          ...((permitRecord.value as { display: object }).display as object),
          claims: [{ path: ['credentialSubject', 'given_name'], display: [{ name: 'Given name', locale: 'en' }] }],
        },
      },
    };
    const model = consentViewModel(
      permitConsent({
        queries: [
          {
            queryId: 'permit',
            need: 'required',
            multiple: false,
            candidates: [
              {
                format: 'jwt_vc_json',
                types: ['VerifiableCredential', 'ResidencePermitCredential'],
                disclosesEverything: true,
                sharedClaims: ['credentialSubject.given_name', 'credentialSubject.id', 'issuer', 'issuanceDate'],
                credentialId: 'w1',
                presentedBefore: false,
                required: [claim('permit', 'credentialSubject', 'given_name')],
                optional: [],
              },
            ],
          },
        ],
        warnings: [],
      }),
      [w3cRecord],
      'en',
      t,
    );
    const [section] = model.sections[0]?.documents ?? [];
    expect(section?.disclosesEverything).toBe(true);
    expect(section?.required.map((line) => line.label)).toEqual([
      'Given name',
      en['claim_name.holder'],
      en['claim_name.issuer'],
      en['claim_name.issued'],
    ]);
    expect(section?.optional).toEqual([]);
  });
});

const COURSE = 'https://tessera.example/credentials/language-course-certificate';

/** A stored record as `receiveCredential` writes it: one copy of a batch (`receiptId` names the batch). */
function record(id: string, receiptId: string, receivedAt: number, vct = VCT): WalletRecord {
  const base = permitRecord.value as Record<string, unknown>;
  const course = vct === COURSE;
  return {
    id,
    kind: 'credential',
    value: {
      ...(base as object),
      vct,
      receiptId,
      receivedAt,
      display: course
        ? {
            issuer: [{ name: 'Language school', locale: 'en' }],
            credential: [{ name: 'Language course certificate', locale: 'en' }],
            claims: [
              { path: ['level'], display: [{ name: 'Level', locale: 'en' }] },
              { path: ['given_name'], display: [{ name: 'Given name', locale: 'en' }] },
            ],
          }
        : (base.display as object),
    },
  } as WalletRecord;
}

/** Two residence permits (the first received as a batch of two copies, c1 and c2) and a course certificate. */
const records = [record('c1', 'r1', 1), record('c2', 'r1', 1), record('d1', 'r2', 2), record('e1', 'r3', 3, COURSE)];

const candidate = (queryId: string, credentialId: string, presentedBefore: boolean, optional: string[] = []) => ({
  format: 'dc+sd-jwt' as const,
  vct: VCT,
  disclosesEverything: false as const,
  credentialId,
  presentedBefore,
  required: [claim(queryId, queryId === 'course' ? 'level' : 'residence_status')],
  optional: optional.map((name) => claim(queryId, name)),
});

/** The permit consent with one required `permit` query and these candidates, in the library's order. */
const permitChoices = (candidates: Consent['queries'][number]['candidates'], { multiple = false } = {}): Consent =>
  permitConsent({ queries: [{ queryId: 'permit', need: 'required', multiple, candidates }] });

describe('the holder’s choices where the request leaves them', () => {
  it('shows the copies received together as one document, sent through its unseen copy, the library’s first document chosen', () => {
    const consent = permitChoices(
      // The library's order: copies no verifier has seen first.
      [candidate('permit', 'c2', false), candidate('permit', 'd1', false), candidate('permit', 'c1', true)],
    );
    const model = consentViewModel(consent, records, 'en', t);
    const documents = model.sections[0]?.documents ?? [];
    expect(documents.map((document) => [document.key, document.credentialId, document.presentedBefore])).toEqual([
      ['r1', 'c2', false],
      ['r2', 'd1', false],
    ]);
    const choices = consentChoices(model);
    expect(choices.documents('permit').map((document) => document.key)).toEqual(['r1']);
    expect(choices.respondOptions()).toEqual({ optional: [] });
    expect(choices.chooseDocument('permit', 'r2')).toBe(true);
    expect(choices.documents('permit').map((document) => document.key)).toEqual(['r2']);
    expect(choices.respondOptions()).toEqual({ optional: [], credentials: { permit: 'd1' } });
    choices.chooseDocument('permit', 'r1');
    expect(choices.respondOptions()).toEqual({ optional: [] });
    // A query that takes one document always keeps one, and names only its own documents.
    expect(choices.chooseDocument('permit', 'r1', false)).toBe(false);
    expect(() => choices.chooseDocument('permit', 'r3')).toThrow(TypeError);
    expect(() => choices.chooseDocument('course', 'r1')).toThrow(TypeError);

    // Every copy of the first permit shown before: the document says so.
    const seen = consentViewModel(
      permitChoices([candidate('permit', 'd1', false), candidate('permit', 'c1', true)]),
      records,
      'en',
      t,
    );
    expect(seen.sections[0]?.documents.map((document) => [document.key, document.presentedBefore])).toEqual([
      ['r2', false],
      ['r1', true],
    ]);
  });

  it('switches off an optional claim the newly chosen document does not offer, and sends only what is switched on', () => {
    const consent = permitChoices([
      candidate('permit', 'c1', false, ['given_name']),
      candidate('permit', 'd1', false, ['given_name', 'birth_date']),
    ]);
    const model = consentViewModel(consent, records, 'en', t);
    const choices = consentChoices(model);
    const [givenName, birthDate] = model.sections[0]?.documents[1]?.optional ?? [];
    expect(() => choices.set(birthDate?.ref as string, true)).toThrow(TypeError);
    choices.chooseDocument('permit', 'r2');
    choices.set(givenName?.ref as string, true);
    choices.set(birthDate?.ref as string, true);
    expect(choices.sharedLabels()).toEqual(['Residence status', 'Given name', 'Date of birth']);
    choices.chooseDocument('permit', 'r1');
    expect(choices.isOn(birthDate?.ref as string)).toBe(false);
    expect(choices.isOn(givenName?.ref as string)).toBe(true);
    expect(choices.respondOptions()).toEqual({ optional: [givenName?.ref] });
    expect(choices.sharedLabels()).toEqual(['Residence status', 'Given name']);
    // Back to the second permit: what was switched off stays off.
    choices.chooseDocument('permit', 'r2');
    expect(choices.respondOptions()).toEqual({ optional: [givenName?.ref], credentials: { permit: 'd1' } });
  });

  it('lets the holder add documents to a query that takes several, keeping at least one', () => {
    const consent = permitChoices(
      [candidate('permit', 'c2', false), candidate('permit', 'c1', false), candidate('permit', 'd1', false)],
      { multiple: true },
    );
    const model = consentViewModel(consent, records, 'en', t);
    expect(model.sections[0]?.multiple).toBe(true);
    expect(model.sections[0]?.documents).toHaveLength(2);
    const choices = consentChoices(model);
    // Only the library's default at first: any other document is the holder's to add.
    expect(choices.documents('permit').map((document) => document.key)).toEqual(['r1']);
    expect(choices.chooseDocument('permit', 'r2', true)).toBe(true);
    expect(choices.respondOptions()).toEqual({ optional: [], credentials: { permit: ['c2', 'd1'] } });
    expect(choices.sharedLabels()).toEqual(['Residence status']);
    expect(choices.chooseDocument('permit', 'r1', false)).toBe(true);
    expect(choices.respondOptions()).toEqual({ optional: [], credentials: { permit: 'd1' } });
    expect(choices.chooseDocument('permit', 'r2', false)).toBe(false);
    expect(choices.documents('permit').map((document) => document.key)).toEqual(['r2']);
  });

  it('offers the options of a credential set the wallet can answer, the verifier’s first chosen, and answers the option picked', () => {
    const consent = permitConsent({
      queries: [
        { queryId: 'permit', need: 'required', multiple: false, candidates: [candidate('permit', 'c1', false, ['given_name'])] },
        { queryId: 'passport', need: 'alternative', multiple: false, candidates: [] },
        {
          queryId: 'course',
          need: 'alternative',
          multiple: false,
          candidates: [{ ...candidate('course', 'e1', false), vct: COURSE }],
        },
      ],
      credentialSets: [
        {
          required: true,
          implicit: false,
          options: [
            { queryIds: ['permit'], satisfiable: true },
            { queryIds: ['passport'], satisfiable: false },
            { queryIds: ['course'], satisfiable: true },
          ],
          defaultOption: 0,
        },
      ],
      warnings: [],
    });
    const model = consentViewModel(consent, records, 'en', t);
    // The passport the holder does not have is not offered, nor counted as missing: another option answers.
    expect(model.optionChoices).toEqual([
      {
        set: 0,
        defaultOption: 0,
        options: [
          { option: 0, queryIds: ['permit'], documents: ['Residence permit'] },
          { option: 2, queryIds: ['course'], documents: ['Language course certificate'] },
        ],
      },
    ]);
    expect(model.missing).toBe(0);
    const choices = consentChoices(model);
    expect([choices.shown('permit'), choices.shown('course'), choices.shown('passport')]).toEqual([
      'required',
      undefined,
      undefined,
    ]);
    const givenName = model.sections[0]?.documents[0]?.optional[0]?.ref as string;
    choices.set(givenName, true);
    choices.chooseOption(0, 2);
    expect([choices.shown('permit'), choices.shown('course')]).toEqual([undefined, 'required']);
    // The permit's switch went with the permit: nothing of it is sent.
    expect(choices.isOn(givenName)).toBe(false);
    expect(choices.respondOptions()).toEqual({ optional: [], choice: { 0: 2 } });
    expect(choices.sharedLabels()).toEqual(['Level']);
    expect(() => choices.chooseOption(0, 1)).toThrow(TypeError);
    expect(() => choices.chooseOption(3, 0)).toThrow(TypeError);
    expect(() => choices.set(givenName, true)).toThrow(TypeError);
    choices.chooseOption(0, 0);
    expect(choices.respondOptions()).toEqual({ optional: [] });
    expect(consentViewModel(permitConsent(), [permitRecord], 'en', t).optionChoices).toEqual([]);
  });
});

describe('the receipt', () => {
  it('lists the labels of exactly what was sent, the verifier’s refusal in words, and nothing for a refusal', () => {
    const model = consentViewModel(permitConsent(), [permitRecord], 'en', t);
    const choices = consentChoices(model);
    choices.set(model.sections[0]?.documents[0]?.optional[0]?.ref as string, true);
    const accepted = shareReceipt('shared', model, choices, { answer: { accepted: true, status: 200, body: {} } });
    expect(accepted).toMatchObject({ kind: 'shared', outcome: 'accepted', claims: ['Residence status', 'Given name'] });
    const revoked = shareReceipt('shared', model, choices, {
      answer: { accepted: false, status: 400, body: { error: 'invalid_request', tessera_code: 'credential_revoked' } },
    });
    expect(revoked).toMatchObject({ outcome: 'refused', reason: 'receipt.reason.credential_revoked' });
    const odd = shareReceipt('shared', model, choices, { answer: { accepted: false, status: 400, body: { error: 'x' } } });
    expect(odd.reason).toBe('receipt.reason.other');
    const lost = shareReceipt('shared', model, choices, { error: new TypeError('Failed to fetch') });
    expect(lost).toMatchObject({ outcome: 'not_delivered', claims: ['Residence status', 'Given name'] });
    const declined = shareReceipt('declined', model, choices, { answer: { accepted: true, status: 200, body: {} } });
    expect(declined).toMatchObject({ kind: 'declined', claims: [], outcome: 'accepted' });
  });
});

describe('a request that cannot be opened', () => {
  it('is explained by what the holder can do: connection, an unsafe request, an old one, or a broken link', () => {
    const key = (code: ConstructorParameters<typeof TesseraError>[0]) => openRequestErrorKey(new TesseraError(code, 'x'));
    expect(key('fetch_failed')).toBe('error.verifier_network');
    expect(key('fetch_timeout')).toBe('error.verifier_network');
    expect(key('fetch_blocked')).toBe('error.insecure_link');
    expect(key('invalid_signature')).toBe('error.request_unsafe');
    expect(key('client_id_mismatch')).toBe('error.request_unsafe');
    expect(key('wallet_nonce_mismatch')).toBe('error.request_unsafe');
    expect(key('expired')).toBe('error.request_expired');
    expect(key('request_invalid')).toBe('error.request_invalid');
    expect(key('dcql_invalid')).toBe('error.request_invalid');
    expect(openRequestErrorKey(new TypeError('x'))).toBe('error.unknown');
  });
});
