import { fail, type JsonObject, signJwt, VC_CONTEXT_V1 } from '@tessera/shared';
import type { IIdentifier } from '@veramo/core';
import type { Resolvable } from 'did-resolver';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDidResolver } from '../keys/did.ts';
import { parseTrustList, type TrustList } from '../trust/trust-list.ts';
import {
  createDidKeyParty,
  createParty,
  createTestAgent,
  headerOf,
  issueWithVeramo,
  payloadOf,
  signAs,
  type TestAgent,
  unsecured,
  withFlippedSignature,
  withPayload,
} from './test-veramo.ts';
import { type VerifyW3cCredentialOptions, verifyW3cCredentialJwt } from './verify-credential.ts';

const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);
const NOW_S = NOW / 1000;
const clock = () => NOW;

let resolver: Resolvable;
let agent: TestAgent;
let issuer: IIdentifier;
let holder: IIdentifier;
let stranger: IIdentifier;
let trust: TrustList;

beforeAll(async () => {
  // did:jwk and did:key are resolved locally; without a fetch, did:web fails closed.
  resolver = createDidResolver();
  agent = createTestAgent(resolver);
  [issuer, holder, stranger] = await Promise.all([createParty(agent), createParty(agent), createParty(agent)]);
  trust = parseTrustList({
    version: 1,
    issuers: [{ id: issuer.did, name: { en: 'City of Bologna', it: 'Comune di Bologna' }, credentialTypes: ['ResidencePermit'] }],
  });
});

function options(extra: Partial<VerifyW3cCredentialOptions> = {}): VerifyW3cCredentialOptions {
  return { resolver, clock, ...extra };
}

/** A credential payload as Veramo writes it: the JWT claims carry issuer, subject and dates. */
function credentialPayload(overrides: JsonObject = {}, vc: JsonObject = {}): JsonObject {
  return {
    iss: issuer.did,
    sub: holder.did,
    nbf: NOW_S - 60,
    exp: NOW_S + 3600,
    vc: {
      '@context': [VC_CONTEXT_V1],
      type: ['VerifiableCredential', 'ResidencePermit'],
      credentialSubject: { residence: 'Bologna' },
      ...vc,
    },
    ...overrides,
  };
}

function issueFromVeramo(extra: { issuedAt?: number; expiresAt?: number; types?: string[] } = {}): Promise<string> {
  return issueWithVeramo(agent, issuer, holder.did, { issuedAt: NOW - 60_000, expiresAt: NOW + 3_600_000, ...extra });
}

async function rejects(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'TesseraError', code });
}

describe('verifyW3cCredentialJwt with credentials issued by Veramo', () => {
  it('accepts a credential Veramo issued with a did:jwk P-256 issuer and returns the signed issuer and subject', async () => {
    const jwt = await issueFromVeramo();
    expect(headerOf(jwt)).toEqual({ alg: 'ES256', typ: 'JWT' });

    const result = await verifyW3cCredentialJwt(jwt, options());

    expect(result).toMatchObject({
      verified: true,
      issuer: issuer.did,
      subject: holder.did,
      types: ['VerifiableCredential', 'ResidencePermit'],
      verificationMethod: `${issuer.did}#0`,
      jwt,
    });
    // VC Data Model 1.1 §6.3.1 decoding: the JWT claims become the credential's properties.
    expect(result.credential).toEqual({
      '@context': [VC_CONTEXT_V1],
      type: ['VerifiableCredential', 'ResidencePermit'],
      issuer: issuer.did,
      credentialSubject: { id: holder.did, residence: 'Bologna' },
      issuanceDate: new Date(NOW - 60_000).toISOString(),
      expirationDate: new Date(NOW + 3_600_000).toISOString(),
    });
    expect(result.trustedIssuer).toBeUndefined();
  });

  it('returns the trust list entry of an issuer trusted for the credential type', async () => {
    const result = await verifyW3cCredentialJwt(await issueFromVeramo(), options({ trust }));
    expect(result.trustedIssuer?.name).toEqual({ en: 'City of Bologna', it: 'Comune di Bologna' });
  });

  it('rejects an untrusted issuer before resolving any DID', async () => {
    let resolutions = 0;
    const counting: Resolvable = {
      resolve: (did, resolutionOptions) => {
        resolutions += 1;
        return resolver.resolve(did, resolutionOptions);
      },
    };
    const jwt = await signAs(agent, stranger, credentialPayload({ iss: stranger.did }));
    await rejects(verifyW3cCredentialJwt(jwt, options({ trust, resolver: counting })), 'untrusted_issuer');
    expect(resolutions).toBe(0);
  });

  it('rejects a credential type the trust list does not allow the issuer', async () => {
    await rejects(
      verifyW3cCredentialJwt(await issueFromVeramo({ types: ['LanguageCertificate'] }), options({ trust })),
      'credential_type_not_allowed',
    );
  });

  it('rejects a credential that adds a disallowed type to an allowed one', async () => {
    const jwt = await issueFromVeramo({ types: ['ResidencePermit', 'LanguageCertificate'] });
    await rejects(verifyW3cCredentialJwt(jwt, options({ trust })), 'credential_type_not_allowed');
  });

  it('rejects a credential whose signature was tampered with', async () => {
    await rejects(verifyW3cCredentialJwt(withFlippedSignature(await issueFromVeramo()), options()), 'invalid_signature');
  });

  it('rejects a credential whose payload was changed after signing', async () => {
    const jwt = await issueFromVeramo();
    const payload = payloadOf(jwt);
    const tampered = withPayload(jwt, {
      ...payload,
      vc: { ...(payload.vc as JsonObject), credentialSubject: { residence: 'Roma' } },
    });
    await rejects(verifyW3cCredentialJwt(tampered, options()), 'invalid_signature');
  });

  it('rejects a credential whose iss names the issuer but which another key signed', async () => {
    await rejects(verifyW3cCredentialJwt(await signAs(agent, stranger, credentialPayload()), options()), 'invalid_signature');
  });

  it('rejects an expired credential, counting exp == now as expired', async () => {
    await rejects(verifyW3cCredentialJwt(await issueFromVeramo({ expiresAt: NOW }), options()), 'expired');
    await expect(verifyW3cCredentialJwt(await issueFromVeramo({ expiresAt: NOW + 1000 }), options())).resolves.toMatchObject({
      verified: true,
    });
  });

  it('rejects a credential that is not valid yet, within no tolerance, and accepts it within the tolerance', async () => {
    const jwt = await issueFromVeramo({ issuedAt: NOW + 30_000 });
    await rejects(verifyW3cCredentialJwt(jwt, options()), 'not_yet_valid');
    await expect(verifyW3cCredentialJwt(jwt, options({ clockTolerance: 30 }))).resolves.toMatchObject({ verified: true });
  });
});

describe('verifyW3cCredentialJwt on the JOSE header', () => {
  it('accepts a hand-made credential signed with the issuer key (the baseline of the tests below)', async () => {
    const result = await verifyW3cCredentialJwt(await signAs(agent, issuer, credentialPayload()), options());
    expect(result).toMatchObject({ issuer: issuer.did, subject: holder.did });
  });

  it('rejects alg none, with or without a signature part', async () => {
    const withGarbage = `${unsecured(credentialPayload())}c2lnbmF0dXJl`;
    await rejects(verifyW3cCredentialJwt(withGarbage, options()), 'unsupported_algorithm');
    await rejects(verifyW3cCredentialJwt(unsecured(credentialPayload()), options()), 'malformed_jwt');
  });

  it('rejects an algorithm outside the allowed list, and refuses to be configured with none', async () => {
    const jwt = await signAs(agent, issuer, credentialPayload(), { alg: 'ES256', typ: 'JWT' });
    await rejects(verifyW3cCredentialJwt(jwt, options({ algorithms: ['EdDSA'] })), 'unsupported_algorithm');
    const hs256 = withPayload(jwt.replace(/^[^.]+/, 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9'), credentialPayload());
    await rejects(verifyW3cCredentialJwt(hs256, options()), 'unsupported_algorithm');
    // @ts-expect-error: 'none' is not a JwsAlgorithm, and a cast past the type fails at run time
    await expect(verifyW3cCredentialJwt(jwt, options({ algorithms: ['none'] }))).rejects.toThrow(TypeError);
  });

  it('accepts a credential without typ and rejects any typ other than JWT', async () => {
    await expect(
      verifyW3cCredentialJwt(await signAs(agent, issuer, credentialPayload(), { alg: 'ES256' }), options()),
    ).resolves.toMatchObject({
      verified: true,
    });
    for (const typ of ['vc+jwt', 'jwt', 'application/jwt', 'vc+ld+json']) {
      await rejects(
        verifyW3cCredentialJwt(await signAs(agent, issuer, credentialPayload(), { alg: 'ES256', typ }), options()),
        'invalid_typ',
      );
    }
  });

  it('never uses a key carried in the token header', async () => {
    const header = { alg: 'ES256', typ: 'JWT', jwk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' } };
    await rejects(
      verifyW3cCredentialJwt(await signAs(agent, issuer, credentialPayload(), header), options()),
      'key_source_forbidden',
    );
  });

  it('accepts a kid naming the verification method that signed, and rejects a kid of another DID', async () => {
    const own = await signAs(agent, issuer, credentialPayload(), { alg: 'ES256', typ: 'JWT', kid: `${issuer.did}#0` });
    await expect(verifyW3cCredentialJwt(own, options())).resolves.toMatchObject({ verificationMethod: `${issuer.did}#0` });
    const relative = await signAs(agent, issuer, credentialPayload(), { alg: 'ES256', typ: 'JWT', kid: '#0' });
    await expect(verifyW3cCredentialJwt(relative, options())).resolves.toMatchObject({ verified: true });
    const foreign = await signAs(agent, issuer, credentialPayload(), { alg: 'ES256', typ: 'JWT', kid: `${stranger.did}#0` });
    await rejects(verifyW3cCredentialJwt(foreign, options()), 'issuer_key_not_found');
  });

  it('rejects a critical header extension', async () => {
    const jwt = await signAs(agent, issuer, credentialPayload(), { alg: 'ES256', typ: 'JWT', crit: ['b64'], b64: true });
    await rejects(verifyW3cCredentialJwt(jwt, options()), 'critical_header_unsupported');
  });
});

describe('verifyW3cCredentialJwt lets the signed JWT claims win over the credential properties', () => {
  it('rejects a vc.issuer (string or object) that differs from the signed iss', async () => {
    for (const claimed of [stranger.did, { id: stranger.did, name: 'City of Bologna' }]) {
      const jwt = await signAs(agent, issuer, credentialPayload({}, { issuer: claimed }));
      await rejects(verifyW3cCredentialJwt(jwt, options()), 'w3c_claims_mismatch');
    }
    const agreeing = await signAs(agent, issuer, credentialPayload({}, { issuer: { id: issuer.did, name: 'City of Bologna' } }));
    await expect(verifyW3cCredentialJwt(agreeing, options())).resolves.toMatchObject({
      credential: { issuer: { id: issuer.did, name: 'City of Bologna' } },
    });
  });

  it('rejects a credential that a stranger signed for itself but that names a trusted issuer in vc.issuer', async () => {
    const jwt = await signAs(agent, stranger, credentialPayload({ iss: stranger.did }, { issuer: issuer.did }));
    await rejects(verifyW3cCredentialJwt(jwt, options()), 'w3c_claims_mismatch');
  });

  it('rejects a credentialSubject.id that differs from the signed sub', async () => {
    const jwt = await signAs(
      agent,
      issuer,
      credentialPayload({}, { credentialSubject: { id: stranger.did, residence: 'Bologna' } }),
    );
    await rejects(verifyW3cCredentialJwt(jwt, options()), 'w3c_claims_mismatch');
  });

  it('rejects a credentialSubject.id that no signed sub represents', async () => {
    const { sub: _omitted, ...withoutSub } = credentialPayload(
      {},
      { credentialSubject: { id: holder.did, residence: 'Bologna' } },
    );
    await rejects(verifyW3cCredentialJwt(await signAs(agent, issuer, withoutSub), options()), 'w3c_claims_mismatch');
  });

  it('accepts a credential with no subject id at all, and reports no subject', async () => {
    const { sub: _omitted, ...withoutSub } = credentialPayload();
    const result = await verifyW3cCredentialJwt(await signAs(agent, issuer, withoutSub), options());
    expect(result.subject).toBeUndefined();
    expect(result.credential.credentialSubject).toEqual({ residence: 'Bologna' });
  });

  it('rejects a sub beside several subjects, which it cannot represent', async () => {
    const subjects = [{ residence: 'Bologna' }, { residence: 'Roma' }];
    await rejects(
      verifyW3cCredentialJwt(await signAs(agent, issuer, credentialPayload({}, { credentialSubject: subjects })), options()),
      'w3c_claims_mismatch',
    );
  });

  it('rejects an issuanceDate or validFrom that differs from the signed nbf', async () => {
    const earlier = new Date(NOW - 3_600_000).toISOString();
    for (const property of ['issuanceDate', 'validFrom']) {
      await rejects(
        verifyW3cCredentialJwt(await signAs(agent, issuer, credentialPayload({}, { [property]: earlier })), options()),
        'w3c_claims_mismatch',
      );
    }
    const same = new Date((NOW_S - 60) * 1000 + 999).toISOString(); // encoders round down to the second
    await expect(
      verifyW3cCredentialJwt(await signAs(agent, issuer, credentialPayload({}, { issuanceDate: same })), options()),
    ).resolves.toMatchObject({
      credential: { issuanceDate: same },
    });
  });

  it('rejects an expirationDate or validUntil that differs from the signed exp', async () => {
    const later = new Date(NOW + 365 * 86_400_000).toISOString();
    for (const property of ['expirationDate', 'validUntil']) {
      await rejects(
        verifyW3cCredentialJwt(await signAs(agent, issuer, credentialPayload({}, { [property]: later })), options()),
        'w3c_claims_mismatch',
      );
    }
  });

  it('rejects an expirationDate in the future on a credential whose signed exp has passed', async () => {
    const payload = credentialPayload({ exp: NOW_S - 1 }, { expirationDate: new Date(NOW + 86_400_000).toISOString() });
    await rejects(verifyW3cCredentialJwt(await signAs(agent, issuer, payload), options()), 'expired');
  });

  it('rejects an expirationDate that no signed exp represents, so the date is never left unchecked', async () => {
    const { exp: _omitted, ...withoutExp } = credentialPayload({}, { expirationDate: new Date(NOW - 86_400_000).toISOString() });
    await rejects(verifyW3cCredentialJwt(await signAs(agent, issuer, withoutExp), options()), 'w3c_claims_mismatch');
  });

  it('rejects an id that differs from the signed jti', async () => {
    const jwt = await signAs(agent, issuer, credentialPayload({ jti: 'urn:uuid:1' }, { id: 'urn:uuid:2' }));
    await rejects(verifyW3cCredentialJwt(jwt, options()), 'w3c_claims_mismatch');
  });

  it('rejects credential properties outside the vc claim, which Veramo would let override the signed iss', async () => {
    const jwt = await signAs(agent, stranger, credentialPayload({ iss: stranger.did, issuer: { id: issuer.did } }));
    // Veramo (did-jwt-vc) verifies the signature by iss and reports the issuer from the JSON.
    const veramo = await agent.verifyCredential({ credential: jwt, policies: { now: NOW_S } });
    expect(veramo.verified).toBe(true);
    expect(veramo.verifiableCredential?.issuer).toEqual({ id: issuer.did });
    await rejects(verifyW3cCredentialJwt(jwt, options()), 'w3c_invalid');
  });
});

describe('verifyW3cCredentialJwt on the credential itself', () => {
  it('rejects an iss that is not a DID, such as the self-issued URL did-jwt would resolve through sub', async () => {
    const jwt = await signAs(agent, holder, credentialPayload({ iss: 'https://self-issued.me/v2' }));
    await rejects(verifyW3cCredentialJwt(jwt, options()), 'did_invalid');
  });

  it('rejects a credential with no vc claim, a wrong @context or no VerifiableCredential type', async () => {
    const { vc: _omitted, ...withoutVc } = credentialPayload();
    await rejects(verifyW3cCredentialJwt(await signAs(agent, issuer, withoutVc), options()), 'w3c_invalid');
    const v2 = credentialPayload({}, { '@context': ['https://www.w3.org/ns/credentials/v2'] });
    await rejects(verifyW3cCredentialJwt(await signAs(agent, issuer, v2), options()), 'w3c_invalid');
    const untyped = credentialPayload({}, { type: ['ResidencePermit'] });
    await rejects(verifyW3cCredentialJwt(await signAs(agent, issuer, untyped), options()), 'w3c_invalid');
  });

  it('rejects a credential without nbf, the required issuanceDate', async () => {
    const { nbf: _omitted, ...withoutNbf } = credentialPayload();
    await rejects(verifyW3cCredentialJwt(await signAs(agent, issuer, withoutNbf), options()), 'w3c_invalid');
  });

  it('fails closed on a credentialStatus it cannot check', async () => {
    const payload = credentialPayload(
      {},
      { credentialStatus: { id: 'https://status.example/1#5', type: 'StatusList2021Entry' } },
    );
    await rejects(verifyW3cCredentialJwt(await signAs(agent, issuer, payload), options()), 'status_unavailable');
  });

  it('fails closed on a Token Status List entry (the JWT status claim) when no status checker is configured', async () => {
    // With a checker, revoked and suspended credentials are refused: the issuer's jwt_vc_json
    // end-to-end test runs that against a real status list over HTTP.
    const jwt = await signAs(
      agent,
      issuer,
      credentialPayload({ status: { status_list: { idx: 5, uri: 'https://status.example/1' } } }),
    );
    await rejects(verifyW3cCredentialJwt(jwt, options()), 'status_unavailable');
    const malformed = await signAs(agent, issuer, credentialPayload({ status: { status_list: { idx: -1 } } }));
    await rejects(verifyW3cCredentialJwt(malformed, options()), 'invalid_status_reference');
  });

  it('rejects a credential addressed to another audience, and one with an audience when none is given', async () => {
    const jwt = await signAs(agent, issuer, credentialPayload({ aud: 'https://desk.example' }));
    await expect(verifyW3cCredentialJwt(jwt, options({ audience: 'https://desk.example' }))).resolves.toMatchObject({
      verified: true,
    });
    await rejects(verifyW3cCredentialJwt(jwt, options({ audience: 'https://other.example' })), 'invalid_claim');
    await rejects(verifyW3cCredentialJwt(jwt, options()), 'invalid_claim');
  });

  it('verifies a credential from a did:key issuer (Multikey, P-256)', async () => {
    const party = await createDidKeyParty();
    const jwt = await signJwt({ typ: 'JWT' }, credentialPayload({ iss: party.did }), party.key);
    await expect(verifyW3cCredentialJwt(jwt, options())).resolves.toMatchObject({
      issuer: party.did,
      verificationMethod: party.key.kid,
    });
  });

  it('rejects a did:web issuer when the resolver has no fetch, with the resolver error code', async () => {
    const jwt = await signAs(agent, issuer, credentialPayload({ iss: 'did:web:issuer.example' }));
    await rejects(verifyW3cCredentialJwt(jwt, options()), 'did_resolution_failed');
  });

  it('passes on the code of an error the resolver throws', async () => {
    const blocked: Resolvable = { resolve: async () => fail('fetch_blocked', 'blocked by policy') };
    await rejects(verifyW3cCredentialJwt(await issueFromVeramo(), options({ resolver: blocked })), 'fetch_blocked');
  });

  it('rejects a DID document whose id is not the DID', async () => {
    const lying: Resolvable = {
      resolve: async (did) => {
        const result = await resolver.resolve(did);
        return { ...result, didDocument: { ...(result.didDocument as { id: string }), id: stranger.did } };
      },
    };
    await rejects(verifyW3cCredentialJwt(await issueFromVeramo(), options({ resolver: lying })), 'did_resolution_failed');
  });

  it('rejects a token over the size limit and malformed input', async () => {
    await rejects(verifyW3cCredentialJwt(`${'a'.repeat(300_000)}.b.c`, options()), 'token_too_large');
    await rejects(verifyW3cCredentialJwt('not-a-jwt', options()), 'malformed_jwt');
  });
});
