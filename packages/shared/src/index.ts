/**
 * @tessera/shared — formats and crypto seams shared by the Tessera issuer, wallet and verifier.
 * Runs in browsers and Node; Node-only helpers live in `@tessera/shared/node`.
 */

// Claims path pointers (OpenID4VP 1.0 §7)
export {
  type ClaimPath,
  formatClaimPath,
  isClaimPath,
  pathsOverlap,
  type SelectedClaim,
  selectClaims,
  selectWithPaths,
} from './claim-path/claim-path.ts';
export { jwkOfDidJwk } from './crypto/did-jwk.ts';
export { carriesPrivateKey, publicJwkFor } from './crypto/jwk.ts';
export { randomToken } from './crypto/random-token.ts';
// Crypto seams
export {
  type CryptoProvider,
  HASH_ALGORITHMS,
  type HashAlgorithm,
  type Hasher,
  JWS_ALGORITHMS,
  type Jwk,
  type JwsAlgorithm,
  type RandomBytes,
  type Signer,
  type SigningKey,
  type Verifier,
} from './crypto/types.ts';
export { createWebCrypto, generateKeyPair, importSigningKey, toPublicJwk, webCrypto } from './crypto/web.ts';
// DCQL (OpenID4VP 1.0 §6)
export {
  checkDcqlResponse,
  type DcqlAnsweredQuery,
  type DcqlCredentialSetCheck,
  type DcqlPresentation,
  type DcqlPresentationCheck,
  type DcqlResponseCheck,
} from './dcql/check-response.ts';
export {
  type DcqlCandidate,
  type DcqlCandidateMatch,
  type DcqlClaimSelection,
  type DcqlCredentialQueryMatch,
  type DcqlCredentialSetMatch,
  type DcqlCredentialSetOption,
  type DcqlMatchResult,
  matchDcqlQuery,
} from './dcql/match.ts';
export {
  type DcqlClaimQuery,
  type DcqlClaimValue,
  type DcqlCredentialQuery,
  type DcqlCredentialSetQuery,
  type DcqlJwtVcJsonCredentialQuery,
  type DcqlLimits,
  type DcqlOtherCredentialQuery,
  type DcqlQuery,
  type DcqlSdJwtVcCredentialQuery,
  type DcqlSdJwtVcMeta,
  type DcqlTrustedAuthoritiesQuery,
  type DcqlW3cVcMeta,
  DEFAULT_DCQL_LIMITS,
  isJwtVcJsonCredentialQuery,
  isSdJwtVcCredentialQuery,
  parseDcqlQuery,
} from './dcql/query.ts';
// Encoding
export { decodeBase64Url, encodeBase64Url } from './encoding/base64url.ts';
export type { JsonArray, JsonObject, JsonPrimitive, JsonValue } from './encoding/json.ts';
// Errors
export { type ErrorCode, fail, isTesseraError, TesseraError } from './errors/tessera-error.ts';
// HTML built by escaping every value (server-rendered pages)
export { escapeHtml, type HtmlValue, html, jsonForScript, type SafeHtml } from './html/html.ts';
// OAuth-style error bodies (RFC 6749 §5.2), for the issuer's and the verifier's endpoints
export { oauthDescription, oauthErrorBody } from './http/oauth-error.ts';
// i18n: ICU MessageFormat catalogs, language negotiation, text direction, Gregorian dates
export { type CatalogProblem, checkCatalogs } from './i18n/check-catalogs.ts';
export { formatDate, gregorianLocale } from './i18n/format-date.ts';
export { negotiateLocale, parseAcceptLanguage, type TextDirection, textDirection } from './i18n/negotiate.ts';
export {
  type Catalog,
  type Catalogs,
  createTranslator,
  type MessageValues,
  type Translator,
  type TranslatorOptions,
} from './i18n/translator.ts';
// JWS
export {
  allowedAlgorithm,
  checkJwsSignature,
  type DecodedJws,
  decodeJws,
  requireTyp,
  signJwt,
} from './jws/compact.ts';
// SD-JWT (RFC 9901)
export { type Disclosure, decodeDisclosure } from './sd-jwt/disclosure.ts';
export { type IssueSdJwtOptions, issueSdJwt } from './sd-jwt/issue.ts';
export { createKbJwt, KB_JWT_TYP, type KeyBindingInput, type VerifiedKbJwt } from './sd-jwt/kb-jwt.ts';
export { DEFAULT_LIMITS, type SdJwtLimits } from './sd-jwt/limits.ts';
export { type SdJwtParts, splitSdJwt } from './sd-jwt/parse.ts';
export { type PresentSdJwtOptions, presentSdJwt } from './sd-jwt/present.ts';
export {
  type IssuerKeyInput,
  type KeyBindingPolicy,
  type VerifiedSdJwt,
  type VerifySdJwtOptions,
  verifySdJwt,
} from './sd-jwt/verify.ts';
// SD-JWT VC (draft-ietf-oauth-sd-jwt-vc)
export { type IssueSdJwtVcOptions, issueSdJwtVc } from './sd-jwt-vc/issue.ts';
export {
  type GetJson,
  type JwtVcIssuerKeyOptions,
  jwtVcIssuerMetadataUrl,
  resolveJwtVcIssuerKey,
} from './sd-jwt-vc/issuer-metadata.ts';
export { NON_DISCLOSABLE_CLAIMS, SD_JWT_VC_TYP } from './sd-jwt-vc/rules.ts';
export { type VerifiedSdJwtVc, type VerifySdJwtVcOptions, verifySdJwtVc } from './sd-jwt-vc/verify.ts';
// Token Status List (draft-ietf-oauth-status-list)
export type { Deflate, Inflate } from './status-list/compression.ts';
export { lookUpStatus } from './status-list/look-up-status.ts';
export {
  parseStatusReference,
  type StatusClaim,
  type StatusListReference,
  statusClaim,
} from './status-list/reference.ts';
export {
  createStatusList,
  DEFAULT_MAX_STATUS_LIST_BYTES,
  type DecodeStatusListOptions,
  decodeStatusList,
  type EncodedStatusList,
  type EncodeStatusListOptions,
  encodeStatusList,
  STATUS_BITS,
  type StatusBits,
  StatusList,
} from './status-list/status-list.ts';
export {
  type CreateStatusListTokenOptions,
  createStatusListToken,
  STATUS_LIST_JWT_TYP,
  type VerifiedStatusListToken,
  type VerifyStatusListTokenOptions,
  verifyStatusListToken,
} from './status-list/status-list-token.ts';
export { type StatusType, StatusValue, statusType } from './status-list/status-types.ts';
// Time
export { type Clock, checkClockTolerance, checkTimeClaims, MAX_CLOCK_TOLERANCE } from './time/clock.ts';
// W3C VCs and VPs secured as JWTs (VC Data Model 1.1 §6.3.1): the key-free rules
export {
  checkContext,
  checkDateMapping,
  checkIdMapping,
  checkVcJwtHeader,
  decodeVcJwt,
  idOf,
  objectClaim,
  rejectPropertiesOutside,
  toDateTime,
  typesOf,
  VC_CONTEXT_V1,
  VC_CREDENTIAL_PROPERTIES,
  VC_JWT_TYP,
} from './w3c/vc-jwt.ts';
// X.509 (@peculiar/x509, loaded with the polyfill it needs)
export { loadX509, type X509Module } from './x509/load-x509.ts';
export { MAX_X5C_CERTIFICATES, type VerifyX5cChainOptions, verifyX5cChain } from './x509/verify-x5c-chain.ts';
