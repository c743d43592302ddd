/**
 * @tessera/wallet — the holder's wallet library: an encrypted store of credentials, holder keys
 * and history, with profiles and encrypted backups. Runs in browsers and Node; the Node file store
 * and native scrypt live in `@tessera/wallet/node`.
 */

// Backup and restore
export { type ExportBackupOptions, exportBackup } from './backup/export-backup.ts';
export { type ImportBackupOptions, importBackup } from './backup/import-backup.ts';
// Holder keys
export type { HolderKey, HolderKeys } from './keys/holder-keys.ts';
// Presenting credentials (OpenID4VP 1.0 client)
export type { ClientIdPrefix, VerifierIdentity } from './present/authenticate-request.ts';
export type {
  Consent,
  ConsentCandidate,
  ConsentClaim,
  ConsentCredentialSet,
  ConsentNeed,
  ConsentQuery,
  JwtVcConsentCandidate,
  OverAskingWarning,
  SdJwtVcConsentCandidate,
} from './present/consent.ts';
export type { FetchFunction } from './present/fetch-limits.ts';
export { holderView } from './present/held-credentials.ts';
export { type OpenRequestOptions, openRequest } from './present/open-request.ts';
export { type DeclineOptions, decline, type RespondOptions, respond, type VerifierAnswer } from './present/respond.ts';
// Receiving credentials (OpenID4VCI 1.0 client, pre-authorized code flow)
export { type CredentialOffer, parseCredentialOffer } from './receive/credential-offer.ts';
export {
  type ReceivedCredentialRecord,
  type ReceivedCredentials,
  type ReceivedJwtVcRecord,
  type ReceivedSdJwtVcRecord,
  type ReceiveOptions,
  receiveCredential,
} from './receive/receive-credential.ts';
export type { ReceiveTrust } from './receive/verify-received.ts';
export type { WalletFetch } from './receive/wallet-http.ts';
// Stores
export { createIndexedDbWalletStore, type IndexedDbWalletStoreOptions } from './store/indexeddb-wallet-store.ts';
export type { StoreBatch, StoredRecord, WalletStore } from './store/wallet-store.ts';
// Vault: passphrase → key
export { DEFAULT_SCRYPT_PARAMS, nobleScrypt, type Scrypt, type ScryptParams } from './vault/kdf.ts';
// Profiles and the wallet
export { type AutoLock, type AutoLockOptions, type AutoLockTimers, autoLock } from './wallet/auto-lock.ts';
export { createProfile, listProfiles, openProfile, type ProfileOptions, wipeProfile } from './wallet/profiles.ts';
export type { Wallet, WalletChanges, WalletRecord, WalletRecordKind, WalletRecords } from './wallet/wallet.ts';
export type { HistoryEntry, HistoryEvent, HistoryFilter, NewHistoryEntry, WalletHistory } from './wallet/wallet-history.ts';
