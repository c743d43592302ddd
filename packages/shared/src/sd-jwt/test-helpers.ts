/**
 * TEST-ONLY helpers for the SD-JWT and SD-JWT VC test suites: keys, a frozen clock, and tools to
 * hand-craft hostile tokens that are correctly signed, so each negative test hits exactly one
 * rule and never the signature check. Not exported from the package; never import it from
 * library code.
 */
import { expect } from 'vitest';
import { nodeCrypto, nodeSigningKey } from '../crypto/node.ts';
import type { HashAlgorithm, Jwk, JwsAlgorithm, Signer, SigningKey } from '../crypto/types.ts';
import { generateKeyPair } from '../crypto/web.ts';
import { encodeBase64Url, encodeBase64UrlText, utf8 } from '../encoding/base64url.ts';
import type { JsonObject, JsonValue } from '../encoding/json.ts';
import { type ErrorCode, TesseraError } from '../errors/tessera-error.ts';
import { digestOf, encodeDisclosure } from './disclosure.ts';
import type { VerifySdJwtOptions } from './verify.ts';

/** The frozen "now" of every time-based test, in seconds and milliseconds. */
export const NOW = 1_750_000_000;
export const NOW_MS = NOW * 1000;
export const clock = (): number => NOW_MS;

export const crypto = nodeCrypto;
export const VC_TYP = 'dc+sd-jwt';
export const AUDIENCE = 'https://verifier.example';
export const NONCE = 'n-0S6_WzA2Mj';

export interface TestKey {
  alg: JwsAlgorithm;
  privateJwk: Jwk;
  publicJwk: Jwk;
  signingKey: SigningKey;
}

/** A fresh key pair with a node:crypto signing key. */
export async function makeKey(alg: JwsAlgorithm = 'ES256'): Promise<TestKey> {
  const { privateJwk, publicJwk } = await generateKeyPair(alg);
  return { alg, privateJwk, publicJwk, signingKey: nodeSigningKey(privateJwk, alg) };
}

export const issuer = await makeKey();
export const holder = await makeKey();
/** A third key: "another issuer" or "the wrong holder". */
export const stranger = await makeKey();

/**
 * Signs a compact JWS with exactly the header given (nothing added or overridden, so `alg` may lie
 * and `typ` may be missing). A string payload is used as the literal JSON text.
 */
export async function signCompact(header: JsonObject, payload: JsonValue | string, sign: Signer): Promise<string> {
  const payloadText = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const signingInput = `${encodeBase64UrlText(JSON.stringify(header))}.${encodeBase64UrlText(payloadText)}`;
  return `${signingInput}.${encodeBase64Url(await sign(utf8(signingInput)))}`;
}

/** An issuer-signed JWT with `{ alg: ES256, typ: dc+sd-jwt }` unless `header` says otherwise. */
export function issuerJwt(payload: JsonValue | string, header: JsonObject = {}, key: TestKey = issuer): Promise<string> {
  return signCompact({ alg: key.alg, typ: VC_TYP, ...header }, payload, key.signingKey.sign);
}

/** The base64url digest of `text` (a disclosure, or a presentation for `sd_hash`). */
export async function digest(text: string, alg: HashAlgorithm = 'sha-256'): Promise<string> {
  return digestOf(text, alg, crypto);
}

export interface TestDisclosure {
  encoded: string;
  digest: string;
}

let saltCounter = 0;

/** An object-property disclosure (`name` given) or an array-element disclosure (`name` undefined). */
export async function disclosure(
  name: string | undefined,
  value: JsonValue,
  options: { salt?: string; alg?: HashAlgorithm } = {},
): Promise<TestDisclosure> {
  const salt = options.salt ?? `salt-${++saltCounter}-${encodeBase64Url(crypto.randomBytes(8))}`;
  const encoded = encodeDisclosure(salt, name, value);
  return { encoded, digest: await digest(encoded, options.alg) };
}

/** A disclosure from arbitrary JSON text (for malformed ones), with its digest. */
export async function rawDisclosure(json: string): Promise<TestDisclosure> {
  const encoded = encodeBase64UrlText(json);
  return { encoded, digest: await digest(encoded) };
}

/** `<JWT>~<D1>~…~<Dn>~[<KB-JWT>]`. */
export function joinSdJwt(jwt: string, disclosures: readonly (string | TestDisclosure)[], kbJwt = ''): string {
  return `${jwt}~${disclosures.map((d) => `${typeof d === 'string' ? d : d.encoded}~`).join('')}${kbJwt}`;
}

/** A holder key binding as `cnf` for the payload. */
export function cnfOf(key: TestKey = holder): JsonObject {
  return { jwk: key.publicJwk as JsonObject };
}

/** A minimal valid SD-JWT VC payload, bound to the holder, with `overrides` applied. */
export function vcPayload(overrides: JsonObject = {}): JsonObject {
  return {
    iss: 'https://issuer.example',
    iat: NOW - 60,
    exp: NOW + 3600,
    vct: 'https://credentials.example/residence-permit',
    cnf: cnfOf(),
    ...overrides,
  };
}

export interface KbOverrides {
  header?: JsonObject;
  payload?: JsonObject;
  key?: TestKey;
  /** Hash over this string instead of the real presented string. */
  sdHashOver?: string;
}

/** A KB-JWT over `presentedWithoutKb` (which must end in `~`), signed by the holder. */
export async function kbJwtFor(presentedWithoutKb: string, overrides: KbOverrides = {}): Promise<string> {
  const key = overrides.key ?? holder;
  const payload: JsonObject = {
    iat: NOW,
    aud: AUDIENCE,
    nonce: NONCE,
    sd_hash: await digest(overrides.sdHashOver ?? presentedWithoutKb),
    ...overrides.payload,
  };
  return signCompact({ alg: key.alg, typ: 'kb+jwt', ...overrides.header }, payload, key.signingKey.sign);
}

/** Appends a KB-JWT to a presentation that ends in `~`. */
export async function withKb(presentedWithoutKb: string, overrides: KbOverrides = {}): Promise<string> {
  return presentedWithoutKb + (await kbJwtFor(presentedWithoutKb, overrides));
}

/** Verify options for a plain SD-JWT VC without key binding, at the frozen clock. */
export function noKbOptions(extra: Partial<VerifySdJwtOptions> = {}): VerifySdJwtOptions {
  return { issuerKey: issuer.publicJwk, crypto, typ: VC_TYP, keyBinding: 'forbidden', clock, ...extra };
}

/** Verify options with key binding required for AUDIENCE and NONCE, at the frozen clock. */
export function kbOptions(extra: Partial<VerifySdJwtOptions> = {}): VerifySdJwtOptions {
  return {
    issuerKey: issuer.publicJwk,
    crypto,
    typ: VC_TYP,
    keyBinding: 'required',
    audience: AUDIENCE,
    nonce: NONCE,
    clock,
    ...extra,
  };
}

/**
 * Awaits a promise that must reject with a `TesseraError` of `code`, checks that nothing leaks
 * the `secrets` (claim values used by the test) and that no partial result was produced.
 */
export async function expectFailure(
  promise: Promise<unknown>,
  code: ErrorCode,
  secrets: readonly string[] = [],
): Promise<TesseraError> {
  let resolved: unknown;
  let error: unknown;
  try {
    resolved = await promise;
  } catch (caught) {
    error = caught;
  }
  // All or nothing: a failing operation resolves to nothing at all.
  expect(resolved).toBeUndefined();
  expect(error).toBeInstanceOf(TesseraError);
  const tesseraError = error as TesseraError;
  expect({ code: tesseraError.code, message: tesseraError.message }).toMatchObject({ code });
  assertNoLeak(tesseraError, secrets);
  return tesseraError;
}

/** The same as `expectFailure` for synchronous functions. */
export function expectFailureSync(run: () => unknown, code: ErrorCode, secrets: readonly string[] = []): TesseraError {
  let error: unknown;
  try {
    run();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(TesseraError);
  const tesseraError = error as TesseraError;
  expect({ code: tesseraError.code, message: tesseraError.message }).toMatchObject({ code });
  assertNoLeak(tesseraError, secrets);
  return tesseraError;
}

function assertNoLeak(error: TesseraError, secrets: readonly string[]): void {
  const visible = `${error.message} ${JSON.stringify({ ...error })}`;
  for (const secret of secrets) expect(visible).not.toContain(secret);
}
