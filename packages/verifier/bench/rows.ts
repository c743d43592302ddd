/**
 * The row names of the verifier suites, which `--only <prefix>` selects by prefix; kept apart
 * from run.ts so scripts/bench/run.ts can pick the suites to start without running any.
 */
export const VERIFIER_BENCH_ROWS: readonly string[] = [
  'issue',
  'present',
  'verify',
  'verify, new holder',
  'verify, warm status',
  'status-list',
  'status-list (web inflate)',
  'dcql parse',
  'dcql match',
  'dcql check',
  'issuer http (PGlite)',
  'issuer http (PostgreSQL)',
];
