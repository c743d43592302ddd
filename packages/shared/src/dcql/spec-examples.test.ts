/**
 * The DCQL examples of OpenID4VP 1.0 (spec-examples/README.md): each parses to itself, the wallet
 * matcher finds a credential built to answer it, and the verifier accepts the answer the matcher
 * proposes. Formats this code cannot evaluate (mso_mdoc) parse but never match.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ClaimPath } from '../claim-path/claim-path.ts';
import type { JsonObject, JsonValue } from '../encoding/json.ts';
import { isTesseraError } from '../errors/tessera-error.ts';
import { checkDcqlResponse, type DcqlPresentation } from './check-response.ts';
import { type DcqlCandidate, matchDcqlQuery } from './match.ts';
import { type DcqlCredentialQuery, isJwtVcJsonCredentialQuery, isSdJwtVcCredentialQuery, parseDcqlQuery } from './query.ts';

const folder = new URL('spec-examples/', import.meta.url);
const files = readdirSync(folder).filter((name) => name.endsWith('.json'));
const read = (file: string): unknown => JSON.parse(readFileSync(new URL(file, folder), 'utf8'));

/** Sets `value` at `path`, creating objects and (for positions and `null`) one-element arrays. */
function put(root: JsonObject, path: ClaimPath, value: JsonValue): void {
  let node: JsonValue = root;
  path.forEach((step, i) => {
    const last = i === path.length - 1;
    const next = path[i + 1];
    const fresh = (): JsonValue => (last ? value : typeof next === 'string' ? {} : []);
    if (typeof step === 'string') {
      const object = node as JsonObject;
      object[step] ??= fresh();
      node = object[step];
    } else {
      const array = node as JsonValue[];
      const index = step ?? 0;
      while (array.length <= index) array.push(null);
      array[index] ??= fresh();
      node = array[index] as JsonValue;
    }
  });
}

/** A credential holding every claim the credential query names, with an allowed value. */
function candidateFor(query: DcqlCredentialQuery): DcqlCandidate | undefined {
  const claims: JsonObject = { cnf: { jwk: { kty: 'EC' } } };
  for (const claim of query.claims ?? []) put(claims, claim.path, claim.values?.[0] ?? `value of ${claim.path.join('.')}`);
  if (isSdJwtVcCredentialQuery(query)) {
    return { id: query.id, format: 'dc+sd-jwt', vct: query.meta.vct_values[0] as string, claims };
  }
  if (isJwtVcJsonCredentialQuery(query)) {
    return { id: query.id, format: 'jwt_vc_json', types: query.meta.type_values[0] as string[], claims };
  }
  return undefined;
}

it('lists every example file in the README', () => {
  const readme = readFileSync(new URL('README.md', folder), 'utf8');
  expect(files).toHaveLength(8);
  expect(evaluated).toEqual([
    'claims_alternatives.json',
    'credentials_alternatives.json',
    'dcql_jwt_vc.json',
    'simple.json',
    'value_matching_simple.json',
  ]);
  for (const file of files) expect(readme).toContain(`\`${file}\``);
});

/** Examples whose every credential query is of a format the matcher evaluates. */
const evaluated = files.filter((file) => parseDcqlQuery(read(file)).credentials.every((q) => candidateFor(q) !== undefined));

describe.each(files)('OpenID4VP 1.0 example %s', (file) => {
  it('parses to exactly its JSON', () => {
    const json = read(file);
    expect(parseDcqlQuery(json)).toEqual(json);
  });
});

describe.each(evaluated)('OpenID4VP 1.0 example %s, answered', (file) => {
  const query = parseDcqlQuery(read(file));
  const candidates = query.credentials.map(candidateFor) as DcqlCandidate[];

  it('is satisfiable by credentials holding the claims it names', () => {
    const result = matchDcqlQuery(query, candidates);
    expect(result.satisfiable).toBe(true);
    for (const match of result.credentials) expect(match.candidates.map((c) => c.candidateId)).toEqual([match.queryId]);
  });

  it('is satisfied by the response the matcher proposes', () => {
    const result = matchDcqlQuery(query, candidates);
    const presented: Record<string, DcqlPresentation[]> = {};
    for (const match of result.credentials) {
      const candidate = candidates.find(({ id }) => id === match.candidates[0]?.candidateId) as DcqlCandidate;
      const presentation: DcqlPresentation = {
        format: candidate.format,
        claims: candidate.claims,
        disclosed: match.candidates[0]?.selection.disclose.filter((path) => !path.includes(null)) ?? [],
      };
      presented[match.queryId] = [
        candidate.vct === undefined ? { ...presentation, types: candidate.types ?? [] } : { ...presentation, vct: candidate.vct },
      ];
    }
    const checked = checkDcqlResponse(query, presented);
    expect(checked.queryIds).toEqual(query.credentials.map(({ id }) => id));
    for (const answered of checked.queries) expect(answered.presentations[0]?.unrequested).toEqual([]);
  });
});

describe.each(files.filter((file) => !evaluated.includes(file)))(
  'OpenID4VP 1.0 example %s, in a format not evaluated here',
  (file) => {
    const query = parseDcqlQuery(read(file));

    it('finds no candidate, and the response check refuses it rather than guess', () => {
      expect(matchDcqlQuery(query, []).satisfiable).toBe(false);
      const other = query.credentials.find((credential) => candidateFor(credential) === undefined) as DcqlCredentialQuery;
      let error: unknown;
      try {
        checkDcqlResponse(query, { [other.id]: [{ format: other.format, claims: {}, disclosed: [] }] });
      } catch (caught) {
        error = caught;
      }
      expect(isTesseraError(error, 'dcql_unsatisfied')).toBe(true);
      expect((error as Error).message).toContain('cannot be checked');
    });
  },
);
