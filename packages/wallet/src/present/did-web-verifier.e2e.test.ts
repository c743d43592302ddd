/**
 * `decentralized_identifier:did:web:` verifiers (OpenID4VP 1.0 §5.9.3) over real HTTP on
 * 127.0.0.1: the real verifier library signs its request objects as a did:web client; its DID
 * document is served by a small express server here (the verifier does not publish one). Hostile
 * request objects are signed here with the shared JWS code.
 */
import { generateKeyPair, type JsonObject, type Jwk, type SigningKey, signJwt } from '@tessera/shared';
import { nodeCrypto, nodeSigningKey } from '@tessera/shared/node';
import { createTestDidJwk } from '@tessera/shared/node/testing';
import { parseTrustList } from '@tessera/verifier';
import { startVerifierHost, type VerifierHost } from '@tessera/verifier/testing';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestProfile, fileBackend, holdSdJwtVc, type TestBackend } from '../node/test-wallets.ts';
import { resolveDidKey } from '../receive/did-key.ts';
import type { Wallet } from '../wallet/wallet.ts';
import { openRequest } from './open-request.ts';
import { respond } from './respond.ts';
import { requestObjectClaims, serveRequestObject } from './test-requests.ts';

const VCT = 'https://tessera.example/credentials/residence-permit';
const SECRET = 'Amina-PLANTED-SECRET';
const QUERY: JsonObject = {
  credentials: [{ id: 'permit', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claims: [{ path: ['residence_status'] }] }],
};
const OPEN = { allowInsecureLocalhost: true } as const;

let host: VerifierHost;
let origin: string;
let port: number;
let backend: TestBackend;
let wallet: Wallet;
/** did:web:127.0.0.1%3A<port>:verifiers:<name>, the document at /verifiers/<name>/did.json. */
const did = (name: string): string => `did:web:127.0.0.1%3A${port}:verifiers:${name}`;
let deskKey: SigningKey & { kid: string };
let deskPublic: Jwk;
let strangerKey: Awaited<ReturnType<typeof generateKeyPair>>;
/** How often each DID document was fetched. */
const fetched: Record<string, number> = {};

beforeAll(async () => {
  host = await startVerifierHost();
  ({ origin, port } = host);

  const desk = await generateKeyPair();
  deskPublic = desk.publicJwk;
  deskKey = { ...nodeSigningKey(desk.privateJwk, 'ES256'), kid: `${did('desk')}#key-1` };
  strangerKey = await generateKeyPair();
  const method = (of: string, id: string, publicKeyJwk: Jwk | JsonObject): JsonObject => ({
    id: `${did(of)}#${id}`,
    type: 'JsonWebKey2020',
    controller: did(of),
    publicKeyJwk: publicKeyJwk as JsonObject,
  });
  // No verification relationship on purpose: §5.9.3 takes the key from `verificationMethod`.
  const documents: Record<string, () => JsonObject> = {
    desk: () => ({ id: did('desk'), verificationMethod: [method('desk', 'key-1', deskPublic)] }),
    'wrong-id': () => ({ id: did('desk'), verificationMethod: [method('wrong-id', 'key-1', deskPublic)] }),
    'private-key': () => ({ id: did('private-key'), verificationMethod: [method('private-key', 'key-1', desk.privateJwk)] }),
    // The key appears only embedded in `authentication`, not in the `verificationMethod` property.
    embedded: () => ({ id: did('embedded'), authentication: [method('embedded', 'key-1', deskPublic)] }),
  };
  host.mount(
    'verifiers',
    express.Router().get('/:name/did.json', (request, response) => {
      const name = String(request.params.name);
      fetched[name] = (fetched[name] ?? 0) + 1;
      const document = documents[name];
      if (document === undefined) response.status(404).end();
      else response.type('application/did+json').send(JSON.stringify(document()));
    }),
  );

  backend = await fileBackend();
  wallet = await createTestProfile(backend, 'holder');
});

afterAll(async () => {
  wallet?.lock();
  await host?.close();
  await backend?.dispose();
});

describe('a did:web verifier', () => {
  it('is verified by the key its DID document lists, and receives the answer', async () => {
    const issuer = await createTestDidJwk();
    await holdSdJwtVc(wallet, issuer, {
      vct: VCT,
      claims: { given_name: SECRET, residence_status: 'lawfully_resident' },
      disclosable: [['given_name'], ['residence_status']],
      configurationId: 'residence_permit',
      display: [{ name: 'Residence permit', locale: 'en' }],
    });
    const verifier = host.verifier(
      {
        client: { prefix: 'decentralized_identifier', did: did('desk'), signingKey: deskKey },
        responseMode: 'direct_post',
        presentations: {
          trust: parseTrustList({
            version: 1,
            issuers: [{ id: issuer.did, name: { en: 'City of Bologna' }, credentialTypes: [VCT] }],
          }),
          fetchPolicy: { allowInsecureLocalhost: true, timeoutMs: 2000 },
          crypto: nodeCrypto,
        },
      },
      { name: 'v', maxResponseBytes: 64 * 1024 },
    );

    const before = fetched.desk ?? 0;
    const started = await verifier.start({ query: QUERY });
    const consent = await openRequest(wallet, started.link, OPEN);
    expect(consent.verifier).toEqual({
      clientId: `decentralized_identifier:${did('desk')}`,
      prefix: 'decentralized_identifier',
      verified: true,
      name: did('desk'),
    });
    expect(consent.warnings).toEqual([]);
    expect(fetched.desk).toBe(before + 1);
    const waiting = verifier.wait(started.id, 10_000);
    expect((await respond(wallet, consent)).accepted).toBe(true);
    expect((await waiting)?.credentials?.[0]?.disclosed).toEqual([['residence_status']]);
  });
});

describe('hostile did:web request objects', () => {
  /** Serves a request object signed with `key` under `header`, for the client `did(name)`. */
  function link(name: string, header: JsonObject, key: SigningKey = deskKey, clientDid = did(name)): string {
    const clientId = `decentralized_identifier:${clientDid}`;
    return serveRequestObject(
      host,
      (walletNonce) =>
        signJwt(
          { typ: 'oauth-authz-req+jwt', ...header },
          requestObjectClaims({ clientId, origin, query: QUERY, walletNonce }),
          key,
        ),
      clientId,
    );
  }
  /** The stable code of a refusal; no claim value in its message. */
  const refusal = async (promise: Promise<unknown>): Promise<string> => {
    const error = (await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    )) as { code?: string; message?: string } | undefined;
    expect(error?.message).not.toContain(SECRET);
    return String(error?.code);
  };

  it('accepts the well-formed object these tests vary', async () => {
    const consent = await openRequest(wallet, link('desk', { kid: `${did('desk')}#key-1` }), OPEN);
    expect(consent.verifier).toMatchObject({ verified: true, name: did('desk') });
  });

  it('refuses a kid of another DID, a relative kid and no kid, without fetching the DID document', async () => {
    const before = fetched.desk ?? 0;
    // signJwt names the key's own kid when the header has none: sign without one for that case.
    const { kid: _kid, ...withoutKid } = deskKey;
    for (const kid of [`${did('other')}#key-1`, '#key-1', undefined]) {
      const made = kid === undefined ? link('desk', {}, withoutKid) : link('desk', { kid });
      expect(await refusal(openRequest(wallet, made, OPEN)), String(kid)).toBe('client_id_mismatch');
    }
    expect(fetched.desk ?? 0).toBe(before);
  });

  it('refuses a DID document whose id is another DID', async () => {
    expect(await refusal(openRequest(wallet, link('wrong-id', { kid: `${did('wrong-id')}#key-1` }), OPEN))).toBe(
      'did_resolution_failed',
    );
  });

  it('refuses a kid the DID document does not list, or lists only outside verificationMethod', async () => {
    expect(await refusal(openRequest(wallet, link('desk', { kid: `${did('desk')}#key-2` }), OPEN))).toBe('client_id_mismatch');
    expect(await refusal(openRequest(wallet, link('embedded', { kid: `${did('embedded')}#key-1` }), OPEN))).toBe(
      'client_id_mismatch',
    );
  });

  it('refuses a listed key that did not sign, a listed private key, and a DID without a document', async () => {
    const stranger = nodeSigningKey(strangerKey.privateJwk, 'ES256');
    expect(await refusal(openRequest(wallet, link('desk', { kid: `${did('desk')}#key-1` }, stranger), OPEN))).toBe(
      'invalid_signature',
    );
    expect(await refusal(openRequest(wallet, link('private-key', { kid: `${did('private-key')}#key-1` }), OPEN))).toBe(
      'client_id_mismatch',
    );
    expect(await refusal(openRequest(wallet, link('missing', { kid: `${did('missing')}#key-1` }), OPEN))).toBe(
      'did_resolution_failed',
    );
  });

  it('fetches a did:web document over https only unless loopback development is allowed', async () => {
    const before = fetched.desk ?? 0;
    const http = { fetch: globalThis.fetch, timeoutMs: 2000, maxBytes: 64 * 1024 };
    const options = { kid: `${did('desk')}#key-1`, purpose: 'verificationMethod', notFound: 'client_id_mismatch' } as const;
    // did:web §3.2 maps to https: the plain-http test server never answers that request.
    expect(await refusal(resolveDidKey(did('desk'), { ...options, http: { ...http, allowInsecureLocalhost: false } }))).toBe(
      'fetch_failed',
    );
    expect(fetched.desk ?? 0).toBe(before);
    expect(await resolveDidKey(did('desk'), { ...options, http: { ...http, allowInsecureLocalhost: true } })).toEqual(deskPublic);
  });
});
