/**
 * The consent screen's choices against the real peers: the issuer app (PGlite, over HTTP on
 * 127.0.0.1) issues residence permits and language course certificates in batches of three, the
 * wallet library receives them into a real store, and the real verifier asks. The view-model
 * offers one choice per document (not per copy), the holder picks another document, several
 * documents, or another option of a credential set, and the verifier's own result says exactly
 * what arrived.
 */
import { createCredentialOffer } from '@tessera/issuer';
import { permitTenant, RESIDENCE_PERMIT_CLAIMS, startTestIssuer, type TestIssuer } from '@tessera/issuer/testing';
import type { JsonObject } from '@tessera/shared';
import { type Database, nodeCrypto, openDatabase } from '@tessera/shared/node';
import { parseTrustList, type Verifier } from '@tessera/verifier';
import { didJwkClient, startVerifierHost, type VerifierHost } from '@tessera/verifier/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holderView, openRequest, receiveCredential, respond, type Wallet } from '../index.ts';
import { createTestProfile, fileBackend, type TestBackend } from '../node/test-wallets.ts';
import { PERMIT_VCT } from '../present/test-requests.ts';
import { consentChoices, consentViewModel } from './consent-view.ts';
import { loadTranslator } from './i18n.ts';

const COURSE = 'https://tessera.example/credentials/language-course-certificate';
const OPEN = { allowInsecureLocalhost: true } as const;
const { t } = await loadTranslator('en');

let database: Database;
let issuer: TestIssuer;
let host: VerifierHost;
let verifier: Verifier;
let backend: TestBackend;
let wallet: Wallet;

const COURSE_CLAIMS = {
  given_name: 'Amina',
  family_name: 'Haile',
  language: 'it',
  course_name: 'Italian for work',
  completion_date: '2026-01-20',
  school: 'Scuola Aperta',
};

async function receive(typeId: string, claims: JsonObject, trust: { issuers: { id: string; credentialTypes: string[] }[] }) {
  const offer = await createCredentialOffer(issuer.issuer.context, {
    tenantId: 'city',
    typeId,
    claims,
    pin: true,
    createdBy: 'staff-1',
  });
  await receiveCredential(wallet, offer.link, { trust, txCode: offer.pin as string, allowInsecureLocalhost: true });
}

beforeAll(async () => {
  database = await openDatabase({ kind: 'pglite' });
  issuer = await startTestIssuer(database, {
    batchSize: 3,
    tenants: [
      {
        ...permitTenant('city', { en: 'City of Bologna' }, { didMethod: 'jwk' }),
        credentialTypes: ['residence_permit', 'language_course_certificate'],
      },
    ],
  });
  const did = await issuer.did('city');
  backend = await fileBackend();
  wallet = await createTestProfile(backend, 'holder', '493817');
  const trust = { issuers: [{ id: did, credentialTypes: [PERMIT_VCT, COURSE] }] };
  // Two permits (given names planted to tell them apart at the verifier) and two certificates.
  await receive('residence_permit', { ...RESIDENCE_PERMIT_CLAIMS, given_name: 'Amina-FIRST' }, trust);
  await receive('residence_permit', { ...RESIDENCE_PERMIT_CLAIMS, given_name: 'Amina-SECOND' }, trust);
  await receive('language_course_certificate', { ...COURSE_CLAIMS, level: 'B1' }, trust);
  await receive('language_course_certificate', { ...COURSE_CLAIMS, level: 'C1' }, trust);
  host = await startVerifierHost();
  verifier = host.verifier({
    client: await didJwkClient(),
    presentations: {
      trust: parseTrustList({
        version: 1,
        issuers: [{ id: did, name: { en: 'City of Bologna' }, credentialTypes: [PERMIT_VCT, COURSE] }],
      }),
      fetchPolicy: { allowInsecureLocalhost: true, timeoutMs: 5000 },
      crypto: nodeCrypto,
    },
  });
}, 90_000);

afterAll(async () => {
  wallet?.lock();
  await host?.close();
  await backend?.dispose();
  await issuer?.close();
  await database?.close();
});

/** What a stored credential says (the holder's own view of its SD-JWT). */
async function claimsOf(credentialId: string | undefined): Promise<JsonObject> {
  const value = (await wallet.records.get('credential', credentialId as string)) as { sdJwt: string };
  return holderView(value.sdJwt);
}

/** Opens a request for `query` and builds the screen's model and choices over the stored records. */
async function ask(query: JsonObject) {
  const started = await verifier.start({ query });
  const consent = await openRequest(wallet, started.link, OPEN);
  const model = consentViewModel(consent, await wallet.records.list('credential'), 'en', t);
  return { id: started.id, consent, model, choices: consentChoices(model) };
}

const permitQuery = (multiple = false): JsonObject => ({
  credentials: [
    {
      id: 'permit',
      format: 'dc+sd-jwt',
      ...(multiple ? { multiple: true } : {}),
      meta: { vct_values: [PERMIT_VCT] },
      claims: [{ path: ['residence_status'] }, { path: ['given_name'] }],
    },
  ],
});

describe('the consent choices with credentials from the real issuer, answered to the real verifier', () => {
  it('offers each permit once (not each of its three copies), and sends the one the holder picks', async () => {
    const { id, consent, model, choices } = await ask(permitQuery());
    expect(consent.queries[0]?.candidates).toHaveLength(6);
    const documents = model.sections[0]?.documents ?? [];
    expect(documents).toHaveLength(2);
    expect(documents.map((document) => document.card?.name)).toEqual(['Residence permit', 'Residence permit']);
    // The library's first candidate stands for the default document.
    expect(documents[0]?.credentialId).toBe(consent.queries[0]?.candidates[0]?.credentialId);
    const other = documents[1];
    expect(choices.chooseDocument('permit', other?.key as string)).toBe(true);
    expect((await respond(wallet, consent, choices.respondOptions())).accepted).toBe(true);
    const result = await verifier.get(id);
    expect(result?.credentials).toHaveLength(1);
    // It is the other permit: not the one the library would have sent.
    const names = [(await claimsOf(documents[0]?.credentialId)).given_name, (await claimsOf(other?.credentialId)).given_name];
    expect(names.sort()).toEqual(['Amina-FIRST', 'Amina-SECOND']);
    expect(result?.credentials?.[0]?.claims.given_name).toBe((await claimsOf(other?.credentialId)).given_name);
    expect(choices.sharedLabels()).toEqual(['Residence status', 'Given name']);

    // Asked again, the copy just shown goes to the back: that permit's next copy stands for it.
    const again = await ask(permitQuery());
    const picked = again.model.sections[0]?.documents.find((document) => document.key === other?.key);
    expect(picked?.presentedBefore).toBe(false);
    expect(picked?.credentialId).not.toBe(other?.credentialId);
  });

  it('sends both permits for a query that takes several when the holder adds the second', async () => {
    const { id, consent, model, choices } = await ask(permitQuery(true));
    const [first, second] = model.sections[0]?.documents ?? [];
    expect(choices.documents('permit').map((document) => document.key)).toEqual([first?.key]);
    expect(choices.chooseDocument('permit', second?.key as string, true)).toBe(true);
    expect((await respond(wallet, consent, choices.respondOptions())).accepted).toBe(true);
    const names = (await verifier.get(id))?.credentials?.map((credential) => credential.claims.given_name).sort();
    expect(names).toEqual(['Amina-FIRST', 'Amina-SECOND']);
  });

  it('answers with the course certificate when the holder picks that option of a credential set instead of the permit', async () => {
    const query: JsonObject = {
      credentials: [
        { id: 'permit', format: 'dc+sd-jwt', meta: { vct_values: [PERMIT_VCT] }, claims: [{ path: ['residence_status'] }] },
        { id: 'course', format: 'dc+sd-jwt', meta: { vct_values: [COURSE] }, claims: [{ path: ['level'] }] },
      ],
      credential_sets: [{ options: [['permit'], ['course']] }],
    };
    const { id, consent, model, choices } = await ask(query);
    expect(model.optionChoices).toEqual([
      {
        set: 0,
        defaultOption: 0,
        options: [
          { option: 0, queryIds: ['permit'], documents: ['Residence permit'] },
          { option: 1, queryIds: ['course'], documents: ['Language course certificate'] },
        ],
      },
    ]);
    choices.chooseOption(0, 1);
    // Two certificates answer: the holder shows the C1 one, whichever the library would have sent.
    const certificates = model.sections.find((section) => section.queryId === 'course')?.documents ?? [];
    expect(certificates).toHaveLength(2);
    const levels = await Promise.all(certificates.map(async (certificate) => (await claimsOf(certificate.credentialId)).level));
    expect([...levels].sort()).toEqual(['B1', 'C1']);
    const advanced = certificates[levels.indexOf('C1')];
    choices.chooseDocument('course', advanced?.key as string);
    expect(choices.respondOptions().choice).toEqual({ 0: 1 });
    expect((await respond(wallet, consent, choices.respondOptions())).accepted).toBe(true);
    const result = await verifier.get(id);
    expect(result?.credentials?.map((credential) => [credential.queryId, credential.vct])).toEqual([['course', COURSE]]);
    expect(result?.credentials?.[0]?.claims.level).toBe('C1');
    expect(result?.credentials?.[0]?.claims.residence_status).toBeUndefined();
    const history = await wallet.history.list();
    expect(history.at(-1)?.details.disclosed).toEqual([
      { queryId: 'course', format: 'dc+sd-jwt', vct: COURSE, claims: ['level'] },
    ]);
    expect(choices.sharedLabels()).toEqual(['Level (A1–C2)']);
  });
});
