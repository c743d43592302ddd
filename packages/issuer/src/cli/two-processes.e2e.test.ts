/**
 * Two `tessera-issuer start` processes on one PostgreSQL schema behave as one service (the
 * deployment behind a load balancer): a code redeemed at A gives a token B honours, a nonce from
 * A is consumed at B (and only once), ten racing token requests for one code across both give
 * exactly one token, and a status change is in the list either process serves. Offers are made
 * by a third replica in this test process, as the staff API of any replica would.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJws, decodeStatusList, type EncodedStatusList, type JsonObject, parseStatusReference } from '@tessera/shared';
import { nodeInflate } from '@tessera/shared/node';
import { describePostgres, makeTempDir, TEST_POSTGRES_URL, type TestPostgres } from '@tessera/shared/node/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createIssuerApp, type IssuerApp } from '../app/create-issuer-app.ts';
import { STATUS_LIST_ID } from '../app/issuer-context.ts';
import { RESIDENCE_PERMIT_REQUIRED_CLAIMS } from '../credential-types/test-types.ts';
import { createCredentialOffer, PRE_AUTHORIZED_GRANT } from '../oid4vci/credential-offer.ts';
import { fetchOffer, newHolderKey, postForm, postJson, preAuthorizedCode, proofJwt } from '../oid4vci/test-wallet.ts';
import { createSqlIssuerStore } from '../store/index.ts';
import { createTenantKeyring } from '../tenants/index.ts';
import { freePort, type StartedCli, startCli } from './test-cli.ts';

const SECRET = '3e'.repeat(32);

describePostgres('two tessera-issuer processes on one PostgreSQL schema', (connect) => {
  let postgres: TestPostgres;
  let folder: { path: string; remove(): Promise<void> };
  let a: StartedCli;
  let b: StartedCli;
  let replica: IssuerApp;
  let baseUrl: string;

  beforeAll(async () => {
    postgres = await connect();
    folder = await makeTempDir('tessera-two-');
    const portA = await freePort();
    baseUrl = `http://localhost:${portA}`;
    const issuer = {
      baseUrl,
      allowInsecureBaseUrl: true,
      tenants: [
        {
          id: 'bologna',
          name: { en: 'City of Bologna — Immigration Office' },
          didMethod: 'web',
          credentialTypes: ['residence_permit'],
          statusList: { size: 4096 },
        },
      ],
    };
    const configPath = join(folder.path, 'tessera-issuer.json');
    await writeFile(configPath, JSON.stringify({ listen: { port: portA }, dataDir: './data', issuer }));
    const env = {
      TESSERA_ISSUER_KEY_SECRET: SECRET,
      TESSERA_ISSUER_DATABASE_URL: TEST_POSTGRES_URL as string,
      TESSERA_ISSUER_DATABASE_SCHEMA: postgres.schema,
    };
    // A first: it creates the tenant's key and the development CA; B finds both.
    a = await startCli([], { cwd: folder.path, env });
    b = await startCli(['--port', '0'], { cwd: folder.path, env });
    replica = await createIssuerApp({
      config: issuer,
      store: await createSqlIssuerStore(postgres.database),
      keyring: await createTenantKeyring({ database: postgres.database, secretKey: SECRET, baseUrl }),
    });
  }, 90_000);
  afterAll(async () => {
    const codes = await Promise.all([a?.stop(), b?.stop()]);
    await folder?.remove();
    // Both shut down cleanly (SIGTERM → exit 0) even with the pool open to PostgreSQL.
    expect(codes).toEqual([0, 0]);
  }, 30_000);

  const at = (process: StartedCli, path: string) => `${process.listenUrl}${path}`;
  const newOffer = async () => {
    const created = await createCredentialOffer(replica.context, {
      tenantId: 'bologna',
      typeId: 'residence_permit',
      claims: RESIDENCE_PERMIT_REQUIRED_CLAIMS,
      pin: false,
      createdBy: 'staff-1',
    });
    return { ...created, code: preAuthorizedCode(await fetchOffer(created.link)) };
  };
  const token = (process: StartedCli, code: string) =>
    postForm(at(process, '/tenants/bologna/token'), { grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': code });
  const nonce = async (process: StartedCli) => String((await postJson(at(process, '/tenants/bologna/nonce'), {})).body.c_nonce);
  const credential = async (process: StartedCli, accessToken: string, cNonce: string) =>
    postJson(
      at(process, '/tenants/bologna/credential'),
      {
        credential_configuration_id: 'residence_permit_jwt_vc_json',
        proofs: { jwt: [await proofJwt(await newHolderKey(), { audience: `${baseUrl}/tenants/bologna`, nonce: cNonce })] },
      },
      { authorization: `Bearer ${accessToken}` },
    );

  it('a code redeemed at A and a nonce from A give a credential at B; the nonce is then spent at A too', async () => {
    const offer = await newOffer();
    const redeemed = await token(a, offer.code);
    expect(redeemed.status).toBe(200);
    const fromA = await nonce(a);
    const issued = await credential(b, String(redeemed.body.access_token), fromA);
    expect(issued.status).toBe(200);
    const [jwt] = (issued.body.credentials as JsonObject[]).map((entry) => String(entry.credential));
    expect(decodeJws(jwt as string).payload.iss).toBe((await replica.context.keyring.identity('bologna')).did);
    // Consumed at B: A refuses it (with a fresh nonce to retry with), and so does B.
    const second = await newOffer();
    const secondToken = String((await token(b, second.code)).body.access_token);
    const replayA = await credential(a, secondToken, fromA);
    expect(replayA.body.error).toBe('invalid_nonce');
    expect(typeof replayA.body.c_nonce).toBe('string');
    expect((await credential(b, secondToken, fromA)).body.error).toBe('invalid_nonce');
  });

  it('ten token requests for one code, raced across both processes, give exactly one token', async () => {
    const offer = await newOffer();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => token(i % 2 === 0 ? a : b, offer.code)));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.body.error === 'invalid_grant')).toHaveLength(9);
  });

  it('a status change is in the status list B serves (and A), without waiting for a cache', async () => {
    const offer = await newOffer();
    const accessToken = String((await token(a, offer.code)).body.access_token);
    const issued = await credential(a, accessToken, await nonce(a));
    const jwt = String((issued.body.credentials as JsonObject[])[0]?.credential);
    const { idx } = parseStatusReference(decodeJws(jwt).payload.status);
    const statusAt = async (process: StartedCli) => {
      const response = await fetch(at(process, `/tenants/bologna/status/${STATUS_LIST_ID}`));
      const { payload } = decodeJws(await response.text());
      const list = await decodeStatusList(payload.status_list as unknown as EncodedStatusList, { inflate: nodeInflate });
      return { value: list.get(idx), etag: response.headers.get('etag') };
    };
    const before = await statusAt(b);
    expect(before.value).toBe(0);
    expect(await replica.context.store.setStatus('bologna', STATUS_LIST_ID, idx, 1)).toBe(true);
    const afterB = await statusAt(b);
    const afterA = await statusAt(a);
    expect(afterB.value).toBe(1);
    expect(afterA.value).toBe(1);
    expect(afterB.etag).not.toBe(before.etag);
    expect(afterA.etag).toBe(afterB.etag);
  });
});
