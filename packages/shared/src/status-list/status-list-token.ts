import { type CryptoProvider, JWS_ALGORITHMS, type JwsAlgorithm, type SigningKey } from '../crypto/types.ts';
import type { JsonObject } from '../encoding/json.ts';
import { fail } from '../errors/tessera-error.ts';
import { decodeJws, type IssuerKeyInput, signJwt, verifyIssuerSignature } from '../jws/compact.ts';
import { type Clock, checkClockTolerance, checkTimeClaims } from '../time/clock.ts';
import type { Deflate, Inflate } from './compression.ts';
import {
  DEFAULT_MAX_STATUS_LIST_BYTES,
  decodeStatusList,
  type EncodedStatusList,
  encodeStatusList,
  parseEncodedStatusList,
  type StatusList,
} from './status-list.ts';

/** The JWS `typ` of a Status List Token (draft-ietf-oauth-status-list §5.1). */
export const STATUS_LIST_JWT_TYP = 'statuslist+jwt';

export interface CreateStatusListTokenOptions {
  list: StatusList;
  /** `sub`: the URI the token is published at, which credentials carry as `status.status_list.uri`. */
  uri: string;
  /** `iss`, when the credentials that point here carry one. */
  issuer?: string;
  /** `iat` in seconds since the epoch. Default: now. */
  issuedAt?: number;
  /** `exp` in seconds since the epoch. */
  expiresAt?: number;
  /** `ttl`: how many seconds a consumer may cache the token. */
  ttl?: number;
  /** `status_list.aggregation_uri` (§9.2). */
  aggregationUri?: string;
  signingKey: SigningKey;
  /** Further JWS header members (`kid`, `x5c`); `typ` is always `statuslist+jwt`. */
  header?: JsonObject;
  /** ZLIB compressor; default `CompressionStream`. */
  deflate?: Deflate;
}

/**
 * Signs a Status List Token in JWT form (§5.1).
 * @example
 * const token = await createStatusListToken({ list, uri: 'https://issuer.example/status/1',
 *   expiresAt: now + 86_400, ttl: 3_600, signingKey });
 */
export async function createStatusListToken(options: CreateStatusListTokenOptions): Promise<string> {
  const { list, uri, issuer, expiresAt, ttl, aggregationUri, signingKey, header = {} } = options;
  const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1000);
  if (!isUri(uri)) throw new TypeError('uri must be an absolute URI');
  if (issuer !== undefined && (typeof issuer !== 'string' || issuer.length === 0)) throw new TypeError('issuer must be a string');
  if (!Number.isFinite(issuedAt)) throw new TypeError('issuedAt must be a number of seconds');
  if (expiresAt !== undefined && !(Number.isFinite(expiresAt) && expiresAt > issuedAt)) {
    throw new TypeError('expiresAt must be a number of seconds after issuedAt');
  }
  if (ttl !== undefined && !isPositiveNumber(ttl)) throw new TypeError('ttl must be a positive number of seconds');
  if (aggregationUri !== undefined && !isUri(aggregationUri)) throw new TypeError('aggregationUri must be an absolute URI');

  const statusList: JsonObject = { ...(await encodeStatusList(list, options.deflate ? { deflate: options.deflate } : {})) };
  if (aggregationUri !== undefined) statusList.aggregation_uri = aggregationUri;
  const payload: JsonObject = { sub: uri, iat: issuedAt };
  if (issuer !== undefined) payload.iss = issuer;
  if (expiresAt !== undefined) payload.exp = expiresAt;
  if (ttl !== undefined) payload.ttl = ttl;
  payload.status_list = statusList;
  return signJwt({ ...header, typ: STATUS_LIST_JWT_TYP }, payload, signingKey);
}

export interface VerifyStatusListTokenOptions {
  /** The Status Issuer's public key, or a function that picks it from the unverified header. */
  issuerKey: IssuerKeyInput;
  crypto: CryptoProvider;
  /** The `status.status_list.uri` of the credential being checked; `sub` must equal it (§8.3 step 4a). */
  expectedUri: string;
  /** Allowed JWS algorithms. Default `['ES256']`. MAC algorithms are never accepted. */
  algorithms?: readonly JwsAlgorithm[];
  /** Default `Date.now`. */
  clock?: Clock;
  /** Seconds of clock skew allowed for `iat`/`exp`, 0–60. Default 0. */
  clockTolerance?: number;
  /** Largest decompressed status list accepted. Default 16 MiB. */
  maxBytes?: number;
  /** ZLIB decompressor; default `DecompressionStream`. On Node, pass `nodeInflate`. */
  inflate?: Inflate;
}

export interface VerifiedStatusListToken {
  list: StatusList;
  sub: string;
  iat: number;
  exp?: number;
  ttl?: number;
  aggregationUri?: string;
  header: JsonObject;
}

/**
 * Verifies a Status List Token in JWT form (§5.1, §8.3 steps 3–5): exact `typ`, an allowed
 * asymmetric algorithm, the signature, `sub` equal to the credential's URI, `iat`, `exp` if
 * present, `ttl` if present, and a well-formed list within the size limit.
 * @example
 * const { list } = await verifyStatusListToken(token, { issuerKey, crypto: webCrypto,
 *   expectedUri: reference.uri });
 */
export async function verifyStatusListToken(
  token: string,
  options: VerifyStatusListTokenOptions,
): Promise<VerifiedStatusListToken> {
  const { crypto, expectedUri, algorithms = ['ES256'], clock = Date.now, maxBytes = DEFAULT_MAX_STATUS_LIST_BYTES } = options;
  const clockTolerance = checkClockTolerance(options.clockTolerance ?? 0);
  if (typeof expectedUri !== 'string' || expectedUri.length === 0) throw new TypeError('expectedUri must be a non-empty string');
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new TypeError('maxBytes must be a positive integer');
  for (const alg of algorithms) {
    // §5.1 allows MACs, but a public list signed with a shared secret proves nothing to others.
    if (!JWS_ALGORITHMS.includes(alg)) throw new TypeError(`Unsupported algorithm ${String(alg)}`);
  }
  if (typeof token !== 'string') throw new TypeError('token must be a string');
  // The list inside is base64url of compressed data, so a token twice the limit cannot hold a valid one.
  if (token.length > 2 * maxBytes + 65_536) fail('status_list_too_large', 'The status list token exceeds the size limit');

  const jws = decodeJws(token);
  await verifyIssuerSignature(jws, { typ: STATUS_LIST_JWT_TYP, algorithms, issuerKey: options.issuerKey }, crypto);

  const { payload } = jws;
  if (payload.sub === undefined) fail('missing_claim', 'The status list token has no sub claim');
  if (payload.sub !== expectedUri) fail('invalid_claim', 'The status list token sub does not match the status list URI');
  if (payload.iat === undefined) fail('missing_claim', 'The status list token has no iat claim');
  checkTimeClaims(payload, clock(), clockTolerance);
  if (payload.ttl !== undefined && !isPositiveNumber(payload.ttl)) {
    fail('invalid_claim', 'The ttl claim must be a positive number of seconds');
  }
  if (payload.status_list === undefined) fail('missing_claim', 'The status list token has no status_list claim');
  const encoded: EncodedStatusList = parseEncodedStatusList(payload.status_list);
  const decodeOptions = options.inflate ? { maxBytes, inflate: options.inflate } : { maxBytes };
  const list = await decodeStatusList(encoded, decodeOptions);

  const result: VerifiedStatusListToken = { list, sub: expectedUri, iat: payload.iat as number, header: jws.header };
  if (payload.exp !== undefined) result.exp = payload.exp as number;
  if (payload.ttl !== undefined) result.ttl = payload.ttl as number;
  if (encoded.aggregation_uri !== undefined) result.aggregationUri = encoded.aggregation_uri;
  return result;
}

function isPositiveNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function isUri(value: unknown): boolean {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
