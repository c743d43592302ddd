import type { DatabaseConfig } from '@tessera/shared/node';
import { CliError } from './cli-error.ts';

/** The environment variables the CLI reads; nothing else is taken from the environment. */
export const ENV = {
  /** 64 hexadecimal characters (32 bytes) sealing the tenants' private keys. */
  keySecret: 'TESSERA_ISSUER_KEY_SECRET',
  /** `postgres://…`: run on PostgreSQL (several processes can share it) instead of PGlite. */
  databaseUrl: 'TESSERA_ISSUER_DATABASE_URL',
  /** Optional PostgreSQL schema for the issuer's tables (created when missing). */
  databaseSchema: 'TESSERA_ISSUER_DATABASE_SCHEMA',
} as const;

const SECRET = /^[0-9a-fA-F]{64}$/;

export type Environment = Readonly<Record<string, string | undefined>>;

/** The key secret, or a CliError saying how to get one. */
export function keySecretFrom(env: Environment): string {
  const secret = env[ENV.keySecret];
  if (secret === undefined || secret === '') {
    throw new CliError(
      `${ENV.keySecret} is not set. It seals the tenants' private keys: use the value "tessera-issuer init" printed ` +
        '(or, for a new deployment, 64 hexadecimal characters from a secure random source).',
    );
  }
  if (!SECRET.test(secret)) throw new CliError(`${ENV.keySecret} must be 64 hexadecimal characters (32 bytes).`);
  return secret;
}

/** PostgreSQL when its URL is set, else PGlite in `pgliteDir`. */
export function databaseConfigFrom(env: Environment, pgliteDir: string): DatabaseConfig {
  const url = env[ENV.databaseUrl];
  const schema = env[ENV.databaseSchema];
  if (url === undefined || url === '') {
    if (schema !== undefined && schema !== '') throw new CliError(`${ENV.databaseSchema} needs ${ENV.databaseUrl}.`);
    return { kind: 'pglite', dataDir: pgliteDir };
  }
  if (!/^postgres(ql)?:\/\//.test(url)) throw new CliError(`${ENV.databaseUrl} must be a postgres:// URL.`);
  if (schema !== undefined && schema !== '' && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new CliError(`${ENV.databaseSchema} must be a lower-case PostgreSQL identifier (a-z, 0-9, _).`);
  }
  return { kind: 'postgres', url, ...(schema !== undefined && schema !== '' ? { schema } : {}) };
}

/** Where the database is, for messages: never the URL itself (it may carry a password). */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === 'pglite') return `PGlite in ${config.dataDir}`;
  const url = new URL(config.url);
  return `PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}${config.schema === undefined ? '' : ` (schema ${config.schema})`}`;
}
