/**
 * The bench harness every suite of `pnpm bench` uses (the verifier's in packages/verifier/bench,
 * the wallet's in packages/wallet/bench). Two ways to time:
 * - `measureInterleaved`, a time budget: warm up, then call each function back to back in
 *   fixed-length slices and count completed calls. Calls run one after another (latency-bound,
 *   like one request at a time), and a synchronous function is never awaited, so the raw
 *   node:crypto baseline carries no promise overhead.
 * - `sampleLatency`, a fixed number of timed calls, for operations that take tens of milliseconds
 *   or more (a wallet unlock, a whole presentation), reported as median and p95.
 */

export interface Measurement {
  label: string;
  /** Completed calls per second over the whole timed budget. */
  opsPerSec: number;
  /** Mean time of one call, in milliseconds. */
  meanMs: number;
  /**
   * Mean CPU time of one call (user + system, all threads), in milliseconds. Unlike `meanMs` it
   * hardly moves when other processes compete for the cores.
   */
  cpuMsPerOp: number;
  /** Relative spread of the per-slice rates (standard deviation ÷ mean), in percent. */
  spreadPercent: number;
  iterations: number;
}

export interface MeasureOptions {
  /** Timed budget in milliseconds. */
  budgetMs: number;
  /** Warm-up in milliseconds, so the JIT has compiled the hot paths before timing starts. */
  warmupMs: number;
}

/** The timed budget is cut into slices this long to estimate the spread of the rate. */
const SLICE_MS = 100;

/** Calls `fn` until `ms` have passed; returns the number of calls. */
async function runFor(fn: () => unknown, ms: number): Promise<number> {
  const end = performance.now() + ms;
  let n = 0;
  do {
    const result = fn();
    if (result instanceof Promise) await result;
    n++;
  } while (performance.now() < end);
  return n;
}

export interface Case {
  label: string;
  fn: () => unknown;
}

/**
 * Measures several cases that are compared with each other (a library, its peer, the raw limit)
 * in alternating slices rather than one after another, so that drift in the machine's speed (other
 * processes, thermal or frequency changes) falls on all of them alike and not on whichever ran
 * last. Each case gets `budgetMs` of timed slices in all.
 */
export async function measureInterleaved(cases: readonly Case[], options: MeasureOptions): Promise<Measurement[]> {
  for (const { fn } of cases) await runFor(fn, options.warmupMs);
  const state = cases.map(() => ({ rates: [] as number[], iterations: 0, elapsedMs: 0, cpuMicros: 0 }));
  const rounds = Math.max(1, Math.round(options.budgetMs / SLICE_MS));
  for (let round = 0; round < rounds; round++) {
    // Alternate the order so no case always follows the same neighbour.
    const order = cases.map((_, index) => index);
    if (round % 2 === 1) order.reverse();
    for (const index of order) {
      const entry = state[index] as (typeof state)[number];
      const cpuStart = process.cpuUsage();
      const sliceStart = performance.now();
      const n = await runFor((cases[index] as Case).fn, SLICE_MS);
      const sliceMs = performance.now() - sliceStart;
      const cpu = process.cpuUsage(cpuStart);
      entry.rates.push(n / (sliceMs / 1000));
      entry.iterations += n;
      entry.elapsedMs += sliceMs;
      entry.cpuMicros += cpu.user + cpu.system;
    }
  }
  return cases.map(({ label }, index) => {
    const { rates, iterations, elapsedMs, cpuMicros } = state[index] as (typeof state)[number];
    return {
      label,
      opsPerSec: iterations / (elapsedMs / 1000),
      meanMs: elapsedMs / iterations,
      cpuMsPerOp: cpuMicros / 1000 / iterations,
      spreadPercent: spread(rates),
      iterations,
    };
  });
}

function spread(rates: readonly number[]): number {
  if (rates.length < 2) return 0;
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  const variance = rates.reduce((a, b) => a + (b - mean) ** 2, 0) / (rates.length - 1);
  return (Math.sqrt(variance) / mean) * 100;
}

/** A latency distribution from `sampleLatency`. */
export interface LatencySample {
  label: string;
  samples: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
  meanMs: number;
  /** Mean CPU time of one call (user + system, all threads), in milliseconds. */
  cpuMsPerOp: number;
}

/** The value at quantile `q` (0…1) of ascending `sorted` values (nearest rank). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/**
 * Calls `fn` `warmup` times untimed, then `samples` times one after another, timing each call.
 * `setup`, when given, runs untimed before every call and hands `fn` its input (a fresh request
 * link, a freshly unlocked wallet), so only the work after it is measured.
 */
export async function sampleLatency<T = undefined>(
  label: string,
  fn: (input: T) => unknown,
  { samples, warmup = 1, setup }: { samples: number; warmup?: number; setup?: () => T | Promise<T> },
): Promise<LatencySample> {
  if (!Number.isSafeInteger(samples) || samples < 1) throw new TypeError('samples must be a positive integer');
  const prepare = async (): Promise<T> => (setup === undefined ? (undefined as T) : await setup());
  for (let i = 0; i < warmup; i++) await fn(await prepare());
  const times: number[] = [];
  let cpuMicros = 0;
  for (let i = 0; i < samples; i++) {
    const input = await prepare();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    await fn(input);
    times.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    cpuMicros += cpu.user + cpu.system;
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    label,
    samples,
    medianMs: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    minMs: sorted[0] as number,
    maxMs: sorted[sorted.length - 1] as number,
    meanMs: times.reduce((a, b) => a + b, 0) / samples,
    cpuMsPerOp: cpuMicros / 1000 / samples,
  };
}
