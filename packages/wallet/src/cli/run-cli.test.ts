/**
 * `runCli` in process, for the many ways a command line can be wrong: the same code the binary
 * runs, with its standard streams captured. The child-process tests beside it cover the real
 * process end to end.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '@tessera/shared/node/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { languagesFromEnvironment, runCli } from './run-cli.ts';
import type { Prompter } from './terminal.ts';

/** A prompter answering from `lines`, like a pipe on standard input. */
function linesPrompter(lines: readonly string[]): Prompter & { asked: string[] } {
  const queue = [...lines];
  const asked: string[] = [];
  return {
    interactive: false,
    asked,
    ask: async (question) => {
      asked.push(question);
      return queue.shift();
    },
    askSecret: async (question) => {
      asked.push(question);
      return queue.shift();
    },
    close: () => undefined,
  };
}

async function run(
  args: readonly string[],
  { input = [], env = {} }: { input?: readonly string[]; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string; asked: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const prompter = linesPrompter(input);
  const code = await runCli(args, {
    env: { TESSERA_WALLET_SCRYPT: 'fast', ...env },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    prompter,
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n'), asked: prompter.asked };
}

let folder: { path: string; remove(): Promise<void> };
let dir: string;
const PASSPHRASE = 'correct horse battery staple';

beforeAll(async () => {
  folder = await makeTempDir('tessera-wallet-run-cli-');
  dir = join(folder.path, 'wallet');
  const init = await run(['init', '--dir', dir], { input: [PASSPHRASE] });
  expect(init.code).toBe(0);
});
afterAll(() => folder?.remove());

describe('runCli refuses a wrong command line with a usage error (exit 2), before asking anything', () => {
  it.each<[string, string[], RegExp]>([
    ['no command', [], /Which command\?/],
    ['an unknown command', ['frobnicate'], /There is no command “frobnicate”/],
    ['an unknown option', ['list', '--frob'], /There is no option --frob/],
    ['an option without its value', ['list', '--dir'], /The option --dir needs a value/],
    ['an option of another command', ['history', '--yes'], /The option --yes does not go with “history”/],
    ['a missing argument', ['present'], /tessera-wallet present <request-link> \[--yes \| --no\]/],
    ['an extra argument', ['list', 'everything'], /tessera-wallet list \[--json\]/],
    ['--yes with --no', ['present', 'openid4vp://x', '--yes', '--no'], /Use --yes or --no, not both/],
    ['--with with --no', ['present', 'openid4vp://x', '--no', '--with', 'a'], /--with picks what to share/],
    ['a malformed language', ['list', '--lang', '../../etc'], /is not a language tag/],
  ])('%s', async (_name, args, message) => {
    const result = await run(args, { input: [PASSPHRASE] });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/Run tessera-wallet --help to see the commands and options\.$/);
    expect(result.stdout).toBe('');
  });

  it('refuses a scrypt knob other than “fast”, before creating anything', async () => {
    const fresh = join(folder.path, 'never-made');
    const result = await run(['init', '--dir', fresh], { input: [PASSPHRASE], env: { TESSERA_WALLET_SCRYPT: 'slow' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('TESSERA_WALLET_SCRYPT may only be “fast” (for tests), or unset.');
    await expect(readFile(join(fresh, 'tessera-wallet.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(result.asked).toEqual([]);
  });

  it('speaks the holder’s language from LANG, even about the command line', async () => {
    const result = await run(['frobnicate'], { env: { LANG: 'uk_UA.UTF-8' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Команди «frobnicate» немає.');
  });
});

describe('runCli and passphrases', () => {
  it('asks for the passphrase only once the profile is known to exist', async () => {
    const result = await run(['list', '--dir', dir, '--profile', 'nobody'], { input: [PASSPHRASE] });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`There is no wallet profile “nobody” in ${dir}.`);
    expect(result.asked).toEqual([]);
  });

  it('refuses a new passphrase shorter than 8 characters, and creates nothing', async () => {
    const result = await run(['init', '--dir', dir, '--profile', 'short'], { input: ['1234567'] });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('The passphrase must have at least 8 characters.');
    expect((await run(['list', '--dir', dir, '--profile', 'short'], { input: [PASSPHRASE] })).code).toBe(3);
  });

  it('reads the passphrase from TESSERA_WALLET_PASSPHRASE, then from --passphrase-file, before standard input', async () => {
    const fromEnv = await run(['list', '--dir', dir], { env: { TESSERA_WALLET_PASSPHRASE: PASSPHRASE }, input: ['wrong one'] });
    expect(fromEnv.code).toBe(0);
    const file = join(folder.path, 'passphrase.txt');
    await writeFile(file, `${PASSPHRASE}\r\nsecond line is ignored\n`);
    const fromFile = await run(['list', '--dir', dir, '--passphrase-file', file], {
      env: { TESSERA_WALLET_PASSPHRASE: 'wrong one' },
    });
    expect(fromFile.code).toBe(0);
    expect(fromFile.asked).toEqual([]);
  });

  it('says where a passphrase can come from when there is none', async () => {
    const result = await run(['history', '--dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Set TESSERA_WALLET_PASSPHRASE, use --passphrase-file <file>, or write it as a line on standard input.',
    );
  });

  it('prints no stack trace for a wrong passphrase, but does with --debug', async () => {
    const plain = await run(['list', '--dir', dir], { input: ['wrong passphrase!'] });
    expect(plain.code).toBe(3);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = await run(['list', '--dir', dir, '--debug'], { input: ['wrong passphrase!'] });
    expect(debug.code).toBe(3);
    expect(debug.stderr).toMatch(/TesseraError: .*\n\s+at /);
  });
});

describe('runCli and the wallet folder', () => {
  it('refuses a folder that does not exist instead of creating it', async () => {
    const missing = join(folder.path, 'missing');
    const result = await run(['list', '--dir', missing], { input: [PASSPHRASE] });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`There is no wallet folder ${missing}.`);
  });

  it('takes the folder from TESSERA_WALLET_DIR when --dir is absent', async () => {
    const result = await run(['list'], { env: { TESSERA_WALLET_DIR: dir }, input: [PASSPHRASE] });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('The wallet holds no credentials yet.');
  });

  it('refuses a trust list that is not one, and a trust anchor that is no certificate, before creating anything', async () => {
    const list = join(folder.path, 'list.json');
    await writeFile(list, JSON.stringify({ issuers: [{ name: 'no id' }] }));
    const badList = await run(['init', '--dir', dir, '--profile', 'second', '--trust-list', list], { input: [PASSPHRASE] });
    expect(badList.code).toBe(2);
    expect(badList.stderr).toContain(`${list} is not a trust list.`);
    const pem = join(folder.path, 'not.pem');
    await writeFile(pem, 'hello');
    const badPem = await run(['init', '--dir', dir, '--profile', 'second', '--trust-anchor', pem], { input: [PASSPHRASE] });
    expect(badPem.code).toBe(2);
    expect(badPem.stderr).toContain(`${pem} holds no certificate in PEM form.`);
    expect(badPem.asked).toEqual([]);
  });

  it('explains a damaged settings file', async () => {
    const settings = join(dir, 'tessera-wallet.json');
    const before = await readFile(settings, 'utf8');
    await writeFile(settings, '{ "format": "something else" }');
    try {
      const result = await run(['present', 'openid4vp://x', '--dir', dir], { input: [PASSPHRASE] });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`The wallet’s settings file ${settings} is damaged.`);
    } finally {
      await writeFile(settings, before);
    }
  });

  it('explains a link that is not a request, as refused by the checks (exit 4), with the library code', async () => {
    const result = await run(['present', 'https://example.org/nothing', '--dir', dir], { input: [PASSPHRASE] });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('The request cannot be used');
    expect(result.stderr).toMatch(/Details: request_invalid: /);
  });
});

describe('languagesFromEnvironment', () => {
  it('reads LC_ALL, then LC_MESSAGES, then LANG, as POSIX orders them', () => {
    expect(languagesFromEnvironment({ LANG: 'ar_SY.UTF-8' })).toEqual(['ar-SY']);
    expect(languagesFromEnvironment({ LANG: 'de_DE.UTF-8', LC_MESSAGES: 'fr_FR' })).toEqual(['fr-FR']);
    expect(languagesFromEnvironment({ LANG: 'de_DE', LC_ALL: 'uk_UA.UTF-8@euro' })).toEqual(['uk-UA']);
  });

  it('takes C, POSIX and nonsense for no language', () => {
    expect(languagesFromEnvironment({ LANG: 'C.UTF-8' })).toEqual([]);
    expect(languagesFromEnvironment({ LANG: 'POSIX' })).toEqual([]);
    expect(languagesFromEnvironment({ LANG: '$(rm -rf)' })).toEqual([]);
    expect(languagesFromEnvironment({})).toEqual([]);
  });
});
