/**
 * A small time-budget harness: warm up, then call the function back to back for a fixed time and
 * count completed calls. Calls run one after another (latency-bound, like one request at a time),
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

/** Measures `fn` within the budget and returns its rate. */
export async function measure(label: string, fn: () => unknown, options: MeasureOptions): Promise<Measurement> {
  await runFor(fn, options.warmupMs);
  const rates: number[] = [];
  let iterations = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const end = start + options.budgetMs;
  while (performance.now() < end) {
    const sliceStart = performance.now();
    const n = await runFor(fn, Math.min(SLICE_MS, Math.max(0, end - sliceStart)));
    rates.push(n / ((performance.now() - sliceStart) / 1000));
    iterations += n;
  }
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return {
    label,
    opsPerSec: iterations / (elapsedMs / 1000),
    meanMs: elapsedMs / iterations,
    cpuMsPerOp: (cpu.user + cpu.system) / 1000 / iterations,
    spreadPercent: spread(rates),
    iterations,
  };
}

function spread(rates: readonly number[]): number {
  if (rates.length < 2) return 0;
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  const variance = rates.reduce((a, b) => a + (b - mean) ** 2, 0) / (rates.length - 1);
  return (Math.sqrt(variance) / mean) * 100;
}
