import {
  createStatusList,
  createStatusListToken,
  type ErrorCode,
  generateKeyPair,
  importSigningKey,
  issueSdJwtVc,
  type Jwk,
  presentSdJwt,
  type SigningKey,
  StatusValue,
  TesseraError,
  verifySdJwtVc,
  webCrypto,
} from '@tessera/shared';
import { errorCodeOf } from '@tessera/shared/testing';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertStatusValid, createStatusChecker } from '../status/status-checker.ts';
import { findTrustedIssuer, parseTrustList, type TrustList } from '../trust/trust-list.ts';
import {
  bundleFetch,
  bundleKeyResolver,
  createTrustBundle,
  parseTrustBundle,
  type TrustBundle,
  type TrustBundleIssuerKey,
} from './trust-bundle.ts';

const NOW = 1_750_000_000;
let nowMs = NOW * 1000;
const clock = (): number => nowMs;

const ISSUER = 'https://issuer.example/tenant';
const VCT = 'https://tessera.example/credentials/residence-permit';
const STATUS_URI = 'https://issuer.example/tenant/status/1';
/** A list whose token carries no `iss`: its key is found through the credential's issuer. */
const STATUS_URI_NO_ISS = 'https://issuer.example/tenant/status/2';
const SHORT_LIVED_URI = 'https://issuer.example/tenant/status/3';
const AUDIENCE = 'x509_hash:desk';
const NONCE = 'nonce-4711';

let issuerKey: SigningKey;
let issuerPublic: Jwk;
let holderKey: SigningKey;
let holderPublic: Jwk;
let trustList: TrustList;
let bundle: TrustBundle;

beforeAll(async () => {
  const issuerPair = await generateKeyPair('ES256');
  issuerKey = await importSigningKey(issuerPair.privateJwk, 'ES256', 'issuer-key-1');
  issuerPublic = issuerPair.publicJwk;
  const holderPair = await generateKeyPair('ES256');
  holderKey = await importSigningKey(holderPair.privateJwk, 'ES256');
  holderPublic = holderPair.publicJwk;
  trustList = parseTrustList({
    version: 1,
    issuers: [{ id: ISSUER, name: { en: 'Immigration Office', ar: 'مكتب الهجرة' }, credentialTypes: [VCT] }],
  });

  const list = createStatusList(128, 2);
  list.set(1, StatusValue.INVALID);
  list.set(2, StatusValue.SUSPENDED);
  const token = (uri: string, extra: { issuer?: string; expiresAt?: number } = {}) =>
    createStatusListToken({ list, uri, issuedAt: NOW - 60, ttl: 300, signingKey: issuerKey, ...extra });
  bundle = createTrustBundle({
    trustList,
    issuerKeys: [{ issuer: ISSUER, kid: 'issuer-key-1', jwk: issuerPublic }],
    statusTokens: [
      { uri: STATUS_URI, token: await token(STATUS_URI, { issuer: ISSUER, expiresAt: NOW + 86_400 }) },
      { uri: STATUS_URI_NO_ISS, token: await token(STATUS_URI_NO_ISS) },
      { uri: SHORT_LIVED_URI, token: await token(SHORT_LIVED_URI, { issuer: ISSUER, expiresAt: NOW + 600 }) },
    ],
    clock,
  });
});

/** Every network call the code under test tries; `globalThis.fetch` throws instead of connecting. */
let networkCalls: string[] = [];
const realFetch = globalThis.fetch;
beforeEach(() => {
  nowMs = NOW * 1000;
  networkCalls = [];
  globalThis.fetch = ((input: unknown) => {
    networkCalls.push(String(input));
    throw new Error('network disabled in this test');
  }) as typeof fetch;
});
afterEach(() => {
  globalThis.fetch = realFetch;
});

async function presentation(idx: number, uri = STATUS_URI): Promise<string> {
  const credential = await issueSdJwtVc({
    issuer: ISSUER,
    vct: VCT,
    claims: { given_name: 'Amina', residence_status: 'permanent' },
    disclosable: [['given_name'], ['residence_status']],
    holderKey: holderPublic,
    status: { idx, uri },
    issuedAt: NOW - 3600,
    expiresAt: NOW + 365 * 86_400,
    signingKey: issuerKey,
    crypto: webCrypto,
  });
  return presentSdJwt(credential, {
    disclose: [['residence_status']],
    crypto: webCrypto,
    keyBinding: { signingKey: holderKey, audience: AUDIENCE, nonce: NONCE, issuedAt: Math.floor(nowMs / 1000) },
  });
}

/** What a desk does offline: signature and key binding, trust, then status, all from the bundle. */
async function verifyOffline(vp: string, desk: TrustBundle) {
  const verified = await verifySdJwtVc(vp, {
    issuerKey: bundleKeyResolver(desk),
    crypto: webCrypto,
    keyBinding: 'required',
    audience: AUDIENCE,
    nonce: NONCE,
    clock,
  });
  const trusted = findTrustedIssuer(desk.trustList, verified.issuer, verified.vct);
  const checker = createStatusChecker({
    fetch: bundleFetch(desk),
    crypto: webCrypto,
    resolveKey: bundleKeyResolver(desk),
    clock,
  });
  if (verified.status === undefined) throw new Error('the test credential has a status');
  const status = await checker.check(verified.status, { issuer: verified.issuer });
  return { verified, trusted, status };
}

async function failure(promise: Promise<unknown>): Promise<{ code: ErrorCode; cause?: ErrorCode }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TesseraError);
    const { code, cause } = error as TesseraError;
    return cause instanceof TesseraError ? { code, cause: cause.code } : { code };
  }
  throw new Error('expected a rejection');
}

describe('an offline desk with a trust bundle', () => {
  it('survives JSON serialisation unchanged', () => {
    const json = JSON.stringify(bundle);
    expect(parseTrustBundle(json)).toEqual(bundle);
    expect(parseTrustBundle(JSON.parse(json))).toEqual(bundle);
    expect(bundle.createdAt).toBe(NOW);
  });

  it('verifies a presentation, its issuer key, trust and status with no network call', async () => {
    const desk = parseTrustBundle(JSON.stringify(bundle));
    const { verified, trusted, status } = await verifyOffline(await presentation(0), desk);
    expect(verified.claims.residence_status).toBe('permanent');
    expect(verified.claims.given_name).toBeUndefined();
    expect(trusted.name.ar).toBe('مكتب الهجرة');
    expect(status).toMatchObject({ status: 'valid', value: 0, fromCache: false });
    expect(networkCalls).toEqual([]);
  });

  it('rejects a revoked and a suspended credential offline', async () => {
    const desk = parseTrustBundle(JSON.stringify(bundle));
    const revoked = await verifyOffline(await presentation(1), desk);
    expect(() => assertStatusValid(revoked.status)).toThrow(expect.objectContaining({ code: 'credential_revoked' }));
    const suspended = await verifyOffline(await presentation(2), desk);
    expect(() => assertStatusValid(suspended.status)).toThrow(expect.objectContaining({ code: 'credential_suspended' }));
    expect(networkCalls).toEqual([]);
  });

  it("finds the key of a status list token without iss through the credential's issuer", async () => {
    const { status } = await verifyOffline(await presentation(1, STATUS_URI_NO_ISS), bundle);
    expect(status.status).toBe('invalid');
    const checker = createStatusChecker({
      fetch: bundleFetch(bundle),
      crypto: webCrypto,
      resolveKey: bundleKeyResolver(bundle),
      clock,
    });
    expect(await failure(checker.check({ idx: 0, uri: STATUS_URI_NO_ISS }))).toEqual({
      code: 'status_unavailable',
      cause: 'issuer_key_not_found',
    });
  });

  it('fails closed once a status list token in the bundle has expired', async () => {
    expect((await verifyOffline(await presentation(0, SHORT_LIVED_URI), bundle)).status.status).toBe('valid');
    nowMs = (NOW + 600) * 1000;
    expect(await failure(verifyOffline(await presentation(0, SHORT_LIVED_URI), bundle))).toEqual({
      code: 'status_unavailable',
      cause: 'expired',
    });
    expect(networkCalls).toEqual([]);
  });

  it('fails closed for a status list the bundle does not hold', async () => {
    const vp = await presentation(0, 'https://issuer.example/tenant/status/99');
    expect(await failure(verifyOffline(vp, bundle))).toEqual({ code: 'status_unavailable', cause: 'fetch_failed' });
    expect(networkCalls).toEqual([]);
  });

  it('rejects a credential from an issuer whose key the bundle does not hold', async () => {
    const empty = createTrustBundle({ trustList, issuerKeys: [], statusTokens: [], clock });
    expect((await failure(verifyOffline(await presentation(0), empty))).code).toBe('issuer_key_not_found');
  });
});

describe('bundleKeyResolver', () => {
  const header = (kid?: string) => (kid === undefined ? { alg: 'ES256' } : { alg: 'ES256', kid });
  const make = (issuerKeys: TrustBundleIssuerKey[]) =>
    bundleKeyResolver(createTrustBundle({ trustList, issuerKeys, statusTokens: [] }));

  it('finds a key by iss and kid, and by iss alone when the issuer has exactly one key', () => {
    const resolve = make([{ issuer: ISSUER, kid: 'k1', jwk: issuerPublic }]);
    expect(resolve({ header: header('k1'), payload: { iss: ISSUER } })).toEqual(issuerPublic);
    expect(resolve({ header: header(), payload: { iss: ISSUER } })).toEqual(issuerPublic);
  });

  it('fails with issuer_key_not_found for an unknown issuer, an unknown kid, or an ambiguous missing kid', () => {
    const resolve = make([
      { issuer: ISSUER, kid: 'k1', jwk: issuerPublic },
      { issuer: ISSUER, kid: 'k2', jwk: holderPublic },
    ]);
    expect(errorCodeOf(() => resolve({ header: header('k1'), payload: { iss: 'https://other.example' } }))).toBe(
      'issuer_key_not_found',
    );
    expect(errorCodeOf(() => resolve({ header: header('k3'), payload: { iss: ISSUER } }))).toBe('issuer_key_not_found');
    expect(errorCodeOf(() => resolve({ header: header(), payload: { iss: ISSUER } }))).toBe('issuer_key_not_found');
    expect(errorCodeOf(() => resolve({ header: header('k1'), payload: {} }))).toBe('issuer_key_not_found');
    expect(resolve({ header: header('k2'), payload: { iss: ISSUER } })).toEqual(holderPublic);
  });

  it("uses the JWK's own kid when the entry names none, and matches a DID's relative and absolute kid", () => {
    expect(
      make([{ issuer: ISSUER, jwk: { ...issuerPublic, kid: 'k9' } }])({ header: header('k9'), payload: { iss: ISSUER } }),
    ).toMatchObject(issuerPublic);
    const did = 'did:web:bologna.example';
    const resolve = make([{ issuer: did, kid: '#key-1', jwk: issuerPublic }]);
    expect(resolve({ header: header(`${did}#key-1`), payload: { iss: did } })).toEqual(issuerPublic);
    expect(resolve({ header: header('#key-1'), payload: { iss: did } })).toEqual(issuerPublic);
  });

  it('never uses a private key, even from a bundle built by hand', () => {
    const handMade: TrustBundle = {
      ...bundle,
      issuerKeys: [{ issuer: ISSUER, kid: 'k1', jwk: { ...issuerPublic, d: 'secret' } }],
    };
    expect(errorCodeOf(() => bundleKeyResolver(handMade)({ header: header('k1'), payload: { iss: ISSUER } }))).toBe(
      'invalid_key',
    );
  });
});

describe('bundleFetch', () => {
  it('serves a status list token as application/statuslist+jwt', async () => {
    const response = await bundleFetch(bundle)({ url: STATUS_URI, accept: 'application/statuslist+jwt' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/statuslist+jwt');
    expect(new TextDecoder().decode(response.body)).toBe(bundle.statusLists[0]?.token);
  });

  it('fails with fetch_failed for an unknown URL or anything but a status list, and fetch_too_large past maxBytes', async () => {
    const serve = bundleFetch(bundle);
    expect(await failure(serve({ url: 'https://issuer.example/nope', accept: 'application/statuslist+jwt' }))).toEqual({
      code: 'fetch_failed',
    });
    expect(await failure(serve({ url: STATUS_URI, accept: 'application/did+json' }))).toEqual({ code: 'fetch_failed' });
    expect(await failure(serve({ url: STATUS_URI, accept: 'application/statuslist+jwt', maxBytes: 10 }))).toEqual({
      code: 'fetch_too_large',
    });
    expect(networkCalls).toEqual([]);
  });
});

describe('parseTrustBundle', () => {
  const json = (): Record<string, unknown> => JSON.parse(JSON.stringify(bundle)) as Record<string, unknown>;
  const key = (jwk: Jwk, kid = 'issuer-key-1') => [{ issuer: ISSUER, kid, jwk }];
  const statusList = (uri: string, token: string) => ({ uri, token });

  const cases: [string, (b: Record<string, unknown>) => unknown, ErrorCode][] = [
    ['a version other than 1', (b) => ({ ...b, version: 2 }), 'trust_bundle_invalid'],
    ['an unknown member', (b) => ({ ...b, extra: 1 }), 'trust_bundle_invalid'],
    ['a negative createdAt', (b) => ({ ...b, createdAt: -1 }), 'trust_bundle_invalid'],
    ['a missing createdAt', ({ createdAt: _, ...rest }) => rest, 'trust_bundle_invalid'],
    ['a private issuer key', (b) => ({ ...b, issuerKeys: key({ ...issuerPublic, d: 'secret' }) }), 'trust_bundle_invalid'],
    ['an issuer key that is not a JWK', (b) => ({ ...b, issuerKeys: [{ issuer: ISSUER, jwk: 'abc' }] }), 'trust_bundle_invalid'],
    ['an issuer key without issuer', (b) => ({ ...b, issuerKeys: [{ jwk: issuerPublic }] }), 'trust_bundle_invalid'],
    [
      'an unknown member of an issuer key',
      (b) => ({ ...b, issuerKeys: [{ issuer: ISSUER, jwk: issuerPublic, x5u: 'https://x' }] }),
      'trust_bundle_invalid',
    ],
    [
      'two keys with the same issuer and kid',
      (b) => ({ ...b, issuerKeys: [...key(issuerPublic), ...key(holderPublic)] }),
      'trust_bundle_invalid',
    ],
    [
      'two status lists with the same uri',
      (b) => ({ ...b, statusLists: [...(b.statusLists as unknown[]), (b.statusLists as unknown[])[0]] }),
      'trust_bundle_invalid',
    ],
    [
      'a status token that is not a compact JWS',
      (b) => ({ ...b, statusLists: [statusList(STATUS_URI, 'a.b')] }),
      'trust_bundle_invalid',
    ],
    [
      'a status list with a relative uri',
      (b) => ({ ...b, statusLists: [statusList('/status/1', 'a.b.c')] }),
      'trust_bundle_invalid',
    ],
    ['statusLists that are not an array', (b) => ({ ...b, statusLists: {} }), 'trust_bundle_invalid'],
    ['an invalid trust list inside', (b) => ({ ...b, trustList: { version: 2, issuers: [] } }), 'trust_list_invalid'],
    ['a missing trust list', ({ trustList: _, ...rest }) => rest, 'trust_list_invalid'],
  ];
  for (const [what, mutate, code] of cases) {
    it(`rejects ${what} with ${code}`, () => {
      const value = mutate(json());
      expect(errorCodeOf(() => parseTrustBundle(value))).toBe(code);
    });
  }

  it('rejects text that is not JSON with trust_bundle_invalid', () => {
    expect(errorCodeOf(() => parseTrustBundle('not json'))).toBe('trust_bundle_invalid');
  });

  it('keeps only the public members of a JWK', () => {
    const parsed = parseTrustBundle({ ...json(), issuerKeys: key({ ...issuerPublic, ext: true, key_ops: ['verify'] } as Jwk) });
    expect(parsed.issuerKeys[0]?.jwk).toEqual({ kty: 'EC', crv: 'P-256', x: issuerPublic.x, y: issuerPublic.y });
  });
});
