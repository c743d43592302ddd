/**
 * The row names of the wallet suites, which `--only <prefix>` selects by prefix (`--only wallet`
 * runs them all); kept apart from run.ts so scripts/bench/run.ts can pick the suites to start
 * without running any.
 */
export const WALLET_BENCH_ROWS: readonly string[] = [
  'wallet unlock (1,000 credentials)',
  'wallet unlock (10,000 credentials)',
  'wallet open + dcql match (1,000 credentials)',
  'wallet open + dcql match (10,000 credentials)',
  'wallet present (3 credentials)',
  'wallet present (1,000 credentials)',
];
