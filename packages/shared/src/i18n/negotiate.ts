/** The direction a language's text runs in, for `dir` in HTML. */
export type TextDirection = 'ltr' | 'rtl';

/** Bounds on an Accept-Language header: it comes from the network. */
const MAX_HEADER_CHARS = 4096;
const MAX_RANGES = 32;

/** RFC 4647 §2.1 language range without the wildcard: alphanumeric subtags of 1–8 characters. */
const LANGUAGE_RANGE = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;
/** RFC 9110 §12.4.2 qvalue: 0 to 1 with at most three decimals. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * Languages written right to left when the tag names no script. `prs` (Dari), `ps` (Pashto) and
 * `ckb` (Central Kurdish) matter for the people Tessera serves; `iw` is the old tag for Hebrew.
 */
const RTL_LANGUAGES: ReadonlySet<string> = new Set(['ar', 'ckb', 'dv', 'fa', 'he', 'iw', 'prs', 'ps', 'sd', 'ug', 'ur', 'yi']);
/** ISO 15924 scripts written right to left; an explicit script subtag wins (`ku-Arab` is rtl, `az-Latn` ltr). */
const RTL_SCRIPTS: ReadonlySet<string> = new Set(['adlm', 'arab', 'hebr', 'mand', 'nkoo', 'rohg', 'samr', 'syrc', 'thaa']);

/**
 * The language ranges of an `Accept-Language` header (RFC 9110 §12.5.4), most preferred first:
 * ordered by `q`, ties kept in header order. Ranges with `q=0`, the `*` wildcard and malformed
 * entries are dropped; at most 32 ranges are read.
 * @example
 * parseAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5') // ['fr-CH', 'fr', 'en']
 */
export function parseAcceptLanguage(header: string | null | undefined): string[] {
  if (typeof header !== 'string' || header.length === 0) return [];
  const ranges: { tag: string; q: number; position: number }[] = [];
  header
    .slice(0, MAX_HEADER_CHARS)
    .split(',', MAX_RANGES)
    .forEach((entry, position) => {
      const [rawTag = '', ...parameters] = entry.split(';');
      const tag = rawTag.trim();
      if (!LANGUAGE_RANGE.test(tag)) return;
      let q = 1;
      for (const parameter of parameters) {
        const [name = '', value = ''] = parameter.split('=').map((part) => part.trim());
        if (name.toLowerCase() !== 'q') continue;
        if (!QVALUE.test(value)) return;
        q = Number(value);
      }
      if (q > 0) ranges.push({ tag, q, position });
    });
  ranges.sort((a, b) => b.q - a.q || a.position - b.position);
  return ranges.map(({ tag }) => tag);
}

/**
 * Picks the available locale that serves the reader best (RFC 4647 §3.4 lookup). For each
 * requested tag in order: the exact tag (case-insensitive), then the tag shortened subtag by
 * subtag (`de-AT` → `de`), then an available tag of the same primary language (`pt` → `pt-BR`).
 * Failing all of them: `fallback` when available, else the first available locale.
 * @example
 * negotiateLocale(['de-AT', 'en'], ['en', 'de', 'fr', 'ar']) // 'de'
 */
export function negotiateLocale(requested: readonly string[], available: readonly string[], fallback = 'en'): string {
  if (available.length === 0) throw new TypeError('negotiateLocale needs at least one available locale');
  const byLower = new Map(available.map((tag) => [tag.toLowerCase(), tag] as const));
  for (const wanted of requested) {
    if (typeof wanted !== 'string' || !LANGUAGE_RANGE.test(wanted)) continue;
    const subtags = wanted.toLowerCase().split('-');
    for (let length = subtags.length; length >= 1; length--) {
      // §3.4: a singleton (`x`, `u`…) left at the end is removed together with what it introduced.
      if ((subtags[length - 1] as string).length === 1 && length > 1) continue;
      const hit = byLower.get(subtags.slice(0, length).join('-'));
      if (hit !== undefined) return hit;
    }
    const primary = subtags[0] as string;
    const sibling = available.find((tag) => tag.toLowerCase().split('-')[0] === primary);
    if (sibling !== undefined) return sibling;
  }
  return byLower.get(fallback.toLowerCase()) ?? (available[0] as string);
}

/**
 * `rtl` for a language written right to left, `ltr` otherwise. A script subtag decides when there
 * is one (`ku-Arab` → rtl, `uz-Latn` → ltr); otherwise the language: Arabic, Dari, Farsi, Hebrew,
 * Pashto, Sorani (`ckb`), Urdu and a few more.
 * @example
 * textDirection('ar') // 'rtl'
 */
export function textDirection(locale: string): TextDirection {
  const subtags = typeof locale === 'string' ? locale.toLowerCase().split(/[-_]/) : [];
  // BCP 47 §2.2.3: the script is the four-letter subtag right after the language (and extlang).
  const script = subtags.slice(1, 3).find((subtag) => /^[a-z]{4}$/.test(subtag));
  if (script !== undefined) return RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr';
  return RTL_LANGUAGES.has(subtags[0] ?? '') ? 'rtl' : 'ltr';
}
