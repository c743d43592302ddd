import { CliError } from './cli-error.ts';
import { type CliContext, ENV } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { readTextFile } from './files.ts';
import type { CliMessageKey } from './messages.ts';

/** The shortest passphrase `init`, `import` and `export` accept for a new wallet or backup. */
export const MIN_PASSPHRASE_LENGTH = 8;

interface SecretSource {
  /** `--passphrase-file` or `--backup-passphrase-file`. */
  readonly file: string | undefined;
  readonly option: string;
  readonly envName: string;
  readonly prompt: CliMessageKey;
}

/**
 * A secret from, in this order: the file option (its first line), the environment variable, a
 * hidden question on a terminal, or the next line of standard input. Never from the command line,
 * where other users of the machine could read it in the process list. `create` asks twice on a
 * terminal and enforces the minimum length.
 */
async function readSecret(context: CliContext, source: SecretSource, create: boolean): Promise<string> {
  const { prompter, env } = context;
  const t = context.i18n.t;
  let secret: string | undefined;
  if (source.file !== undefined) {
    secret = (await readTextFile(source.file, 64 * 1024)).split(/\r?\n/, 1)[0];
  } else if (env[source.envName] !== undefined && env[source.envName] !== '') {
    secret = env[source.envName];
  } else if (prompter.interactive) {
    secret = await prompter.askSecret(t(source.prompt, { min: MIN_PASSPHRASE_LENGTH }));
    if (secret !== undefined && create) {
      const again = await prompter.askSecret(t('prompt.repeat_passphrase'));
      if (again !== secret) throw new CliError('input.passphrase_mismatch', { fix: 'fix.passphrase_mismatch' });
    }
  } else {
    secret = await prompter.askSecret('');
  }
  if (secret === undefined || secret === '') {
    throw new CliError('input.no_secret', { fix: 'fix.no_secret', values: { env: source.envName, option: source.option } });
  }
  if (create && [...secret].length < MIN_PASSPHRASE_LENGTH) {
    throw new CliError('input.passphrase_short', { fix: 'fix.passphrase_short', values: { min: MIN_PASSPHRASE_LENGTH } });
  }
  return secret;
}

/** The wallet passphrase; `create` for a new profile (`init`, `import`). */
export function walletPassphrase(context: CliContext, { create = false }: { create?: boolean } = {}): Promise<string> {
  return readSecret(
    context,
    {
      file: context.options.passphraseFile,
      option: '--passphrase-file',
      envName: ENV.passphrase,
      prompt: create ? 'prompt.new_passphrase' : 'prompt.passphrase',
    },
    create,
  );
}

/** The backup passphrase; `create` for a new backup (`export`). */
export function backupPassphrase(context: CliContext, { create = false }: { create?: boolean } = {}): Promise<string> {
  return readSecret(
    context,
    {
      file: context.options.backupPassphraseFile,
      option: '--backup-passphrase-file',
      envName: ENV.backupPassphrase,
      prompt: create ? 'prompt.new_backup_passphrase' : 'prompt.backup_passphrase',
    },
    create,
  );
}

/** The PIN of an offer: asked visibly on a terminal (it is a one-time code), else the next input line. */
export async function askPin(context: CliContext): Promise<string> {
  const { prompter } = context;
  const question = context.i18n.t('prompt.pin');
  // Not echoed into the transcript of a scripted run.
  const pin = (prompter.interactive ? await prompter.ask(question) : await prompter.askSecret(question))?.trim();
  if (pin === undefined || pin === '') throw new CliError('input.no_pin', { fix: 'fix.no_pin', exitCode: EXIT.refused });
  return pin;
}
