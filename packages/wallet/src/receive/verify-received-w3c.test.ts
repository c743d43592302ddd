import {
  encodeBase64Url,
  generateKeyPair,
  importSigningKey,
  isTesseraError,
  type JsonObject,
  type Jwk,
  type SigningKey,
  signJwt,
  VC_CONTEXT_V1,
} from '@tessera/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReceiveTrust } from './verify-received.ts';
import { verifyReceivedJwtVc, w3cCredentialView } from './verify-received-w3c.ts';
import type { WalletHttp } from './wallet-http.ts';

const TYPES = ['VerifiableCredential', 'ResidencePermitCredential'];
const NOW = 1_800_000_000;
const didJwkOf = (jwk: Jwk): string =>
  `did:jwk:${encodeBase64Url(new TextEncoder().encode(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })))}`;
/** did:jwk resolves locally: any fetch is a bug. */
const http: WalletHttp = {
  fetch: () => Promise.reject(new Error('no network in this test')),
  allowInsecureLocalhost: false,
  timeoutMs: 1000,
  maxBytes: 1024,
};

let issuerDid: string;
let issuerKey: SigningKey;
let holderKey: Jwk;
let holderDid: string;
let trust: ReceiveTrust;

beforeAll(async () => {
  const issuer = await generateKeyPair();
  issuerDid = didJwkOf(issuer.publicJwk);
  issuerKey = await importSigningKey(issuer.privateJwk, 'ES256', `${issuerDid}#0`);
  holderKey = (await generateKeyPair()).publicJwk;
  holderDid = didJwkOf(holderKey);
  trust = { issuers: [{ id: issuerDid, credentialTypes: ['ResidencePermitCredential'] }] };
});

/** A VC-JWT as Tessera's issuer makes it, with `change` applied to header and payload. */
function issue(change: (parts: { header: JsonObject; payload: JsonObject }) => void = () => undefined): Promise<string> {
  const header: JsonObject = { typ: 'JWT' };
  const payload: JsonObject = {
    iss: issuerDid,
    sub: holderDid,
    nbf: NOW - 60,
    exp: NOW + 3600,
    status: { status_list: { idx: 3, uri: 'https://issuer.example/status/1' } },
    vc: {
      '@context': [VC_CONTEXT_V1],
      type: [...TYPES],
      credentialSubject: { given_name: 'Amina-SECRET', residence_status: 'lawfully_resident', id: holderDid },
      issuanceDate: new Date((NOW - 60) * 1000).toISOString().replace('.000Z', 'Z'),
      expirationDate: new Date((NOW + 3600) * 1000).toISOString().replace('.000Z', 'Z'),
    },
  };
  change({ header, payload });
  return signJwt(header, payload, issuerKey);
}

const verify = (jwt: string, extra: Partial<{ types: string[]; holderKey: Jwk; trust: ReceiveTrust }> = {}) =>
  verifyReceivedJwtVc(
    jwt,
    { types: extra.types ?? TYPES, holderKey: extra.holderKey ?? holderKey },
    { trust: extra.trust ?? trust, http, clock: () => NOW * 1000 },
  );

/** Refused as `credential_rejected` with `cause` as the reason, never quoting a claim value. */
async function expectRejected(jwt: Promise<string> | string, cause: string): Promise<void> {
  const error = await verify(await jwt).catch((e) => e);
  expect(isTesseraError(error, 'credential_rejected')).toBe(true);
  expect(isTesseraError(error.cause, cause as never)).toBe(true);
  expect(error.message).not.toContain('SECRET');
}

describe('verifyReceivedJwtVc', () => {
  it('accepts the credential as the issuer makes it and names the holder did:jwk', async () => {
    await expect(verify(await issue())).resolves.toEqual({
      issuer: issuerDid,
      types: TYPES,
      holderDid,
      issuerTrusted: true,
      expiresAt: (NOW + 3600) * 1000,
    });
  });

  it('refuses a wrong typ, an algorithm off the list, a critical header and a key carried by the token', async () => {
    await expectRejected(
      issue(({ header }) => {
        header.typ = 'vc+jwt';
      }),
      'invalid_typ',
    );
    const [, payload, signature] = (await issue()).split('.');
    const none = `${encodeBase64Url(new TextEncoder().encode('{"alg":"none","typ":"JWT"}'))}.${payload}.${signature}`;
    await expectRejected(none, 'unsupported_algorithm');
    await expectRejected(
      issue(({ header }) => {
        header.crit = ['exp'];
      }),
      'critical_header_unsupported',
    );
    await expectRejected(
      issue(({ header }) => {
        header.jwk = holderKey as JsonObject;
      }),
      'key_source_forbidden',
    );
  });

  it('refuses an expired credential and one not valid yet', async () => {
    await expectRejected(
      issue(({ payload }) => {
        payload.exp = NOW;
        delete (payload.vc as JsonObject).expirationDate;
      }),
      'expired',
    );
    await expectRejected(
      issue(({ payload }) => {
        payload.nbf = NOW + 600;
        delete (payload.vc as JsonObject).issuanceDate;
      }),
      'not_yet_valid',
    );
  });

  it('refuses credential properties that disagree with the signed claims, or sit outside vc', async () => {
    await expectRejected(
      issue(({ payload }) => {
        (payload.vc as JsonObject).issuer = 'did:web:someone-else.example';
      }),
      'w3c_claims_mismatch',
    );
    await expectRejected(
      issue(({ payload }) => {
        (payload.vc as JsonObject).expirationDate = '2099-01-01T00:00:00Z';
      }),
      'w3c_claims_mismatch',
    );
    await expectRejected(
      issue(({ payload }) => {
        payload.credentialSubject = { residence_status: 'expelled' };
      }),
      'w3c_invalid',
    );
    await expectRejected(
      issue(({ payload }) => {
        delete payload.nbf;
        delete (payload.vc as JsonObject).issuanceDate;
      }),
      'w3c_invalid',
    );
    await expectRejected(
      issue(({ payload }) => {
        (payload.vc as JsonObject)['@context'] = ['https://www.w3.org/ns/credentials/v2'];
      }),
      'w3c_invalid',
    );
  });

  it('refuses another type than the configuration’s, and a credentialStatus no verifier can check', async () => {
    await expectRejected(
      issue(({ payload }) => {
        (payload.vc as JsonObject).type = ['VerifiableCredential', 'LanguageCourseCertificateCredential'];
      }),
      'w3c_invalid',
    );
    await expectRejected(
      issue(({ payload }) => {
        (payload.vc as JsonObject).credentialStatus = { id: 'https://issuer.example/status#3', type: 'StatusList2021Entry' };
      }),
      'status_unavailable',
    );
  });

  it('refuses a subject that is not the did:jwk of the key the wallet sent', async () => {
    const other = didJwkOf((await generateKeyPair()).publicJwk);
    await expectRejected(
      issue(({ payload }) => {
        payload.sub = other;
        ((payload.vc as JsonObject).credentialSubject as JsonObject).id = other;
      }),
      'w3c_holder_mismatch',
    );
    await expectRejected(
      issue(({ payload }) => {
        payload.sub = 'did:web:holder.example';
        ((payload.vc as JsonObject).credentialSubject as JsonObject).id = 'did:web:holder.example';
      }),
      'w3c_holder_mismatch',
    );
    await expectRejected(
      issue(({ payload }) => {
        ((payload.vc as JsonObject).credentialSubject as JsonObject).id = other;
      }),
      'w3c_claims_mismatch',
    );
    await expectRejected(
      issue(({ payload }) => {
        delete payload.sub;
      }),
      'missing_claim',
    );
  });

  it('applies the trust list to every specific type, and marks unknown issuers when the holder accepts them', async () => {
    const narrow: ReceiveTrust = { issuers: [{ id: issuerDid, credentialTypes: ['ResidencePermitCredential'] }] };
    const twoTypes = await issue(({ payload }) => {
      (payload.vc as JsonObject).type = [...TYPES, 'NgoRegistrationCredential'];
    });
    await expect(verify(twoTypes, { trust: narrow })).rejects.toMatchObject({ code: 'credential_type_not_allowed' });
    await expect(verify(await issue(), { trust: { issuers: [] } })).rejects.toMatchObject({ code: 'untrusted_issuer' });
    await expect(verify(await issue(), { trust: { issuers: [], acceptUnknownIssuers: true } })).resolves.toMatchObject({
      issuerTrusted: false,
    });
  });
});

describe('w3cCredentialView', () => {
  it('sets issuer, subject id and dates from the signed claims, as VC Data Model 1.1 §6.3.1 decodes', () => {
    const view = w3cCredentialView({
      iss: 'did:jwk:issuer',
      sub: 'did:jwk:holder',
      nbf: NOW,
      exp: NOW + 60,
      vc: { '@context': [VC_CONTEXT_V1], type: TYPES, credentialSubject: { residence_status: 'lawfully_resident' } },
    });
    expect(view).toEqual({
      '@context': [VC_CONTEXT_V1],
      type: TYPES,
      issuer: 'did:jwk:issuer',
      credentialSubject: { residence_status: 'lawfully_resident', id: 'did:jwk:holder' },
      issuanceDate: new Date(NOW * 1000).toISOString(),
      expirationDate: new Date((NOW + 60) * 1000).toISOString(),
    });
    expect(() => w3cCredentialView({ iss: 'x' })).toThrow(expect.objectContaining({ code: 'w3c_invalid' }));
  });
});
