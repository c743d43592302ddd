import type { ColumnType, Kysely } from 'kysely';

/**
 * The issuer's tables as Kysely sees them (created by `issuerMigrations`). JSON columns read as
 * `unknown`: what comes back is checked before use, since a row may have been damaged.
 */

// Type aliases, not interfaces: Kysely's `withTables` wants index-signature-compatible shapes.
type Json = ColumnType<unknown, string, string>;
type NullableJson = ColumnType<unknown, string | null, string | null>;
type CreatedAt = ColumnType<Date, Date, never>;
type NullableTime = ColumnType<Date | null, Date | null | undefined, Date | null>;

export type OfferTable = {
  tenant_id: string;
  id: string;
  code_hash: string;
  configuration_ids: Json;
  claims: NullableJson;
  tx_code_salt: string | null;
  tx_code_hash: string | null;
  tx_code_input_mode: string | null;
  tx_code_length: number | null;
  tx_code_description: string | null;
  tx_code_attempts: ColumnType<number, number | undefined, number>;
  tx_code_max_attempts: number;
  state: string;
  created_by: string;
  created_at: CreatedAt;
  expires_at: CreatedAt;
  claims_until: ColumnType<Date, Date, Date>;
  redeemed_at: NullableTime;
  issued_at: NullableTime;
};

export type AccessTokenTable = {
  tenant_id: string;
  token_hash: string;
  offer_id: string;
  created_at: CreatedAt;
  expires_at: CreatedAt;
};

export type NonceTable = {
  tenant_id: string;
  nonce_hash: string;
  expires_at: CreatedAt;
};

export type StatusListTable = {
  tenant_id: string;
  id: string;
  size: number;
  bits: number;
  version: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date, Date>;
};

export type StatusEntryTable = {
  tenant_id: string;
  list_id: string;
  idx: number;
  status: ColumnType<number, number | undefined, number>;
  allocated_at: CreatedAt;
};

export type IssuanceTable = {
  tenant_id: string;
  id: string;
  offer_id: string;
  configuration_id: string;
  format: string;
  status_list_id: string;
  status_index: number;
  issued_at: CreatedAt;
  issued_by: string;
  claims: NullableJson;
};

export type AuditTable = {
  /** bigint: a number from PGlite, a string from pg. */
  seq: ColumnType<number | string, never, never>;
  tenant_id: string;
  at: CreatedAt;
  actor: string;
  action: string;
  target: string | null;
  details: NullableJson;
};

export type ApiKeyTable = {
  tenant_id: string;
  id: string;
  secret_hash: string;
  label: string;
  created_at: CreatedAt;
  revoked_at: NullableTime;
};

export type IssuerTables = {
  issuer_offer: OfferTable;
  issuer_access_token: AccessTokenTable;
  issuer_nonce: NonceTable;
  issuer_status_list: StatusListTable;
  issuer_status_entry: StatusEntryTable;
  issuer_issuance: IssuanceTable;
  issuer_audit: AuditTable;
  issuer_api_key: ApiKeyTable;
};

export type IssuerDb = Kysely<IssuerTables>;

/** Told about a stored row that does not read back; the store treats it as absent. */
export type InvalidRecordListener = (table: string, key: string, problem: string) => void;

/** SQLSTATE of a failed statement, if it is one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
