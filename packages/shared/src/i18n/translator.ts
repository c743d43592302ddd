import IntlMessageFormat from 'intl-messageformat';
import { formatDate, gregorianLocale } from './format-date.ts';
import { negotiateLocale, parseAcceptLanguage, type TextDirection, textDirection } from './negotiate.ts';

/** One language's messages: key → ICU MessageFormat text. */
export type Catalog<Key extends string = string> = Readonly<Record<Key, string>>;
/** Catalogs by BCP 47 language tag, e.g. `{ en, de, fr, ar }`. */
export type Catalogs<Key extends string = string> = Readonly<Record<string, Catalog<Key>>>;
/** Values for a message's placeholders. */
export type MessageValues = Readonly<Record<string, string | number | boolean | Date | null | undefined>>;

/** Messages in one negotiated language. */
export interface Translator<Key extends string = string> {
  /** The catalog's language tag, for `lang` in HTML. */
  readonly locale: string;
  /** For `dir` in HTML. */
  readonly dir: TextDirection;
  /** The message for `key`, formatted with `values`; a key missing in `locale` comes from the fallback catalog. */
  t(key: Key, values?: MessageValues): string;
  /** `formatDate` in this locale (Gregorian calendar). */
  formatDate(value: Date | number, options?: Intl.DateTimeFormatOptions): string;
}

export interface TranslatorOptions {
  /** The catalog used when no requested language is available, and for keys a catalog lacks. Default `en`. */
  fallback?: string;
  /**
   * The tag `formatDate` formats in, when it should carry a region the catalog's tag lacks
   * (`en-GB` for the `en` catalog: 12 March 2027, not March 12, 2027). Its language must be the
   * negotiated catalog's; otherwise, or when absent, dates follow the catalog's tag.
   */
  formatLocale?: string;
}

/**
 * Parser options for every message. Tags are off: `<b>` stays literal text, because messages are
 * plain text that callers escape for HTML, never markup.
 */
export const MESSAGE_PARSER_OPTIONS = { ignoreTag: true, requiresOtherClause: true } as const;

/** Compiled messages per catalog object, so a translator made per request does not parse again. */
const COMPILED = new WeakMap<object, Map<string, IntlMessageFormat>>();

/**
 * A translator for the best available language: `requested` is an `Accept-Language` header or a
 * list of tags in order of preference (see `negotiateLocale`). Messages are ICU MessageFormat
 * (plural, select, number and date arguments; dates in the Gregorian calendar). A key that no
 * catalog has, or a message missing one of its values, is a programmer error: `TypeError`.
 * @example
 * const { t, dir } = createTranslator({ en, ar }, request.headers['accept-language']);
 * t('request.expires_in', { minutes: 5 }) // 'Expires in 5 minutes'
 */
export function createTranslator<Key extends string>(
  catalogs: Catalogs<Key>,
  requested?: string | readonly string[] | null,
  { fallback = 'en', formatLocale }: TranslatorOptions = {},
): Translator<Key> {
  const available = Object.keys(catalogs);
  const preferences = typeof requested === 'string' ? parseAcceptLanguage(requested) : (requested ?? []);
  const locale = negotiateLocale(preferences, available, fallback);
  const fallbackLocale = negotiateLocale([fallback], available, fallback);
  const primary = catalogs[locale] as Catalog<Key>;
  const secondary = catalogs[fallbackLocale] as Catalog<Key>;

  const t = (key: Key, values?: MessageValues): string => {
    const [catalog, catalogLocale] = Object.hasOwn(primary, key) ? [primary, locale] : [secondary, fallbackLocale];
    const message = compiled(catalog, catalogLocale, key);
    try {
      const out = message.format(values as Record<string, string | number | boolean | Date | null | undefined>);
      return Array.isArray(out) ? out.join('') : String(out);
    } catch (cause) {
      throw new TypeError(`The message ${JSON.stringify(key)} could not be formatted`, { cause });
    }
  };
  const dateLocale = formatLocale !== undefined && sameLanguage(formatLocale, locale) ? formatLocale : locale;
  return {
    locale,
    dir: textDirection(locale),
    t,
    formatDate: (value, options) => formatDate(value, dateLocale, options),
  };
}

function sameLanguage(a: string, b: string): boolean {
  try {
    return new Intl.Locale(a).language === new Intl.Locale(b).language;
  } catch {
    return false;
  }
}

function compiled(catalog: Catalog, locale: string, key: string): IntlMessageFormat {
  let cache = COMPILED.get(catalog);
  if (cache === undefined) {
    cache = new Map();
    COMPILED.set(catalog, cache);
  }
  let message = cache.get(key);
  if (message === undefined) {
    const text = Object.hasOwn(catalog, key) ? catalog[key] : undefined;
    if (typeof text !== 'string') throw new TypeError(`No catalog has the message ${JSON.stringify(key)}`);
    try {
      message = new IntlMessageFormat(text, gregorianLocale(locale), undefined, MESSAGE_PARSER_OPTIONS);
    } catch (cause) {
      throw new TypeError(`The message ${JSON.stringify(key)} (${locale}) is not valid ICU MessageFormat`, { cause });
    }
    cache.set(key, message);
  }
  return message;
}
