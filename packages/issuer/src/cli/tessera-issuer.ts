/**
 * Entry point of the `tessera-issuer` command (bin/tessera-issuer.mjs loads it through tsx). The
 * only module that touches `process`: arguments, environment, output, signals and the exit code.
 */
import { runCli } from './run-cli.ts';

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  onStarted: (service) => {
    const shutdown = (signal: NodeJS.Signals) => {
      process.stdout.write(`Received ${signal}; shutting down…\n`);
      service.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`tessera-issuer: shutdown failed: ${error instanceof Error ? error.message : 'unknown error'}\n`);
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  },
});
// `start` keeps the process alive through its server; every other command ends here.
process.exitCode = code;
