import type { StorageMigration } from '@tessera/shared/node';
import { type Kysely, sql } from 'kysely';

/**
 * The issuer's schema, for `migrateToLatest` (run by `createSqlIssuerStore` unless told not to).
 *
 * Design notes, once for every table:
 * - Every table leads with `tenant_id` and every key includes it, so a row is only ever found
 *   through its tenant, and two tenants may use the same ids.
 * - Secrets are stored as SHA-256 hashes (`*_hash`, base64url), never in the clear.
 * - Counters, indices and sizes are `integer` (int4): `bigint` comes back as a number from PGlite
 *   but as a string from pg. The one bigint, the audit sequence, is converted when read.
 * - JSON columns are `json`, not `jsonb`: jsonb refuses the escape \u0000, which a claim value may
 *   carry; nothing queries inside them.
 * - Atomicity comes from the database, so it holds across replicas: primary keys and unique
 *   constraints (a status index given once, a secret stored once), conditional UPDATE/DELETE
 *   (a nonce consumed once) and row locks (a pre-authorized code redeemed once).
 */
export const issuerMigrations: readonly StorageMigration[] = Object.freeze([
  {
    name: 'issuer/001_initial',
    async up(db: Kysely<object>): Promise<void> {
      await sql`
        create table issuer_offer (
          tenant_id text not null,
          id text not null,
          code_hash text not null,
          configuration_ids json not null,
          -- null once the credentials are issued, or the offer is burned or expired
          claims json,
          tx_code_salt text,
          tx_code_hash text,
          tx_code_input_mode text check (tx_code_input_mode in ('numeric', 'text')),
          tx_code_length integer,
          tx_code_description text,
          tx_code_attempts integer not null default 0,
          tx_code_max_attempts integer not null,
          state text not null check (state in ('pending', 'redeemed', 'issued', 'burned', 'expired')),
          created_by text not null,
          created_at timestamptz not null,
          expires_at timestamptz not null,
          -- until when the claim values may be fetched: expires_at, then the access token's expiry
          claims_until timestamptz not null,
          redeemed_at timestamptz,
          issued_at timestamptz,
          primary key (tenant_id, id),
          unique (tenant_id, code_hash),
          check ((tx_code_hash is null) = (tx_code_salt is null))
        );
        create index issuer_offer_claims_until on issuer_offer (claims_until) where claims is not null;

        create table issuer_access_token (
          tenant_id text not null,
          token_hash text not null,
          offer_id text not null,
          created_at timestamptz not null,
          expires_at timestamptz not null,
          primary key (tenant_id, token_hash),
          foreign key (tenant_id, offer_id) references issuer_offer (tenant_id, id)
        );
        create index issuer_access_token_expiry on issuer_access_token (expires_at);

        create table issuer_nonce (
          tenant_id text not null,
          nonce_hash text not null,
          expires_at timestamptz not null,
          primary key (tenant_id, nonce_hash)
        );
        create index issuer_nonce_expiry on issuer_nonce (expires_at);

        create table issuer_status_list (
          tenant_id text not null,
          id text not null,
          size integer not null check (size between 1 and 16777216),
          bits integer not null check (bits in (1, 2, 4, 8)),
          version integer not null default 0,
          created_at timestamptz not null,
          updated_at timestamptz not null,
          primary key (tenant_id, id)
        );

        -- One row per allocated index: the primary key is what makes an index given only once.
        create table issuer_status_entry (
          tenant_id text not null,
          list_id text not null,
          idx integer not null check (idx >= 0),
          status integer not null default 0 check (status between 0 and 255),
          allocated_at timestamptz not null,
          primary key (tenant_id, list_id, idx),
          foreign key (tenant_id, list_id) references issuer_status_list (tenant_id, id)
        );

        create table issuer_issuance (
          tenant_id text not null,
          id text not null,
          offer_id text not null,
          configuration_id text not null,
          format text not null,
          status_list_id text not null,
          status_index integer not null,
          issued_at timestamptz not null,
          issued_by text not null,
          claims json,
          primary key (tenant_id, id),
          -- an allocated index, and the index of one credential only
          unique (tenant_id, status_list_id, status_index),
          foreign key (tenant_id, status_list_id, status_index) references issuer_status_entry (tenant_id, list_id, idx),
          foreign key (tenant_id, offer_id) references issuer_offer (tenant_id, id)
        );
        create index issuer_issuance_newest on issuer_issuance (tenant_id, issued_at desc, id desc);

        create table issuer_audit (
          seq bigint generated always as identity primary key,
          tenant_id text not null,
          at timestamptz not null,
          actor text not null,
          action text not null,
          target text,
          details json
        );
        create index issuer_audit_newest on issuer_audit (tenant_id, seq desc);

        create table issuer_api_key (
          tenant_id text not null,
          id text not null,
          -- unique across tenants: one secret opens one tenant
          secret_hash text not null unique,
          label text not null,
          created_at timestamptz not null,
          revoked_at timestamptz,
          primary key (tenant_id, id)
        );
      `.execute(db);
    },
  },
  {
    // Added, not folded into 001: a database made by 001 must reach the same schema.
    name: 'issuer/002_issuance_by_offer',
    async up(db: Kysely<object>): Promise<void> {
      // The instances of one credential (OpenID4VCI 1.0 §8 batch issuance: one record and status
      // index per holder key) are found through their offer, since staff change their status
      // together; `id` last, so the offer's first record is found in the index alone.
      await sql`create index issuer_issuance_offer on issuer_issuance (tenant_id, offer_id, id)`.execute(db);
    },
  },
]);
