import type { Selectable } from 'kysely';
import { checkId, checkNewSecret, checkText, isPresentableSecret } from './input-checks.ts';
import type { ApiKey, IssuerStore, NewApiKey } from './issuer-store.ts';
import { hashSecret } from './secret-hash.ts';
import { type ApiKeyTable, type InvalidRecordListener, type IssuerDb, sqlState } from './sql-tables.ts';

type ApiKeyStore = Pick<IssuerStore, 'createApiKey' | 'findApiKey' | 'listApiKeys' | 'revokeApiKey'>;

/**
 * Staff API keys: the secret is stored as its SHA-256 hash and found through it (see
 * `secret-hash.ts` for why no constant-time comparison is needed). A key opens one tenant: the
 * lookup names the tenant, so another tenant's key is simply not found.
 */
export function createSqlApiKeys(db: IssuerDb, clock: () => number, report: InvalidRecordListener): ApiKeyStore {
  const read = (row: Selectable<ApiKeyTable> | undefined): ApiKey | undefined => {
    if (row === undefined) return undefined;
    if (!(row.created_at instanceof Date) || typeof row.label !== 'string' || row.label === '') {
      report('issuer_api_key', `${row.tenant_id}/${row.id}`, 'created_at or label is missing');
      return undefined;
    }
    return {
      tenantId: row.tenant_id,
      id: row.id,
      label: row.label,
      createdAt: row.created_at.getTime(),
      ...(row.revoked_at instanceof Date ? { revokedAt: row.revoked_at.getTime() } : {}),
    };
  };

  return {
    async createApiKey(tenantId: string, key: NewApiKey): Promise<ApiKey> {
      checkId('tenantId', tenantId);
      if (typeof key !== 'object' || key === null) throw new TypeError('key must be an object');
      const id = checkId('key id', key.id);
      const secretHash = hashSecret(checkNewSecret('secret', key.secret));
      const label = checkText('label', key.label);
      const createdAt = clock();
      try {
        await db
          .insertInto('issuer_api_key')
          .values({ tenant_id: tenantId, id, secret_hash: secretHash, label, created_at: new Date(createdAt) })
          .execute();
      } catch (error) {
        if (sqlState(error) === '23505')
          throw new TypeError('An API key with this id or secret already exists', { cause: error });
        throw error;
      }
      return { tenantId, id, label, createdAt };
    },

    async findApiKey(tenantId: string, secret: string): Promise<ApiKey | undefined> {
      checkId('tenantId', tenantId);
      if (!isPresentableSecret('secret', secret)) return undefined;
      return read(
        await db
          .selectFrom('issuer_api_key')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('secret_hash', '=', hashSecret(secret))
          .where('revoked_at', 'is', null)
          .executeTakeFirst(),
      );
    },

    async listApiKeys(tenantId: string): Promise<ApiKey[]> {
      checkId('tenantId', tenantId);
      const rows = await db
        .selectFrom('issuer_api_key')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(read).filter((key) => key !== undefined);
    },

    async revokeApiKey(tenantId: string, keyId: string): Promise<boolean> {
      checkId('tenantId', tenantId);
      checkId('keyId', keyId);
      const { numUpdatedRows } = await db
        .updateTable('issuer_api_key')
        .set({ revoked_at: new Date(clock()) })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', keyId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return numUpdatedRows === 1n;
    },
  };
}
