import { randomBytes } from 'node:crypto';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createIssuerApp } from '../app/create-issuer-app.ts';
import { createStaffApiKey } from '../staff/staff-api-key.ts';
import { dataPaths, readCliConfig, sampleCliConfig } from './cli-config.ts';
import { CliError } from './cli-error.ts';
import { ENV, type Environment } from './environment.ts';
import { messageOf, openService } from './open-service.ts';

export interface InitOptions {
  readonly configPath: string;
  readonly host: string;
  readonly port: number;
  /** Default `http://localhost:<port>`. */
  readonly baseUrl?: string;
}

/**
 * `tessera-issuer init`: writes a configuration file with two sample tenants, creates the data
 * folder, the database, the development CA and the tenants' keys and status lists, and one staff
 * API key per tenant, printed once. Never overwrites: an existing configuration file or a
 * non-empty data folder stops it before anything is written. Without `TESSERA_ISSUER_KEY_SECRET`
 * it makes a secret and prints it: the operator must keep it, or the keys are lost.
 */
export async function initCommand(options: InitOptions, env: Environment, out: (line: string) => void): Promise<void> {
  const configPath = resolve(options.configPath);
  const baseUrl = options.baseUrl ?? `http://localhost:${options.port === 0 ? 8080 : options.port}`;
  const sample = sampleCliConfig({ host: options.host, port: options.port, baseUrl });
  const dataDir = resolve(dirname(configPath), sample.dataDir);
  // Both checks before anything is written, so a refused init leaves no trace.
  if (await exists(configPath)) {
    throw new CliError(`${configPath} already exists; init never overwrites. Edit it, or pass --config <new file>.`);
  }
  const usingPostgres = (env[ENV.databaseUrl] ?? '') !== '';
  if (!usingPostgres && (await nonEmptyFolder(dataPaths(dataDir).database))) {
    throw new CliError(`${dataPaths(dataDir).database} already holds a database; init never overwrites it.`);
  }

  let secret = env[ENV.keySecret];
  const madeSecret = secret === undefined || secret === '';
  if (madeSecret) secret = randomBytes(32).toString('hex');

  await mkdir(dirname(configPath), { recursive: true });
  try {
    // `wx`: fails rather than overwrite a file that appeared meanwhile.
    await writeFile(configPath, `${JSON.stringify(sample, null, 2)}\n`, { flag: 'wx', mode: 0o640 });
  } catch (error) {
    throw new CliError(`Cannot write ${configPath}: ${messageOf(error)}`, { cause: error });
  }
  const config = await readCliConfig(configPath);
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const service = await openService(config, env, secret);
  try {
    // createIssuerApp creates every tenant's DID, key and status list; nothing listens.
    await createIssuerApp({
      config: config.issuer,
      store: service.store,
      keyring: service.keyring,
      developmentCa: service.developmentCa,
    });
    out(`Wrote ${configPath}`);
    out(`Data: ${service.databaseDescription}; development CA in ${dataPaths(config.dataDir).ca}`);
    out('');
    for (const tenant of config.issuer.tenants) {
      const identity = await service.keyring.identity(tenant.id);
      const key = await createStaffApiKey(service.store, tenant.id, 'Created by tessera-issuer init');
      out(`Tenant ${tenant.id} (${tenant.name.en}): ${identity.did}`);
      out(`  staff API key ${key.id}: ${key.secret}`);
    }
    out('');
    out('The staff API keys are shown this once; only their hashes are stored.');
    if (madeSecret) {
      out('');
      out(`${ENV.keySecret} was not set, so one was made. Keep it secret and keep it safe: without it the keys are lost.`);
      out(`  export ${ENV.keySecret}=${secret}`);
    }
    out('');
    out(`Start the service: tessera-issuer start --config ${configPath}`);
  } finally {
    await service.close();
  }
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function nonEmptyFolder(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length > 0;
  } catch {
    return false;
  }
}
