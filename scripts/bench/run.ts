/**
 * `pnpm bench [--json] [--budget-ms=1500] [--only <row prefix>]`: every bench suite, one after
 * another, each in a process of its own so that one suite's heap (the wallet's 10,000 stored
 * credentials, the verifier's caches) and JIT state cannot skew another's numbers:
 * - verifier (packages/verifier/bench/run.ts): SD-JWT VC, status list and DCQL against peers, and
 *   the issuer under HTTP load;
 * - wallet (packages/wallet/bench/run.ts): unlock, open + DCQL match over 1,000 and 10,000 stored
 *   credentials, and present latency against a real verifier.
 *
 * `--only <prefix>` starts only the suites with a row whose name starts with it (`--only wallet`,
 * `--only verify`) and hands the filter on. Progress goes to stderr, the tables to stdout; with
 * `--json`, stdout is one JSON document `{ "suites": { "<suite>": <that suite's document> } }`.
 * pnpm itself prints a `> tessera@ bench` banner on stdout: use `pnpm -s bench --json` for output
 * that is JSON and nothing else.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { VERIFIER_BENCH_ROWS } from '../../packages/verifier/bench/rows.ts';
import { WALLET_BENCH_ROWS } from '../../packages/wallet/bench/rows.ts';
import { parseBenchArgs } from './cli.ts';

interface Suite {
  name: string;
  script: string;
  rows: readonly string[];
}

const SUITES: readonly Suite[] = [
  { name: 'verifier', script: '../../packages/verifier/bench/run.ts', rows: VERIFIER_BENCH_ROWS },
  { name: 'wallet', script: '../../packages/wallet/bench/run.ts', rows: WALLET_BENCH_ROWS },
];

const args = process.argv.slice(2);
const { asJson, only, wanted } = parseBenchArgs(args);
const selected = SUITES.filter((suite) => wanted(...suite.rows));
if (selected.length === 0) {
  throw new TypeError(
    `--only ${only} matches no row; rows: ${SUITES.map((suite) => `${suite.name}: ${suite.rows.join(', ')}`).join('; ')}`,
  );
}

/**
 * Runs one suite under the same loader (tsx's flags in `execArgv`) with the same arguments;
 * resolves with its stdout when `--json` (otherwise stdout goes straight through).
 */
function runSuite(suite: Suite): Promise<string> {
  const script = fileURLToPath(new URL(suite.script, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
      stdio: ['ignore', asJson ? 'pipe' : 'inherit', 'inherit'],
    });
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`The ${suite.name} bench failed (${signal ?? `exit ${code}`})`));
    });
  });
}

const documents: Record<string, unknown> = {};
for (const suite of selected) {
  process.stderr.write(`\n=== ${suite.name} bench ===\n`);
  if (!asJson) process.stdout.write(`\n=== ${suite.name} ===\n`);
  const output = await runSuite(suite);
  if (asJson) documents[suite.name] = JSON.parse(output);
}
if (asJson) process.stdout.write(`${JSON.stringify({ suites: documents }, null, 2)}\n`);
