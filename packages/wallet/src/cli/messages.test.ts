import { checkCatalogs, createTranslator, type ErrorCode } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import { explainErrorCode } from './error-explanations.ts';
import { EXIT, EXIT_CODES } from './exit-codes.ts';
import { CLI_CATALOGS, type CliMessageKey } from './messages.ts';
import { usage } from './run-cli.ts';

describe('the CLI catalogs', () => {
  it('have exactly the keys of the English catalog, valid ICU messages and the same placeholders', () => {
    expect(checkCatalogs(CLI_CATALOGS)).toEqual([]);
  });

  it('speak at least English, German, French, Arabic and Ukrainian', () => {
    expect(Object.keys(CLI_CATALOGS)).toEqual(expect.arrayContaining(['en', 'de', 'fr', 'ar', 'uk']));
  });

  it('are translations, not copies of English', () => {
    const en = CLI_CATALOGS.en as Record<string, string>;
    for (const [locale, catalog] of Object.entries(CLI_CATALOGS)) {
      if (locale === 'en') continue;
      const copied = Object.entries(catalog).filter(([key, text]) => text === en[key] && !SAME_IN_EVERY_LANGUAGE.has(key));
      expect(copied.map(([key]) => `${locale}: ${key}`)).toEqual([]);
    }
  });

  it('name each language in that language', () => {
    const names = Object.keys(CLI_CATALOGS).map((locale) => createTranslator(CLI_CATALOGS, [locale]).t('language.name'));
    expect(names).toEqual(['English', 'Deutsch', 'Français', 'العربية', 'Українська']);
  });

  it('count in each language’s plural forms', () => {
    const count = (locale: string, n: number): string => createTranslator(CLI_CATALOGS, [locale]).t('list.count', { count: n });
    expect([count('en', 1), count('en', 3)]).toEqual(['1 credential:', '3 credentials:']);
    expect([count('uk', 1), count('uk', 3), count('uk', 5)]).toEqual(['1 документ:', '3 документи:', '5 документів:']);
    expect(count('ar', 2)).toBe('وثيقتان:');
  });
});

/** Texts that are rightly the same in every language. */
const SAME_IN_EVERY_LANGUAGE: ReadonlySet<string> = new Set<CliMessageKey>(['value.none', 'present.claim', 'prompt.passphrase']);

describe('error explanations', () => {
  it('group the holder’s own mistakes, the other side’s refusals and the network apart, each with its exit code', () => {
    const cases: [ErrorCode, CliMessageKey, number][] = [
      ['wrong_passphrase', 'error.wrong_passphrase', EXIT.wallet],
      ['profile_not_found', 'error.profile_not_found', EXIT.wallet],
      ['backup_invalid', 'error.backup_invalid', EXIT.wallet],
      ['tx_code_invalid', 'error.pin_wrong', EXIT.refused],
      ['untrusted_issuer', 'error.untrusted_issuer', EXIT.refused],
      ['client_id_mismatch', 'error.request_invalid', EXIT.refused],
      ['invalid_signature', 'error.invalid_data', EXIT.refused],
      ['fetch_timeout', 'error.network', EXIT.network],
      ['fetch_blocked', 'error.network_blocked', EXIT.network],
      ['wallet_locked', 'error.unexpected', EXIT.bug],
    ];
    for (const [code, reason, exitCode] of cases) {
      expect(explainErrorCode(code), code).toMatchObject({ reason, exitCode });
    }
  });

  it('explain a code it does not know as a bug rather than failing', () => {
    expect(explainErrorCode('something_new' as ErrorCode)).toMatchObject({ reason: 'error.unexpected', exitCode: EXIT.bug });
  });

  it('have a reason and a next step in every catalog for every group', () => {
    const en = CLI_CATALOGS.en as Record<string, string>;
    for (const code of ['wrong_passphrase', 'tx_code_required', 'expired', 'dcql_unsatisfied', 'fetch_failed'] as ErrorCode[]) {
      const { reason, fix } = explainErrorCode(code);
      expect(Object.hasOwn(en, reason) && Object.hasOwn(en, fix), code).toBe(true);
    }
  });
});

describe('--help', () => {
  it('lists every exit code with its meaning, in the holder’s language', () => {
    const english = usage(createTranslator(CLI_CATALOGS, ['en']));
    for (const code of EXIT_CODES) expect(english).toMatch(new RegExp(`\\n {2}${code} +\\S`));
    expect(english).toContain('Passphrases are never given on the command line.');
    const german = usage(createTranslator(CLI_CATALOGS, ['de-AT']));
    expect(german).toContain('Rückgabewerte:');
    expect(german).toMatch(/\n {2}6 {4}Sie haben abgelehnt/);
  });
});
