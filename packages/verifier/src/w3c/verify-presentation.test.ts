import { type JsonObject, VC_CONTEXT_V1 } from '@tessera/shared';
import type { IIdentifier } from '@veramo/core';
import type { Resolvable } from 'did-resolver';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDidResolver } from '../keys/did.ts';
import { parseTrustList, type TrustList } from '../trust/trust-list.ts';
import {
  createParty,
  createTestAgent,
  issueWithVeramo,
  payloadOf,
  presentWithVeramo,
  signAs,
  type TestAgent,
  unsecured,
  withFlippedSignature,
  withPayload,
} from './test-veramo.ts';
import { MAX_PRESENTED_CREDENTIALS, type VerifyW3cPresentationOptions, verifyW3cPresentationJwt } from './verify-presentation.ts';

const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);
const NOW_S = NOW / 1000;
const NONCE = 'n-0S6_WzA2Mj';
const AUDIENCE = 'x509_hash:desk.example';
const clock = () => NOW;

let resolver: Resolvable;
let agent: TestAgent;
let issuer: IIdentifier;
let holder: IIdentifier;
let stranger: IIdentifier;
let trust: TrustList;
let credential: string;

beforeAll(async () => {
  resolver = createDidResolver();
  agent = createTestAgent(resolver);
  [issuer, holder, stranger] = await Promise.all([createParty(agent), createParty(agent), createParty(agent)]);
  trust = parseTrustList({
    version: 1,
    issuers: [{ id: issuer.did, name: { en: 'City of Bologna' }, credentialTypes: ['ResidencePermit'] }],
  });
  credential = await issue(holder.did);
});

function issue(subject: string, extra: { expiresAt?: number } = {}): Promise<string> {
  return issueWithVeramo(agent, issuer, subject, { issuedAt: NOW - 86_400_000, expiresAt: NOW + 86_400_000, ...extra });
}

function present(credentials: string[], extra: { nonce?: string; audience?: string; now?: number } = {}): Promise<string> {
  return presentWithVeramo(agent, holder, credentials, { nonce: NONCE, audience: AUDIENCE, now: NOW - 5_000, ...extra });
}

function options(extra: Partial<VerifyW3cPresentationOptions> = {}): VerifyW3cPresentationOptions {
  return { resolver, nonce: NONCE, audience: AUDIENCE, clock, ...extra };
}

/** A presentation payload as Veramo writes it, signed by hand so single fields can be changed. */
function presentationPayload(credentials: unknown[], overrides: JsonObject = {}, vp: JsonObject = {}): JsonObject {
  return {
    iss: holder.did,
    aud: [AUDIENCE],
    nonce: NONCE,
    nbf: NOW_S - 5,
    vp: { '@context': [VC_CONTEXT_V1], type: ['VerifiablePresentation'], verifiableCredential: credentials, ...vp } as JsonObject,
    ...overrides,
  };
}

async function rejects(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await expect(promise).rejects.toMatchObject({
    name: 'TesseraError',
    code,
    ...(message !== undefined ? { message: expect.stringMatching(message) } : {}),
  });
}

describe('verifyW3cPresentationJwt with presentations made by Veramo', () => {
  it('accepts a presentation Veramo made, verifying the credential inside it', async () => {
    const vp = await present([credential]);
    const result = await verifyW3cPresentationJwt(vp, options({ trust }));

    expect(result).toMatchObject({ verified: true, holder: holder.did, verificationMethod: `${holder.did}#0` });
    expect(result.presentation).toMatchObject({
      holder: holder.did,
      type: ['VerifiablePresentation'],
      verifiableCredential: [credential],
    });
    expect(result.credentials).toHaveLength(1);
    expect(result.credentials[0]).toMatchObject({
      verified: true,
      issuer: issuer.did,
      subject: holder.did,
      trustedIssuer: { name: { en: 'City of Bologna' } },
      credential: { credentialSubject: { id: holder.did, residence: 'Bologna' } },
    });
  });

  it('accepts several credentials and returns them in order', async () => {
    const second = await issue(holder.did, { expiresAt: NOW + 2 * 86_400_000 });
    const result = await verifyW3cPresentationJwt(await present([credential, second]), options());
    expect(result.credentials.map((item) => item.jwt)).toEqual([credential, second]);
  });

  it('rejects a presentation for another audience', async () => {
    await rejects(
      verifyW3cPresentationJwt(await present([credential], { audience: 'x509_hash:other.example' }), options()),
      'kb_aud_mismatch',
    );
  });

  it('rejects an aud that lists this verifier among others, or is missing', async () => {
    const several = await signAs(
      agent,
      holder,
      presentationPayload([credential], { aud: [AUDIENCE, 'x509_hash:other.example'] }),
    );
    await rejects(verifyW3cPresentationJwt(several, options()), 'kb_aud_mismatch');
    const { aud: _omitted, ...withoutAud } = presentationPayload([credential]);
    await rejects(verifyW3cPresentationJwt(await signAs(agent, holder, withoutAud), options()), 'kb_aud_mismatch');
  });

  it('rejects a presentation with another nonce, or none', async () => {
    await rejects(
      verifyW3cPresentationJwt(await present([credential], { nonce: 'another-nonce' }), options()),
      'kb_nonce_mismatch',
    );
    const { nonce: _omitted, ...withoutNonce } = presentationPayload([credential]);
    await rejects(verifyW3cPresentationJwt(await signAs(agent, holder, withoutNonce), options()), 'kb_nonce_mismatch');
  });

  it('rejects a presentation whose signature was tampered with', async () => {
    await rejects(verifyW3cPresentationJwt(withFlippedSignature(await present([credential])), options()), 'invalid_signature');
  });

  it('rejects a presentation whose payload was changed after signing', async () => {
    const vp = await present([credential]);
    await rejects(
      verifyW3cPresentationJwt(withPayload(vp, { ...payloadOf(vp), nonce: 'n-2' }), options({ nonce: 'n-2' })),
      'invalid_signature',
    );
  });

  it('rejects an expired presentation and one older than the freshness window', async () => {
    const expired = await signAs(agent, holder, presentationPayload([credential], { exp: NOW_S }));
    await rejects(verifyW3cPresentationJwt(expired, options()), 'expired');
    const stale = await present([credential], { now: NOW - 301_000 });
    await rejects(verifyW3cPresentationJwt(stale, options()), 'kb_iat_invalid');
    await expect(verifyW3cPresentationJwt(stale, options({ maxAge: 600 }))).resolves.toMatchObject({ verified: true });
  });

  it('rejects a presentation whose kid names a key of another DID', async () => {
    const jwt = await signAs(agent, holder, presentationPayload([credential]), {
      alg: 'ES256',
      typ: 'JWT',
      kid: `${stranger.did}#0`,
    });
    await rejects(verifyW3cPresentationJwt(jwt, options()), 'issuer_key_not_found');
    const own = await signAs(agent, holder, presentationPayload([credential]), {
      alg: 'ES256',
      typ: 'JWT',
      kid: `${holder.did}#0`,
    });
    await expect(verifyW3cPresentationJwt(own, options())).resolves.toMatchObject({ verificationMethod: `${holder.did}#0` });
  });

  it('rejects alg none', async () => {
    await rejects(
      verifyW3cPresentationJwt(`${unsecured(presentationPayload([credential]))}c2ln`, options()),
      'unsupported_algorithm',
    );
  });

  it('rejects a holder property that differs from the signed iss', async () => {
    const jwt = await signAs(agent, holder, presentationPayload([credential], {}, { holder: stranger.did }));
    await rejects(verifyW3cPresentationJwt(jwt, options()), 'w3c_claims_mismatch');
  });

  it('rejects credentials placed beside the vp claim, which Veramo would merge into the presentation', async () => {
    const jwt = await signAs(agent, holder, presentationPayload([credential], { verifiableCredential: [credential] }));
    await rejects(verifyW3cPresentationJwt(jwt, options()), 'w3c_invalid');
  });
});

describe('verifyW3cPresentationJwt verifies every credential inside', () => {
  it('rejects a presentation carrying a credential whose signature was tampered with, though Veramo accepts it', async () => {
    const vp = await present([credential, withFlippedSignature(credential)]);
    // Veramo checks the holder's signature on the presentation, not the credentials inside it.
    const veramo = await agent.verifyPresentation({
      presentation: vp,
      challenge: NONCE,
      domain: AUDIENCE,
      policies: { now: NOW_S },
    });
    expect(veramo.verified).toBe(true);
    await rejects(verifyW3cPresentationJwt(vp, options()), 'invalid_signature', /^Credential 1 of the presentation/);
  });

  it('rejects a presentation carrying a credential whose claims were changed after signing', async () => {
    const payload = payloadOf(credential);
    const changed = withPayload(credential, {
      ...payload,
      vc: { ...(payload.vc as JsonObject), type: ['VerifiableCredential', 'LanguageCertificate'] },
    });
    await rejects(verifyW3cPresentationJwt(await present([changed]), options()), 'invalid_signature');
  });

  it('rejects a credential from another issuer than it claims: vc.issuer names the trusted issuer, a stranger signed', async () => {
    const forged = await signAs(agent, stranger, {
      ...payloadOf(credential),
      iss: stranger.did,
      vc: { ...(payloadOf(credential).vc as JsonObject), issuer: issuer.did },
    });
    await rejects(verifyW3cPresentationJwt(await present([forged]), options()), 'w3c_claims_mismatch');
    await rejects(verifyW3cPresentationJwt(await present([forged]), options({ trust })), 'w3c_claims_mismatch');
  });

  it('rejects a credential whose iss names the trusted issuer but that a stranger signed', async () => {
    const forged = await signAs(agent, stranger, payloadOf(credential));
    await rejects(verifyW3cPresentationJwt(await present([forged]), options({ trust })), 'invalid_signature');
  });

  it('rejects a credential that its own issuer signed when that issuer is not trusted', async () => {
    const own = await signAs(agent, stranger, { ...payloadOf(credential), iss: stranger.did });
    await expect(verifyW3cPresentationJwt(await present([own]), options())).resolves.toMatchObject({ verified: true });
    await rejects(verifyW3cPresentationJwt(await present([own]), options({ trust })), 'untrusted_issuer');
  });

  it('rejects a presentation carrying an untrusted credential before resolving any DID', async () => {
    let resolutions = 0;
    const counting: Resolvable = {
      resolve: (did, resolutionOptions) => {
        resolutions += 1;
        return resolver.resolve(did, resolutionOptions);
      },
    };
    const own = await signAs(agent, stranger, { ...payloadOf(credential), iss: stranger.did });
    const vp = await present([credential, own]);
    await rejects(verifyW3cPresentationJwt(vp, options({ trust, resolver: counting })), 'untrusted_issuer', /^Credential 1/);
    expect(resolutions).toBe(0);
    await verifyW3cPresentationJwt(await present([credential]), options({ trust, resolver: counting }));
    expect(resolutions).toBe(2); // the holder's DID, then the issuer's
  });

  it('rejects a presentation carrying an expired credential', async () => {
    const expired = await issue(holder.did, { expiresAt: NOW });
    await rejects(verifyW3cPresentationJwt(await present([credential, expired]), options()), 'expired', /^Credential 1/);
  });

  it('rejects a credential embedded as a JSON object instead of its JWT', async () => {
    const asObject = {
      ...(payloadOf(credential).vc as JsonObject),
      issuer: issuer.did,
      proof: { type: 'JwtProof2020', jwt: credential },
    };
    await rejects(
      verifyW3cPresentationJwt(await signAs(agent, holder, presentationPayload([asObject])), options()),
      'w3c_invalid',
    );
  });

  it('rejects a presentation without credentials, or with more than the limit', async () => {
    await rejects(verifyW3cPresentationJwt(await signAs(agent, holder, presentationPayload([])), options()), 'w3c_invalid');
    const many = Array.from({ length: MAX_PRESENTED_CREDENTIALS + 1 }, () => credential);
    await rejects(verifyW3cPresentationJwt(await signAs(agent, holder, presentationPayload(many)), options()), 'w3c_invalid');
  });

  it('rejects a credential about someone else than the holder, unless holder binding is turned off', async () => {
    const othersCredential = await issue(stranger.did);
    const vp = await present([othersCredential]);
    await rejects(verifyW3cPresentationJwt(vp, options()), 'w3c_holder_mismatch');
    await expect(verifyW3cPresentationJwt(vp, options({ requireHolderBinding: false }))).resolves.toMatchObject({
      verified: true,
    });
  });

  it('checks the options before anything else', async () => {
    const vp = await present([credential]);
    await expect(verifyW3cPresentationJwt(vp, options({ nonce: '' }))).rejects.toThrow(TypeError);
    await expect(verifyW3cPresentationJwt(vp, options({ audience: '' }))).rejects.toThrow(TypeError);
    await expect(verifyW3cPresentationJwt(vp, options({ clockTolerance: 3600 }))).rejects.toThrow(TypeError);
  });
});
