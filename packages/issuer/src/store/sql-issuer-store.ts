import { randomBytes as nodeRandomBytes } from 'node:crypto';
import type { Clock, RandomBytes } from '@tessera/shared';
import { type Database, migrateToLatest } from '@tessera/shared/node';
import { checkId, checkNewSecret, checkTime, isPresentableSecret } from './input-checks.ts';
import { issuerMigrations } from './issuer-migrations.ts';
import type { IssuerStore, PurgeReport } from './issuer-store.ts';
import { hashSecret } from './secret-hash.ts';
import { createSqlApiKeys } from './sql-api-keys.ts';
import { createSqlOffers } from './sql-offers.ts';
import { createSqlRecords } from './sql-records.ts';
import { createSqlStatusLists } from './sql-status-lists.ts';
import { type InvalidRecordListener, type IssuerTables, sqlState } from './sql-tables.ts';

export interface SqlIssuerStoreOptions {
  /** "Now" in milliseconds since the epoch. Default `Date.now`. */
  clock?: Clock;
  /** Run `issuerMigrations` first. Default true; false when the application migrates every component itself. */
  migrate?: boolean;
  /** Randomness for status list indices. Default node:crypto's CSPRNG; tests inject their own. */
  randomBytes?: RandomBytes;
  /**
   * Told about a stored row that does not read back (hand-edited, or written by an incompatible
   * version), by table and key, never with its content. The store treats it as absent. Default: ignore.
   */
  onInvalidRecord?: InvalidRecordListener;
}

/**
 * Creates the issuer store over a database from `openDatabase` (`@tessera/shared/node`): PGlite
 * in a folder for one process, or a PostgreSQL server that several issuer replicas share and
 * that then behave as one service.
 *
 * @example
 * const database = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'db') });
 * const store = await createSqlIssuerStore(database);
 * await store.ensureStatusList('ngo-a', { id: '1' });
 */
export async function createSqlIssuerStore(
  database: Database,
  {
    clock = Date.now,
    migrate = true,
    randomBytes = (length) => nodeRandomBytes(length),
    onInvalidRecord = () => undefined,
  }: SqlIssuerStoreOptions = {},
): Promise<IssuerStore> {
  if (typeof clock !== 'function' || typeof randomBytes !== 'function' || typeof onInvalidRecord !== 'function') {
    throw new TypeError('clock, randomBytes and onInvalidRecord must be functions');
  }
  if (migrate) await migrateToLatest(database, issuerMigrations);
  const db = database.kysely.withTables<IssuerTables>();
  const now = (): number => checkTime('the clock', clock());

  return {
    ...createSqlOffers(db, now, onInvalidRecord),
    ...createSqlStatusLists(db, now, randomBytes, onInvalidRecord),
    ...createSqlRecords(db, now, onInvalidRecord),
    ...createSqlApiKeys(db, now, onInvalidRecord),

    async createNonce(tenantId: string, nonce: string, expiresAt: number): Promise<void> {
      checkId('tenantId', tenantId);
      const nonceHash = hashSecret(checkNewSecret('nonce', nonce));
      checkTime('expiresAt', expiresAt);
      if (expiresAt <= now()) throw new TypeError('expiresAt must lie in the future');
      try {
        await db
          .insertInto('issuer_nonce')
          .values({ tenant_id: tenantId, nonce_hash: nonceHash, expires_at: new Date(expiresAt) })
          .execute();
      } catch (error) {
        if (sqlState(error) === '23505') throw new TypeError('This nonce was already issued', { cause: error });
        throw error;
      }
    },

    async consumeNonce(tenantId: string, nonce: string): Promise<boolean> {
      checkId('tenantId', tenantId);
      if (!isPresentableSecret('nonce', nonce)) return false;
      // One conditional DELETE: concurrent consumers (on any replica) wait for the row lock of
      // the first, then find the row gone. OpenID4VCI 1.0 §7: a `c_nonce` proves freshness once.
      const { numDeletedRows } = await db
        .deleteFrom('issuer_nonce')
        .where('tenant_id', '=', tenantId)
        .where('nonce_hash', '=', hashSecret(nonce))
        .where('expires_at', '>', new Date(now()))
        .executeTakeFirst();
      return numDeletedRows === 1n;
    },

    async purgeExpired(at: number = now()): Promise<PurgeReport> {
      checkTime('now', at);
      const cutOff = new Date(at);
      const offers = await db
        .updateTable('issuer_offer')
        .set({ state: 'expired', claims: null })
        .where('state', 'in', ['pending', 'redeemed'])
        .where('claims_until', '<=', cutOff)
        .executeTakeFirst();
      const nonces = await db.deleteFrom('issuer_nonce').where('expires_at', '<=', cutOff).executeTakeFirst();
      const accessTokens = await db.deleteFrom('issuer_access_token').where('expires_at', '<=', cutOff).executeTakeFirst();
      return {
        offers: Number(offers.numUpdatedRows),
        nonces: Number(nonces.numDeletedRows),
        accessTokens: Number(accessTokens.numDeletedRows),
      };
    },
  };
}
