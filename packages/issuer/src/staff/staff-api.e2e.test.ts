/**
 * The staff API over real HTTP on 127.0.0.1, on PGlite (and PostgreSQL when
 * TESSERA_TEST_POSTGRES_URL is set): API keys per tenant, offers a real wallet redeems, issuance
 * records, revoke/suspend/reinstate with the §7.1 policy, the audit log without claim values,
 * and a typed 4xx for every kind of bad input.
 */
import { decodeJws, decodeStatusList, type EncodedStatusList, parseStatusReference } from '@tessera/shared';
import { type Database, nodeInflate, openDatabase } from '@tessera/shared/node';
import { describePostgres } from '@tessera/shared/node/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_LIST_ID } from '../app/issuer-context.ts';
import { getJson, type HttpAnswer, newHolderKey, postJson, receive } from '../oid4vci/test-wallet.ts';
import { recordListSchema, setStatusResponseSchema } from '../openapi/response-schemas.ts';
import { createStaffApiKey } from './staff-api-key.ts';
import { PERMIT_CLAIMS, PERMIT_SECRET, type RunningIssuer, startStaffTestIssuer } from './test-issuer.ts';

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
const byNumber = (a: number, b: number): number => a - b;

function staffSuite(name: string, open: () => Promise<Database>) {
  describe(name, () => {
    let running: RunningIssuer;
    let database: Database;
    const staffUrl = (tenant: string, path: string) => `${running.origin}/tenants/${tenant}/staff/${path}`;
    const asBologna = () => bearer(running.keys.bologna.secret);
    const createOffer = (body: unknown, headers = asBologna(), tenant = 'bologna') =>
      postJson(staffUrl(tenant, 'offers'), body, headers);
    const setStatus = (recordId: string, status: unknown, headers = asBologna(), tenant = 'bologna') =>
      postJson(staffUrl(tenant, `credentials/${encodeURIComponent(recordId)}/status`), { status }, headers);

    /** Offers a permit, lets a wallet collect it, and returns the issuance record's id. */
    async function issuePermit(): Promise<{ recordId: string; offerId: string }> {
      const { recordIds, offerId } = await issueBatch(1);
      return { recordId: recordIds[0] as string, offerId };
    }

    /**
     * Offers a permit that a wallet collects as a batch of `size` instances (OpenID4VCI 1.0 §8, one
     * holder key each), and returns their records' ids and the status indices the credentials carry.
     */
    async function issueBatch(size: number): Promise<{ recordIds: string[]; offerId: string; indices: number[] }> {
      const offer = await createOffer({ type: 'residence_permit', claims: PERMIT_CLAIMS });
      expect(offer.status).toBe(201);
      const keys = await Promise.all(Array.from({ length: size }, () => newHolderKey()));
      const { credentials } = await receive(String(offer.body.link), { pin: String(offer.body.pin), keys });
      expect(credentials).toHaveLength(size);
      const offerId = String(offer.body.offerId);
      const records = await running.issuer.context.store.listIssuancesOfOffer('bologna', offerId);
      const indices = credentials.map(
        (sdJwt) => parseStatusReference(decodeJws(sdJwt.split('~')[0] as string).payload.status).idx,
      );
      expect(new Set(indices).size).toBe(size);
      expect(records.map((record) => record.statusIndex).sort(byNumber)).toEqual([...indices].sort(byNumber));
      return { recordIds: records.map((record) => record.id), offerId, indices };
    }

    /** The statuses the tenant's published status list token gives the indices, as a verifier reads them. */
    async function publishedStatuses(indices: readonly number[]): Promise<number[]> {
      const response = await fetch(`${running.origin}/tenants/bologna/status/${STATUS_LIST_ID}`);
      expect(response.status).toBe(200);
      const { payload } = decodeJws(await response.text());
      const list = await decodeStatusList(payload.status_list as unknown as EncodedStatusList, { inflate: nodeInflate });
      return indices.map((index) => list.get(index));
    }

    /** The staff list's item for the offer. */
    async function listed(offerId: string): Promise<Record<string, unknown>[]> {
      const list = await getJson(staffUrl('bologna', 'credentials?limit=100'), asBologna());
      expect(recordListSchema.parse(list.body)).toEqual(list.body);
      return (list.body.items as Record<string, unknown>[]).filter((item) => item.offerId === offerId);
    }

    beforeAll(async () => {
      database = await open();
      running = await startStaffTestIssuer(database);
    }, 60_000);
    afterAll(async () => {
      await running?.close();
      await database?.close();
    });

    it('creates an offer with QR code and PIN that a wallet redeems, recorded as issued by the API key', async () => {
      const answer = await createOffer({ type: 'residence_permit', claims: PERMIT_CLAIMS });
      expect(answer.status).toBe(201);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.body).toMatchObject({
        type: 'residence_permit',
        link: expect.stringMatching(/^openid-credential-offer:\/\/\?credential_offer_uri=/),
        linkByValue: expect.stringMatching(/^openid-credential-offer:\/\/\?credential_offer=/),
        pin: expect.stringMatching(/^\d{6}$/),
        qrSvg: expect.stringMatching(/^<svg [^>]*viewBox="0 0 \d+ \d+"[^>]*>.*<path/),
      });
      expect(answer.body.expiresAt).toBeGreaterThan(Date.now());
      const { credentials } = await receive(String(answer.body.link), {
        pin: String(answer.body.pin),
        keys: [await newHolderKey()],
      });
      expect(credentials).toHaveLength(1);

      const list = await getJson(staffUrl('bologna', 'credentials'), asBologna());
      expect(list.status).toBe(200);
      const record = (list.body.items as Record<string, unknown>[]).find((item) => item.offerId === answer.body.offerId);
      expect(record).toMatchObject({
        configurationId: 'residence_permit',
        type: 'residence_permit',
        format: 'dc+sd-jwt',
        issuedBy: running.keys.bologna.id,
        status: 'valid',
        instances: 1,
        statusEntries: [{ statusListId: STATUS_LIST_ID, statusIndex: expect.any(Number), status: 'valid' }],
      });
      expect(record).not.toHaveProperty('claims');
      expect(JSON.stringify(list.body)).not.toContain(PERMIT_SECRET);
    });

    it('offers without a PIN when asked, and says so by leaving the PIN out', async () => {
      const answer = await createOffer({ type: 'residence_permit', claims: PERMIT_CLAIMS, pin: false });
      expect(answer.status).toBe(201);
      expect(answer.body).not.toHaveProperty('pin');
    });

    it("opens a tenant's API only with that tenant's key", async () => {
      const caritasKey = bearer(running.keys.caritas.secret);
      // Caritas' key on Bologna's API, and the other way round.
      for (const [tenant, headers] of [
        ['bologna', caritasKey],
        ['caritas', asBologna()],
      ] as const) {
        for (const answer of [
          await getJson(staffUrl(tenant, 'session'), headers),
          await getJson(staffUrl(tenant, 'credentials'), headers),
          await getJson(staffUrl(tenant, 'audit'), headers),
          await createOffer({ type: 'ngo_registration', claims: {} }, headers, tenant),
          await setStatus('anything', 'revoked', headers, tenant),
        ]) {
          expect(answer.status).toBe(401);
          expect(answer.body.error).toBe('invalid_token');
          expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="tessera-staff", error="invalid_token"');
        }
      }
      expect((await getJson(staffUrl('caritas', 'session'), caritasKey)).body).toEqual({
        tenant: 'caritas',
        keyId: running.keys.caritas.id,
        label: 'Caritas desk',
      });
    });

    it('refuses a missing, malformed or revoked key with 401, and an unknown tenant with 404', async () => {
      for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer' }, { authorization: 'Bearer a b' }]) {
        const answer = await getJson(staffUrl('bologna', 'session'), headers);
        expect(answer.status).toBe(401);
        expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="tessera-staff"');
      }
      const key = await createStaffApiKey(running.issuer.context.store, 'bologna', 'Temporary');
      expect((await getJson(staffUrl('bologna', 'session'), bearer(key.secret))).status).toBe(200);
      await running.issuer.context.store.revokeApiKey('bologna', key.id);
      expect((await getJson(staffUrl('bologna', 'session'), bearer(key.secret))).status).toBe(401);
      expect((await getJson(staffUrl('nowhere', 'session'), asBologna())).status).toBe(404);
      expect((await getJson(staffUrl('BAD%20ID', 'session'), asBologna())).status).toBe(404);
    });

    it('refuses claims that do not fit the type, naming the claim and never its value', async () => {
      const planted = 'PLANTED-VALUE-7731';
      const cases: [unknown, RegExp][] = [
        [{ ...PERMIT_CLAIMS, birth_date: planted }, /birth_date.*YYYY-MM-DD/],
        [{ ...PERMIT_CLAIMS, nationality: planted }, /nationality/],
        [{ ...PERMIT_CLAIMS, address: { locality: planted, floor: planted } }, /address.*floor/],
        [{ ...PERMIT_CLAIMS, given_name: undefined }, /given_name.*required/],
        [{ ...PERMIT_CLAIMS, age_equal_or_over: { '18': planted } }, /age_equal_or_over.*true or false/],
      ];
      for (const [claims, message] of cases) {
        const answer = await createOffer({ type: 'residence_permit', claims });
        expect(answer.status).toBe(400);
        expect(answer.body.error).toBe('claims_invalid');
        expect(String(answer.body.error_description)).toMatch(message);
        expect(JSON.stringify(answer.body)).not.toContain(planted);
      }
    });

    it('refuses a type the tenant does not issue, and one that does not exist', async () => {
      for (const type of ['ngo_registration', 'no_such_type']) {
        const answer = await createOffer({ type, claims: {} });
        expect(answer.status).toBe(400);
        expect(answer.body.error).toBe('unsupported_credential_type');
      }
    });

    it('answers malformed requests with a JSON 4xx, never a 500', async () => {
      const url = staffUrl('bologna', 'offers');
      const raw = (body: string, contentType: string) =>
        fetch(url, { method: 'POST', headers: { ...asBologna(), 'content-type': contentType }, body }).then(
          async (response): Promise<HttpAnswer> => ({
            status: response.status,
            headers: response.headers,
            body: await response.json(),
          }),
        );
      const answers: [HttpAnswer, number, string][] = [
        [await raw('type=residence_permit', 'application/x-www-form-urlencoded'), 415, 'invalid_request'],
        [await raw('{"type": ', 'application/json'), 400, 'invalid_request'],
        [
          await raw(JSON.stringify({ type: 'x', claims: { a: 'b'.repeat(100_000) } }), 'application/json'),
          413,
          'invalid_request',
        ],
        [await raw('[1,2]', 'application/json'), 400, 'invalid_request'],
        [await raw('"text"', 'application/json'), 400, 'invalid_request'],
        [await raw('null', 'application/json'), 400, 'invalid_request'],
        [await createOffer({ type: 'residence_permit', claims: PERMIT_CLAIMS, extra: 1 }), 400, 'invalid_request'],
        [await createOffer({ type: 'residence_permit', claims: PERMIT_CLAIMS, pin: 'yes' }), 400, 'invalid_request'],
        [await createOffer({ type: 'residence_permit', claims: [] }), 400, 'invalid_request'],
        [await createOffer({ type: '../../etc', claims: {} }), 400, 'invalid_request'],
        [await createOffer({ claims: PERMIT_CLAIMS }), 400, 'invalid_request'],
        [
          await raw('{"type":"residence_permit","claims":{"__proto__":{"given_name":"x"}}}', 'application/json'),
          400,
          'claims_invalid',
        ],
      ];
      for (const [answer, status, error] of answers) {
        expect({ status: answer.status, error: answer.body.error }).toEqual({ status, error });
        expect(typeof answer.body.error_description).toBe('string');
      }
      expect((await createOffer({ type: 'residence_permit', claims: PERMIT_CLAIMS, pin: 'yes' })).body.error_description).toMatch(
        /^pin: /,
      );
    });

    it('suspends, reinstates and revokes; a revoked credential stays revoked (status list §7.1)', async () => {
      const { recordId } = await issuePermit();
      const record = await running.issuer.context.store.getIssuance('bologna', recordId);
      const statusOf = async () =>
        (await running.issuer.context.store.readStatuses('bologna', STATUS_LIST_ID))?.entries.find(
          (entry) => entry.index === record?.statusIndex,
        )?.status ?? 0;

      const answer = (status: string, changed: boolean) => ({ id: recordId, status, changed, instances: 1 });
      const suspended = await setStatus(recordId, 'suspended');
      expect(suspended.body).toEqual(answer('suspended', true));
      expect(setStatusResponseSchema.parse(suspended.body)).toEqual(suspended.body);
      expect(await statusOf()).toBe(2);
      expect((await setStatus(recordId, 'valid')).body).toEqual(answer('valid', true));
      expect(await statusOf()).toBe(0);
      expect((await setStatus(recordId, 'valid')).body).toEqual(answer('valid', false));
      expect((await setStatus(recordId, 'revoked')).body).toEqual(answer('revoked', true));
      expect(await statusOf()).toBe(1);

      for (const wanted of ['valid', 'suspended']) {
        const answer = await setStatus(recordId, wanted);
        expect(answer.status).toBe(409);
        expect(answer.body.error).toBe('status_final');
      }
      expect(await statusOf()).toBe(1);
      expect((await setStatus(recordId, 'revoked')).body).toEqual(answer('revoked', false));

      const list = await getJson(staffUrl('bologna', 'credentials'), asBologna());
      expect((list.body.items as { id: string; status: string }[]).find((item) => item.id === recordId)?.status).toBe('revoked');
    });

    it('revokes all three instances of a batch, whichever record is named, in the published status list', async () => {
      const { recordIds, offerId, indices } = await issueBatch(3);
      // Staff see one credential, collected three times.
      const [item] = await listed(offerId);
      expect(await listed(offerId)).toHaveLength(1);
      expect(item).toMatchObject({ id: recordIds[0], status: 'valid', instances: 3 });
      const statusEntries = (item?.statusEntries ?? []) as { statusIndex: number }[];
      expect(statusEntries.map((entry) => entry.statusIndex).sort(byNumber)).toEqual([...indices].sort(byNumber));
      expect(await publishedStatuses(indices)).toEqual([0, 0, 0]);

      const named = recordIds[1] as string;
      const revoked = await setStatus(named, 'revoked');
      expect(revoked.status).toBe(200);
      expect(revoked.body).toEqual({ id: named, status: 'revoked', changed: true, instances: 3 });
      // INVALID (1) for every instance: the holder has no other one left to present.
      expect(await publishedStatuses(indices)).toEqual([1, 1, 1]);
      expect((await listed(offerId))[0]).toMatchObject({
        status: 'revoked',
        statusEntries: [{ status: 'revoked' }, { status: 'revoked' }, { status: 'revoked' }],
      });

      // Final for all: through any of the records.
      for (const recordId of recordIds) {
        for (const wanted of ['valid', 'suspended']) {
          const answer = await setStatus(recordId, wanted);
          expect({ status: answer.status, error: answer.body.error }).toEqual({ status: 409, error: 'status_final' });
        }
        expect((await setStatus(recordId, 'revoked')).body).toEqual({
          id: recordId,
          status: 'revoked',
          changed: false,
          instances: 3,
        });
      }
      expect(await publishedStatuses(indices)).toEqual([1, 1, 1]);

      // One audit entry for the one change, naming the record and the instances.
      const audit = (await getJson(staffUrl('bologna', 'audit?limit=100'), asBologna())).body.items as Record<string, unknown>[];
      const entries = audit.filter((entry) => recordIds.includes(String(entry.target)));
      expect(entries).toEqual([
        expect.objectContaining({
          action: 'credential.revoke',
          target: named,
          actor: running.keys.bologna.id,
          details: { from: 'valid', to: 'revoked', instances: 3, changed: 3 },
        }),
      ]);
    });

    it('suspends and reinstates every instance of a batch on a 2-bit list', async () => {
      const { recordIds, indices } = await issueBatch(2);
      const first = recordIds[0] as string;
      expect((await setStatus(first, 'suspended')).body).toEqual({ id: first, status: 'suspended', changed: true, instances: 2 });
      expect(await publishedStatuses(indices)).toEqual([2, 2]);
      const second = recordIds[1] as string;
      expect((await setStatus(second, 'valid')).body).toEqual({ id: second, status: 'valid', changed: true, instances: 2 });
      expect(await publishedStatuses(indices)).toEqual([0, 0]);
      expect((await setStatus(second, 'valid')).body).toEqual({ id: second, status: 'valid', changed: false, instances: 2 });
    });

    it('finishes a change cut short: an instance left valid shows, a revoked one stays revoked', async () => {
      const { recordIds, offerId, indices } = await issueBatch(3);
      // As if a revocation had stopped after the first instance (a crash between two entries).
      const [cut, ...rest] = await running.issuer.context.store.listIssuancesOfOffer('bologna', offerId);
      expect(await running.issuer.context.store.setStatus('bologna', STATUS_LIST_ID, cut?.statusIndex as number, 1)).toBe(true);
      const at = (record: { statusIndex: number } | undefined) => indices.indexOf(record?.statusIndex as number);
      const expectPublished = async (cutStatus: number, restStatus: number) => {
        const published = await publishedStatuses(indices);
        expect(published[at(cut)]).toBe(cutStatus);
        for (const record of rest) expect(published[at(record)]).toBe(restStatus);
      };

      // The holder can still present two instances: staff see it as valid, not revoked.
      expect((await listed(offerId))[0]).toMatchObject({ status: 'valid', instances: 3 });
      const named = recordIds[2] as string;
      expect((await setStatus(named, 'suspended')).body).toEqual({ id: named, status: 'suspended', changed: true, instances: 3 });
      await expectPublished(1, 2);
      // Reinstating reinstates the suspended instances only.
      expect((await setStatus(named, 'valid')).body).toEqual({ id: named, status: 'valid', changed: true, instances: 3 });
      await expectPublished(1, 0);
      expect((await setStatus(named, 'valid')).body).toEqual({ id: named, status: 'valid', changed: false, instances: 3 });
      // Revoking again revokes the rest.
      expect((await setStatus(named, 'revoked')).body).toEqual({ id: named, status: 'revoked', changed: true, instances: 3 });
      await expectPublished(1, 1);
      const audit = (await getJson(staffUrl('bologna', 'audit?limit=1'), asBologna())).body.items as Record<string, unknown>[];
      expect(audit[0]?.details).toEqual({ from: 'valid', to: 'revoked', instances: 3, changed: 2 });
    });

    it('refuses unknown records, records of another tenant and bad statuses', async () => {
      const { recordId } = await issuePermit();
      expect((await setStatus('no-such-record', 'revoked')).status).toBe(404);
      expect((await setStatus('bad id with spaces', 'revoked')).status).toBe(404);
      expect((await setStatus('x'.repeat(500), 'revoked')).status).toBe(404);
      // Bologna's record through Caritas' API, with Caritas' own key: unknown there.
      expect((await setStatus(recordId, 'revoked', bearer(running.keys.caritas.secret), 'caritas')).status).toBe(404);
      for (const status of ['REVOKED', 'deleted', 1, null, undefined]) {
        const answer = await setStatus(recordId, status);
        expect(answer.status).toBe(400);
        expect(answer.body.error).toBe('invalid_request');
      }
      expect((await getJson(staffUrl('bologna', 'credentials'), asBologna())).body.items).toContainEqual(
        expect.objectContaining({ id: recordId, status: 'valid' }),
      );
    });

    it('refuses to suspend on a tenant whose status list has 1 bit, and still revokes', async () => {
      const caritas = bearer(running.keys.caritas.secret);
      const offer = await createOffer(
        {
          type: 'ngo_registration',
          claims: {
            given_name: 'Yonas',
            family_name: 'Tesfaye',
            organisation: 'Caritas',
            registered: true,
            registration_date: '2025-03-12',
          },
        },
        caritas,
        'caritas',
      );
      expect(offer.status).toBe(201);
      await receive(String(offer.body.link), { pin: String(offer.body.pin), keys: [await newHolderKey()] });
      const [record] = (await getJson(staffUrl('caritas', 'credentials?limit=1'), caritas)).body.items as { id: string }[];
      const suspend = await setStatus(String(record?.id), 'suspended', caritas, 'caritas');
      expect(suspend.status).toBe(409);
      expect(suspend.body.error).toBe('suspension_unsupported');
      expect((await setStatus(String(record?.id), 'revoked', caritas, 'caritas')).body.status).toBe('revoked');
    });

    it('audits every change with the API key as actor, and never a claim value', async () => {
      const { recordId, offerId } = await issuePermit();
      await setStatus(recordId, 'suspended');
      await setStatus(recordId, 'valid');
      await setStatus(recordId, 'revoked');
      await setStatus(recordId, 'valid'); // refused: not audited

      const answer = await getJson(staffUrl('bologna', 'audit?limit=4'), asBologna());
      expect(answer.status).toBe(200);
      const entries = answer.body.items as Record<string, unknown>[];
      expect(entries.map((entry) => [entry.action, entry.target, entry.actor])).toEqual([
        ['credential.revoke', recordId, running.keys.bologna.id],
        ['credential.reinstate', recordId, running.keys.bologna.id],
        ['credential.suspend', recordId, running.keys.bologna.id],
        ['offer.create', offerId, running.keys.bologna.id],
      ]);
      expect(entries[0]?.details).toEqual({ from: 'valid', to: 'revoked', instances: 1, changed: 1 });
      expect(entries[3]?.details).toEqual({ type: 'residence_permit', pin: true });

      // Every audit row ever written, read straight from the database: no claim value anywhere.
      const { rows } = await sql`select * from issuer_audit`.execute(database.kysely);
      expect(rows.length).toBeGreaterThanOrEqual(5);
      const dump = JSON.stringify(rows);
      for (const value of [PERMIT_SECRET, 'Haile', '1994-03-07', PERMIT_CLAIMS.address.street_address, 'lawfully_resident'])
        expect(dump).not.toContain(value);
    });

    it('pages records and audit entries, and refuses bad paging parameters', async () => {
      await issuePermit();
      await issuePermit();
      const first = await getJson(staffUrl('bologna', 'credentials?limit=1'), asBologna());
      expect(first.body.items).toHaveLength(1);
      const cursor = String(first.body.nextCursor);
      const second = await getJson(staffUrl('bologna', `credentials?limit=1&cursor=${encodeURIComponent(cursor)}`), asBologna());
      expect(second.body.items).toHaveLength(1);
      expect((second.body.items as { id: string }[])[0]?.id).not.toBe((first.body.items as { id: string }[])[0]?.id);

      for (const [query, error] of [
        ['limit=0', 'invalid_request'],
        ['limit=101', 'invalid_request'],
        ['limit=abc', 'invalid_request'],
        ['limit=1&limit=2', 'invalid_request'],
        ['other=1', 'invalid_request'],
        ['cursor=not-a-cursor', 'page_cursor_invalid'],
      ] as const) {
        for (const path of ['credentials', 'audit']) {
          const answer = await getJson(staffUrl('bologna', `${path}?${query}`), asBologna());
          expect({ query, path, status: answer.status, error: answer.body.error }).toEqual({ query, path, status: 400, error });
        }
      }
    });

    it('serves the page under a strict CSP at a path ending in "/", for known tenants only', async () => {
      const redirect = await fetch(`${running.origin}/tenants/bologna/staff?lang=de`, { redirect: 'manual' });
      expect(redirect.status).toBe(308);
      expect(redirect.headers.get('location')).toBe('/tenants/bologna/staff/?lang=de');
      const page = await fetch(staffUrl('bologna', '?lang=%3Cscript%3E'));
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'self'; /);
      const text = await page.text();
      expect(text).toContain('<html lang="en" dir="ltr">');
      expect(text).not.toContain('<script>');
      expect((await fetch(staffUrl('nowhere', ''))).status).toBe(404);
      for (const asset of ['staff.js', 'staff.css', 'favicon.svg'])
        expect((await fetch(staffUrl('bologna', asset))).status).toBe(200);
    });

    it('gives staff routes no CORS, and answers unknown staff paths and methods itself', async () => {
      const answer = await getJson(staffUrl('bologna', 'session'), { ...asBologna(), origin: 'https://elsewhere.example' });
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      const preflight = await fetch(staffUrl('bologna', 'offers'), {
        method: 'OPTIONS',
        headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(404);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      expect((await getJson(staffUrl('bologna', 'nothing-here'), asBologna())).status).toBe(404);
      const wrongMethod = await fetch(staffUrl('bologna', 'offers'), { method: 'DELETE', headers: asBologna() });
      expect(wrongMethod.status).toBe(404);
      expect((await wrongMethod.json()).error).toBe('not_found');
    });
  });
}

staffSuite('the staff API on PGlite', () => openDatabase({ kind: 'pglite' }));
describePostgres('the staff API on PostgreSQL', (connect) => {
  staffSuite('with the same behaviour', async () => (await connect()).openAnother());
});

describe('the staff rate limit', () => {
  let running: RunningIssuer;
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    running = await startStaffTestIssuer(database, { staff: { rateLimit: { windowMs: 60_000, max: 3 } } });
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    await database?.close();
  });

  it('answers 429 with Retry-After once an address has used up its requests', async () => {
    const url = `${running.origin}/tenants/bologna/staff/session`;
    const answers: Response[] = [];
    for (let i = 0; i < 5; i++) answers.push(await fetch(url, { headers: bearer(running.keys.bologna.secret) }));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429, 429]);
    const last = answers[4] as Response;
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await last.json()).error).toBe('too_many_requests');
  });
});
