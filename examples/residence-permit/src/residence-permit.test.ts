import { DEFAULT_LIMITS, decodeDisclosure, decodeJws, isTesseraError, type JsonValue, splitSdJwt } from '@tessera/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatReport } from './report.ts';
import {
  createKeyHolder,
  createNonce,
  DESK_AUDIENCE,
  type ExampleRun,
  issueResidencePermit,
  PERMIT_CLAIMS,
  presentToDesk,
  runResidencePermitExample,
  verifyAtDesk,
} from './residence-permit.ts';

/** A fixed moment, so dates in the report cannot collide with claim values by chance. */
const NOW = Date.UTC(2026, 10, 27, 9, 30);

/** Every hidden claim value, nested ones included, as the strings a report could leak. */
function hiddenValues(): string[] {
  const { residence_status: _status, age_equal_or_over: _age, ...hidden } = PERMIT_CLAIMS;
  const out: string[] = [];
  const collect = (value: JsonValue): void => {
    if (typeof value === 'string') out.push(value);
    else if (typeof value === 'object' && value !== null) for (const member of Object.values(value)) collect(member);
  };
  collect(hidden);
  return out;
}

/** Leaf strings of a JSON value, skipping digests (`_sd` arrays and `...` placeholders). */
function leafStrings(value: JsonValue): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(leafStrings);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, member]) => (key === '_sd' || key === '...' ? [] : leafStrings(member)));
}

describe('the residence-permit example', () => {
  let run: ExampleRun;
  beforeAll(async () => {
    run = await runResidencePermitExample({ now: NOW });
  });

  it('shows the desk residence_status and age_equal_or_over.18 and, besides them, only registered claims', () => {
    expect(Object.keys(run.verified.claims).sort()).toEqual(
      ['age_equal_or_over', 'cnf', 'exp', 'iat', 'iss', 'residence_status', 'vct'].sort(),
    );
    expect(run.verified.claims.residence_status).toBe('lawfully_resident');
    expect(run.verified.claims.age_equal_or_over).toEqual({ '18': true });
    expect(run.verified.disclosed.map((path) => path.join('.')).sort()).toEqual(
      ['age_equal_or_over', 'age_equal_or_over.18', 'residence_status'].sort(),
    );
  });

  it('verifies the key binding for the desk audience and the nonce it handed out', () => {
    expect(run.verified.keyBinding?.payload.aud).toBe(DESK_AUDIENCE);
    expect(run.verified.keyBinding?.payload.nonce).toBe(run.nonce);
    expect(run.verified.holderKey).toEqual(run.holderView.holderKey);
  });

  it('sends the desk no disclosure of the name, birthdate, nationality, permit or address', () => {
    const { disclosures } = splitSdJwt(run.presentation, DEFAULT_LIMITS);
    const names = disclosures.map((encoded) => decodeDisclosure(encoded, DEFAULT_LIMITS.maxDepth).name);
    expect(names.sort()).toEqual(['18', 'age_equal_or_over', 'residence_status']);
    // Every string the desk can decode, digests aside: none of them is a hidden value.
    const readable = [
      ...leafStrings(decodeJws(run.presentation.slice(0, run.presentation.indexOf('~'))).payload),
      ...disclosures.flatMap((encoded) => leafStrings(decodeDisclosure(encoded, DEFAULT_LIMITS.maxDepth).value)),
    ];
    expect(readable).toContain('lawfully_resident');
    for (const value of hiddenValues()) expect(readable).not.toContain(value);
  });

  it('prints what the desk learned with values and what stayed hidden by name only', () => {
    const report = formatReport(run);
    expect(report).toContain('residence_status       "lawfully_resident"');
    expect(report).toContain('age_equal_or_over.18   true');
    for (const name of ['given_name', 'family_name', 'birthdate', 'nationality', 'permit_type', 'valid_until', 'address']) {
      expect(report).toContain(name);
    }
    // The nonce is random base64url and could spell a short code such as "IT" by chance.
    const text = report.replace(run.nonce, '');
    for (const value of hiddenValues()) {
      expect(text).not.toMatch(new RegExp(`\\b${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`));
    }
  });

  it('rejects the presentation at a desk that expects another nonce', async () => {
    const error = await verifyAtDesk(run.presentation, {
      issuerKey: run.issuerKey,
      audience: DESK_AUDIENCE,
      nonce: createNonce(),
      now: NOW,
    }).catch((caught: unknown) => caught);
    expect(isTesseraError(error, 'kb_nonce_mismatch')).toBe(true);
  });

  it('rejects a presentation signed by a key other than the one the credential is bound to', async () => {
    const authority = await createKeyHolder();
    const holder = await createKeyHolder();
    const stranger = await createKeyHolder();
    const credential = await issueResidencePermit(authority, holder.publicJwk, { now: NOW });
    const nonce = createNonce();
    const presentation = await presentToDesk(credential, stranger, { audience: DESK_AUDIENCE, nonce, now: NOW });
    const error = await verifyAtDesk(presentation, {
      issuerKey: authority.publicJwk,
      audience: DESK_AUDIENCE,
      nonce,
      now: NOW,
    }).catch((caught: unknown) => caught);
    expect(isTesseraError(error, 'kb_invalid_signature')).toBe(true);
  });
});
