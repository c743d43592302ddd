/**
 * A small time-budget harness: warm up, then call each function back to back in fixed-length
 * slices and count completed calls. Calls run one after another (latency-bound, like one request at a time),
 * and a synchronous function is never awaited, so the raw node:crypto baseline carries no
 * promise overhead.
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
