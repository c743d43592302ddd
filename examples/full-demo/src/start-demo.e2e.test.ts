/**
 * The full demo as one process would run it, on free ports of 127.0.0.1 and a temp data folder:
 * a staff member offers a residence permit over the staff API, the wallet library (configured only
 * from the demo's `/wallet-config.json`, as the app is) receives it with the PIN, the desk asks for
 * residence, the holder shares, the desk's verifier accepts; staff revoke, and the next
 * presentation is refused. Then the demo restarts on the same folder with the same identities.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { RESIDENCE_PERMIT_CLAIMS } from '@tessera/issuer/testing';
import { makeTempDir } from '@tessera/shared/node/testing';
import { openRequest, receiveCredential, respond, type Wallet } from '@tessera/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestProfile, fileBackend, type TestBackend } from '../../../packages/wallet/src/node/test-wallets.ts';
import { DESK_NAME } from './demo-desk.ts';
import type { DemoWalletConfig } from './demo-wallet-app.ts';
import { type RunningDemo, startDemo } from './start-demo.ts';

const RESIDENCE_QUERY = {
  credentials: [
    {
      id: 'permit',
      format: 'dc+sd-jwt',
      meta: { vct_values: ['https://tessera.example/credentials/residence-permit'] },
      claims: [{ path: ['residence_status'] }],
    },
  ],
};

let folder: Awaited<ReturnType<typeof makeTempDir>>;
let demo: RunningDemo;
let backend: TestBackend;
let wallet: Wallet;
let config: DemoWalletConfig;

beforeAll(async () => {
  folder = await makeTempDir('tessera-demo-');
  demo = await startDemo({ dataDir: join(folder.path, 'data'), port: 0 });
  backend = await fileBackend();
  wallet = await createTestProfile(backend, 'amina', 'correct horse');
  config = (await (await fetch(`${demo.wallet.url}wallet-config.json`)).json()) as DemoWalletConfig;
}, 60_000);

afterAll(async () => {
  await demo?.stop();
  await backend?.dispose();
  await folder?.remove();
});

async function staff(tenant: string, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${demo.issuer.origin}/tenants/${tenant}/staff/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${demo.staffKeys[tenant]}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function presentResidence(): Promise<{ accepted: boolean; code: string | undefined }> {
  const { id, link } = await demo.desk.verifier.start({ query: RESIDENCE_QUERY });
  const consent = await openRequest(wallet, link, {
    trustAnchors: config.trustAnchors,
    allowInsecureLocalhost: config.allowInsecureLocalhost,
  });
  expect(consent.verifier).toMatchObject({ verified: true, name: DESK_NAME });
  await respond(wallet, consent, { optional: [] });
  const view = await demo.desk.verifier.get(id);
  return { accepted: view?.status === 'responded', code: view?.status === 'failed' ? view.error?.code : undefined };
}

describe('the full demo', () => {
  it('serves two tenants, the desk and the wallet configuration naming both issuers and the CA', () => {
    expect(demo.issuer.tenants.map((tenant) => tenant.id)).toEqual(['city', 'school']);
    expect(config.trust.issuers.map((issuer) => issuer.id)).toEqual(demo.issuer.tenants.map((tenant) => tenant.did));
    expect(config.trustAnchors[0]).toContain('BEGIN CERTIFICATE');
  });

  it('takes a permit from the staff API to the wallet and to the desk, and refuses it once revoked', async () => {
    const offer = await staff('city', 'offers', { type: 'residence_permit', claims: RESIDENCE_PERMIT_CLAIMS });
    expect(offer.status).toBe(201);
    const received = await receiveCredential(wallet, String(offer.body.link), {
      txCode: String(offer.body.pin),
      trust: config.trust,
      allowInsecureLocalhost: true,
    });
    expect(received.issuerTrusted).toBe(true);

    expect(await presentResidence()).toEqual({ accepted: true, code: undefined });

    const records = await staff('city', 'credentials', undefined);
    const record = (records.body.items as { id: string; offerId: string }[]).find((item) => item.offerId === offer.body.offerId);
    expect((await staff('city', `credentials/${record?.id}/status`, { status: 'revoked' })).status).toBe(200);
    expect(await presentResidence()).toEqual({ accepted: false, code: 'credential_revoked' });
  }, 60_000);

  it('keeps its identities and staff keys across a restart on the same folder', async () => {
    const dids = demo.issuer.tenants.map((tenant) => tenant.did);
    const keys = demo.staffKeys;
    const port = demo.issuer.listening.port;
    await demo.stop();
    await expect(startDemo({ dataDir: demo.dataDir, port: port === 65000 ? 65001 : 65000 })).rejects.toThrow(
      `was made with --port ${port}`,
    );
    demo = await startDemo({ dataDir: demo.dataDir });
    expect(demo.issuer.listening.port).toBe(port);
    expect(demo.issuer.tenants.map((tenant) => tenant.did)).toEqual(dids);
    expect(demo.staffKeys).toEqual(keys);
    expect((await staff('city', 'session', undefined)).status).toBe(200);
  }, 60_000);
});

describe('the demo command', () => {
  it('prints the three addresses, and stops cleanly on Ctrl-C (SIGINT) with exit code 0', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'main.ts'), '--port', '0', '--data', join(folder.path, 'cli')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    let interrupted = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!interrupted && output.includes('Stop with Ctrl-C')) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(output).toMatch(/Wallet app \(the migrant\)\s+http:\/\/localhost:\d+\//);
    expect(output).toMatch(/Service desk \(the verifier\)\s+http:\/\/localhost:\d+\/desk/);
    expect(output).toMatch(/Staff page \(the issuer\)\s+http:\/\/localhost:\d+\/tenants\/city\/staff\//);
    expect(output).toContain('Stopped.');
    expect(code).toBe(0);
  }, 60_000);
});
