/**
 * The `tessera-issuer` command as operators run it: a real child process against a temporary
 * folder, PGlite in the data folder. init → start → metadata over HTTP → SIGTERM exits 0 and
 * releases the database; and every operator mistake exits non-zero with one clear message.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { makeTempDir } from '@tessera/shared/node/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, startCli } from './test-cli.ts';

describe('tessera-issuer as a child process', () => {
  let folder: { path: string; remove(): Promise<void> };
  let port: number;
  let secret: string;
  let initOutput: string;
  const configPath = () => join(folder.path, 'tessera-issuer.json');

  beforeAll(async () => {
    folder = await makeTempDir('tessera-cli-');
    port = await freePort();
    const init = await runCli(['init', '--port', String(port)], { cwd: folder.path });
    initOutput = init.stdout;
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    secret = /export TESSERA_ISSUER_KEY_SECRET=([0-9a-f]{64})/.exec(init.stdout)?.[1] ?? '';
  }, 60_000);
  afterAll(() => folder?.remove());

  it('init writes the configuration with two tenants and prints one staff key each, and the secret it made', async () => {
    const config = JSON.parse(await readFile(configPath(), 'utf8'));
    expect(config.listen).toEqual({ host: '127.0.0.1', port });
    expect(config.issuer.baseUrl).toBe(`http://localhost:${port}`);
    expect(config.issuer.tenants.map((tenant: { name: { en: string } }) => tenant.name.en)).toEqual([
      'City of Bologna — Immigration Office',
      'Caritas Language School',
    ]);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(initOutput.match(/staff API key key_\S+: tessera_staff_\S+/g)).toHaveLength(2);
    expect(initOutput).toContain(`did:web:localhost%3A${port}:tenants:bologna`);
    // The secret is printed, never written down.
    expect(await readFile(configPath(), 'utf8')).not.toContain(secret);
  });

  it('init never overwrites an existing configuration', async () => {
    const before = await readFile(configPath(), 'utf8');
    const again = await runCli(['init', '--port', String(port)], {
      cwd: folder.path,
      env: { TESSERA_ISSUER_KEY_SECRET: secret },
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; init never overwrites/);
    expect(await readFile(configPath(), 'utf8')).toBe(before);
  }, 30_000);

  it('start serves the metadata, and SIGTERM shuts it down with exit code 0 and the database closed', async () => {
    const started = await startCli([], { cwd: folder.path, env: { TESSERA_ISSUER_KEY_SECRET: secret } });
    expect(started.listenUrl).toBe(`http://127.0.0.1:${port}`);
    const metadata = await fetch(`${started.listenUrl}/.well-known/openid-credential-issuer/tenants/caritas`);
    expect(metadata.status).toBe(200);
    expect(await metadata.json()).toMatchObject({
      credential_issuer: `http://localhost:${port}/tenants/caritas`,
      credential_configurations_supported: { language_course_certificate: { format: 'dc+sd-jwt' } },
    });
    expect(await started.stop('SIGTERM')).toBe(0);
    expect(started.output()).toContain('shutting down');
    // The PGlite lock is released: another command can open the data folder at once.
    const key = await runCli(['keys', 'create-api-key', 'caritas', 'Front desk'], {
      cwd: folder.path,
      env: { TESSERA_ISSUER_KEY_SECRET: secret },
    });
    expect(key.code).toBe(0);
    expect(key.stdout).toMatch(/Staff API key key_\S+ for caritas \("Front desk"\):\n {2}tessera_staff_\S+/);
  }, 60_000);

  it('SIGINT shuts it down the same way', async () => {
    const started = await startCli(['--port', '0'], { cwd: folder.path, env: { TESSERA_ISSUER_KEY_SECRET: secret } });
    expect(started.listenUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${started.listenUrl}/.well-known/oauth-authorization-server/tenants/bologna`)).status).toBe(200);
    expect(await started.stop('SIGINT')).toBe(0);
  }, 60_000);

  it('keys rotate gives a did:web tenant a new current key and keeps the earlier one', async () => {
    const rotated = await runCli(['keys', 'rotate', 'bologna'], { cwd: folder.path, env: { TESSERA_ISSUER_KEY_SECRET: secret } });
    expect(rotated.code).toBe(0);
    const current = /new current key: (\S+)/.exec(rotated.stdout)?.[1];
    const previous = /previous key \(still in the DID document\): (\S+)/.exec(rotated.stdout)?.[1];
    expect(current).toMatch(new RegExp(`^did:web:localhost%3A${port}:tenants:bologna#`));
    expect(previous).toMatch(/#/);
    expect(current).not.toBe(previous);
  }, 30_000);

  it.concurrent.each<[string, string[], Record<string, string>, RegExp, number]>([
    ['a missing key secret', ['start'], {}, /TESSERA_ISSUER_KEY_SECRET is not set/, 1],
    ['a malformed key secret', ['start'], { TESSERA_ISSUER_KEY_SECRET: 'xyz' }, /must be 64 hexadecimal characters/, 1],
    ['a wrong key secret', ['start'], { TESSERA_ISSUER_KEY_SECRET: 'ab'.repeat(32) }, /does not open the stored keys/, 1],
    [
      'a missing configuration',
      ['start', '--config', 'nope.json'],
      { TESSERA_ISSUER_KEY_SECRET: 'ab'.repeat(32) },
      /No configuration file/,
      1,
    ],
    ['an unknown command', ['frobnicate'], {}, /Unknown command "frobnicate"/, 2],
    ['an unknown option', ['start', '--frob'], {}, /Unknown option '--frob'/, 2],
    ['a bad port', ['start', '--port', '99999'], {}, /--port must be 0 to 65535/, 2],
    [
      'rotation of an unknown tenant',
      ['keys', 'rotate', 'nobody'],
      { TESSERA_ISSUER_KEY_SECRET: 'ab'.repeat(32) },
      /No tenant "nobody"/,
      1,
    ],
    [
      'a PostgreSQL URL that is not one',
      ['start'],
      { TESSERA_ISSUER_KEY_SECRET: 'ab'.repeat(32), TESSERA_ISSUER_DATABASE_URL: 'mysql://x' },
      /must be a postgres:\/\/ URL/,
      1,
    ],
  ])(
    'refuses %s with a clear message',
    async (_name, args, env, message, code) => {
      const result = await runCli(args, { cwd: folder.path, env });
      expect(result.code).toBe(code);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    },
    30_000,
  );

  it('refuses a configuration that breaks the schema, naming the path in the file', async () => {
    const broken = join(folder.path, 'broken.json');
    const config = JSON.parse(await readFile(configPath(), 'utf8'));
    config.issuer.tenants[1].id = 'Caritas School';
    config.listen.port = 'eighty';
    await writeFile(broken, JSON.stringify(config));
    const result = await runCli(['start', '--config', broken], { cwd: folder.path, env: { TESSERA_ISSUER_KEY_SECRET: secret } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('listen.port');
    await writeFile(broken, JSON.stringify({ ...config, listen: { port } }));
    const inner = await runCli(['start', '--config', broken], { cwd: folder.path, env: { TESSERA_ISSUER_KEY_SECRET: secret } });
    expect(inner.code).toBe(1);
    expect(inner.stderr).toContain('issuer.tenants.1.id');
    await writeFile(broken, '{ not json');
    expect(
      (await runCli(['start', '--config', broken], { cwd: folder.path, env: { TESSERA_ISSUER_KEY_SECRET: secret } })).stderr,
    ).toMatch(/is not valid JSON/);
  }, 30_000);

  it('refuses a port in use, and closes the database so a later start works', async () => {
    const blocker: Server = createServer();
    const busy = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)),
    );
    try {
      const result = await runCli(['start', '--port', String(busy)], {
        cwd: folder.path,
        env: { TESSERA_ISSUER_KEY_SECRET: secret },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Port ${busy} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    const started = await startCli(['--port', '0'], { cwd: folder.path, env: { TESSERA_ISSUER_KEY_SECRET: secret } });
    expect(await started.stop()).toBe(0);
  }, 60_000);

  it('--help prints the usage and exits 0', async () => {
    const help = await runCli(['--help'], { cwd: folder.path });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: tessera-issuer <command>/);
    expect(help.stdout).toContain('keys create-api-key <tenant> <label>');
  }, 30_000);
});
