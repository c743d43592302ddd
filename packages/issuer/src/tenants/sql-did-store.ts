import type { IIdentifier, IService } from '@veramo/core';
import { AbstractDIDStore } from '@veramo/did-manager';
import type { Kysely, Selectable } from 'kysely';
import type { DidTable, IssuerKeyTables } from './migrations.ts';
import type { SqlKeyStore } from './sql-key-store.ts';

/**
 * Veramo's DID store over Kysely. An identifier row keeps its key ids in order (oldest first, the
 * order rotation appends them in) and reads the keys themselves from the key store, so a key is
 * stored once.
 */
export class SqlDidStore extends AbstractDIDStore {
  readonly #db: Kysely<IssuerKeyTables>;
  readonly #keys: SqlKeyStore;

  constructor(db: Kysely<IssuerKeyTables>, keys: SqlKeyStore) {
    super();
    this.#db = db;
    this.#keys = keys;
  }

  async importDID(args: IIdentifier): Promise<boolean> {
    const { did, alias, provider, controllerKeyId, keys, services } = args;
    if (typeof did !== 'string' || typeof provider !== 'string' || !Array.isArray(keys)) {
      throw new TypeError('An identifier needs did, provider and keys');
    }
    const row = {
      alias: alias ?? null,
      provider,
      controller_key_id: controllerKeyId ?? null,
      key_ids: JSON.stringify(keys.map((key) => key.kid)),
      services: JSON.stringify(services ?? []),
    };
    await this.#db
      .insertInto('issuer_did')
      .values({ did, ...row })
      .onConflict((conflict) => conflict.column('did').doUpdateSet(row))
      .execute();
    return true;
  }

  getDID(args: { did: string }): Promise<IIdentifier>;
  getDID(args: { alias: string }): Promise<IIdentifier>;
  async getDID(args: { did?: string; alias?: string }): Promise<IIdentifier> {
    let query = this.#db.selectFrom('issuer_did').selectAll();
    if (typeof args.did === 'string') query = query.where('did', '=', args.did);
    else if (typeof args.alias === 'string') query = query.where('alias', '=', args.alias);
    else throw new TypeError('getDID needs a did or an alias');
    const row = await query.executeTakeFirst();
    // Veramo's DIDManager treats a throw as "no such identifier" (didManagerGetOrCreate).
    if (row === undefined) throw new Error('not_found: Identifier not found');
    return this.#identifierOf(row);
  }

  async deleteDID({ did }: { did: string }): Promise<boolean> {
    const { numDeletedRows } = await this.#db.deleteFrom('issuer_did').where('did', '=', did).executeTakeFirst();
    return numDeletedRows > 0n;
  }

  async listDIDs(args: { alias?: string; provider?: string } = {}): Promise<IIdentifier[]> {
    let query = this.#db.selectFrom('issuer_did').selectAll().orderBy('did');
    if (args.alias !== undefined) query = query.where('alias', '=', args.alias);
    if (args.provider !== undefined) query = query.where('provider', '=', args.provider);
    const rows = await query.execute();
    return Promise.all(rows.map((row) => this.#identifierOf(row)));
  }

  async #identifierOf(row: Selectable<DidTable>): Promise<IIdentifier> {
    const kids = row.key_ids;
    if (!Array.isArray(kids) || !kids.every((kid) => typeof kid === 'string')) {
      throw new Error('A stored identifier has a damaged key list');
    }
    const identifier: IIdentifier = {
      did: row.did,
      provider: row.provider,
      keys: await this.#keys.getKeys(kids),
      services: Array.isArray(row.services) ? (row.services as IService[]) : [],
    };
    if (row.alias !== null) identifier.alias = row.alias;
    if (row.controller_key_id !== null) identifier.controllerKeyId = row.controller_key_id;
    return identifier;
  }
}
