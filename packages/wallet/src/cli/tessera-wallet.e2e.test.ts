/**
 * The `tessera-wallet` command as a holder runs it: a real child process per command, its file
 * store in a temporary folder, against the real issuer app and the real verifier (express router,
 * an x509_hash: client certified by a development CA) on 127.0.0.1. Standard input is a pipe, so
 * the passphrase and every answer are fed as lines; the verifier's own transaction result says
 * what it received. One issuer and one verifier serve every test.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCredentialOffer } from '@tessera/issuer';
import { permitTenant, RESIDENCE_PERMIT_CLAIMS, startTestIssuer, type TestIssuer } from '@tessera/issuer/testing';
import type { JsonObject } from '@tessera/shared';
import { createDevelopmentCa, type Database, nodeCrypto, openDatabase } from '@tessera/shared/node';
import { makeTempDir } from '@tessera/shared/node/testing';
import { parseTrustList, type Verifier } from '@tessera/verifier';
import { createDevelopmentClient } from '@tessera/verifier/node';
import { startVerifierHost, type VerifierHost } from '@tessera/verifier/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESK_NAME as DESK, PURPOSE, QUERY_WITH_OPTIONAL, PERMIT_VCT as VCT } from '../present/test-requests.ts';
import { wrongPin } from '../receive/test-receive.ts';
import { type CliResult, runWalletCli } from './test-cli.ts';

const SECRET_NAME = 'Amina-PLANTED-NAME';
const PASSPHRASE = 'correct horse battery staple';
const BACKUP_PASSPHRASE = 'backup words for the drawer';
const QUERY_STATUS: JsonObject = {
  credentials: [{ id: 'permit', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claims: [{ path: ['residence_status'] }] }],
};

let database: Database;
let issuer: TestIssuer;
let folder: { path: string; remove(): Promise<void> };
let host: VerifierHost;
let verifier: Verifier;
let openVerifier: Verifier;
let walletDir: string;
let trustListFile: string;
let anchorFile: string;
/** The received credential's id, as `list` printed it. */
let credentialId = '';

const ENV = { TESSERA_WALLET_SCRYPT: 'fast' };
/** Options every command of the main wallet takes. */
const main = (): string[] => ['--dir', walletDir, '--allow-insecure-localhost'];

beforeAll(async () => {
  database = await openDatabase({ kind: 'pglite' });
  issuer = await startTestIssuer(database, {
    batchSize: 2,
    tenants: [permitTenant('bologna', { en: 'City of Bologna', ar: 'بلدية بولونيا' }, { didMethod: 'web' })],
  });
  const issuerDid = await issuer.did('bologna');
  folder = await makeTempDir('tessera-wallet-cli-');
  walletDir = join(folder.path, 'wallet');
  trustListFile = join(folder.path, 'trust-list.json');
  await writeFile(trustListFile, JSON.stringify({ issuers: [{ id: issuerDid, credentialTypes: [VCT] }] }));

  const ca = await createDevelopmentCa({ dir: join(folder.path, 'ca') });
  anchorFile = join(folder.path, 'ca.pem');
  await writeFile(anchorFile, ca.certificatePem);
  const { client } = await createDevelopmentClient({ ca, dnsName: 'localhost', name: DESK });

  host = await startVerifierHost();
  const presentations = {
    trust: parseTrustList({ version: 1, issuers: [{ id: issuerDid, name: { en: 'City of Bologna' }, credentialTypes: [VCT] }] }),
    fetchPolicy: { allowInsecureLocalhost: true, timeoutMs: 5000 },
    crypto: nodeCrypto,
  };
  verifier = host.verifier({ client, presentations }, { name: 'desk' });
  // A development verifier that cannot sign its requests: the wallet must call it UNVERIFIED.
  openVerifier = host.verifier(
    { client: { prefix: 'redirect_uri', development: true }, responseMode: 'direct_post', presentations },
    { name: 'open' },
  );
}, 60_000);

afterAll(async () => {
  await host?.close();
  await issuer?.close();
  await database?.close();
  await folder?.remove();
});

const offer = (pin = true) =>
  createCredentialOffer(issuer.issuer.context, {
    tenantId: 'bologna',
    typeId: 'residence_permit',
    claims: { ...RESIDENCE_PERMIT_CLAIMS, given_name: SECRET_NAME },
    pin,
    createdBy: 'staff-1',
  });

/** No stack trace, and no claim value, in what the CLI printed on standard error. */
function expectCleanError(result: CliResult): void {
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).not.toContain(SECRET_NAME);
}

describe('tessera-wallet as a child process against the real issuer and verifier', () => {
  it('init creates the profile from the passphrase on standard input and keeps the trust settings', async () => {
    const result = await runWalletCli(['init', ...main(), '--trust-list', trustListFile, '--trust-anchor', anchorFile], {
      env: ENV,
      input: [PASSPHRASE],
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Created the wallet profile “default” in ${walletDir}.`);
    expect(result.stdout).toContain('Trusted issuers: 1. Root certificates for verifiers: 1.');
    const config = JSON.parse(await readFile(join(walletDir, 'tessera-wallet.json'), 'utf8'));
    expect(config.trust.issuers).toHaveLength(1);
    expect(config.trustAnchors[0]).toContain('-----BEGIN CERTIFICATE-----');
    // The passphrase is nowhere in the folder.
    expect(await readFile(join(walletDir, 'default', 'wallet.json'), 'utf8')).not.toContain(PASSPHRASE);
  });

  it('receive asks for the PIN the offer needs, then stores the credential in two copies', async () => {
    const created = await offer();
    const result = await runWalletCli(['receive', created.link, ...main()], {
      env: ENV,
      input: [PASSPHRASE, created.pin as string],
    });
    expect(result.stderr).toContain('PIN from the issuer:');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Received: Residence permit, from City of Bologna.');
    expect(result.stdout).toMatch(/Id \S{8}\. The wallet keeps 2 copies/);
    expect(result.stdout + result.stderr).not.toContain(SECRET_NAME);
  });

  it('list names the credential and its issuer from the stored metadata, in English and in Arabic', async () => {
    const [english, arabic, json] = await Promise.all([
      runWalletCli(['list', ...main()], { input: [PASSPHRASE] }),
      runWalletCli(['list', ...main(), '--lang', 'ar'], { input: [PASSPHRASE] }),
      runWalletCli(['list', ...main(), '--json'], { env: { TESSERA_WALLET_PASSPHRASE: PASSPHRASE, LANG: 'ar_SY.UTF-8' } }),
    ]);
    expect(english.code).toBe(0);
    expect(english.stdout).toContain('1 credential:');
    expect(english.stdout).toMatch(/ {2}\S{8} {2}Residence permit\n/);
    expect(english.stdout).toContain('Issuer: City of Bologna');
    expect(arabic.code).toBe(0);
    expect(arabic.stdout).toContain('تصريح الإقامة');
    expect(arabic.stdout).toContain('بلدية بولونيا');
    expect(arabic.stdout).not.toContain('Residence permit');
    // The CLI's own words are Arabic too.
    expect(arabic.stdout).not.toContain('Issuer:');
    expect(json.code).toBe(0);
    const [listed] = JSON.parse(json.stdout);
    credentialId = listed.id;
    expect(english.stdout).toContain(`  ${credentialId.slice(0, 8)}  Residence permit`);
    // LANG picks the language when --lang is absent.
    expect(listed).toMatchObject({ name: 'تصريح الإقامة', type: VCT, copies: 2, issuer: { trusted: true } });
    expect(json.stdout).not.toContain(SECRET_NAME);
  });

  it('show prints every claim with its label and value, dates in words', async () => {
    const id = credentialId.slice(0, 6);
    const [shown, json] = await Promise.all([
      runWalletCli(['show', id, ...main()], { input: [PASSPHRASE] }),
      runWalletCli(['show', id, ...main(), '--json'], { input: [PASSPHRASE] }),
    ]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`Given name: ${SECRET_NAME}`);
    expect(shown.stdout).toContain('Date of birth: March 7, 1994');
    expect(shown.stdout).toContain('Residence status: lawfully_resident');
    expect(shown.stdout).toContain('Town or city: Bologna');
    expect(shown.stdout).toContain('18 or older: yes');
    expect(JSON.parse(json.stdout).claims).toContainEqual({ path: ['given_name'], label: 'Given name', value: SECRET_NAME });
  });

  it('present shows who asks and why, asks about each optional claim, and shares exactly the required claim and the one picked', async () => {
    const started = await verifier.start({ query: QUERY_WITH_OPTIONAL, purpose: PURPOSE });
    // Passphrase; yes to the given name; no to the date of birth; yes to sharing.
    const result = await runWalletCli(['present', started.link, ...main()], { input: [PASSPHRASE, 'y', '', 'y'] });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Who asks: ${DESK}`);
    expect(result.stdout).toContain('Verified: the wallet checked who this is.');
    expect(result.stdout).toContain(`Why: ${PURPOSE.en}`);
    expect(result.stdout).toContain('Careful: it asks for your full date of birth (Date of birth)');
    expect(result.stdout).toContain('Note: the request lists “Family name” but never uses it');
    expect(result.stdout).toMatch(/Will be shared:\n {4}• Residence status\n/);
    expect(result.stdout).toMatch(/You may also share:\n {4}• Given name\n {4}• Date of birth\n/);
    expect(result.stderr).toContain('Also share Given name? [y/N] y');
    expect(result.stderr).toContain('Also share Date of birth? [y/N] \n');
    expect(result.stderr).toContain(`Share this with ${DESK}? [y/N] y`);
    expect(result.stdout).toContain(`Shared. ${DESK} accepted it.`);

    const view = await verifier.get(started.id);
    expect(view?.status).toBe('responded');
    const disclosed = view?.credentials?.[0]?.disclosed;
    expect(disclosed).toEqual(expect.arrayContaining([['residence_status'], ['given_name']]));
    expect(disclosed).toHaveLength(2);
    expect(view?.credentials?.[0]?.claims.given_name).toBe(SECRET_NAME);
    expect(view?.credentials?.[0]?.claims.birth_date).toBeUndefined();
  });

  it('present --no declines without a question, and the verifier sees access_denied', async () => {
    const started = await verifier.start({ query: QUERY_STATUS, purpose: PURPOSE });
    const result = await runWalletCli(['present', started.link, ...main(), '--no', '--lang', 'de'], { input: [PASSPHRASE] });
    expect(result.code).toBe(6);
    expect(result.stdout).toContain(`Wer fragt: ${DESK}`);
    expect(result.stderr).not.toContain('[');
    const view = await verifier.get(started.id);
    expect(view?.status).toBe('failed');
    expect(view?.error?.code).toBe('access_denied');
    expect(view?.credentials).toBeUndefined();
  });

  it('history shows the receipt, the presentation and the refusal with claim names, never a value', async () => {
    const [text, json] = await Promise.all([
      runWalletCli(['history', ...main()], { input: [PASSPHRASE] }),
      runWalletCli(['history', ...main(), '--json'], { input: [PASSPHRASE] }),
    ]);
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines.filter((line) => line !== '' && !line.startsWith(' '))).toHaveLength(3);
    expect(text.stdout).toMatch(/ {2}Received Residence permit, from City of Bologna\n/);
    expect(text.stdout).toMatch(new RegExp(`Shared with ${escapeRegExp(DESK)}: Residence status, Given name\\n`));
    expect(text.stdout).toMatch(new RegExp(`Declined the request of ${escapeRegExp(DESK)}\\n`));
    expect(text.stdout).toContain(`Why: ${PURPOSE.en}`);
    expect(text.stdout).toMatch(/Shared with .*\n.*\n {4}The verifier accepted it\.\n/);
    expect(text.stdout).toMatch(/Declined the request of .*\n.*\n {4}The verifier was told\.\n/);
    const entries = JSON.parse(json.stdout) as { event: string; details: JsonObject }[];
    expect(entries.map((entry) => entry.event)).toEqual(['credential_received', 'credential_presented', 'presentation_declined']);
    expect(entries[1]?.details.disclosed).toEqual([
      expect.objectContaining({ vct: VCT, claims: ['residence_status', 'given_name'] }),
    ]);
    for (const output of [text.stdout, json.stdout]) {
      expect(output).not.toContain(SECRET_NAME);
      expect(output).not.toContain('lawfully_resident');
    }
  });

  it('export writes an encrypted backup; import restores it into a new folder, whose wallet then presents', async () => {
    const backupFile = join(folder.path, 'backup.json');
    const exported = await runWalletCli(['export', backupFile, ...main()], { env: ENV, input: [PASSPHRASE, BACKUP_PASSPHRASE] });
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`Wrote an encrypted backup to ${backupFile}.`);
    const backup = await readFile(backupFile, 'utf8');
    expect(JSON.parse(backup).format).toBe('tessera-wallet-backup');
    expect(backup).not.toContain(SECRET_NAME);

    // Not over an existing file, and that is said before any passphrase is asked.
    const again = await runWalletCli(['export', backupFile, ...main()], { env: ENV });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists; the wallet never overwrites a file');

    const restoredDir = join(folder.path, 'restored');
    const passphraseFile = join(folder.path, 'new-passphrase.txt');
    await writeFile(passphraseFile, 'a new passphrase for this laptop\n');
    const imported = await runWalletCli(
      [
        'import',
        backupFile,
        '--dir',
        restoredDir,
        '--profile',
        'amina',
        '--passphrase-file',
        passphraseFile,
        '--trust-anchor',
        anchorFile,
      ],
      { env: { ...ENV, TESSERA_WALLET_BACKUP_PASSPHRASE: BACKUP_PASSPHRASE } },
    );
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`Restored 1 credential into the profile “amina” in ${restoredDir}.`);

    const started = await verifier.start({ query: QUERY_WITH_OPTIONAL });
    const presented = await runWalletCli(
      [
        'present',
        started.link,
        '--dir',
        restoredDir,
        '--profile',
        'amina',
        '--passphrase-file',
        passphraseFile,
        '--allow-insecure-localhost',
        '--yes',
        '--with',
        'birth_date',
      ],
      {},
    );
    expect(presented.code).toBe(0);
    expect(presented.stdout).toContain(`Shared. ${DESK} accepted it.`);
    const disclosed = (await verifier.get(started.id))?.credentials?.[0]?.disclosed;
    expect(disclosed).toEqual(expect.arrayContaining([['residence_status'], ['birth_date']]));
    expect(disclosed).toHaveLength(2);
  });

  it('a wrong passphrase exits 3 with a clear message, and changes nothing', async () => {
    const file = join(walletDir, 'default', 'wallet.json');
    const before = await readFile(file);
    const result = await runWalletCli(['history', ...main()], { input: ['not the passphrase'] });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('tessera-wallet: The passphrase is wrong.\nNothing was changed.');
    expectCleanError(result);
    expect(await readFile(file)).toEqual(before);
  });

  it('a wrong PIN exits 4, says the issuer did not accept it, and stores nothing', async () => {
    const created = await offer();
    const result = await runWalletCli(['receive', created.link, ...main(), '--pin', wrongPin(created.pin as string)], {
      input: [PASSPHRASE],
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('tessera-wallet: The issuer did not accept the PIN.');
    expect(result.stderr).toContain('Details: tx_code_invalid');
    expectCleanError(result);
    const listed = await runWalletCli(['list', ...main(), '--json'], { input: [PASSPHRASE] });
    expect(JSON.parse(listed.stdout)).toHaveLength(1);
  });

  it('marks a verifier that cannot be checked UNVERIFIED, with the reason', async () => {
    const started = await openVerifier.start({ query: QUERY_STATUS });
    const result = await runWalletCli(['present', started.link, ...main(), '--no'], { input: [PASSPHRASE] });
    expect(result.code).toBe(6);
    expect(result.stdout).toMatch(/Who asks: .* \(UNVERIFIED\)\n/);
    expect(result.stdout).toContain('UNVERIFIED: the wallet could not check who is asking.');
    expect(result.stdout).toContain('Reason: the request is not signed.');
    expect((await openVerifier.get(started.id))?.error?.code).toBe('access_denied');
  });

  it('explains a request no credential answers, and tells the verifier when the holder agrees', async () => {
    const query = { credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:other'] } }] };
    const started = await verifier.start({ query });
    const result = await runWalletCli(['present', started.link, ...main()], { input: [PASSPHRASE, 'y'] });
    expect(result.code).toBe(4);
    expect(result.stdout).toContain('You hold no credential for “pid”, which it needs.');
    expect(result.stdout).toContain(`${DESK} was told that you do not share.`);
    expect(result.stderr).toContain('tessera-wallet: You cannot answer this request.');
    expect((await verifier.get(started.id))?.error?.code).toBe('access_denied');
  });

  it('refuses an optional claim the request does not offer, before anything is sent', async () => {
    const started = await verifier.start({ query: QUERY_WITH_OPTIONAL });
    const result = await runWalletCli(['present', started.link, ...main(), '--yes', '--with', 'nickname'], {
      input: [PASSPHRASE],
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('This request has nothing optional called “nickname”.');
    expect(result.stderr).toContain('What you may add: given_name, birth_date. Nothing was sent.');
    expect((await verifier.get(started.id))?.status).toBe('pending');
  });

  it.concurrent.each<[string, string[], readonly string[] | undefined, RegExp, number]>([
    ['an unknown command', ['frobnicate'], undefined, /There is no command “frobnicate”/, 2],
    ['an option of another command', ['list', '--pin', '123456'], undefined, /The option --pin does not go with “list”/, 2],
    ['no passphrase to read', ['list'], undefined, /No passphrase was given.*\nSet TESSERA_WALLET_PASSPHRASE/, 2],
    ['a profile that does not exist', ['list', '--profile', 'nobody'], [PASSPHRASE], /There is no wallet profile “nobody”/, 3],
    ['init over an existing profile', ['init'], [PASSPHRASE], /The profile “default” already exists/, 3],
    ['an unknown credential id', ['show', 'zzzzzzzz'], [PASSPHRASE], /No credential has the id “zzzzzzzz”/, 2],
  ])(
    'refuses %s with a clear message and its exit code',
    async (_name, args, input, message, code) => {
      const result = await runWalletCli([...args, '--dir', walletDir], { ...(input === undefined ? {} : { input }) });
      expect(result.code).toBe(code);
      expect(result.stderr).toMatch(message);
      expectCleanError(result);
    },
    30_000,
  );

  it('--help lists the commands and the exit codes in the language asked for', async () => {
    const result = await runWalletCli(['--help', '--lang', 'ar']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('present <request-link>');
    expect(result.stdout).toContain('رموز الخروج:');
    expect(result.stdout).toMatch(/\n {2}6 {4}رفضتَ/);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
