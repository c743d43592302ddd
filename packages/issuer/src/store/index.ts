// Storage of the issuer service: one interface, one SQL implementation (PGlite or PostgreSQL).
export { issuerMigrations } from './issuer-migrations.ts';
export {
  type AccessToken,
  type ApiKey,
  type AuditEntry,
  DEFAULT_STATUS_LIST_SIZE,
  DEFAULT_TX_CODE_MAX_ATTEMPTS,
  type IssuanceRecord,
  type IssuedCredential,
  type IssuerStore,
  MAX_STATUS_LIST_SIZE,
  type NewApiKey,
  type NewAuditEntry,
  type NewIssuanceRecord,
  type NewOffer,
  type NewStatusList,
  type Offer,
  type OfferState,
  type Page,
  type PageRequest,
  type PurgeReport,
  type Redemption,
  type RedemptionResult,
  type SetStatusOptions,
  type StatusListInfo,
  type StatusSnapshot,
  type TxCodeDescription,
} from './issuer-store.ts';
export { createSqlIssuerStore, type SqlIssuerStoreOptions } from './sql-issuer-store.ts';
export type { InvalidRecordListener } from './sql-tables.ts';
