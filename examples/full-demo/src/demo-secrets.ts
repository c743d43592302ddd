import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The demo's own secrets, kept in its data folder so a restart finds the same keys and the same
 * staff logins: the issuer's key secret (which unlocks the tenants' signing keys) and one staff
 * API key per tenant. A real deployment keeps the key secret in the environment and shows staff
 * keys once (docs/issuer.md); a demo that forgot them at every start would be useless.
 */
export interface DemoSecrets {
  /** 64 hex characters: `TESSERA_ISSUER_KEY_SECRET` for the demo's issuer. */
  keySecret: string;
  /** Staff API key secrets by tenant id. */
  staffKeys: Record<string, string>;
  /**
   * The issuer's port when the folder was made. The tenants' DIDs are did:web on
   * `localhost:<port>`, and the keyring refuses a tenant whose DID moved, so the folder keeps it.
   */
  issuerPort?: number;
}

const FILE = 'demo-secrets.json';

/** The secrets in `dataDir`, or fresh ones (no staff keys yet) when the folder is new. */
export async function readDemoSecrets(dataDir: string): Promise<DemoSecrets> {
  let text: string;
  try {
    text = await readFile(join(dataDir, FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return { keySecret: randomBytes(32).toString('hex'), staffKeys: {} };
  }
  const parsed = JSON.parse(text) as Partial<DemoSecrets>;
  if (typeof parsed.keySecret !== 'string' || !/^[0-9a-f]{64}$/.test(parsed.keySecret)) {
    throw new Error(`${join(dataDir, FILE)} is damaged: delete the data folder to start the demo afresh`);
  }
  const staffKeys = typeof parsed.staffKeys === 'object' && parsed.staffKeys !== null ? parsed.staffKeys : {};
  const secrets: DemoSecrets = { keySecret: parsed.keySecret, staffKeys: { ...staffKeys } };
  if (Number.isInteger(parsed.issuerPort)) secrets.issuerPort = parsed.issuerPort as number;
  return secrets;
}

/** Writes the secrets readable by this user only. */
export async function writeDemoSecrets(dataDir: string, secrets: DemoSecrets): Promise<void> {
  await writeFile(join(dataDir, FILE), `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
}
