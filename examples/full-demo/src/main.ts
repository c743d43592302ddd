/**
 * `npx -y pnpm@10.34.9 start`: the full Tessera demo on localhost (issuer, service desk, wallet
 * app). Flags: `--data <folder>` (default `.tessera-demo` in the current folder), `--port <n>`
 * (default: the port the data folder was made with, else 8080; issuer n, desk n+1, wallet n+2), `--check` (start, check every page answers, stop:
 * what CI runs). Ctrl-C stops everything cleanly.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkDemo } from './check-demo.ts';
import { demoGuide } from './guide.ts';
import { startDemo } from './start-demo.ts';

const USAGE = 'Usage: start [--data <folder>] [--port <first port>] [--check]';

async function main(): Promise<number> {
  let values: { data?: string | undefined; port?: string | undefined; check?: boolean | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      options: {
        data: { type: 'string' },
        port: { type: 'string' },
        check: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    console.log(USAGE);
    return 0;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65533)) {
    console.error(`--port must be a port number up to 65533 (three ports are used from it; 0 takes any free ones).\n${USAGE}`);
    return 2;
  }
  console.log('Starting Tessera (issuer, service desk, wallet app)…');
  // pnpm runs the script in this example's folder; INIT_CWD is where the user typed the command.
  const dataDir = resolve(process.env.INIT_CWD ?? process.cwd(), values.data ?? '.tessera-demo');
  const demo = await startDemo({ dataDir, ...(port === undefined ? {} : { port }) });
  if (values.check === true) {
    try {
      for (const line of await checkDemo(demo)) console.log(line);
      return 0;
    } finally {
      await demo.stop();
    }
  }
  const stopped = new Promise<void>((resolve) => {
    let signals = 0;
    const stop = (): void => {
      signals += 1;
      if (signals > 1) {
        // A second Ctrl-C while stopping: the user wants out now.
        console.log('Forced stop.');
        process.exit(130);
      }
      console.log('\nStopping…');
      demo.stop().then(resolve, (error: unknown) => {
        console.error(error);
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  // The guide last: once it says "Ctrl-C", Ctrl-C must work.
  for (const line of demoGuide(demo)) console.log(line);
  await stopped;
  console.log('Stopped.');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`The demo could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
