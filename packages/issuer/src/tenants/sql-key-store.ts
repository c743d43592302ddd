import type { IKey, ManagedKeyInfo } from '@veramo/core';
import { AbstractKeyStore } from '@veramo/key-manager';
import type { Kysely, Selectable } from 'kysely';
import type { IssuerKeyTables, KeyTable } from './migrations.ts';

/**
 * Veramo's key store (key id → KMS, type, public key) over Kysely. Holds no private key material:
 * that lives, encrypted, in `SqlPrivateKeyStore`.
 */
export class SqlKeyStore extends AbstractKeyStore {
  readonly #db: Kysely<IssuerKeyTables>;
  readonly #clock: () => number;

  constructor(db: Kysely<IssuerKeyTables>, clock: () => number) {
    super();
    this.#db = db;
    this.#clock = clock;
  }

  async importKey(args: Partial<IKey>): Promise<boolean> {
    const { kid, kms, type, publicKeyHex, meta } = args;
    if (typeof kid !== 'string' || typeof kms !== 'string' || typeof type !== 'string' || typeof publicKeyHex !== 'string') {
      throw new TypeError('A key needs kid, kms, type and publicKeyHex');
    }
    const metaJson = meta === undefined || meta === null ? null : JSON.stringify(meta);
    await this.#db
      .insertInto('issuer_key')
      .values({ kid, kms, type, public_key_hex: publicKeyHex, meta: metaJson, created_at: new Date(this.#clock()) })
      .onConflict((conflict) => conflict.column('kid').doUpdateSet({ kms, type, public_key_hex: publicKeyHex, meta: metaJson }))
      .execute();
    return true;
  }

  async getKey({ kid }: { kid: string }): Promise<IKey> {
    const row = await this.#db.selectFrom('issuer_key').selectAll().where('kid', '=', kid).executeTakeFirst();
    // Veramo's own stores signal absence by throwing; the KeyManager relies on it.
    if (row === undefined) throw new Error('not_found: Key not found');
    return keyOf(row);
  }

  async deleteKey({ kid }: { kid: string }): Promise<boolean> {
    const { numDeletedRows } = await this.#db.deleteFrom('issuer_key').where('kid', '=', kid).executeTakeFirst();
    return numDeletedRows > 0n;
  }

  async listKeys(_args: object = {}): Promise<ManagedKeyInfo[]> {
    const rows = await this.#db.selectFrom('issuer_key').selectAll().orderBy('created_at').orderBy('kid').execute();
    return rows.map(keyOf);
  }

  /** The keys with these ids, in the given order; a missing one is a damaged database. */
  async getKeys(kids: readonly string[]): Promise<IKey[]> {
    if (kids.length === 0) return [];
    const rows = await this.#db.selectFrom('issuer_key').selectAll().where('kid', 'in', kids).execute();
    const byKid = new Map(rows.map((row) => [row.kid, keyOf(row)]));
    return kids.map((kid) => {
      const key = byKid.get(kid);
      if (key === undefined) throw new Error('A DID refers to a key that is not in the key store');
      return key;
    });
  }
}

function keyOf(row: Selectable<KeyTable>): IKey {
  const key: IKey = { kid: row.kid, kms: row.kms, type: row.type, publicKeyHex: row.public_key_hex };
  if (row.meta !== null && typeof row.meta === 'object') key.meta = row.meta as NonNullable<IKey['meta']>;
  return key;
}
