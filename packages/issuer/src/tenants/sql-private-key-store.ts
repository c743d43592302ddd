import { fail } from '@tessera/shared';
import { AbstractPrivateKeyStore, type ImportablePrivateKey, type ManagedPrivateKey } from '@veramo/key-manager';
import { SecretBox } from '@veramo/kms-local';
import type { Kysely } from 'kysely';
import type { IssuerKeyTables } from './migrations.ts';

/**
 * Veramo's private key store for the local KMS, over Kysely. Every private key is sealed with
 * NaCl secretbox (XSalsa20-Poly1305, through Veramo's `SecretBox`) under the secret the operator
 * supplies; the database only ever sees the sealed form.
 *
 * A wrong secret must neither sign nor write: `SecretBox.decrypt` returns an empty string when
 * authentication fails (it does not throw), so every decryption is checked, and before a new key
 * is sealed the secret is proven against a key already stored. Otherwise a service started with
 * the wrong secret would add keys that the right secret can no longer open.
 */
export class SqlPrivateKeyStore extends AbstractPrivateKeyStore {
  readonly #db: Kysely<IssuerKeyTables>;
  readonly #box: SecretBox;

  constructor(db: Kysely<IssuerKeyTables>, secretKey: string) {
    super();
    this.#db = db;
    this.#box = new SecretBox(checkSecretKey(secretKey));
  }

  async importKey(args: ImportablePrivateKey): Promise<ManagedPrivateKey> {
    const alias = args.alias ?? crypto.randomUUID();
    const existing = await this.#db.selectFrom('issuer_private_key').selectAll().where('alias', '=', alias).executeTakeFirst();
    if (existing !== undefined) {
      const stored = await this.#open(existing.encrypted_private_key);
      if (stored !== args.privateKeyHex.toLowerCase() || existing.type !== args.type) {
        throw new Error('key_already_exists: a different key is stored under this alias');
      }
      return { alias, type: existing.type, privateKeyHex: stored };
    }
    await this.checkSecret();
    const encrypted = await this.#box.encrypt(args.privateKeyHex.toLowerCase());
    await this.#db
      .insertInto('issuer_private_key')
      .values({ alias, type: args.type, encrypted_private_key: encrypted })
      .execute();
    return { alias, type: args.type, privateKeyHex: args.privateKeyHex.toLowerCase() };
  }

  async getKey({ alias }: { alias: string }): Promise<ManagedPrivateKey> {
    const row = await this.#db.selectFrom('issuer_private_key').selectAll().where('alias', '=', alias).executeTakeFirst();
    if (row === undefined) throw new Error('not_found: PrivateKey not found');
    return { alias, type: row.type, privateKeyHex: await this.#open(row.encrypted_private_key) };
  }

  async deleteKey({ alias }: { alias: string }): Promise<boolean> {
    const { numDeletedRows } = await this.#db.deleteFrom('issuer_private_key').where('alias', '=', alias).executeTakeFirst();
    return numDeletedRows > 0n;
  }

  async listKeys(_args: object = {}): Promise<ManagedPrivateKey[]> {
    const rows = await this.#db.selectFrom('issuer_private_key').selectAll().orderBy('alias').execute();
    const keys: ManagedPrivateKey[] = [];
    for (const row of rows)
      keys.push({ alias: row.alias, type: row.type, privateKeyHex: await this.#open(row.encrypted_private_key) });
    return keys;
  }

  /**
   * Fails with `key_decryption_failed` unless the secret opens the key stored under `alias` (or,
   * without an alias, any one stored key). Nothing stored yet: any secret is the right one.
   */
  async checkSecret(alias?: string): Promise<void> {
    let query = this.#db.selectFrom('issuer_private_key').select('encrypted_private_key').limit(1);
    if (alias !== undefined) query = query.where('alias', '=', alias);
    const row = await query.executeTakeFirst();
    if (row !== undefined) await this.#open(row.encrypted_private_key);
  }

  async #open(sealed: string): Promise<string> {
    let opened: string;
    try {
      opened = await this.#box.decrypt(sealed);
    } catch (cause) {
      fail('key_decryption_failed', 'A stored private key is damaged and cannot be decrypted', cause);
    }
    // Every key this store seals is the hex of a P-256, secp256k1, Ed25519 or X25519 private key.
    if (!/^[0-9a-f]{64}(?:[0-9a-f]{64})?$/.test(opened)) {
      fail(
        'key_decryption_failed',
        'The key secret does not open the stored private keys (is it the secret they were created with?)',
      );
    }
    return opened;
  }
}

/**
 * The key-encryption secret: 32 bytes as 64 hexadecimal characters (NaCl secretbox key size).
 * A wrong shape is a deployment mistake, reported before anything is read or written.
 */
export function checkSecretKey(secretKey: unknown): string {
  if (typeof secretKey !== 'string' || !/^[0-9a-fA-F]{64}$/.test(secretKey)) {
    throw new TypeError(
      'The issuer key secret must be 64 hexadecimal characters (32 random bytes, e.g. from `openssl rand -hex 32`)',
    );
  }
  return secretKey.toLowerCase();
}
