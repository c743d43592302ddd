/**
 * Server-rendered pages (the verifier's desk, the issuer's staff page, the wallet app's shell)
 * build HTML only through this tagged template, so every interpolated value is escaped.
 */

/** HTML that is already safe to insert: produced by `html`, never by concatenating strings. */
export interface SafeHtml {
  readonly html: string;
}

export type HtmlValue = string | number | SafeHtml | readonly HtmlValue[] | false | null | undefined;

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] as string);
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * A tagged template that escapes every interpolated string; nested `html` fragments and arrays of
 * them are inserted as they are, and `false`, `null` and `undefined` leave nothing. Attribute values
 * must be quoted in the template.
 * @example
 * html`<p lang="${name.lang}">${name.text}</p>`
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return { html: out };
}

function render(value: HtmlValue): string {
  if (value === false || value === null || value === undefined) return '';
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(render).join('');
  return (value as SafeHtml).html;
}

/**
 * JSON for a `<script type="application/json">` data block: `<` is escaped so no value can close
 * the element or open a comment, whatever it contains.
 */
export function jsonForScript(value: unknown): SafeHtml {
  return {
    html: JSON.stringify(value)
      .replace(/</g, '\\u003c')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029'),
  };
}
