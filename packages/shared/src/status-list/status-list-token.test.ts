import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeCrypto, nodeSigningKey } from '../crypto/node.ts';
import type { Jwk, JwsAlgorithm, SigningKey } from '../crypto/types.ts';
import { generateKeyPair, importSigningKey, webCrypto } from '../crypto/web.ts';
import { encodeBase64Url, encodeBase64UrlText } from '../encoding/base64url.ts';
import type { JsonObject } from '../encoding/json.ts';
import { decodeJws, signJwt } from '../jws/compact.ts';
import { nodeDeflate, nodeInflate } from './node-inflate.ts';
import { createStatusList } from './status-list.ts';
import {
  createStatusListToken,
  STATUS_LIST_JWT_TYP,
  type VerifyStatusListTokenOptions,
  verifyStatusListToken,
} from './status-list-token.ts';
import { StatusValue } from './status-types.ts';

const VECTORS = new URL('../../test-vectors/token-status-list/', import.meta.url);
const readVector = (name: string): string => readFileSync(new URL(name, VECTORS), 'utf8');

/**
 * The example key of the draft's generator (oauth-wg/draft-ietf-oauth-status-list `src/util.py`,
 * kid "12"), public half only: it signed `status_list_jwt_raw.md`.
 */
const DRAFT_KEY: Jwk = {
  kty: 'EC',
  crv: 'P-256',
  x: 'I3HWm_0Ds1dPMI-IWmf4mBmH-YaeAVbPVu7vB27CxXo',
  y: '6N_d5Elj9bs1htgV3okJKIdbHEpkgTmAluYKJemzn1M',
};
const DRAFT_URI = 'https://example.com/statuslists/1';
const DRAFT_IAT = 1686920170;

const URI = 'https://issuer.example/status/1';
const NOW = 1_750_000_000;
const clock = (): number => NOW * 1000;

let signingKey: SigningKey;
let publicJwk: Jwk;
let otherPublicJwk: Jwk;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  signingKey = await importSigningKey(pair.privateJwk, 'ES256', 'status-key-1');
  publicJwk = pair.publicJwk;
  otherPublicJwk = (await generateKeyPair('ES256')).publicJwk;
});

const verifyOptions = (overrides: Partial<VerifyStatusListTokenOptions> = {}): VerifyStatusListTokenOptions => ({
  issuerKey: publicJwk,
  crypto: webCrypto,
  expectedUri: URI,
  clock,
  ...overrides,
});

const GOOD_LIST = { bits: 1, lst: encodeBase64Url(deflateSync(new Uint8Array([0xb9, 0xa3]))) };

/** Signs any header and payload, so tests can build tokens `createStatusListToken` would refuse to make. */
function signed(payload: JsonObject, header: JsonObject = { typ: STATUS_LIST_JWT_TYP }): Promise<string> {
  return signJwt(header, payload, signingKey);
}
const goodPayload = (overrides: JsonObject = {}): JsonObject => ({
  sub: URI,
  iat: NOW - 60,
  status_list: GOOD_LIST,
  ...overrides,
});

const errorCode = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => 'resolved',
    (error: { code?: string }) => error.code ?? error,
  );

describe('the draft example Status List Token (§5.1)', () => {
  const raw = readVector('status_list_jwt_raw.md').replace(/\s+/g, '');
  const [headerText, payloadText] = readVector('status_list_jwt.md').split(/\n\.\n/) as [string, string];

  it('decodes to the header and payload that status_list_jwt.md shows (plus iss)', () => {
    const { header, payload } = decodeJws(raw);
    expect(header).toEqual(JSON.parse(headerText));
    expect(payload).toEqual({ ...JSON.parse(payloadText), iss: 'https://example.com' });
  });

  it('verifies with the generator key "12" and holds the 0xB9 0xA3 list', async () => {
    for (const [crypto, inflate] of [
      [webCrypto, undefined],
      [nodeCrypto, nodeInflate],
    ] as const) {
      const verified = await verifyStatusListToken(raw, {
        issuerKey: DRAFT_KEY,
        crypto,
        expectedUri: DRAFT_URI,
        clock: () => DRAFT_IAT * 1000,
        ...(inflate ? { inflate } : {}),
      });
      expect([...verified.list.bytes]).toEqual([0xb9, 0xa3]);
      expect(verified).toMatchObject({ sub: DRAFT_URI, iat: DRAFT_IAT, exp: 2291720170, ttl: 43200 });
      expect(verified.header).toEqual({ alg: 'ES256', kid: '12', typ: 'statuslist+jwt' });
    }
  });

  it('is rejected once a byte of its payload changes', async () => {
    const [header, , signature] = raw.split('.') as [string, string, string];
    const tampered = `${header}.${encodeBase64UrlText(JSON.stringify({ ...decodeJws(raw).payload, ttl: 1 }))}.${signature}`;
    const options = { issuerKey: DRAFT_KEY, crypto: webCrypto, expectedUri: DRAFT_URI, clock: () => DRAFT_IAT * 1000 };
    expect(await errorCode(verifyStatusListToken(tampered, options))).toBe('invalid_signature');
  });
});

describe('createStatusListToken and verifyStatusListToken', () => {
  it('round-trip a 2-bit list with every optional claim', async () => {
    const list = createStatusList(1000, 2);
    list.set(3, StatusValue.INVALID);
    list.set(999, StatusValue.SUSPENDED);
    const token = await createStatusListToken({
      list,
      uri: URI,
      issuer: 'https://issuer.example',
      issuedAt: NOW - 10,
      expiresAt: NOW + 3600,
      ttl: 300,
      aggregationUri: 'https://issuer.example/status',
      signingKey,
      header: { typ: 'JWT', x5c: ['AAAA'] },
    });
    const { header, payload } = decodeJws(token);
    expect(header).toEqual({ alg: 'ES256', kid: 'status-key-1', typ: 'statuslist+jwt', x5c: ['AAAA'] });
    expect(payload).toMatchObject({ sub: URI, iss: 'https://issuer.example', iat: NOW - 10, exp: NOW + 3600, ttl: 300 });
    expect(payload.status_list).toMatchObject({ bits: 2, aggregation_uri: 'https://issuer.example/status' });

    const verified = await verifyStatusListToken(token, verifyOptions());
    expect(verified).toMatchObject({ sub: URI, iat: NOW - 10, exp: NOW + 3600, ttl: 300 });
    expect(verified.aggregationUri).toBe('https://issuer.example/status');
    expect(verified.list.bytes).toEqual(list.bytes);
    expect([verified.list.get(3), verified.list.get(999), verified.list.get(4)]).toEqual([1, 2, 0]);
  });

  it('round-trip on node:crypto, node:zlib and EdDSA, with a key picked from the header kid', async () => {
    const pair = await generateKeyPair('EdDSA');
    const key = nodeSigningKey(pair.privateJwk, 'EdDSA', 'ed-1');
    const list = createStatusList(100_000, 1);
    list.set(77_777, 1);
    const token = await createStatusListToken({ list, uri: URI, issuedAt: NOW, signingKey: key, deflate: nodeDeflate });
    const verified = await verifyStatusListToken(
      token,
      verifyOptions({
        crypto: nodeCrypto,
        inflate: nodeInflate,
        algorithms: ['EdDSA'],
        issuerKey: ({ header }) => (header.kid === 'ed-1' ? pair.publicJwk : otherPublicJwk),
      }),
    );
    expect(verified.list.get(77_777)).toBe(1);
    expect(verified.exp).toBeUndefined();
    expect(verified.ttl).toBeUndefined();
  });

  it('refuses nonsense options as programmer mistakes', async () => {
    const list = createStatusList(8, 1);
    const base = { list, uri: URI, signingKey, issuedAt: NOW };
    await expect(createStatusListToken({ ...base, uri: 'not a uri' })).rejects.toThrow(TypeError);
    await expect(createStatusListToken({ ...base, ttl: 0 })).rejects.toThrow(TypeError);
    await expect(createStatusListToken({ ...base, expiresAt: NOW })).rejects.toThrow(TypeError);
    await expect(createStatusListToken({ ...base, aggregationUri: '' })).rejects.toThrow(TypeError);
    const token = await createStatusListToken(base);
    await expect(verifyStatusListToken(token, verifyOptions({ expectedUri: '' }))).rejects.toThrow(TypeError);
    await expect(verifyStatusListToken(token, verifyOptions({ algorithms: ['HS256' as JwsAlgorithm] }))).rejects.toThrow(
      TypeError,
    );
    await expect(verifyStatusListToken(token, verifyOptions({ clockTolerance: 600 }))).rejects.toThrow(TypeError);
  });
});

describe('verifyStatusListToken rejects', () => {
  const verify = (token: string, overrides?: Partial<VerifyStatusListTokenOptions>): Promise<unknown> =>
    errorCode(verifyStatusListToken(token, verifyOptions(overrides)));

  it('a typ other than exactly statuslist+jwt', async () => {
    for (const typ of ['application/statuslist+jwt', 'Statuslist+JWT', 'JWT', 'dc+sd-jwt']) {
      expect(await verify(await signed(goodPayload(), { typ }))).toBe('invalid_typ');
    }
    expect(await verify(await signed(goodPayload(), {}))).toBe('invalid_typ');
  });

  it('alg none, even with a signature part', async () => {
    const unsigned = `${encodeBase64UrlText(JSON.stringify({ alg: 'none', typ: STATUS_LIST_JWT_TYP }))}.${encodeBase64UrlText(JSON.stringify(goodPayload()))}`;
    expect(await verify(`${unsigned}.AAAA`)).toBe('unsupported_algorithm');
    expect(await verify(`${unsigned}.`)).toBe('malformed_jwt');
  });

  it('an HMAC algorithm', async () => {
    const input = `${encodeBase64UrlText(JSON.stringify({ alg: 'HS256', typ: STATUS_LIST_JWT_TYP }))}.${encodeBase64UrlText(JSON.stringify(goodPayload()))}`;
    expect(await verify(`${input}.${encodeBase64Url(new Uint8Array(32))}`)).toBe('unsupported_algorithm');
  });

  it('an asymmetric algorithm the caller did not allow', async () => {
    expect(await verify(await signed(goodPayload()), { algorithms: ['ES384'] })).toBe('unsupported_algorithm');
  });

  it('a tampered signature, and a signature by another key', async () => {
    const token = await signed(goodPayload());
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    expect(await verify(`${token.slice(0, -2)}${last}${token.slice(-1)}`)).toBe('invalid_signature');
    expect(await verify(token, { issuerKey: otherPublicJwk })).toBe('invalid_signature');
  });

  it('a sub that is missing or differs from the credential URI', async () => {
    expect(await verify(await signed(goodPayload({ sub: 'https://issuer.example/status/2' })))).toBe('invalid_claim');
    expect(await verify(await signed(goodPayload()), { expectedUri: `${URI}/` })).toBe('invalid_claim');
    const { sub: _sub, ...withoutSub } = goodPayload();
    expect(await verify(await signed(withoutSub))).toBe('missing_claim');
  });

  it('an expired token, exp == now included, unless within the clock tolerance', async () => {
    expect(await verify(await signed(goodPayload({ exp: NOW })))).toBe('expired');
    expect(await verify(await signed(goodPayload({ exp: NOW - 1 })))).toBe('expired');
    expect(await verify(await signed(goodPayload({ exp: NOW + 1 })))).toBe('resolved');
    expect(await verify(await signed(goodPayload({ exp: NOW })), { clockTolerance: 5 })).toBe('resolved');
  });

  it('a missing, non-numeric or future iat', async () => {
    const { iat: _iat, ...withoutIat } = goodPayload();
    expect(await verify(await signed(withoutIat))).toBe('missing_claim');
    expect(await verify(await signed(goodPayload({ iat: String(NOW) })))).toBe('invalid_time_claim');
    expect(await verify(await signed(goodPayload({ iat: NOW + 120 })))).toBe('issued_in_future');
    expect(await verify(await signed(goodPayload({ exp: 'soon' })))).toBe('invalid_time_claim');
  });

  it('a ttl that is not a positive number', async () => {
    for (const ttl of [0, -60, '60', null]) {
      expect(await verify(await signed(goodPayload({ ttl })))).toBe('invalid_claim');
    }
  });

  it('a missing or malformed status_list', async () => {
    const { status_list: _list, ...withoutList } = goodPayload();
    expect(await verify(await signed(withoutList))).toBe('missing_claim');
    for (const status_list of [
      'eNrbuRgAAhcBXQ',
      { bits: 3, lst: GOOD_LIST.lst },
      { bits: 1 },
      { bits: 1, lst: 'eNrbuRgAAhcBX' },
    ]) {
      expect(await verify(await signed(goodPayload({ status_list })))).toBe('status_list_malformed');
    }
  });

  it('a signed zip bomb, before allocating it', async () => {
    const bomb = { bits: 1, lst: encodeBase64Url(deflateSync(new Uint8Array(8 * 1024 * 1024), { level: 9 })) };
    const token = await signed(goodPayload({ status_list: bomb }));
    expect(await verify(token, { maxBytes: 1024 * 1024 })).toBe('status_list_too_large');
    expect(await verify(token, { maxBytes: 1024 * 1024, inflate: nodeInflate })).toBe('status_list_too_large');
  });

  it('a token far larger than any list within the limit', async () => {
    expect(await verify(`${'a'.repeat(70_000)}.b.c`, { maxBytes: 1000 })).toBe('status_list_too_large');
  });

  it('critical header extensions it does not understand', async () => {
    expect(await verify(await signed(goodPayload(), { typ: STATUS_LIST_JWT_TYP, crit: ['exp'] }))).toBe(
      'critical_header_unsupported',
    );
  });

  it('text that is not a compact JWS', async () => {
    expect(await verify('not.a-jwt')).toBe('malformed_jwt');
  });
});
