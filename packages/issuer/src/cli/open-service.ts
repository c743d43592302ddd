import { isTesseraError } from '@tessera/shared';
import { createDevelopmentCa, type Database, type DevelopmentCa, openDatabase } from '@tessera/shared/node';
import { createSqlIssuerStore, type IssuerStore } from '../store/index.ts';
import { createTenantKeyring, type TenantKeyring } from '../tenants/index.ts';
import { type CliConfig, dataPaths } from './cli-config.ts';
import { CliError } from './cli-error.ts';
import { databaseConfigFrom, describeDatabase, type Environment, keySecretFrom } from './environment.ts';

/** The storage and keys of one configured service, opened (and migrated) for a command. */
export interface OpenedService {
  readonly database: Database;
  /** E.g. "PGlite in /srv/tessera/data/db", without credentials. */
  readonly databaseDescription: string;
  readonly store: IssuerStore;
  readonly keyring: TenantKeyring;
  /** The development CA in the data folder (made on first use), for `x5c` tenants. */
  readonly developmentCa: DevelopmentCa;
  /** Closes the database (PGlite flushes to its folder). Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens the database the environment names (PostgreSQL) or PGlite in the data folder, migrates
 * it, and opens the keyring with the key secret. Failures the operator can fix are `CliError`s.
 */
export async function openService(config: CliConfig, env: Environment, secretKey = keySecretFrom(env)): Promise<OpenedService> {
  const paths = dataPaths(config.dataDir);
  const databaseConfig = databaseConfigFrom(env, paths.database);
  const databaseDescription = describeDatabase(databaseConfig);
  let database: Database;
  try {
    database = await openDatabase(databaseConfig);
  } catch (error) {
    throw new CliError(`Cannot open the database (${databaseDescription}): ${messageOf(error)}`, { cause: error });
  }
  try {
    const store = await createSqlIssuerStore(database);
    const keyring = await createTenantKeyring({ database, secretKey, baseUrl: config.issuer.baseUrl });
    const developmentCa = await createDevelopmentCa({ dir: paths.ca });
    return { database, databaseDescription, store, keyring, developmentCa, close: () => database.close() };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Fails with a CliError unless the key secret opens the tenants' stored keys: one signature per
 * tenant that already has a key, so a wrong secret stops the service at start, not at the first
 * credential request.
 */
export async function checkKeySecret(keyring: TenantKeyring, tenantIds: readonly string[]): Promise<void> {
  for (const tenantId of tenantIds) {
    try {
      await (await keyring.identity(tenantId)).signingKey.sign(new Uint8Array([0]));
    } catch (error) {
      if (isTesseraError(error, 'issuer_key_not_found')) continue; // not created yet: created at start
      if (isTesseraError(error, 'key_decryption_failed')) {
        throw new CliError(
          'TESSERA_ISSUER_KEY_SECRET does not open the stored keys: it is not the secret they were created with.',
        );
      }
      throw error;
    }
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
