/**
 * The wallet suites of `pnpm bench [--json] [--budget-ms=1500] [--only <row prefix>]` (run by
 * scripts/bench/run.ts in a process of their own; `tsx packages/wallet/bench/run.ts` runs them
 * alone; `--only wallet` picks them from `pnpm bench`). Rows (see rows.ts):
 * - wallet unlock (N credentials): `openProfile` with the passphrase, scrypt N=2^17 (open-match.ts);
 * - wallet open + dcql match (N credentials): unlocked wallet → DCQL match result, for 1,000 and
 *   10,000 stored SD-JWT VCs; target < 50 ms for 1,000 (issue 5 §3; open-match.ts);
 * - wallet present (N credentials): link → verifier's answer against the real verifier on
 *   127.0.0.1, with the verifier's share (present-latency.ts).
 * Wallets are seeded in a temp folder before any timing (seed.ts) and deleted at the end. Sample
 * counts scale with `--budget-ms` (1500 gives the counts below). Progress goes to stderr, the tables
 * (or one JSON document) to stdout.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine as machineInfo, machineLine, parseBenchArgs } from '../../../scripts/bench/cli.ts';
import type { LatencySample } from '../../../scripts/bench/harness.ts';
import { formatMs, table } from '../../../scripts/bench/report.ts';
import { measureOpenMatch, measureScrypt, type OpenMatchResult } from './open-match.ts';
import { type PresentLatencyResult, startPresentBench } from './present-latency.ts';
import { WALLET_BENCH_ROWS } from './rows.ts';
import { benchIssuer, type SeededWallet, seedWallet } from './seed.ts';

const { asJson, budgetMs, only, wanted } = parseBenchArgs(process.argv.slice(2));
const scale = (samples: number, minimum: number): number => Math.max(minimum, Math.round((samples * budgetMs) / 1500));
const SAMPLES = {
  unlock: scale(5, 3),
  scrypt: scale(3, 2),
  match: { 1000: scale(30, 5), 10000: scale(10, 3) } as Record<number, number>,
  present: { 3: scale(30, 5), 1000: scale(10, 3) } as Record<number, number>,
};
const OPEN_SIZES = [1000, 10_000] as const;
const PRESENT_SIZES = [3, 1000] as const;
const TARGET_MS = 50;

const count = (n: number): string => `${n.toLocaleString('en-US')} credential${n === 1 ? '' : 's'}`;
const unlockRow = (n: number): string => `wallet unlock (${count(n)})`;
const matchRow = (n: number): string => `wallet open + dcql match (${count(n)})`;
const presentRow = (n: number): string => `wallet present (${count(n)})`;
for (const name of [...OPEN_SIZES.flatMap((n) => [unlockRow(n), matchRow(n)]), ...PRESENT_SIZES.map(presentRow)]) {
  if (!WALLET_BENCH_ROWS.includes(name)) throw new Error(`rows.ts lacks the row ${name}`);
}
const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const openSizes = OPEN_SIZES.filter((n) => wanted(unlockRow(n), matchRow(n)));
const presentSizes = PRESENT_SIZES.filter((n) => wanted(presentRow(n)));
if (openSizes.length === 0 && presentSizes.length === 0) {
  throw new TypeError(`--only ${only} matches no row; rows: ${WALLET_BENCH_ROWS.join(', ')}`);
}

const directory = await mkdtemp(join(tmpdir(), 'tessera-wallet-bench-'));
const issuer = benchIssuer();
const seeded = new Map<number, SeededWallet>();
const seed = async (n: number): Promise<SeededWallet> => {
  let wallet = seeded.get(n);
  if (wallet === undefined) {
    progress(`Seeding a wallet with ${count(n)}…`);
    wallet = await seedWallet(join(directory, `n${n}`), `holder-${n}`, n, issuer);
    progress(`  ${formatMs(wallet.seedMs / 1000)} s, wallet file ${(wallet.fileBytes / 1e6).toFixed(1)} MB`);
    seeded.set(n, wallet);
  }
  return wallet;
};

const openMatch: OpenMatchResult[] = [];
const present: PresentLatencyResult[] = [];
let scrypt: LatencySample | undefined;
try {
  if (openSizes.some((n) => wanted(unlockRow(n)))) {
    progress(`scrypt N=2^17 r=8 p=1 alone (node:crypto), ${SAMPLES.scrypt} samples…`);
    scrypt = await measureScrypt(SAMPLES.scrypt);
  }
  for (const n of openSizes) {
    const wallet = await seed(n);
    progress(`${matchRow(n)}: unlock ×${SAMPLES.unlock}, match ×${SAMPLES.match[n]}…`);
    const result = await measureOpenMatch(wallet, { unlockSamples: SAMPLES.unlock, matchSamples: SAMPLES.match[n] as number });
    progress(
      `  unlock ${formatMs(result.unlock.medianMs)} ms, first match ${formatMs(result.firstMatchMs)} ms, ` +
        `match ${formatMs(result.match.medianMs)} ms (p95 ${formatMs(result.match.p95Ms)})`,
    );
    openMatch.push(result);
    if (!presentSizes.includes(n as (typeof PRESENT_SIZES)[number])) {
      // Its parsed file (100 MB at 10,000) would otherwise stay in memory through the next cases.
      await wallet.store.close();
      seeded.delete(n);
    }
  }
  if (presentSizes.length > 0) {
    const bench = await startPresentBench(issuer.did);
    try {
      for (const n of presentSizes) {
        const wallet = await seed(n);
        progress(`${presentRow(n)}: ${SAMPLES.present[n]} presentations…`);
        const result = await bench.measure(wallet.wallet, n, SAMPLES.present[n] as number);
        progress(`  ${formatMs(result.total.medianMs)} ms (p95 ${formatMs(result.total.p95Ms)})`);
        present.push(result);
      }
    } finally {
      await bench.close();
    }
  }
} finally {
  for (const wallet of seeded.values()) await wallet.store.close();
  await rm(directory, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Report.
const machine = machineInfo();
const matchAt = openMatch.find((r) => r.credentials === 1000);
const targets =
  matchAt === undefined || !wanted(matchRow(1000))
    ? []
    : [
        {
          target: `open + DCQL match, 1,000 credentials, median < ${TARGET_MS} ms`,
          value: matchAt.match.medianMs,
          met: matchAt.match.medianMs < TARGET_MS,
        },
      ];

if (asJson) {
  const report = {
    machine,
    settings: { budgetMs, only: only ?? null, samples: SAMPLES },
    scrypt: scrypt ?? null,
    openMatch: openMatch.length === 0 ? null : openMatch,
    present: present.length === 0 ? null : present,
    targets,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const lines: string[] = [''];
  const ms = (value: number): string => formatMs(value);
  if (openMatch.length > 0) {
    lines.push(
      'Wallet on the file store: SD-JWT VCs (14 disclosures each, display data in 4 languages), each with its own holder key;',
      'ten types, one in ten a residence permit, which the query (2 claims) matches. Match = heldCredentials + presentedInstances',
      '+ matchDcqlQuery from a freshly unlocked wallet, as openRequest runs them; unlock = openProfile (scrypt N=2^17, r=8, p=1)',
      'on the open store (as after an auto-lock) and on a store made just before (as at app start, when the file is parsed).',
      table([
        ['case', 'wallet file', 'median ms', 'p95 ms', 'cpu ms/op', 'samples'],
        ...openMatch.flatMap((r) => [
          [
            unlockRow(r.credentials),
            `${(r.fileBytes / 1e6).toFixed(1)} MB`,
            ms(r.unlock.medianMs),
            ms(r.unlock.p95Ms),
            ms(r.unlock.cpuMsPerOp),
            String(r.unlock.samples),
          ],
          [
            '  the same at app start (file parsed)',
            '',
            ms(r.unlockAtStart.medianMs),
            ms(r.unlockAtStart.p95Ms),
            ms(r.unlockAtStart.cpuMsPerOp),
            String(r.unlockAtStart.samples),
          ],
          [
            matchRow(r.credentials),
            `${r.matching.toLocaleString('en-US')} match`,
            ms(r.match.medianMs),
            ms(r.match.p95Ms),
            ms(r.match.cpuMsPerOp),
            String(r.match.samples),
          ],
        ]),
      ]),
      ...(scrypt === undefined
        ? []
        : [
            `scrypt alone (node:crypto): median ${ms(scrypt.medianMs)} ms over ${scrypt.samples}: the bulk of unlocking, by design.`,
          ]),
      `First match after the credentials changed (every one decrypted and decoded, the view cache written): ${openMatch
        .map((r) => `${ms(r.firstMatchMs)} ms at ${count(r.credentials)}`)
        .join(', ')}.`,
      '',
    );
  }
  if (present.length > 0) {
    const d = (x: { medianMs: number; p95Ms: number }): string => `${ms(x.medianMs)} / ${ms(x.p95Ms)}`;
    lines.push(
      'Present: link → verifier answer against createVerifier + createVerifierRouter on 127.0.0.1 (x509_hash client, direct_post.jwt,',
      'did:jwk issuer, no status list); openRequest + respond (the 2 claims asked for, KB-JWT, commit). ms as median / p95.',
      table([
        ['case', 'link → answer', 'openRequest', 'respond', 'in verifier', 'wallet + HTTP', 'verifier share', 'samples'],
        ...present.map((r) => [
          presentRow(r.credentials),
          d(r.total),
          d(r.openRequest),
          d(r.respond),
          d(r.verifier),
          d(r.walletAndTransport),
          `${r.verifierSharePercent.toFixed(0)}%`,
          String(r.samples),
        ]),
      ]),
      '',
    );
  }
  for (const t of targets) lines.push(`${t.met ? '✓' : '✗'} ${t.target}: ${t.value.toFixed(1)} ms`);
  if (targets.length > 0) lines.push('');
  lines.push(machineLine(machine), '');
  process.stdout.write(lines.join('\n'));
}
