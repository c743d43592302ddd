import { createStaffApiKey } from '../staff/staff-api-key.ts';
import { type CliConfig, readCliConfig } from './cli-config.ts';
import { CliError } from './cli-error.ts';
import type { Environment } from './environment.ts';
import { checkKeySecret, messageOf, openService } from './open-service.ts';

/**
 * `tessera-issuer keys rotate <tenant>`: gives a did:web tenant a new current key. The earlier
 * keys stay in its DID document, so credentials signed with them keep verifying; a running
 * service signs with the new key from its next credential on (it reads the current key per
 * request). On PGlite the service must be stopped first: one process owns the data folder.
 */
export async function rotateCommand(
  { configPath, tenantId }: { configPath: string; tenantId: string },
  env: Environment,
  out: (line: string) => void,
): Promise<void> {
  const config = await readCliConfig(configPath);
  const tenant = knownTenant(config, tenantId);
  if (tenant.didMethod !== 'web') {
    throw new CliError(
      `Tenant ${tenantId} uses did:jwk, whose DID is its key: it cannot rotate. Create a new tenant for a new key.`,
    );
  }
  const service = await openService(config, env);
  try {
    await checkKeySecret(service.keyring, [tenantId]);
    const before = await service.keyring.ensureTenant({ id: tenantId, didMethod: 'web' });
    const after = await service.keyring.rotate(tenantId);
    out(`Rotated ${tenantId} (${after.did})`);
    out(`  new current key: ${after.kid}`);
    out(`  previous key (still in the DID document): ${before.kid}`);
  } finally {
    await service.close();
  }
}

/** `tessera-issuer keys create-api-key <tenant> <label>`: a staff API key, printed once. */
export async function createApiKeyCommand(
  { configPath, tenantId, label }: { configPath: string; tenantId: string; label: string },
  env: Environment,
  out: (line: string) => void,
): Promise<void> {
  const config = await readCliConfig(configPath);
  knownTenant(config, tenantId);
  const service = await openService(config, env);
  try {
    let key: Awaited<ReturnType<typeof createStaffApiKey>>;
    try {
      key = await createStaffApiKey(service.store, tenantId, label);
    } catch (error) {
      if (error instanceof TypeError) throw new CliError(`Cannot create the key: ${messageOf(error)}`);
      throw error;
    }
    out(`Staff API key ${key.id} for ${tenantId} ("${key.label}"):`);
    out(`  ${key.secret}`);
    out('Shown this once; only its hash is stored.');
  } finally {
    await service.close();
  }
}

function knownTenant(config: CliConfig, tenantId: string): CliConfig['issuer']['tenants'][number] {
  const tenant = config.issuer.tenants.find((candidate) => candidate.id === tenantId);
  if (tenant === undefined) {
    throw new CliError(
      `No tenant "${tenantId.slice(0, 64)}" in ${config.path}; tenants: ${config.issuer.tenants.map((t) => t.id).join(', ')}.`,
    );
  }
  return tenant;
}
