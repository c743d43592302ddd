/** Number formats and the plain-text table the bench prints. */

export function formatOps(opsPerSec: number): string {
  return opsPerSec >= 100 ? Math.round(opsPerSec).toLocaleString('en-US') : opsPerSec.toFixed(1);
}

export function formatMs(ms: number): string {
  return ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}

export function formatMicros(micros: number): string {
  if (micros >= 100) return Math.round(micros).toLocaleString('en-US');
  return micros >= 1 ? micros.toFixed(1) : micros.toFixed(3);
}

export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(ratio >= 1 ? 1 : 2)}×`;
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function table(cells: string[][]): string {
  const widths = (cells[0] as string[]).map((_, column) => Math.max(...cells.map((r) => (r[column] as string).length)));
  const render = (r: string[]): string =>
    r
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0] as number) : cell.padStart(widths[column] as number)))
      .join('  ');
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [render(cells[0] as string[]), rule, ...cells.slice(1).map(render)].join('\n');
}
