/**
 * The DCQL cases (OpenID4VP 1.0 §6): one `dc+sd-jwt` credential query asking for n claims, and one
 * credential holding exactly those n claims, for n in `DCQL_SIZES`. Each library parses the query,
 * matches it against the held credential (wallet side) and checks a presentation that discloses all
 * n claims (verifier side). The peer is `dcql` (OpenWallet Foundation Labs), on the same inputs.
 */
import { strictEqual, throws } from 'node:assert/strict';
import {
  type ClaimPath,
  checkDcqlResponse,
  type DcqlCandidate,
  type DcqlPresentation,
  DEFAULT_DCQL_LIMITS,
  isTesseraError,
  type JsonObject,
  matchDcqlQuery,
  parseDcqlQuery,
} from '@tessera/shared';
import { DcqlPresentationResult, DcqlQuery, type DcqlSdJwtVcCredential } from 'dcql';
import { ISSUER, VCT } from './fixtures.ts';

export const DCQL_SIZES = [1, 10, 100, 1000] as const;
export const DCQL_OPERATIONS = ['parse', 'match', 'check'] as const;
export type DcqlOperation = (typeof DCQL_OPERATIONS)[number];

export interface DcqlSize {
  claims: number;
  tessera: Record<DcqlOperation, () => unknown>;
  dcql: Record<DcqlOperation, () => unknown>;
}

/** Builds the query, credential and presentation for each size and checks both libraries on them. */
export function prepareDcql(): DcqlSize[] {
  return DCQL_SIZES.map((n) => {
    const names = Array.from({ length: n }, (_, i) => `claim_${i}`);
    const paths: ClaimPath[] = names.map((name) => [name]);
    const query = {
      credentials: [
        { id: 'pid', format: 'dc+sd-jwt' as const, meta: { vct_values: [VCT] }, claims: names.map((name) => ({ path: [name] })) },
      ],
    };
    const held = credentialClaims(names);
    // Past 100 claims the parser's default ceiling for an untrusted query has to be raised.
    const limits = { maxClaimsPerQuery: Math.max(n, DEFAULT_DCQL_LIMITS.maxClaimsPerQuery) };

    const parsed = parseDcqlQuery(query, limits);
    const candidates = (claims: JsonObject): DcqlCandidate[] => [{ id: 'held-1', format: 'dc+sd-jwt', claims }];
    const response = (claims: JsonObject, disclosed: ClaimPath[]): Record<string, DcqlPresentation[]> => ({
      pid: [{ format: 'dc+sd-jwt', claims, disclosed, holderBound: true }],
    });
    const tessera = {
      parse: () => parseDcqlQuery(query, limits),
      match: () => matchDcqlQuery(parsed, candidates(held)),
      check: () => checkDcqlResponse(parsed, response(held, paths)),
    };

    const peerQuery = DcqlQuery.parse(query);
    DcqlQuery.validate(peerQuery);
    const peerCredential = (claims: JsonObject): DcqlSdJwtVcCredential => ({
      credential_format: 'dc+sd-jwt',
      vct: VCT,
      claims,
      cryptographic_holder_binding: true,
    });
    const dcql = {
      parse: () => DcqlQuery.validate(DcqlQuery.parse(query)),
      match: () => DcqlQuery.query(peerQuery, [peerCredential(held)]),
      check: () => DcqlPresentationResult.fromDcqlPresentation({ pid: [peerCredential(held)] }, { dcqlQuery: peerQuery }),
    };

    // Both answer the full credential alike…
    const match = matchDcqlQuery(parsed, candidates(held));
    strictEqual(match.satisfiable, true);
    strictEqual(match.credentials[0]?.candidates[0]?.selection.disclose.length, n);
    strictEqual(checkDcqlResponse(parsed, response(held, paths)).satisfied, true);
    strictEqual(DcqlQuery.query(peerQuery, [peerCredential(held)]).can_be_satisfied, true);
    strictEqual(dcql.check().can_be_satisfied, true);
    // …and both notice when the last claim is missing.
    const short = credentialClaims(names.slice(0, -1));
    strictEqual(matchDcqlQuery(parsed, candidates(short)).satisfiable, false);
    throws(
      () => checkDcqlResponse(parsed, response(short, paths.slice(0, -1))),
      (e) => isTesseraError(e, 'dcql_unsatisfied'),
    );
    strictEqual(DcqlQuery.query(peerQuery, [peerCredential(short)]).can_be_satisfied, false);
    const peerShort = DcqlPresentationResult.fromDcqlPresentation({ pid: [peerCredential(short)] }, { dcqlQuery: peerQuery });
    strictEqual(peerShort.can_be_satisfied, false);

    return { claims: n, tessera, dcql };
  });
}

/** The holder's view of the credential: the registered claims and the n subject claims. */
function credentialClaims(names: readonly string[]): JsonObject {
  const claims: JsonObject = {
    iss: ISSUER,
    vct: VCT,
    iat: 1_767_225_600,
    cnf: { jwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' } },
  };
  for (const [i, name] of names.entries()) claims[name] = `value ${i}`;
  return claims;
}
