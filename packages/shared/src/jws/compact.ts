import type { CryptoProvider, Jwk, JwsAlgorithm, SigningKey, Verifier } from '../crypto/types.ts';
import { type Base64UrlCodec, portableBase64Url, utf8 } from '../encoding/base64url.ts';
import { isJsonObject, type JsonObject, parseJson } from '../encoding/json.ts';
import { type ErrorCode, fail } from '../errors/tessera-error.ts';

/** A compact JWS split and decoded, not yet verified. */
export interface DecodedJws {
  header: JsonObject;
  payload: JsonObject;
  /** `BASE64URL(header) '.' BASE64URL(payload)`, exactly as received (RFC 7515 §5.2). */
  signingInput: string;
  signature: Uint8Array;
}

/**
 * Splits and decodes a compact JWS whose payload is a JSON object (a JWT). Anything else fails
 * with `code`, so callers can tell an issuer JWT from a KB-JWT or a status list token.
 */
export function decodeJws(
  token: string,
  code: ErrorCode = 'malformed_jwt',
  codec: Base64UrlCodec = portableBase64Url,
): DecodedJws {
  const firstDot = token.indexOf('.');
  const secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
  if (firstDot <= 0 || secondDot <= firstDot + 1 || token.indexOf('.', secondDot + 1) !== -1) {
    fail(code, 'Not a compact JWS (expected three dot-separated parts)');
  }
  const headerText = codec.decodeText(token.slice(0, firstDot));
  const payloadText = codec.decodeText(token.slice(firstDot + 1, secondDot));
  const signature = codec.decode(token.slice(secondDot + 1));
  if (headerText === undefined || payloadText === undefined || signature === undefined || signature.length === 0) {
    fail(code, 'A JWS part is not valid base64url');
  }
  const header = parseJson(headerText);
  const payload = parseJson(payloadText);
  if (!isJsonObject(header)) fail(code, 'The JWS header is not a JSON object');
  if (!isJsonObject(payload)) fail(code, 'The JWS payload is not a JSON object');
  return { header, payload, signingInput: token.slice(0, secondDot), signature };
}

/**
 * Reads `alg` from a header and checks it against the caller's allow-list. `none`, HMAC and
 * anything unlisted fail with `unsupported_algorithm`; an unknown `crit` extension fails too
 * (RFC 7515 §4.1.11: a recipient must reject extensions it does not understand).
 */
export function allowedAlgorithm(header: JsonObject, allowed: readonly JwsAlgorithm[]): JwsAlgorithm {
  const alg = header.alg;
  if (typeof alg !== 'string' || !(allowed as readonly string[]).includes(alg)) {
    fail(
      'unsupported_algorithm',
      `JWS algorithm ${typeof alg === 'string' ? JSON.stringify(alg.slice(0, 20)) : '(missing)'} is not allowed`,
    );
  }
  if (header.crit !== undefined) fail('critical_header_unsupported', 'The JWS header lists critical extensions');
  return alg as JwsAlgorithm;
}

/** Exact `typ` comparison: no case folding, no `application/` prefix games. */
export function requireTyp(header: JsonObject, expected: string | readonly string[], code: ErrorCode = 'invalid_typ'): void {
  const typ = header.typ;
  const ok = typeof typ === 'string' && (typeof expected === 'string' ? typ === expected : expected.includes(typ));
  if (!ok) fail(code, `The JWS typ must be ${typeof expected === 'string' ? expected : expected.join(' or ')}`);
}

/**
 * Verifies the signature of a decoded JWS with one public key; fails with `code` on mismatch.
 * Synchronous when the provider is (node:crypto), so a verify that checks two signatures spends
 * no promise round trips on them; returns a promise only when the provider answered with one.
 */
export function checkJwsSignature(
  jws: DecodedJws,
  alg: JwsAlgorithm,
  key: Jwk,
  crypto: CryptoProvider,
  code: ErrorCode = 'invalid_signature',
): void | Promise<void> {
  const verifier = crypto.verifier(key, alg);
  if (typeof verifier !== 'function') return Promise.resolve(verifier).then((v) => checkWith(v, jws, code));
  return checkWith(verifier, jws, code);
}

function checkWith(verifier: Verifier, jws: DecodedJws, code: ErrorCode): void | Promise<void> {
  const ok = verifier(jws.signingInput, jws.signature);
  if (typeof ok !== 'boolean') {
    return Promise.resolve(ok).then((result) => {
      if (!result) fail(code, 'The JWS signature does not verify');
    });
  }
  if (!ok) fail(code, 'The JWS signature does not verify');
}

/**
 * The signer's public key, or a function that finds it from the JWT's header and payload. Those
 * are NOT verified yet when the function runs: treat `kid`, `iss` and the rest as hints, and
 * never take a key from the token itself (`jwk`, `jku`, `x5u` headers).
 */
export type IssuerKeyInput = Jwk | ((unverified: { header: JsonObject; payload: JsonObject }) => Jwk | Promise<Jwk>);

/**
 * Checks a decoded issuer-signed JWT: exact `typ`, an allowed algorithm, then the signature by the
 * issuer's key. Returns the algorithm it verified, synchronously when the key is given and the
 * provider is synchronous.
 */
export function verifyIssuerSignature(
  jws: DecodedJws,
  expect: { typ: string | readonly string[]; algorithms: readonly JwsAlgorithm[]; issuerKey: IssuerKeyInput },
  crypto: CryptoProvider,
): JwsAlgorithm | Promise<JwsAlgorithm> {
  requireTyp(jws.header, expect.typ);
  const alg = allowedAlgorithm(jws.header, expect.algorithms);
  const { issuerKey } = expect;
  if (typeof issuerKey === 'function') return verifyWithKeyLookup(jws, alg, issuerKey, crypto);
  const checked = checkJwsSignature(jws, alg, issuerKey, crypto);
  return checked === undefined ? alg : checked.then(() => alg);
}

async function verifyWithKeyLookup(
  jws: DecodedJws,
  alg: JwsAlgorithm,
  issuerKey: Exclude<IssuerKeyInput, Jwk>,
  crypto: CryptoProvider,
): Promise<JwsAlgorithm> {
  const key = await issuerKey({ header: jws.header, payload: jws.payload });
  await checkJwsSignature(jws, alg, key, crypto);
  return alg;
}

/** Signs a JWT; `alg` (and `kid` when the key has one) are set from the signing key. */
export async function signJwt(
  header: JsonObject,
  payload: JsonObject,
  key: SigningKey,
  codec: Base64UrlCodec = portableBase64Url,
): Promise<string> {
  const fullHeader: JsonObject = { alg: key.alg, ...header };
  if (key.kid !== undefined && fullHeader.kid === undefined) fullHeader.kid = key.kid;
  fullHeader.alg = key.alg;
  const signingInput = `${codec.encodeText(JSON.stringify(fullHeader))}.${codec.encodeText(JSON.stringify(payload))}`;
  const signature = await key.sign(utf8(signingInput));
  return `${signingInput}.${codec.encode(signature)}`;
}
