/**
 * verifyPresentation end to end: real issuers' documents, metadata and status lists served over
 * HTTP on 127.0.0.1, real SD-JWT VC credentials and presentations from @tessera/shared, and a
 * negative case for every rule the verifier adds on top of the SD-JWT core.
 */
import {
  type ClaimPath,
  createStatusList,
  createStatusListToken,
  encodeBase64Url,
  generateKeyPair,
  issueSdJwtVc,
  isTesseraError,
  type Jwk,
  presentSdJwt,
  type SigningKey,
  StatusValue,
} from '@tessera/shared';
import { nodeCrypto, nodeSigningKey } from '@tessera/shared/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki } from './keys/test-pki.ts';
import { type Route, routes, startHttpServer, type TestServer } from './node/test-servers.ts';
import { createTrustBundle, parseTrustBundle } from './offline/trust-bundle.ts';
import { parseTrustList, type TrustList } from './trust/trust-list.ts';
import { createPresentationVerifier, type PresentationVerifierConfig, verifyPresentation } from './verify-presentation.ts';

const VCT = 'https://tessera.example/credentials/residence-permit';
const AUDIENCE = 'x509_hash:desk-bologna-job-centre';
const NONCE = 'n-0S6_WzA2Mj';
const CLAIMS = {
  given_name: 'Amina-SECRET',
  family_name: 'Yusuf-SECRET',
  residence_status: 'lawfully_resident',
  age_equal_or_over: { '18': true },
};
const SECRETS = ['Amina-SECRET', 'Yusuf-SECRET'];
const DISCLOSABLE: ClaimPath[] = [['given_name'], ['family_name'], ['residence_status'], ['age_equal_or_over', '18']];
const SHOWN: ClaimPath[] = [['residence_status'], ['age_equal_or_over', '18']];
const now = (): number => Math.floor(Date.now() / 1000);

let server: TestServer;
const table: Record<string, Route> = {};
let issuerDid: string;
let statusUri: string;
let issuerKey: SigningKey;
let issuerPublicJwk: Jwk;
let holderPrivate: Jwk;
let holderPublic: Jwk;
let trust: TrustList;
let statusToken: string;
let statusRequests = 0;
let statusFailure: number | undefined;

/** Indexes in the status list: valid, revoked, suspended. */
const VALID = 3;
const REVOKED = 7;
const SUSPENDED = 8;

beforeAll(async () => {
  server = await startHttpServer((req, res) => {
    if (req.url === '/status/1') {
      statusRequests++;
      if (statusFailure !== undefined) {
        res.writeHead(statusFailure).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/statuslist+jwt' }).end(statusToken);
      return;
    }
    routes(table)(req, res);
  });
  issuerDid = `did:web:localhost%3A${server.port}`;
  statusUri = `http://localhost:${server.port}/status/1`;
  const issuer = await generateKeyPair();
  issuerPublicJwk = issuer.publicJwk;
  issuerKey = nodeSigningKey(issuer.privateJwk, 'ES256', `${issuerDid}#key-1`);
  table['/.well-known/did.json'] = {
    '@context': ['https://www.w3.org/ns/did/v1'],
    id: issuerDid,
    verificationMethod: [
      { id: `${issuerDid}#key-1`, type: 'JsonWebKey2020', controller: issuerDid, publicKeyJwk: issuer.publicJwk },
    ],
    assertionMethod: [`${issuerDid}#key-1`],
  };
  const holder = await generateKeyPair();
  holderPrivate = holder.privateJwk;
  holderPublic = holder.publicJwk;
  trust = parseTrustList({
    version: 1,
    issuers: [
      {
        id: issuerDid,
        name: { en: 'City of Bologna — Immigration Office', it: 'Comune di Bologna — Ufficio Immigrazione' },
        credentialTypes: [VCT],
      },
    ],
  });
  const list = createStatusList(1024, 2);
  list.set(REVOKED, StatusValue.INVALID);
  list.set(SUSPENDED, StatusValue.SUSPENDED);
  statusToken = await createStatusListToken({ list, uri: statusUri, issuer: issuerDid, ttl: 300, signingKey: issuerKey });
});

afterAll(async () => {
  await server.close();
});

async function credential(
  options: {
    idx?: number;
    issuer?: string;
    vct?: string;
    key?: SigningKey;
    expiresAt?: number;
    header?: Record<string, string>;
  } = {},
): Promise<string> {
  return issueSdJwtVc({
    issuer: options.issuer ?? issuerDid,
    vct: options.vct ?? VCT,
    claims: CLAIMS,
    disclosable: DISCLOSABLE,
    holderKey: holderPublic,
    ...(options.idx === undefined ? {} : { status: { idx: options.idx, uri: statusUri } }),
    issuedAt: now() - 60,
    expiresAt: options.expiresAt ?? now() + 3600,
    signingKey: options.key ?? issuerKey,
    crypto: nodeCrypto,
    ...(options.header === undefined ? {} : { header: options.header }),
  });
}

async function present(
  sdJwt: string,
  kb: { audience?: string; nonce?: string; issuedAt?: number; key?: Jwk } = {},
): Promise<string> {
  return presentSdJwt(sdJwt, {
    disclose: SHOWN,
    crypto: nodeCrypto,
    keyBinding: {
      signingKey: nodeSigningKey(kb.key ?? holderPrivate, 'ES256'),
      audience: kb.audience ?? AUDIENCE,
      nonce: kb.nonce ?? NONCE,
      issuedAt: kb.issuedAt ?? now(),
    },
  });
}

const config = (extra: Partial<PresentationVerifierConfig> = {}): PresentationVerifierConfig => ({
  trust,
  fetchPolicy: { allowInsecureLocalhost: true, timeoutMs: 2000 },
  crypto: nodeCrypto,
  ...extra,
});

/** Expects a rejection with `code` whose message reveals no claim value. */
async function rejects(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isTesseraError(error), String(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  for (const secret of SECRETS) expect(String((error as Error).message)).not.toContain(secret);
}

describe('verifyPresentation with a did:web issuer and a status list on 127.0.0.1', () => {
  it('verifies and returns exactly what was disclosed, the issuer from the trust list and the status', async () => {
    const result = await verifyPresentation(await present(await credential({ idx: VALID })), {
      ...config(),
      nonce: NONCE,
      audience: AUDIENCE,
    });
    expect(result.verified).toBe(true);
    expect(result.issuer).toBe(issuerDid);
    expect(result.vct).toBe(VCT);
    expect(result.trustedIssuer.name.en).toBe('City of Bologna — Immigration Office');
    expect(result.disclosed).toEqual(expect.arrayContaining([['residence_status'], ['age_equal_or_over', '18']]));
    expect(result.disclosed).toHaveLength(2);
    expect(result.claims.residence_status).toBe('lawfully_resident');
    expect(result.claims.age_equal_or_over).toEqual({ '18': true });
    expect(JSON.stringify(result.claims)).not.toMatch(/SECRET/);
    expect(result.status).toMatchObject({ status: 'valid', value: 0 });
  });

  it('reports a credential without a status reference as such', async () => {
    const result = await verifyPresentation(await present(await credential()), { ...config(), nonce: NONCE, audience: AUDIENCE });
    expect(result.status).toEqual({ status: 'none' });
  });

  it('keeps the status list cached across presentations within its ttl', async () => {
    const desk = createPresentationVerifier(config());
    const before = statusRequests;
    for (let i = 0; i < 3; i++) {
      await desk.verify(await present(await credential({ idx: VALID })), { nonce: NONCE, audience: AUDIENCE });
    }
    expect(statusRequests - before).toBe(1);
  });

  it('rejects a revoked credential and a suspended one', async () => {
    await rejects(
      verifyPresentation(await present(await credential({ idx: REVOKED })), { ...config(), nonce: NONCE, audience: AUDIENCE }),
      'credential_revoked',
    );
    await rejects(
      verifyPresentation(await present(await credential({ idx: SUSPENDED })), { ...config(), nonce: NONCE, audience: AUDIENCE }),
      'credential_suspended',
    );
  });

  it('fails closed when the status list cannot be fetched, and says so under fail-open', async () => {
    statusFailure = 500;
    try {
      const vp = await present(await credential({ idx: VALID }));
      await rejects(verifyPresentation(vp, { ...config(), nonce: NONCE, audience: AUDIENCE }), 'status_unavailable');
      const open = await verifyPresentation(vp, { ...config({ status: 'fail-open' }), nonce: NONCE, audience: AUDIENCE });
      expect(open.status).toMatchObject({ status: 'unknown' });
      // fail-open is about reachability only: a revoked credential is still refused when the list answers.
    } finally {
      statusFailure = undefined;
    }
    await rejects(
      verifyPresentation(await present(await credential({ idx: REVOKED })), {
        ...config({ status: 'fail-open' }),
        nonce: NONCE,
        audience: AUDIENCE,
      }),
      'credential_revoked',
    );
  });

  it('still rejects under fail-open when the status list answers but is not to be trusted', async () => {
    const stranger = await generateKeyPair();
    const list = createStatusList(1024, 2);
    const saved = statusToken;
    // Signed by a key that is not the issuer's: reachable, but not a statement of the issuer.
    statusToken = await createStatusListToken({
      list,
      uri: statusUri,
      issuer: issuerDid,
      signingKey: nodeSigningKey(stranger.privateJwk, 'ES256', `${issuerDid}#key-1`),
    });
    try {
      const desk = createPresentationVerifier(config({ status: 'fail-open' }));
      await rejects(
        desk.verify(await present(await credential({ idx: VALID })), { nonce: NONCE, audience: AUDIENCE }),
        'status_unavailable',
      );
    } finally {
      statusToken = saved;
    }
  });

  it('rejects an expired credential before fetching its status', async () => {
    const before = statusRequests;
    const expired = await credential({ idx: VALID, expiresAt: now() - 1 });
    await rejects(verifyPresentation(await present(expired), { ...config(), nonce: NONCE, audience: AUDIENCE }), 'expired');
    expect(statusRequests).toBe(before);
  });

  it('refuses an issuer missing from the trust list, or a type it may not issue, before fetching anything', async () => {
    const requests = server.requests.length;
    const stranger = `did:web:localhost%3A${server.port}:stranger`;
    await rejects(
      verifyPresentation(await present(await credential({ issuer: stranger })), {
        ...config(),
        nonce: NONCE,
        audience: AUDIENCE,
      }),
      'untrusted_issuer',
    );
    await rejects(
      verifyPresentation(await present(await credential({ vct: 'https://tessera.example/credentials/other' })), {
        ...config(),
        nonce: NONCE,
        audience: AUDIENCE,
      }),
      'credential_type_not_allowed',
    );
    expect(server.requests.length).toBe(requests);
  });

  it.each([
    ['another nonce', { nonce: 'replayed-nonce' }, 'kb_nonce_mismatch'],
    ['another audience', { audience: 'x509_hash:another-desk' }, 'kb_aud_mismatch'],
    ['a stale KB-JWT', { issuedAt: now() - 3600 }, 'kb_iat_invalid'],
  ] as const)('rejects a presentation with %s', async (_name, kb, code) => {
    await rejects(
      verifyPresentation(await present(await credential(), kb), { ...config(), nonce: NONCE, audience: AUDIENCE }),
      code,
    );
  });

  it('rejects a KB-JWT signed by another key than the credential binds', async () => {
    const other = await generateKeyPair();
    await rejects(
      verifyPresentation(await present(await credential(), { key: other.privateJwk }), {
        ...config(),
        nonce: NONCE,
        audience: AUDIENCE,
      }),
      'kb_invalid_signature',
    );
  });

  it('rejects a disclosure swapped for a forged one', async () => {
    const vp = await present(await credential());
    const [jwt, , ...rest] = vp.split('~');
    const forged = encodeBase64Url(new TextEncoder().encode(JSON.stringify(['salt', 'residence_status', 'citizen'])));
    await rejects(
      verifyPresentation([jwt, forged, ...rest].join('~'), { ...config(), nonce: NONCE, audience: AUDIENCE }),
      'disclosure_unreferenced',
    );
  });

  it('never takes a key from the token itself (jwk header)', async () => {
    const forged = await credential({ header: { jwk: 'self' } as unknown as Record<string, string> });
    await rejects(
      verifyPresentation(await present(forged), { ...config(), nonce: NONCE, audience: AUDIENCE }),
      'key_source_forbidden',
    );
  });

  it('refuses did:web documents at private or metadata addresses without sending anything', async () => {
    const ssrf = 'did:web:169.254.169.254';
    const ssrfTrust = parseTrustList({ version: 1, issuers: [{ id: ssrf, name: { en: 'x' }, credentialTypes: [VCT] }] });
    const started = Date.now();
    await rejects(
      verifyPresentation(await present(await credential({ issuer: ssrf })), {
        ...config({ trust: ssrfTrust }),
        nonce: NONCE,
        audience: AUDIENCE,
      }),
      'fetch_blocked',
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('verifyPresentation with other key mechanisms', () => {
  it('takes the key of an https issuer from its SD-JWT VC issuer metadata', async () => {
    const issuer = `http://localhost:${server.port}/tenants/ngo`;
    const keys = await generateKeyPair();
    table['/.well-known/jwt-vc-issuer/tenants/ngo'] = { issuer, jwks: { keys: [{ ...keys.publicJwk, kid: 'k1' }] } };
    const metadataTrust = parseTrustList({
      version: 1,
      issuers: [{ id: issuer, name: { en: 'Caritas Language School' }, credentialTypes: [VCT] }],
    });
    const sdJwt = await credential({ issuer, key: nodeSigningKey(keys.privateJwk, 'ES256', 'k1') });
    const result = await verifyPresentation(await present(sdJwt), {
      ...config({ trust: metadataTrust }),
      nonce: NONCE,
      audience: AUDIENCE,
    });
    expect(result.issuer).toBe(issuer);
  });

  it('takes the key from an x5c chain to the issuer’s trust anchor, and refuses one to another anchor', async () => {
    const issuer = 'https://issuer.example';
    const pki = await createTestPki({ intermediate: true });
    const leafKey: SigningKey = {
      alg: 'ES256',
      sign: async (data) =>
        new Uint8Array(
          await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pki.leaf.keys.privateKey, data as BufferSource),
        ),
    };
    const x5cTrust = parseTrustList({
      version: 1,
      issuers: [{ id: issuer, name: { en: 'Ufficio' }, credentialTypes: [VCT], x509TrustAnchors: pki.trustAnchors }],
    });
    const sdJwt = await credential({ issuer, key: leafKey, header: { x5c: pki.x5c } as unknown as Record<string, string> });
    const result = await verifyPresentation(await present(sdJwt), {
      ...config({ trust: x5cTrust }),
      nonce: NONCE,
      audience: AUDIENCE,
    });
    expect(result.issuer).toBe(issuer);

    const otherPki = await createTestPki();
    const wrongAnchor = parseTrustList({
      version: 1,
      issuers: [{ id: issuer, name: { en: 'Ufficio' }, credentialTypes: [VCT], x509TrustAnchors: otherPki.trustAnchors }],
    });
    await rejects(
      verifyPresentation(await present(sdJwt), { ...config({ trust: wrongAnchor }), nonce: NONCE, audience: AUDIENCE }),
      'certificate_invalid',
    );
  });

  it('resolves a did:jwk issuer without any network call', async () => {
    const keys = await generateKeyPair();
    const did = `did:jwk:${encodeBase64Url(new TextEncoder().encode(JSON.stringify(keys.publicJwk)))}`;
    const jwkTrust = parseTrustList({ version: 1, issuers: [{ id: did, name: { en: 'NGO' }, credentialTypes: [VCT] }] });
    const sdJwt = await credential({ issuer: did, key: nodeSigningKey(keys.privateJwk, 'ES256', `${did}#0`) });
    const noNetwork = async (): Promise<never> => {
      throw new Error('no network in this test');
    };
    const result = await verifyPresentation(await present(sdJwt), {
      ...config({ trust: jwkTrust, fetch: noNetwork }),
      nonce: NONCE,
      audience: AUDIENCE,
    });
    expect(result.issuer).toBe(did);
  });
});

describe('verifyPresentation offline, from a trust bundle', () => {
  it('takes the trust list from the bundle and resolves did:jwk issuers locally', async () => {
    const keys = await generateKeyPair();
    const did = `did:jwk:${encodeBase64Url(new TextEncoder().encode(JSON.stringify(keys.publicJwk)))}`;
    const bundle = createTrustBundle({
      trustList: parseTrustList({ version: 1, issuers: [{ id: did, name: { en: 'NGO' }, credentialTypes: [VCT] }] }),
      issuerKeys: [],
      statusTokens: [],
    });
    const sdJwt = await credential({ issuer: did, key: nodeSigningKey(keys.privateJwk, 'ES256', `${did}#0`) });
    const result = await verifyPresentation(await present(sdJwt), {
      bundle,
      crypto: nodeCrypto,
      nonce: NONCE,
      audience: AUDIENCE,
    });
    expect(result.issuer).toBe(did);
  });

  it('verifies issuer, trust and status with no network call at all', async () => {
    const bundle = createTrustBundle({
      trustList: trust,
      issuerKeys: [{ issuer: issuerDid, kid: `${issuerDid}#key-1`, jwk: issuerPublicJwk }],
      statusTokens: [{ uri: statusUri, token: statusToken }],
    });
    const vp = await present(await credential({ idx: VALID }));
    const revoked = await present(await credential({ idx: REVOKED }));
    const realFetch = globalThis.fetch;
    let calls = 0;
    globalThis.fetch = (async () => {
      calls++;
      throw new Error('offline');
    }) as typeof fetch;
    const requests = server.requests.length;
    try {
      // As a desk would load it: JSON text exported while online.
      const offline = parseTrustBundle(JSON.stringify(bundle));
      const result = await verifyPresentation(vp, { ...config({ bundle: offline }), nonce: NONCE, audience: AUDIENCE });
      expect(result.status).toMatchObject({ status: 'valid' });
      await rejects(
        verifyPresentation(revoked, { ...config({ bundle: offline }), nonce: NONCE, audience: AUDIENCE }),
        'credential_revoked',
      );
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(calls).toBe(0);
    expect(server.requests.length).toBe(requests);
  });
});
