import { describe, expect, it } from 'vitest';
import { formatDate, gregorianLocale } from './format-date.ts';

const JAN_31_2026 = Date.UTC(2026, 0, 31, 12);

describe('formatDate', () => {
  it('writes Persian dates in the Gregorian calendar, not the Persian default', () => {
    const persianDefault = new Intl.DateTimeFormat('fa', { year: 'numeric', timeZone: 'UTC' }).format(JAN_31_2026);
    const gregorian = formatDate(JAN_31_2026, 'fa', { year: 'numeric', timeZone: 'UTC' });
    // ۱۴۰۴ in the Solar Hijri calendar; ۲۰۲۶ in the Gregorian one.
    expect(persianDefault).toContain('۱۴۰۴');
    expect(gregorian).toContain('۲۰۲۶');
  });

  it.each(['prs', 'ps', 'ar', 'ar-SA', 'th', 'de', 'en'])('keeps the Gregorian year for %s', (locale) => {
    const year = formatDate(JAN_31_2026, `${locale}-u-nu-latn`, { year: 'numeric', timeZone: 'UTC' });
    expect(year).toContain('2026');
  });

  it('overrides a calendar asked for in the tag or the options', () => {
    expect(formatDate(JAN_31_2026, 'en-u-ca-islamic', { year: 'numeric', timeZone: 'UTC', calendar: 'hebrew' })).toBe('2026');
  });

  it('formats in the locale: month names and digits', () => {
    expect(formatDate(JAN_31_2026, 'de', { dateStyle: 'long', timeZone: 'UTC' })).toBe('31. Januar 2026');
    expect(formatDate(new Date(JAN_31_2026), 'fr', { dateStyle: 'long', timeZone: 'UTC' })).toBe('31 janvier 2026');
  });

  it('throws a RangeError for a malformed locale tag', () => {
    expect(() => formatDate(JAN_31_2026, 'not a tag')).toThrow(RangeError);
  });
});

describe('gregorianLocale', () => {
  it('adds or replaces the calendar extension', () => {
    expect(gregorianLocale('fa-AF')).toBe('fa-AF-u-ca-gregory');
    expect(gregorianLocale('ar-u-ca-islamic-nu-latn')).toBe('ar-u-ca-gregory-nu-latn');
  });
});
