/**
 * Entry point of the `tessera-wallet` command (bin/tessera-wallet.mjs loads it through tsx). The
 * only module that touches `process`: arguments, environment, standard streams and the exit code.
 */
import { runCli } from './run-cli.ts';
import { nodePrompter } from './terminal.ts';

const prompter = nodePrompter(process.stdin, process.stderr);
const code = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  prompter,
});
prompter.close();
process.exitCode = code;
// Idle keep-alive connections to the issuer or verifier must not hold the holder's terminal;
// the timer does not keep the process alive itself, so a quiet exit comes first.
setTimeout(() => process.exit(code), 200).unref();
