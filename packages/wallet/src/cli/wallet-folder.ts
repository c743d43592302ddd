import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fail } from '@tessera/shared';
import { listProfiles, openProfile, type ReceiveTrust, type ScryptParams, type Wallet, type WalletStore } from '../index.ts';
import { createFileWalletStore, nodeScrypt } from '../node.ts';
import { CliError } from './cli-error.ts';
import { type CliContext, ENV, type Environment } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { readTextFile } from './files.ts';
import { walletPassphrase } from './secrets.ts';

/** The folder name under the home folder when neither `--dir` nor `TESSERA_WALLET_DIR` says otherwise. */
export const DEFAULT_FOLDER = '.tessera-wallet';
/** The settings file in the wallet folder (trust list and verifier trust anchors; nothing secret). */
export const CONFIG_FILE = 'tessera-wallet.json';
const CONFIG_FORMAT = 'tessera-wallet-config';

/** scrypt at the lowest cost the vault accepts; only with `TESSERA_WALLET_SCRYPT=fast`, for tests. */
const FAST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

/** `--dir`, else `TESSERA_WALLET_DIR`, else `~/.tessera-wallet`; absolute. */
export function walletFolder(option: string | undefined, env: Environment): string {
  const fromEnv = env[ENV.dir];
  return resolve(option ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(homedir(), DEFAULT_FOLDER)));
}

/** What the wallet folder's settings file holds. */
export interface WalletConfig {
  /** Which issuers `receive` takes credentials from. */
  readonly trust: ReceiveTrust;
  /** Root certificates (PEM text) that authenticate `x509_hash:` verifiers at `present`. */
  readonly trustAnchors: readonly string[];
}

const EMPTY_CONFIG: WalletConfig = { trust: { issuers: [] }, trustAnchors: [] };

/** The folder's settings; empty ones when there is no file yet. A damaged file is a usage error naming it. */
export async function readConfig(dir: string): Promise<WalletConfig> {
  const file = join(dir, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_CONFIG;
    throw new CliError('input.file_unreadable', { fix: 'fix.file_unreadable', values: { file }, cause: error });
  }
  const invalid = (cause?: unknown): CliError =>
    new CliError('input.config_invalid', { fix: 'fix.config_invalid', values: { file }, cause });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw invalid(cause);
  }
  if (!isRecord(parsed) || parsed.format !== CONFIG_FORMAT || parsed.version !== 1) throw invalid();
  const trust = parseTrust(parsed.trust);
  const anchors = parsed.trustAnchors;
  if (trust === undefined || !Array.isArray(anchors) || !anchors.every((pem) => typeof pem === 'string' && isPem(pem))) {
    throw invalid();
  }
  return { trust, trustAnchors: anchors as string[] };
}

/** Writes the settings file whole (temporary file, then rename), readable by the owner only. */
export async function writeConfig(dir: string, config: WalletConfig): Promise<void> {
  const file = join(dir, CONFIG_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  const body = { format: CONFIG_FORMAT, version: 1, trust: config.trust, trustAnchors: config.trustAnchors };
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(temporary, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, file);
  } catch (error) {
    throw new CliError('input.file_unwritable', {
      fix: 'fix.file_unwritable',
      values: { file },
      exitCode: EXIT.usage,
      cause: error,
    });
  }
}

/**
 * A trust list file: `{ "issuers": [{ "id", "credentialTypes"?, "x509TrustAnchors"? }], "acceptUnknownIssuers"? }`,
 * the shape of `ReceiveTrust` and of the verifier's trust list (whose other members, such as
 * `name` and `version`, are ignored).
 */
export async function readTrustListFile(path: string): Promise<ReceiveTrust> {
  const text = await readTextFile(path, 1024 * 1024);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new CliError('input.trust_list_invalid', { fix: 'fix.trust_list_invalid', values: { file: path }, cause });
  }
  const trust = parseTrust(parsed);
  if (trust === undefined) {
    throw new CliError('input.trust_list_invalid', { fix: 'fix.trust_list_invalid', values: { file: path } });
  }
  return trust;
}

/** A root certificate file in PEM form. */
export async function readTrustAnchorFile(path: string): Promise<string> {
  const text = await readTextFile(path, 256 * 1024);
  if (!isPem(text)) {
    throw new CliError('input.trust_anchor_invalid', { fix: 'fix.trust_anchor_invalid', values: { file: path } });
  }
  return text;
}

/**
 * The trust settings for this command: the files given now (`--trust-list`, `--trust-anchor`),
 * else the folder's settings. `init` and `import` store what this returns; they read it before the
 * profile is made, so a bad file stops them before anything is written.
 */
export async function trustFor(context: CliContext): Promise<WalletConfig> {
  const { trustList, trustAnchors } = context.options;
  const stored = await readConfig(context.dir);
  return {
    trust: trustList === undefined ? stored.trust : await readTrustListFile(trustList),
    trustAnchors: trustAnchors.length === 0 ? stored.trustAnchors : await Promise.all(trustAnchors.map(readTrustAnchorFile)),
  };
}

/** The scrypt cost for new profiles and backups: the library's strong default, or the test knob. */
export function scryptParamsFor(context: CliContext): { scryptParams?: ScryptParams } {
  const value = context.env[ENV.scrypt];
  if (value === undefined || value === '') return {};
  if (value !== 'fast') throw new CliError('usage.scrypt', { fix: 'usage.hint', values: { env: ENV.scrypt } });
  context.err(context.i18n.t('warning.fast_scrypt', { env: ENV.scrypt }));
  return { scryptParams: FAST_SCRYPT };
}

/** The folder's store; for commands that need an existing wallet, a missing folder is an error rather than created. */
export async function openStore(context: CliContext, { create }: { create: boolean }): Promise<WalletStore> {
  if (!create) {
    const exists = await stat(context.dir).then(
      (info) => info.isDirectory(),
      () => false,
    );
    if (!exists) {
      throw new CliError('input.no_wallet_folder', {
        fix: 'fix.no_wallet_folder',
        values: { dir: context.dir },
        exitCode: EXIT.wallet,
      });
    }
  }
  return createFileWalletStore({ directory: context.dir });
}

/** Whether the profile exists in the store. */
export async function hasProfile(store: WalletStore, profile: string): Promise<boolean> {
  return (await listProfiles(store)).includes(profile);
}

/**
 * Opens the profile with its passphrase (asked only once the profile is known to exist), runs
 * `task`, then locks the wallet and closes the store whatever happens.
 */
export async function withWallet<T>(context: CliContext, task: (wallet: Wallet) => Promise<T>): Promise<T> {
  const store = await openStore(context, { create: false });
  try {
    const { profile } = context.options;
    if (!(await hasProfile(store, profile))) fail('profile_not_found', `There is no profile ${profile}`);
    const passphrase = await walletPassphrase(context);
    const wallet = await openProfile({ store, profile, passphrase, scrypt: nodeScrypt });
    try {
      return await task(wallet);
    } finally {
      wallet.lock();
    }
  } finally {
    await store.close();
  }
}

function parseTrust(value: unknown): ReceiveTrust | undefined {
  if (!isRecord(value) || !Array.isArray(value.issuers)) return undefined;
  const issuers: { id: string; credentialTypes?: string[]; x509TrustAnchors?: string[] }[] = [];
  for (const entry of value.issuers) {
    if (!isRecord(entry) || typeof entry.id !== 'string' || entry.id === '') return undefined;
    const types = entry.credentialTypes;
    if (types !== undefined && (!Array.isArray(types) || !types.every((type) => typeof type === 'string'))) return undefined;
    const anchors = entry.x509TrustAnchors;
    if (anchors !== undefined && (!Array.isArray(anchors) || !anchors.every((pem) => typeof pem === 'string' && isPem(pem)))) {
      return undefined;
    }
    issuers.push({
      id: entry.id,
      ...(types === undefined ? {} : { credentialTypes: types as string[] }),
      ...(anchors === undefined ? {} : { x509TrustAnchors: anchors as string[] }),
    });
  }
  const accept = value.acceptUnknownIssuers;
  if (accept !== undefined && typeof accept !== 'boolean') return undefined;
  return { issuers, ...(accept === true ? { acceptUnknownIssuers: true } : {}) };
}

function isPem(text: string): boolean {
  return /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
