/**
 * DCQL with real SD-JWT VCs: the wallet matches the query against the credentials it holds,
 * presents exactly the paths the matcher chose, and the verifier checks the verified result
 * against the same query.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../encoding/json.ts';
import { isTesseraError } from '../errors/tessera-error.ts';
import { presentSdJwt } from '../sd-jwt/present.ts';
import { AUDIENCE, clock, crypto, holder, issuer, NONCE, NOW } from '../sd-jwt/test-helpers.ts';
import { issueSdJwtVc } from '../sd-jwt-vc/issue.ts';
import { verifySdJwtVc } from '../sd-jwt-vc/verify.ts';
import { checkDcqlResponse, type DcqlPresentation } from './check-response.ts';
import { type DcqlCandidate, matchDcqlQuery } from './match.ts';
import { parseDcqlQuery } from './query.ts';

const RESIDENCE = 'https://tessera.example/residence-permit';
const SECRET_BIRTHDATE = '1990-02-03';

const QUERY = parseDcqlQuery({
  credentials: [
    {
      id: 'residence',
      format: 'dc+sd-jwt',
      meta: { vct_values: [RESIDENCE] },
      claims: [
        { id: 'over_18', path: ['age_equal_or_over', '18'], values: [true] },
        { id: 'birthdate', path: ['birthdate'] },
        { id: 'city', path: ['address', 'locality'] },
        { id: 'eu', path: ['nationalities', null], values: ['DE', 'FR', 'IT'] },
      ],
      claim_sets: [
        ['over_18', 'city', 'eu'],
        ['birthdate', 'city', 'eu'],
      ],
    },
  ],
});

async function issue(claims: JsonObject): Promise<string> {
  return issueSdJwtVc({
    issuer: 'https://issuer.example',
    vct: RESIDENCE,
    claims,
    disclosable: [
      ['birthdate'],
      ['age_equal_or_over', '18'],
      ['address', 'locality'],
      ['address', 'street_address'],
      ['nationalities', null],
    ],
    holderKey: holder.publicJwk,
    issuedAt: NOW - 60,
    signingKey: issuer.signingKey,
    crypto,
  });
}

/** What the wallet sees of a credential it holds: the payload with every disclosure applied. */
async function holderView(id: string, sdJwt: string): Promise<DcqlCandidate> {
  const { claims } = await verifySdJwtVc(sdJwt, { issuerKey: issuer.publicJwk, crypto, keyBinding: 'forbidden', clock });
  return { id, format: 'dc+sd-jwt', claims };
}

async function verified(presentation: string): Promise<DcqlPresentation> {
  const result = await verifySdJwtVc(presentation, {
    issuerKey: issuer.publicJwk,
    crypto,
    keyBinding: 'required',
    audience: AUDIENCE,
    nonce: NONCE,
    clock,
  });
  return { format: 'dc+sd-jwt', vct: result.vct, claims: result.claims, disclosed: result.disclosed, holderBound: true };
}

describe('DCQL round trip with SD-JWT VCs', () => {
  it('discloses only the preferred claim set and the matching array element, and the verifier accepts it', async () => {
    const credential = await issue({
      birthdate: SECRET_BIRTHDATE,
      age_equal_or_over: { '18': true, '65': false },
      address: { locality: 'Köln', street_address: 'Heidestr. 17' },
      nationalities: ['SY', 'DE'],
    });
    const match = matchDcqlQuery(QUERY, [await holderView('permit', credential)]);
    expect(match.satisfiable).toBe(true);
    const [candidate] = match.credentials[0]?.candidates ?? [];
    expect(candidate?.selection).toEqual({
      claimSetIndex: 0,
      disclose: [
        ['age_equal_or_over', '18'],
        ['address', 'locality'],
        ['nationalities', 1],
      ],
    });
    expect(candidate?.alternatives.map(({ claimSetIndex }) => claimSetIndex)).toEqual([1]);

    const presentation = await presentSdJwt(credential, {
      disclose: candidate?.selection.disclose ?? [],
      crypto,
      keyBinding: { signingKey: holder.signingKey, audience: AUDIENCE, nonce: NONCE, issuedAt: NOW },
    });
    const answer = await verified(presentation);
    expect(JSON.stringify(answer.claims)).not.toContain(SECRET_BIRTHDATE);
    expect(answer.claims.nationalities).toEqual(['DE']);

    const result = checkDcqlResponse(QUERY, { residence: [answer] });
    expect(result.queryIds).toEqual(['residence']);
    expect(result.queries[0]?.presentations).toEqual([{ claimSetIndex: 0, unrequested: [] }]);
  });

  it('falls back to the second claim set for a credential without the age claim', async () => {
    const credential = await issue({
      birthdate: SECRET_BIRTHDATE,
      address: { locality: 'Köln' },
      nationalities: ['FR'],
    });
    const match = matchDcqlQuery(QUERY, [await holderView('old-permit', credential)]);
    const selection = match.credentials[0]?.candidates[0]?.selection;
    expect(selection).toEqual({ claimSetIndex: 1, disclose: [['birthdate'], ['address', 'locality'], ['nationalities', 0]] });

    const presentation = await presentSdJwt(credential, {
      disclose: selection?.disclose ?? [],
      crypto,
      keyBinding: { signingKey: holder.signingKey, audience: AUDIENCE, nonce: NONCE, issuedAt: NOW },
    });
    const result = checkDcqlResponse(QUERY, { residence: [await verified(presentation)] });
    expect(result.queries[0]?.presentations[0]?.claimSetIndex).toBe(1);
  });

  it('lets the verifier refuse a presentation that withholds a requested claim, and flag over-disclosure', async () => {
    const credential = await issue({
      birthdate: SECRET_BIRTHDATE,
      age_equal_or_over: { '18': true },
      address: { locality: 'Köln', street_address: 'Heidestr. 17' },
      nationalities: ['DE'],
    });
    const keyBinding = { signingKey: holder.signingKey, audience: AUDIENCE, nonce: NONCE, issuedAt: NOW };
    const withheld = await presentSdJwt(credential, {
      disclose: [
        ['age_equal_or_over', '18'],
        ['nationalities', 0],
      ],
      crypto,
      keyBinding,
    });
    let error: unknown;
    try {
      checkDcqlResponse(QUERY, { residence: [await verified(withheld)] });
    } catch (caught) {
      error = caught;
    }
    expect(isTesseraError(error, 'dcql_unsatisfied')).toBe(true);

    const oversharing = await presentSdJwt(credential, {
      disclose: [['age_equal_or_over', '18'], ['address'], ['nationalities', 0]],
      crypto,
      keyBinding,
    });
    const result = checkDcqlResponse(QUERY, { residence: [await verified(oversharing)] });
    expect(result.queries[0]?.presentations[0]?.unrequested).toEqual([['address', 'street_address']]);
  });
});
