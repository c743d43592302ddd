import type { StorageMigration } from '@tessera/shared/node';
import { type ColumnType, type Kysely, sql } from 'kysely';

/**
 * Tables behind Veramo's key manager, local KMS and DID manager, plus the tenant → DID mapping.
 * JSON columns are `json` (not `jsonb`): nothing queries inside them, and the key order inside
 * `key_ids` is meaningful (the DID document lists keys in that order).
 */

// Type aliases, not interfaces: Kysely's `withTables` wants index-signature-compatible shapes.
export type KeyTable = {
  /** Veramo's key id: for the local KMS, the compressed public key in hex. */
  kid: string;
  kms: string;
  type: string;
  public_key_hex: string;
  meta: ColumnType<unknown, string | null, string | null>;
  created_at: ColumnType<Date, Date, never>;
};

export type PrivateKeyTable = {
  alias: string;
  type: string;
  /** SecretBox output (24-byte nonce ‖ XSalsa20-Poly1305 ciphertext) in hex; never the key itself. */
  encrypted_private_key: string;
};

export type DidTable = {
  did: string;
  alias: string | null;
  provider: string;
  controller_key_id: string | null;
  /** Veramo key ids of the DID, oldest first. */
  key_ids: ColumnType<unknown, string, string>;
  services: ColumnType<unknown, string, string>;
};

export type TenantTable = {
  id: string;
  did: string;
  did_method: string;
  created_at: ColumnType<Date, Date, never>;
};

export type IssuerKeyTables = {
  issuer_key: KeyTable;
  issuer_private_key: PrivateKeyTable;
  issuer_did: DidTable;
  issuer_tenant: TenantTable;
};

/** The schema of tenant identities and keys, for `migrateToLatest` (run by `createTenantKeyring` unless told not to). */
export const issuerKeyMigrations: readonly StorageMigration[] = Object.freeze([
  {
    // `migrateToLatest` allows `[a-z0-9_]` in component names, so `issuer_keys`, not `issuer-keys`.
    name: 'issuer_keys/001_veramo_stores',
    async up(db: Kysely<object>): Promise<void> {
      await db.schema
        .createTable('issuer_key')
        .addColumn('kid', 'text', (column) => column.primaryKey())
        .addColumn('kms', 'text', (column) => column.notNull())
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('public_key_hex', 'text', (column) => column.notNull())
        .addColumn('meta', 'json')
        .addColumn('created_at', 'timestamptz', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('issuer_private_key')
        .addColumn('alias', 'text', (column) => column.primaryKey())
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('encrypted_private_key', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('issuer_did')
        .addColumn('did', 'text', (column) => column.primaryKey())
        .addColumn('alias', 'text')
        .addColumn('provider', 'text', (column) => column.notNull())
        .addColumn('controller_key_id', 'text')
        .addColumn('key_ids', 'json', (column) => column.notNull())
        .addColumn('services', 'json', (column) => column.notNull())
        .execute();
      // Veramo looks identifiers up by alias and expects one answer.
      await sql`create unique index issuer_did_alias on issuer_did (alias) where alias is not null`.execute(db);
      await db.schema
        .createTable('issuer_tenant')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('did', 'text', (column) => column.notNull().unique().references('issuer_did.did'))
        .addColumn('did_method', 'text', (column) => column.notNull().check(sql`did_method in ('web', 'jwk')`))
        .addColumn('created_at', 'timestamptz', (column) => column.notNull())
        .execute();
    },
  },
]);
