import { parseArgs } from 'node:util';
import { createTranslator, isTesseraError, type Translator } from '@tessera/shared';
import { CliError, Interrupted } from './cli-error.ts';
import { type CliContext, type CliOptions, ENV, type Environment } from './context.ts';
import { cleanText } from './display.ts';
import { explainErrorCode } from './error-explanations.ts';
import { EXIT, EXIT_CODES } from './exit-codes.ts';
import { CLI_CATALOGS, type CliMessageKey } from './messages.ts';
import type { Prompter } from './terminal.ts';
import { DEFAULT_FOLDER, walletFolder } from './wallet-folder.ts';

/** What a run reads and writes; the entry point wires it to the process. */
export interface CliIo {
  readonly env: Environment;
  /** One line on standard output. */
  readonly out: (line: string) => void;
  /** One line on standard error. */
  readonly err: (line: string) => void;
  readonly prompter: Prompter;
}

type CommandName = 'init' | 'receive' | 'list' | 'show' | 'present' | 'history' | 'export' | 'import';
type OptionName = keyof typeof OPTIONS;

interface CommandSpec {
  /** The positional argument's placeholder, when the command takes one. */
  readonly argument?: string;
  /** Options of this command besides the global ones. */
  readonly options: readonly OptionName[];
  /** The full synopsis, for usage errors. */
  readonly synopsis: string;
}

const OPTIONS = {
  dir: { type: 'string', placeholder: '<folder>' },
  profile: { type: 'string', placeholder: '<name>' },
  lang: { type: 'string', placeholder: '<language>' },
  'passphrase-file': { type: 'string', placeholder: '<file>' },
  json: { type: 'boolean' },
  pin: { type: 'string', placeholder: '<pin>' },
  'trust-list': { type: 'string', placeholder: '<file>' },
  'trust-anchor': { type: 'string', multiple: true, placeholder: '<pem file>' },
  yes: { type: 'boolean' },
  no: { type: 'boolean' },
  with: { type: 'string', multiple: true, placeholder: '<claim>' },
  'backup-passphrase-file': { type: 'string', placeholder: '<file>' },
  'allow-insecure-localhost': { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Options every command takes. */
const GLOBAL_OPTIONS: readonly OptionName[] = [
  'dir',
  'profile',
  'lang',
  'passphrase-file',
  'allow-insecure-localhost',
  'debug',
  'help',
];

const COMMANDS: Readonly<Record<CommandName, CommandSpec>> = {
  init: { options: ['trust-list', 'trust-anchor'], synopsis: 'init [--trust-list <file>] [--trust-anchor <pem file>]…' },
  receive: {
    argument: '<offer-link>',
    options: ['pin', 'trust-list'],
    synopsis: 'receive <offer-link> [--pin <pin>] [--trust-list <file>]',
  },
  list: { options: ['json'], synopsis: 'list [--json]' },
  show: { argument: '<id>', options: ['json'], synopsis: 'show <id> [--json]' },
  present: {
    argument: '<request-link>',
    options: ['yes', 'no', 'with', 'trust-anchor'],
    synopsis: 'present <request-link> [--yes | --no] [--with <claim>]… [--trust-anchor <pem file>]…',
  },
  history: { options: ['json'], synopsis: 'history [--json]' },
  export: {
    argument: '<file>',
    options: ['backup-passphrase-file'],
    synopsis: 'export <file> [--backup-passphrase-file <file>]',
  },
  import: {
    argument: '<file>',
    options: ['backup-passphrase-file', 'trust-list', 'trust-anchor'],
    synopsis: 'import <file> [--backup-passphrase-file <file>] [--trust-list <file>] [--trust-anchor <pem file>]…',
  },
};

/** Help texts of the options, in the order `--help` lists them. */
const OPTION_HELP: readonly [OptionName, CliMessageKey][] = [
  ['dir', 'help.option.dir'],
  ['profile', 'help.option.profile'],
  ['lang', 'help.option.lang'],
  ['passphrase-file', 'help.option.passphrase_file'],
  ['json', 'help.option.json'],
  ['pin', 'help.option.pin'],
  ['trust-list', 'help.option.trust_list'],
  ['trust-anchor', 'help.option.trust_anchor'],
  ['yes', 'help.option.yes'],
  ['no', 'help.option.no'],
  ['with', 'help.option.with'],
  ['backup-passphrase-file', 'help.option.backup_passphrase_file'],
  ['allow-insecure-localhost', 'help.option.allow_insecure_localhost'],
  ['debug', 'help.option.debug'],
  ['help', 'help.option.help'],
];

const DEFAULT_PROFILE = 'default';
const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;

/**
 * Runs one `tessera-wallet` command and returns its exit code (see `EXIT`). Every failure the
 * holder can act on is printed as a localised reason and next step, without a stack trace
 * (`--debug` adds the technical details); nothing printed holds a claim value except `show`'s
 * own output.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    const i18n = translator(languagesFromEnvironment(io.env));
    io.err(`tessera-wallet: ${parseProblem(i18n, error)}`);
    io.err(i18n.t('usage.hint'));
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  let languages: string[];
  try {
    languages = values.lang === undefined ? languagesFromEnvironment(io.env) : languagesFromOption(values.lang);
  } catch (error) {
    return report(error, translator(languagesFromEnvironment(io.env)), io, values.debug === true, {});
  }
  const i18n = translator(languages);
  if (values.help === true) {
    io.out(usage(i18n));
    return EXIT.ok;
  }
  const dir = walletFolder(values.dir, io.env);
  const profile = values.profile ?? DEFAULT_PROFILE;
  const debug = values.debug === true;
  try {
    const [name, ...rest] = positionals;
    if (name === undefined) throw new CliError('usage.no_command', { fix: 'usage.hint' });
    if (!Object.hasOwn(COMMANDS, name)) {
      throw new CliError('usage.unknown_command', { fix: 'usage.hint', values: { command: cleanText(name, 40) } });
    }
    const command = name as CommandName;
    const spec = COMMANDS[command];
    if (rest.length !== (spec.argument === undefined ? 0 : 1)) {
      throw new CliError('usage.synopsis', { fix: 'usage.hint', values: { synopsis: spec.synopsis } });
    }
    for (const option of Object.keys(values) as OptionName[]) {
      if (!GLOBAL_OPTIONS.includes(option) && !spec.options.includes(option)) {
        throw new CliError('usage.option_not_for_command', { fix: 'usage.hint', values: { option: `--${option}`, command } });
      }
    }
    if (values.yes === true && values.no === true) throw new CliError('usage.yes_and_no', { fix: 'usage.hint' });
    if (values.no === true && (values.with?.length ?? 0) > 0) throw new CliError('usage.with_and_no', { fix: 'usage.hint' });
    const options: CliOptions = {
      ...(values.dir === undefined ? {} : { dir: values.dir }),
      profile,
      ...(values['passphrase-file'] === undefined ? {} : { passphraseFile: values['passphrase-file'] }),
      ...(values['backup-passphrase-file'] === undefined ? {} : { backupPassphraseFile: values['backup-passphrase-file'] }),
      ...(values.pin === undefined ? {} : { pin: values.pin }),
      ...(values['trust-list'] === undefined ? {} : { trustList: values['trust-list'] }),
      trustAnchors: values['trust-anchor'] ?? [],
      with: values.with ?? [],
      json: values.json === true,
      yes: values.yes === true,
      no: values.no === true,
      allowInsecureLocalhost: values['allow-insecure-localhost'] === true,
    };
    const context: CliContext = {
      options,
      env: io.env,
      dir,
      languages,
      i18n,
      prompter: io.prompter,
      out: (line = '') => io.out(line),
      err: (line) => io.err(line),
    };
    const argument = rest[0] as string;
    // Commands load on demand: --help and usage errors answer without loading the wallet.
    switch (command) {
      case 'init':
        await (await import('./init-command.ts')).initCommand(context);
        return EXIT.ok;
      case 'receive':
        await (await import('./receive-command.ts')).receiveCommand(context, argument);
        return EXIT.ok;
      case 'list':
        await (await import('./list-command.ts')).listCommand(context);
        return EXIT.ok;
      case 'show':
        await (await import('./list-command.ts')).showCommand(context, argument);
        return EXIT.ok;
      case 'present':
        return await (await import('./present-command.ts')).presentCommand(context, argument);
      case 'history':
        await (await import('./history-command.ts')).historyCommand(context);
        return EXIT.ok;
      case 'export':
        await (await import('./backup-command.ts')).exportCommand(context, argument);
        return EXIT.ok;
      case 'import':
        await (await import('./backup-command.ts')).importCommand(context, argument);
        return EXIT.ok;
    }
  } catch (error) {
    return report(error, i18n, io, debug, { profile, dir });
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
}

/** The localised `--help`: commands, options, where passphrases come from, and the exit codes. */
export function usage(i18n: Translator<CliMessageKey>): string {
  const { t } = i18n;
  const column = (left: string, right: string, width: number): string => `  ${left.padEnd(width)}  ${right}`;
  const lines = [t('help.usage'), t('help.intro'), '', t('help.commands')];
  for (const [name, spec] of Object.entries(COMMANDS)) {
    lines.push(
      column(`${name}${spec.argument === undefined ? '' : ` ${spec.argument}`}`, t(`help.command.${name as CommandName}`), 22),
    );
  }
  lines.push('', t('help.options'));
  for (const [name, key] of OPTION_HELP) {
    const option = OPTIONS[name];
    const left = `${'short' in option ? `-${option.short}, ` : ''}--${name}${'placeholder' in option ? ` ${option.placeholder}` : ''}`;
    lines.push(
      column(
        left,
        t(key, { env: name === 'dir' ? ENV.dir : 'LANG', default: name === 'dir' ? `~/${DEFAULT_FOLDER}` : DEFAULT_PROFILE }),
        32,
      ),
    );
  }
  lines.push('', t('help.passphrase', { env: ENV.passphrase, backupEnv: ENV.backupPassphrase }), '', t('help.exit_codes'));
  for (const code of EXIT_CODES) lines.push(column(String(code), t(`help.exit.${code}`), 3));
  return lines.join('\n');
}

/** Prints the reason, the next step and (with `--debug`) the technical details; returns the exit code. */
function report(
  error: unknown,
  i18n: Translator<CliMessageKey>,
  io: CliIo,
  debug: boolean,
  where: { profile?: string; dir?: string },
): number {
  const { t } = i18n;
  let code: number;
  if (error instanceof CliError) {
    io.err(`tessera-wallet: ${t(error.reason, error.values)}`);
    if (error.fix !== undefined) io.err(t(error.fix, error.values));
    code = error.exitCode;
  } else if (error instanceof Interrupted) {
    io.err(`tessera-wallet: ${t('error.interrupted')}`);
    code = EXIT.interrupted;
  } else if (isTesseraError(error)) {
    const explained = explainErrorCode(error.code);
    const values = { profile: where.profile ?? '', dir: where.dir ?? '' };
    io.err(`tessera-wallet: ${t(explained.reason, values)}`);
    io.err(t(explained.fix, values));
    // The library's own words help with the other side's refusals (a PIN's attempts left, the
    // issuer's reason); about the wallet itself they add nothing. They never hold claim values.
    if (explained.exitCode !== EXIT.wallet)
      io.err(t('error.details', { code: error.code, message: cleanText(error.message, 300) }));
    code = explained.exitCode;
  } else {
    io.err(`tessera-wallet: ${t('error.unexpected')}`);
    io.err(t('fix.unexpected'));
    code = EXIT.bug;
  }
  if (debug) for (const line of technicalDetails(error)) io.err(line);
  return code;
}

/** The error and its causes with their stacks, for `--debug`. */
function technicalDetails(error: unknown): string[] {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    lines.push(
      depth === 0 ? '' : 'Caused by:',
      current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current),
    );
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines;
}

/** node:util's parse errors, in the holder's language where their kind is known. */
function parseProblem(i18n: Translator<CliMessageKey>, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-{1,2}[^'\s]*)/.exec(message)?.[1] ?? '';
  const code = (error as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return i18n.t('usage.unknown_option', { option: cleanText(option, 40) });
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return i18n.t('usage.option_value', { option: cleanText(option, 40) });
  return i18n.t('usage.bad_arguments', { detail: cleanText(message, 200) });
}

function translator(languages: readonly string[]): Translator<CliMessageKey> {
  return createTranslator(CLI_CATALOGS, languages);
}

function languagesFromOption(value: string): string[] {
  const tags = value.split(',').map((tag) => tag.trim());
  for (const tag of tags) {
    if (!LANGUAGE_TAG.test(tag)) throw new CliError('usage.lang', { fix: 'usage.hint', values: { value: cleanText(value, 40) } });
  }
  return tags;
}

/**
 * The locale of the environment as POSIX orders it (LC_ALL, then LC_MESSAGES, then LANG):
 * `ar_SY.UTF-8` → `ar-SY`. `C` and `POSIX` name no language.
 */
export function languagesFromEnvironment(env: Environment): string[] {
  const value = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((candidate) => candidate !== undefined && candidate !== '');
  if (value === undefined) return [];
  const tag = value.replace(/[.@].*$/, '').replace(/_/g, '-');
  return tag === 'C' || tag === 'POSIX' || !LANGUAGE_TAG.test(tag) ? [] : [tag];
}
