/**
 * @tessera/verifier — verifies what a holder presents and asks for no more than it needs.
 * Runs in browsers and Node; Node-only parts live in `@tessera/verifier/node`.
 */

// Outbound fetches
// [fetch: browser implementation]
export { createBrowserFetch } from './fetch/browser-fetch.ts';
export { type AddressKind, checkUrl, classifyAddress, isBlockedAddress } from './fetch/fetch-policy.ts';
export {
  DEFAULT_FETCH_MAX_BYTES,
  DEFAULT_FETCH_TIMEOUT_MS,
  type FetchPolicy,
  type SafeFetch,
  type SafeFetchRequest,
  type SafeFetchResponse,
} from './fetch/safe-fetch.ts';

// Issuer keys: DIDs and issuer metadata
// [keys: did + metadata]
export { createDidResolver, type DidMethod, type DidResolverOptions, didWebUrl, resolveDidKey } from './keys/did.ts';
export { decodeMultikey, didKeyDocument } from './keys/did-key.ts';
// Verifying a presentation
// [verify-presentation]
export { credentialKeyResolver, type IssuerKeyOptions, statusListKeyResolver } from './keys/issuer-key.ts';
export { type IssuerMetadataOptions, issuerMetadataUrl, resolveIssuerMetadataKey } from './keys/issuer-metadata.ts';
// Issuer keys: X.509 (x5c)
// [keys: x509]
export { MAX_X5C_CERTIFICATES, type VerifyX5cChainOptions, verifyX5cChain } from './keys/x509.ts';
// Trust list, status, offline bundle
// [trust + status + offline]
export {
  type BundleKeyResolver,
  bundleFetch,
  bundleKeyResolver,
  type CreateTrustBundleOptions,
  createTrustBundle,
  parseTrustBundle,
  TRUST_BUNDLE_LIMITS,
  type TrustBundle,
  type TrustBundleIssuerKey,
  type TrustBundleStatusList,
} from './offline/trust-bundle.ts';
// OpenID4VP 1.0: the verifier (transactions, request objects, responses), HTTP-agnostic
// [openid4vp]
export { REQUEST_OBJECT_TYP, x509Hash } from './openid4vp/client-identity.ts';
export { VerifierHttpError } from './openid4vp/http-error.ts';
export type {
  ClientIdentity,
  PresentationRequest,
  RequestUriMethod,
  ResponseEncryptionEnc,
  StartedTransaction,
  TransactionView,
  VerifiedCredential,
  Verifier,
  VerifierConfig,
  WalletReply,
} from './openid4vp/types.ts';
export { createVerifier, STATIC_WALLET_AUDIENCE } from './openid4vp/verifier.ts';
export { WALLET_SCHEME, walletLink } from './openid4vp/wallet-link.ts';
export {
  assertStatusValid,
  createStatusChecker,
  fetchStatusListToken,
  STATUS_LIST_JWT_MEDIA_TYPE,
  type StatusCheckContext,
  type StatusChecker,
  type StatusCheckerOptions,
  type StatusListKeyContext,
  type StatusListKeyInput,
  type StatusName,
  type StatusResult,
} from './status/status-checker.ts';
// OpenID4VP transactions: the storage interface and its in-memory implementation
// [transactions: store]
export { createMemoryTransactionStore } from './transactions/memory-transaction-store.ts';
export type {
  NewTransaction,
  ResponseMode,
  Transaction,
  TransactionError,
  TransactionOutcome,
  TransactionStatus,
  TransactionStore,
  TransactionStoreOptions,
} from './transactions/transaction-store.ts';
export {
  type DisplayName,
  displayName,
  findTrustedIssuer,
  parseTrustList,
  TRUST_LIST_LIMITS,
  type TrustedIssuer,
  type TrustList,
} from './trust/trust-list.ts';
export {
  createPresentationVerifier,
  type PresentationExpectations,
  type PresentationStatus,
  type PresentationVerifier,
  type PresentationVerifierConfig,
  type StatusPolicy,
  type VerifiedPresentation,
  type VerifyPresentationOptions,
  verifyPresentation,
} from './verify-presentation.ts';
