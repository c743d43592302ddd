/**
 * `POST /tenants/{tenant}/staff/offers` over real HTTP on 127.0.0.1 (PGlite, the real clock): a
 * residence permit whose own `valid_until` day is over is refused as `claims_invalid`, since the
 * credential would be born expired; one that ends soon is offered, and the wallet's credential
 * ends with that day (00:00 UTC after it) rather than 365 days after issuance.
 */
import { decodeJws } from '@tessera/shared';
import { type Database, openDatabase } from '@tessera/shared/node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, newHolderKey, postJson, receive } from '../oid4vci/test-wallet.ts';
import { PERMIT_CLAIMS, PERMIT_SECRET, type RunningIssuer, startStaffTestIssuer } from './test-issuer.ts';

const DAY_MS = 86_400_000;
/** The UTC calendar day `days` from now, as `YYYY-MM-DD`. */
const dayFromNow = (days: number): string => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

describe('creating an offer for a type whose validity ends with a date claim', () => {
  let running: RunningIssuer;
  let database: Database;
  const createOffer = (body: unknown) =>
    postJson(`${running.origin}/tenants/bologna/staff/offers`, body, {
      authorization: `Bearer ${running.keys.bologna.secret}`,
    });
  const offersStored = async (): Promise<number> => {
    const { rows } = await sql<{ count: number }>`select count(*)::int as count from issuer_offer`.execute(database.kysely);
    return rows[0]?.count ?? 0;
  };

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    running = await startStaffTestIssuer(database);
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    await database?.close();
  });

  it('refuses a residence permit whose valid_until day is over with claims_invalid, naming the claim, never the date', async () => {
    for (const validUntil of [dayFromNow(-2), '2001-01-31']) {
      const answer = await createOffer({ type: 'residence_permit', claims: { ...PERMIT_CLAIMS, valid_until: validUntil } });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        error: 'claims_invalid',
        error_description: "Claim 'valid_until' names a day that is over: the credential would be born expired",
      });
      expect(JSON.stringify(answer.body)).not.toContain(validUntil);
      expect(JSON.stringify(answer.body)).not.toContain(PERMIT_SECRET);
    }
    // Nothing stored, nothing audited.
    expect(await offersStored()).toBe(0);
    const audit = await getJson(`${running.origin}/tenants/bologna/staff/audit`, {
      authorization: `Bearer ${running.keys.bologna.secret}`,
    });
    expect(audit.body.items).toEqual([]);
  });

  it('offers a permit that ends tomorrow, and the wallet’s credential ends at 00:00 UTC after that day', async () => {
    const validUntil = dayFromNow(1);
    const answer = await createOffer({ type: 'residence_permit', claims: { ...PERMIT_CLAIMS, valid_until: validUntil } });
    expect(answer.status).toBe(201);
    const { credentials } = await receive(String(answer.body.link), {
      pin: String(answer.body.pin),
      keys: [await newHolderKey()],
    });
    const { payload } = decodeJws((credentials[0] as string).split('~')[0] as string);
    expect(payload.exp).toBe(Date.parse(`${validUntil}T00:00:00Z`) / 1000 + 86_400);
    expect(payload.exp).toBeLessThan((payload.iat as number) + 365 * 86_400);
  });

  it('leaves the dates of other types alone: a registration date in the past is what it should be', async () => {
    const answer = await createOffer({
      type: 'asylum_seeker_registration',
      claims: {
        given_name: 'Yonas',
        family_name: 'Tesfay',
        birth_date: '2001-11-20',
        nationality: 'ER',
        registration_number: 'BO-2025-0042',
        registration_date: '2025-02-14',
      },
    });
    expect(answer.status).toBe(201);
  });
});
