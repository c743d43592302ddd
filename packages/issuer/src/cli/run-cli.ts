import { parseArgs } from 'node:util';
import { CliError } from './cli-error.ts';
import { ENV, type Environment } from './environment.ts';
import type { RunningService } from './start-command.ts';

export const USAGE = `Usage: tessera-issuer <command> [options]

Commands:
  init                                 Write a configuration with two sample tenants, create the
                                       database, keys, development CA and one staff API key per tenant
  start                                Run the issuer service
  keys rotate <tenant>                 Give a did:web tenant a new current key
  keys create-api-key <tenant> <label> Create a staff API key (printed once)

Options:
  --config <file>    Configuration file (default: ./tessera-issuer.json)
  --port <n>         init: port to listen on and put in the base URL (default 8080)
                     start: override listen.port (0: any free port)
  --host <address>   Address to listen on (default 127.0.0.1)
  --base-url <url>   init: the public base URL (default http://localhost:<port>)
  -h, --help         Show this help

Environment:
  ${ENV.keySecret}     64 hex characters sealing the tenants' private keys (required;
                                init makes one when unset and prints it)
  ${ENV.databaseUrl}   postgres:// URL: use PostgreSQL (several processes may share it)
                                instead of PGlite in the data folder
  ${ENV.databaseSchema} PostgreSQL schema for the issuer's tables (optional)
`;

export interface CliIo {
  readonly env: Environment;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Called by `start` once listening, with the way to stop; the entry point wires it to signals. */
  readonly onStarted?: (service: RunningService) => void;
}

/**
 * Runs one `tessera-issuer` command; returns the exit code. Operator mistakes are printed as one
 * clear message (exit 1, or 2 for a usage error); anything else is a bug and prints its name and
 * message only. `start` returns 0 once listening: the process then lives until it is stopped.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(`tessera-issuer: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true || positionals.length === 0) {
    (positionals.length === 0 && values.help !== true ? io.err : io.out)(USAGE);
    return positionals.length === 0 && values.help !== true ? 2 : 0;
  }
  const configPath = values.config ?? 'tessera-issuer.json';
  try {
    const port = values.port === undefined ? undefined : portOf(values.port);
    const [command, sub, ...rest] = positionals;
    switch (command) {
      case 'init': {
        expectArguments(positionals, 1);
        // Commands load on demand: --help and usage errors answer without loading the service.
        const { initCommand } = await import('./init-command.ts');
        await initCommand(
          {
            configPath,
            host: values.host ?? '127.0.0.1',
            port: port ?? 8080,
            ...(values['base-url'] !== undefined ? { baseUrl: values['base-url'] } : {}),
          },
          io.env,
          io.out,
        );
        return 0;
      }
      case 'start': {
        expectArguments(positionals, 1);
        const { startCommand } = await import('./start-command.ts');
        await startCommand(
          {
            configPath,
            ...(port !== undefined ? { port } : {}),
            ...(values.host !== undefined ? { host: values.host } : {}),
            ...(io.onStarted !== undefined ? { onListening: io.onStarted } : {}),
          },
          io.env,
          io.out,
        );
        return 0;
      }
      case 'keys': {
        const { createApiKeyCommand, rotateCommand } = await import('./keys-command.ts');
        if (sub === 'rotate' && rest.length === 1) {
          await rotateCommand({ configPath, tenantId: rest[0] as string }, io.env, io.out);
          return 0;
        }
        if (sub === 'create-api-key' && rest.length === 2) {
          await createApiKeyCommand({ configPath, tenantId: rest[0] as string, label: rest[1] as string }, io.env, io.out);
          return 0;
        }
        throw new CliError('Usage: tessera-issuer keys rotate <tenant> | keys create-api-key <tenant> <label>', { exitCode: 2 });
      }
      default:
        throw new CliError(`Unknown command "${String(command).slice(0, 40)}". Run tessera-issuer --help.`, { exitCode: 2 });
    }
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`tessera-issuer: ${error.message}`);
      return error.exitCode;
    }
    // A TypeError from the service's own checks (e.g. a tenant created with another base URL) is
    // still the operator's to fix; its message says what is wrong and never holds secrets.
    io.err(`tessera-issuer: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unexpected failure'}`);
    return 1;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'base-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function portOf(value: string): number {
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65_535)
    throw new CliError(`--port must be 0 to 65535, not "${value.slice(0, 20)}"`, { exitCode: 2 });
  return port;
}

function expectArguments(positionals: readonly string[], count: number): void {
  if (positionals.length !== count) {
    throw new CliError(`"${positionals[0]}" takes no arguments besides options. Run tessera-issuer --help.`, { exitCode: 2 });
  }
}
