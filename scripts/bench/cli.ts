/**
 * The command line every bench suite shares: `[--json] [--budget-ms=N] [--only <row prefix>]`,
 * and the machine line each report ends with.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';

export interface BenchArgs {
  /** One JSON document on stdout instead of tables. */
  asJson: boolean;
  /** Timed budget per case of `measureInterleaved`, in milliseconds (default 1500). */
  budgetMs: number;
  /** The lower-cased row prefix of `--only`, if given. */
  only: string | undefined;
  /** True when the filter selects any of `rowNames` (or there is no filter). */
  wanted(...rowNames: string[]): boolean;
}

/** Parses the shared options; anything malformed is a `TypeError`. */
export function parseBenchArgs(args: readonly string[]): BenchArgs {
  const budgetArg = args.find((arg) => arg.startsWith('--budget-ms='));
  const budgetMs = budgetArg === undefined ? 1500 : Number(budgetArg.slice('--budget-ms='.length));
  if (!Number.isFinite(budgetMs) || budgetMs <= 0) throw new TypeError('--budget-ms must be a positive number');
  const onlyFlag = args.indexOf('--only');
  const onlyArg = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  const only = (onlyArg ?? (onlyFlag >= 0 ? args[onlyFlag + 1] : undefined))?.toLowerCase();
  if ((onlyFlag >= 0 || onlyArg !== undefined) && (only === undefined || only === '' || only.startsWith('--'))) {
    throw new TypeError('--only needs a row prefix');
  }
  return {
    asJson: args.includes('--json'),
    budgetMs,
    only,
    wanted: (...rowNames) => only === undefined || rowNames.some((name) => name.toLowerCase().startsWith(only)),
  };
}

export interface Machine {
  node: string;
  cpu: string;
  cores: number;
  platform: string;
  /** The 1-minute load average when the suite started: other work on the cores skews wall-clock times. */
  loadAverage: number;
}

/** What the numbers were measured on. */
export function machine(): Machine {
  return {
    node: process.version,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    platform: `${process.platform} ${process.arch}`,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** The closing line of a text report. */
export function machineLine(m: Machine): string {
  return `Node ${m.node} · ${m.cpu} · ${m.cores} cores · ${m.platform} · load average ${m.loadAverage.toFixed(2)} at start`;
}
