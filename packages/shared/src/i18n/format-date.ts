/**
 * The locale tag with the Gregorian calendar forced (`-u-ca-gregory`). Dates on credentials and
 * desk screens are Gregorian; CLDR gives `fa` (and so `prs`, `ps` in some environments) the
 * Persian calendar by default, which would show a different year and month to the reader than
 * the one on the document they hold. Digits and month names stay those of the locale.
 * @example
 * gregorianLocale('fa-AF') // 'fa-AF-u-ca-gregory'
 */
export function gregorianLocale(locale: string): string {
  return new Intl.Locale(locale, { calendar: 'gregory' }).toString();
}

/**
 * Formats an instant (a `Date` or milliseconds since the epoch) for `locale` with
 * `Intl.DateTimeFormat`, always in the Gregorian calendar. Default: `{ dateStyle: 'medium' }`.
 * Throws a `RangeError` for a malformed locale tag or an invalid date.
 * @example
 * formatDate(Date.UTC(2026, 0, 31), 'fa', { dateStyle: 'long', timeZone: 'UTC' }) // '۳۱ ژانویهٔ ۲۰۲۶'
 */
export function formatDate(
  value: Date | number,
  locale: string,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' },
): string {
  return new Intl.DateTimeFormat(gregorianLocale(locale), { ...options, calendar: 'gregory' }).format(value);
}
