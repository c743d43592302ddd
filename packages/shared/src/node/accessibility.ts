import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** One rule a page broke, as axe-core reports it (the parts a failing test should print). */
export interface AccessibilityViolation {
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  /** CSS selectors of the offending elements (at most five). */
  readonly targets: readonly string[];
}

/** WCAG 2.0, 2.1 and 2.2 levels A and AA: what issue 6 asks the pages to meet. */
const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let axeSource: Promise<string> | undefined;

/**
 * Test-only: runs axe-core (WCAG 2.2 AA rules) on the page as it is now and returns the serious
 * and critical violations. The script is evaluated through the DevTools protocol, which a page's
 * CSP does not govern, so pages are tested with their real `default-src 'self'` policy.
 * @example expect(await accessibilityViolations(page)).toEqual([]);
 */
export async function accessibilityViolations(page: Page): Promise<AccessibilityViolation[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const source = await axeSource;
  // The axe global survives navigation only until the next page load; inject when missing.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(source);
  const violations = await page.evaluate(async (tags) => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<unknown> } }).axe;
    const result = (await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })) as {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    };
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? 'unknown',
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.map(String).join(' ')),
    }));
  }, WCAG_AA_TAGS);
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}
