import { type MessageFormatElement, parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { MESSAGE_PARSER_OPTIONS } from './translator.ts';

/** One thing wrong with a set of catalogs. */
export interface CatalogProblem {
  readonly locale: string;
  /** Absent when the problem concerns the whole catalog. */
  readonly key?: string;
  readonly problem:
    | 'missing_reference'
    | 'not_an_object'
    | 'missing_key'
    | 'extra_key'
    | 'not_a_string'
    | 'unparsable'
    | 'placeholders_differ';
  /** What differs, for the test output: placeholder names and kinds, never message text. */
  readonly detail?: string;
}

/**
 * Compares every catalog with the reference one (English by default) and lists what is wrong:
 * a key the reference has and the catalog lacks, a key only the catalog has, a message that is not
 * a string or not valid ICU MessageFormat, or a message whose placeholders differ from the
 * reference's: other names, other kinds (`plural` vs plain), or other `select` branches. Plural
 * branches may differ, since each language has its own plural categories. An empty list means the
 * catalogs agree. Meant for a unit test beside each set of catalogs.
 * @example
 * expect(checkCatalogs({ en, de, fr, ar })).toEqual([]);
 */
export function checkCatalogs(catalogs: Readonly<Record<string, unknown>>, reference = 'en'): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const base = catalogs[reference];
  if (!isRecord(base)) return [{ locale: reference, problem: base === undefined ? 'missing_reference' : 'not_an_object' }];
  const expected = new Map<string, string>();
  for (const [key, text] of Object.entries(base)) {
    const shape = placeholderShape(text);
    if (typeof shape === 'string') expected.set(key, shape);
    else problems.push({ locale: reference, key, ...shape });
  }

  for (const [locale, catalog] of Object.entries(catalogs)) {
    if (locale === reference) continue;
    if (!isRecord(catalog)) {
      problems.push({ locale, problem: 'not_an_object' });
      continue;
    }
    for (const key of Object.keys(base)) {
      if (!Object.hasOwn(catalog, key)) problems.push({ locale, key, problem: 'missing_key' });
    }
    for (const [key, text] of Object.entries(catalog)) {
      if (!Object.hasOwn(base, key)) {
        problems.push({ locale, key, problem: 'extra_key' });
        continue;
      }
      const shape = placeholderShape(text);
      if (typeof shape !== 'string') problems.push({ locale, key, ...shape });
      else if (expected.has(key) && shape !== expected.get(key)) {
        problems.push({
          locale,
          key,
          problem: 'placeholders_differ',
          detail: `${reference}: ${expected.get(key)}; ${locale}: ${shape}`,
        });
      }
    }
  }
  return problems;
}

type ShapeProblem = { problem: 'not_a_string' | 'unparsable'; detail?: string };

/** The message's placeholders as sorted text, e.g. `count:plural, name:argument, status:select(other|valid)`. */
function placeholderShape(text: unknown): string | ShapeProblem {
  if (typeof text !== 'string') return { problem: 'not_a_string' };
  let ast: MessageFormatElement[];
  try {
    ast = parse(text, MESSAGE_PARSER_OPTIONS);
  } catch (error) {
    return { problem: 'unparsable', detail: error instanceof Error ? error.message : 'parse error' };
  }
  const found = new Set<string>();
  collect(ast, found);
  return [...found].sort().join(', ');
}

function collect(elements: readonly MessageFormatElement[], found: Set<string>): void {
  for (const element of elements) {
    switch (element.type) {
      case TYPE.literal:
      case TYPE.pound:
        break;
      case TYPE.argument:
        found.add(`${element.value}:argument`);
        break;
      case TYPE.number:
        found.add(`${element.value}:number`);
        break;
      case TYPE.date:
        found.add(`${element.value}:date`);
        break;
      case TYPE.time:
        found.add(`${element.value}:time`);
        break;
      case TYPE.select:
        found.add(`${element.value}:select(${Object.keys(element.options).sort().join('|')})`);
        for (const option of Object.values(element.options)) collect(option.value, found);
        break;
      case TYPE.plural:
        found.add(`${element.value}:${element.pluralType === 'ordinal' ? 'selectordinal' : 'plural'}`);
        for (const option of Object.values(element.options)) collect(option.value, found);
        break;
      case TYPE.tag:
        // Unreachable with ignoreTag; kept so a change of parser options cannot hide placeholders.
        found.add(`${element.value}:tag`);
        collect(element.children, found);
        break;
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
