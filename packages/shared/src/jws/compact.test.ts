import { describe, expect, it } from 'vitest';
import { encodeBase64Url, encodeBase64UrlText } from '../encoding/base64url.ts';
import type { JsonObject } from '../encoding/json.ts';
import { crypto, expectFailure, expectFailureSync, issuer, makeKey, stranger } from '../sd-jwt/test-helpers.ts';
import { allowedAlgorithm, checkJwsSignature, decodeJws, requireTyp, signJwt } from './compact.ts';

/** `checkJwsSignature` as a promise, so a synchronous failure reads as a rejection. */
const signatureCheck = (...args: Parameters<typeof checkJwsSignature>): Promise<void> =>
  Promise.resolve().then(() => checkJwsSignature(...args));

const HEADER = encodeBase64UrlText('{"alg":"ES256","typ":"JWT"}');
const PAYLOAD = encodeBase64UrlText('{"sub":"SECRET-subject"}');
const SIGNATURE = encodeBase64Url(new Uint8Array(64).fill(1));

describe('decodeJws', () => {
  it('splits and decodes a compact JWS, keeping the exact signing input', () => {
    const jws = decodeJws(`${HEADER}.${PAYLOAD}.${SIGNATURE}`);
    expect(jws.header).toEqual({ alg: 'ES256', typ: 'JWT' });
    expect(jws.payload).toEqual({ sub: 'SECRET-subject' });
    expect(jws.signingInput).toBe(`${HEADER}.${PAYLOAD}`);
    expect(jws.signature).toEqual(new Uint8Array(64).fill(1));
  });

  it.each([
    ['an empty string', ''],
    ['one part', HEADER],
    ['two parts', `${HEADER}.${PAYLOAD}`],
    ['four parts', `${HEADER}.${PAYLOAD}.${SIGNATURE}.${SIGNATURE}`],
    ['an empty header', `.${PAYLOAD}.${SIGNATURE}`],
    ['an empty payload', `${HEADER}..${SIGNATURE}`],
    ['an empty signature', `${HEADER}.${PAYLOAD}.`],
    ['only dots', '..'],
    ['a padded header', `${HEADER}=.${PAYLOAD}.${SIGNATURE}`],
    ['a standard-base64 payload', `${HEADER}.${PAYLOAD}+.${SIGNATURE}`],
    ['a signature with a space', `${HEADER}.${PAYLOAD}.${SIGNATURE} `],
    ['a header that is not JSON', `${encodeBase64UrlText('{alg:ES256}')}.${PAYLOAD}.${SIGNATURE}`],
    ['a header that is an array', `${encodeBase64UrlText('["ES256"]')}.${PAYLOAD}.${SIGNATURE}`],
    ['a header that is null', `${encodeBase64UrlText('null')}.${PAYLOAD}.${SIGNATURE}`],
    ['a payload that is a string', `${HEADER}.${encodeBase64UrlText('"SECRET-subject"')}.${SIGNATURE}`],
    ['a payload that is a number', `${HEADER}.${encodeBase64UrlText('42')}.${SIGNATURE}`],
    ['a payload that is not UTF-8', `${HEADER}.${encodeBase64Url(new Uint8Array([0xff]))}.${SIGNATURE}`],
  ])('rejects %s as malformed_jwt', (_, token) => {
    expectFailureSync(() => decodeJws(token), 'malformed_jwt', ['SECRET-subject']);
  });

  it('fails with the code the caller names, so a KB-JWT fails as kb_malformed', () => {
    expectFailureSync(() => decodeJws('a.b', 'kb_malformed'), 'kb_malformed');
  });
});

describe('allowedAlgorithm', () => {
  it('returns an allowed algorithm', () => {
    expect(allowedAlgorithm({ alg: 'ES256' }, ['ES256'])).toBe('ES256');
    expect(allowedAlgorithm({ alg: 'EdDSA' }, ['ES256', 'EdDSA'])).toBe('EdDSA');
  });

  it.each([['none'], ['HS256'], ['RS256'], ['PS256'], ['es256'], ['ES256 '], ['ES384'], [''], [null], [256], [['ES256']], [{}]])(
    'rejects alg %j when only ES256 is allowed',
    (alg) => {
      expectFailureSync(() => allowedAlgorithm({ alg } as JsonObject, ['ES256']), 'unsupported_algorithm');
    },
  );

  it('rejects a missing alg', () => {
    expectFailureSync(() => allowedAlgorithm({}, ['ES256']), 'unsupported_algorithm');
  });

  it('does not echo a long alg value into the message', () => {
    const error = expectFailureSync(() => allowedAlgorithm({ alg: `X${'y'.repeat(500)}` }, ['ES256']), 'unsupported_algorithm');
    expect(error.message.length).toBeLessThan(100);
  });

  it.each([[['b64']], [[]], ['exp'], [null]])('rejects crit %j (RFC 7515 §4.1.11)', (crit) => {
    expectFailureSync(() => allowedAlgorithm({ alg: 'ES256', crit } as JsonObject, ['ES256']), 'critical_header_unsupported');
  });
});

describe('requireTyp', () => {
  it('accepts the exact typ, from a string or a list', () => {
    expect(() => requireTyp({ typ: 'dc+sd-jwt' }, 'dc+sd-jwt')).not.toThrow();
    expect(() => requireTyp({ typ: 'kb+jwt' }, ['dc+sd-jwt', 'kb+jwt'])).not.toThrow();
  });

  it.each([
    ['DC+SD-JWT'],
    ['application/dc+sd-jwt'],
    ['dc+sd-jwt; charset=utf-8'],
    [' dc+sd-jwt'],
    [''],
    [null],
    [1],
    [['dc+sd-jwt']],
  ])('rejects typ %j', (typ) => {
    expectFailureSync(() => requireTyp({ typ } as JsonObject, 'dc+sd-jwt'), 'invalid_typ');
  });

  it('rejects a missing typ, with the code the caller names', () => {
    expectFailureSync(() => requireTyp({}, 'dc+sd-jwt'), 'invalid_typ');
    expectFailureSync(() => requireTyp({}, 'kb+jwt', 'kb_invalid_typ'), 'kb_invalid_typ');
  });
});

describe('signJwt and checkJwsSignature', () => {
  it('signs with alg from the key and verifies with the public key', async () => {
    const token = await signJwt({ typ: 'JWT' }, { sub: 'x' }, issuer.signingKey);
    const jws = decodeJws(token);
    expect(jws.header).toEqual({ alg: 'ES256', typ: 'JWT' });
    await expect(signatureCheck(jws, 'ES256', issuer.publicJwk, crypto)).resolves.toBeUndefined();
  });

  it('never lets the header override alg, and adds the key kid unless the header has one', async () => {
    const key = { ...issuer.signingKey, kid: 'key-1' };
    expect(decodeJws(await signJwt({ alg: 'none' }, {}, key)).header).toEqual({ alg: 'ES256', kid: 'key-1' });
    expect(decodeJws(await signJwt({ kid: 'explicit' }, {}, key)).header).toEqual({ alg: 'ES256', kid: 'explicit' });
  });

  it.each(['ES256', 'ES384', 'ES512', 'EdDSA'] as const)('round-trips %s', async (alg) => {
    const key = await makeKey(alg);
    const jws = decodeJws(await signJwt({}, { n: 1 }, key.signingKey));
    await expect(signatureCheck(jws, alg, key.publicJwk, crypto)).resolves.toBeUndefined();
  });

  it('rejects a signature from another key, with the code the caller names', async () => {
    const jws = decodeJws(await signJwt({}, { sub: 'x' }, stranger.signingKey));
    await expectFailure(signatureCheck(jws, 'ES256', issuer.publicJwk, crypto), 'invalid_signature');
    await expectFailure(signatureCheck(jws, 'ES256', issuer.publicJwk, crypto, 'kb_invalid_signature'), 'kb_invalid_signature');
  });

  it('rejects a signature over a modified signing input', async () => {
    const jws = decodeJws(await signJwt({}, { sub: 'x' }, issuer.signingKey));
    await expectFailure(
      signatureCheck({ ...jws, signingInput: `${jws.signingInput}A` }, 'ES256', issuer.publicJwk, crypto),
      'invalid_signature',
    );
  });

  it('rejects a key that does not fit the algorithm', async () => {
    const jws = decodeJws(await signJwt({}, {}, issuer.signingKey));
    await expectFailure(signatureCheck(jws, 'ES384', issuer.publicJwk, crypto), 'invalid_key');
    await expectFailure(signatureCheck(jws, 'EdDSA', issuer.publicJwk, crypto), 'invalid_key');
  });
});
