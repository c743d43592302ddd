import { join } from 'node:path';
import { createDevelopmentCa } from '@tessera/shared/node';
import { makeTempDir } from '@tessera/shared/node/testing';
import { compactVerify, decodeProtectedHeader, importX509 } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyX5cChain } from '../keys/x509.ts';
import { x509Hash } from '../openid4vp/client-identity.ts';
import { createVerifier } from '../openid4vp/verifier.ts';
import { parseTrustList } from '../trust/trust-list.ts';
import { createDevelopmentClient } from './development-client.ts';

describe('createDevelopmentClient', () => {
  let folder: { path: string; remove(): Promise<void> };
  beforeAll(async () => {
    folder = await makeTempDir('tessera-dev-client-');
  });
  afterAll(() => folder?.remove());

  it('gives an x509_hash: identity whose request objects a wallet trusting the development CA accepts', async () => {
    const ca = await createDevelopmentCa({ dir: join(folder.path, 'ca') });
    const { client, certificatePem } = await createDevelopmentClient({
      ca,
      dnsName: 'desk.localhost',
      name: 'Job centre (test)',
    });
    expect(certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const verifier = createVerifier({
      baseUrl: 'https://desk.localhost/verify',
      client,
      presentations: { trust: parseTrustList({ version: 1, issuers: [] }) },
    });
    const started = await verifier.start({
      query: { credentials: [{ id: 'q', format: 'dc+sd-jwt', meta: { vct_values: ['https://tessera.example/t'] } }] },
    });
    const state = decodeURIComponent(String(new URL(started.link).searchParams.get('request_uri')).split('/').pop() ?? '');
    const requestObject = await verifier.requestObject(state);

    // What a wallet does: the chain leads to its trust anchor, the client id is the leaf's hash, the signature is the leaf's.
    const x5c = decodeProtectedHeader(requestObject).x5c as string[];
    await verifyX5cChain(x5c, { trustAnchors: [ca.certificatePem], issuer: 'https://desk.localhost', alg: 'ES256' });
    expect(new URL(started.link).searchParams.get('client_id')).toBe(`x509_hash:${await x509Hash(x5c[0] as string)}`);
    const leafKey = await importX509(`-----BEGIN CERTIFICATE-----\n${x5c[0]}\n-----END CERTIFICATE-----`, 'ES256');
    await expect(compactVerify(requestObject, leafKey)).resolves.toBeDefined();

    // Another CA's wallet does not accept it.
    const other = await createDevelopmentCa({ dir: join(folder.path, 'other') });
    await expect(
      verifyX5cChain(x5c, { trustAnchors: [other.certificatePem], issuer: 'https://desk.localhost', alg: 'ES256' }),
    ).rejects.toMatchObject({ code: 'certificate_invalid' });
  });
});
