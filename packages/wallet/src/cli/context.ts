import type { MessageValues, Translator } from '@tessera/shared';
import type { CliMessageKey } from './messages.ts';
import type { Prompter } from './terminal.ts';

/** The environment variables, as read; the CLI reads only those named in `ENV`. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The environment variables the CLI reads; nothing else is taken from the environment but the locale. */
export const ENV = {
  /** The wallet folder when `--dir` is not given. */
  dir: 'TESSERA_WALLET_DIR',
  /** The wallet passphrase, for scripts (not on the command line, where `ps` would show it). */
  passphrase: 'TESSERA_WALLET_PASSPHRASE',
  /** The backup passphrase of `export` and `import`. */
  backupPassphrase: 'TESSERA_WALLET_BACKUP_PASSPHRASE',
  /** Tests only: `fast` makes new profiles and backups with the cheapest scrypt the vault accepts. */
  scrypt: 'TESSERA_WALLET_SCRYPT',
} as const;

/** The options of one run, after parsing. */
export interface CliOptions {
  readonly dir?: string;
  readonly profile: string;
  readonly passphraseFile?: string;
  readonly backupPassphraseFile?: string;
  readonly pin?: string;
  readonly trustList?: string;
  readonly trustAnchors: readonly string[];
  readonly with: readonly string[];
  readonly json: boolean;
  readonly yes: boolean;
  readonly no: boolean;
  readonly allowInsecureLocalhost: boolean;
}

/** What every command gets: its options, the holder's language, and where to read and write. */
export interface CliContext {
  readonly options: CliOptions;
  readonly env: Environment;
  /** The wallet folder, absolute. */
  readonly dir: string;
  /** The holder's languages, most preferred first (for the catalogs and the credentials' display data). */
  readonly languages: readonly string[];
  readonly i18n: Translator<CliMessageKey>;
  readonly prompter: Prompter;
  /** A line of results on standard output. */
  out(line?: string): void;
  /** A line on standard error (warnings). */
  err(line: string): void;
}

/** The message `key` in the holder's language. */
export function say(context: CliContext, key: CliMessageKey, values?: MessageValues): string {
  return context.i18n.t(key, values);
}
