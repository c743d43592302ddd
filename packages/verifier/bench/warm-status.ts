/**
 * The warm-status case: a verifier that has already fetched the credential's Status List Token
 * (draft-ietf-oauth-status-list §6.2 `status.status_list`) verifies the next presentation. The
 * tokens are served over real HTTP on 127.0.0.1 (the verifier's development flag
 * `allowInsecureLocalhost` lets it use plain http there); each library fetches each list once and
 * answers from its cache afterwards, which the server's request count confirms after timing.
 *
 * The issuer is a did:jwk, resolved locally, so the only network traffic is the status list.
 */
import { deepStrictEqual, rejects, strictEqual } from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import {
  createStatusList,
  createStatusListToken,
  encodeBase64Url,
  issueSdJwtVc,
  isTesseraError,
  type JsonObject,
  presentSdJwt,
  type StatusListReference,
} from '@tessera/shared';
import { nodeCrypto, nodeDeflate, nodeSigningKey } from '@tessera/shared/node';
import { createPresentationVerifier, parseTrustList, STATUS_LIST_JWT_MEDIA_TYPE } from '@tessera/verifier';
import {
  AUDIENCE,
  type Fixtures,
  NONCE,
  PRESENTED_CLAIMS,
  SUBJECT_CLAIMS,
  sdJwtJsConfig,
  TESSERA_DISCLOSABLE,
  TESSERA_PRESENTED,
  VCT,
} from './fixtures.ts';
import { revokedIndices } from './status-list.ts';

/**
 * A small list and one of the size an issuer keeps for herd privacy: Tessera caches the decoded
 * list, so its cost should not depend on the size; sd-jwt-js verifies and decodes the cached token
 * again for every presentation, so its cost grows with the list.
 */
export const WARM_STATUS_LIST_SIZES = [1_024, 100_000] as const;

export interface WarmStatusList {
  entries: number;
  /** Tessera's `createPresentationVerifier(…).verify` on a presentation pointing into this list. */
  tessera: () => Promise<unknown>;
  /** sd-jwt-js `verify` with a cached `statusListFetcher`, on the same presentation. */
  sdJwtJs: () => Promise<unknown>;
}

export interface WarmStatus {
  lists: WarmStatusList[];
  /** The same verifier on the same presentation shape without a status reference. */
  tesseraWithoutStatus: () => Promise<unknown>;
  /** Fails unless every list was fetched exactly once per library; then stops the server. */
  close(): Promise<void>;
}

/** Serves the lists, issues the credentials, configures both verifiers and checks them once. */
export async function prepareWarmStatus(fx: Fixtures): Promise<WarmStatus> {
  const tokens = new Map<string, string>();
  const requests = new Map<string, number>();
  const server = createServer((req, res) => {
    const token = tokens.get(req.url ?? '');
    requests.set(req.url ?? '', (requests.get(req.url ?? '') ?? 0) + 1);
    if (token === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': STATUS_LIST_JWT_MEDIA_TYPE }).end(token);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const did = `did:jwk:${encodeBase64Url(new TextEncoder().encode(JSON.stringify(fx.issuer.publicJwk)))}`;
  const signingKey = nodeSigningKey(fx.issuer.privateJwk, 'ES256', `${did}#0`);
  const issue = (status?: StatusListReference): Promise<string> =>
    issueSdJwtVc({
      issuer: did,
      vct: VCT,
      claims: SUBJECT_CLAIMS,
      disclosable: TESSERA_DISCLOSABLE,
      holderKey: fx.holder.publicJwk,
      ...(status === undefined ? {} : { status }),
      signingKey,
      crypto: nodeCrypto,
    });
  const present = async (status?: StatusListReference): Promise<string> =>
    presentSdJwt(await issue(status), {
      disclose: TESSERA_PRESENTED,
      crypto: nodeCrypto,
      keyBinding: { signingKey: fx.tessera.holderKey, audience: AUDIENCE, nonce: NONCE },
    });

  const verifier = createPresentationVerifier({
    trust: parseTrustList({ version: 1, issuers: [{ id: did, name: { en: 'Bench issuer' }, credentialTypes: [VCT] }] }),
    fetchPolicy: { allowInsecureLocalhost: true },
    crypto: nodeCrypto,
    // The presentations are made once, before timing; a long --budget-ms must not age them out.
    kbMaxAge: 24 * 3600,
  });
  const expectations = { nonce: NONCE, audience: AUDIENCE };

  // sd-jwt-js's `statusListFetcher` option, with the in-memory cache an application would add:
  // one request per list, the same token string afterwards.
  const cachedTokens = new Map<string, Promise<string>>();
  const sdJwtJs = new SDJwtVcInstance({
    ...(await sdJwtJsConfig(fx.issuer, fx.holder)),
    statusListFetcher: (uri) => {
      let token = cachedTokens.get(uri);
      if (token === undefined) {
        token = fetchStatusListToken(uri);
        cachedTokens.set(uri, token);
      }
      return token;
    },
    statusValidator: async (status) => {
      if (status !== 0) throw new Error(`The credential has status ${status}`);
    },
  });
  const sdJwtJsVerify = (vp: string) => sdJwtJs.verify(vp, { keyBindingNonce: NONCE });

  const lists: WarmStatusList[] = [];
  for (const entries of WARM_STATUS_LIST_SIZES) {
    const path = `/status/${entries}`;
    const uri = `${origin}${path}`;
    const list = createStatusList(entries, 1);
    const revoked = revokedIndices(entries);
    for (const index of revoked) list.set(index, 1);
    tokens.set(path, await createStatusListToken({ list, uri, issuer: did, ttl: 3600, signingKey, deflate: nodeDeflate }));
    const valid = Math.floor(entries / 2);
    if (revoked.has(valid)) throw new Error(`Index ${valid} of the ${entries}-entry list is revoked; pick a valid one`);
    const vp = await present({ idx: valid, uri });

    // The first calls fetch the list; every later one must come from the cache.
    for (let call = 0; call < 2; call++) {
      const result = await verifier.verify(vp, expectations);
      deepStrictEqual(subjectClaims(result.claims), PRESENTED_CLAIMS);
      strictEqual(result.status.status, 'valid');
      strictEqual('fromCache' in result.status && result.status.fromCache, call === 1);
      const peer = await sdJwtJsVerify(vp);
      deepStrictEqual(subjectClaims(peer.payload as JsonObject), PRESENTED_CLAIMS);
      strictEqual(peer.payload.status?.status_list.idx, valid);
      strictEqual(peer.kb?.payload.nonce, NONCE);
    }
    // Both really read the list: a revoked entry of the same (cached) list is refused by both.
    const revokedVp = await present({ idx: revoked.values().next().value as number, uri });
    await rejects(verifier.verify(revokedVp, expectations), (error) => isTesseraError(error, 'credential_revoked'));
    await rejects(sdJwtJsVerify(revokedVp), /status 1/);

    lists.push({ entries, tessera: () => verifier.verify(vp, expectations), sdJwtJs: () => sdJwtJsVerify(vp) });
  }

  const withoutStatus = await present();
  strictEqual((await verifier.verify(withoutStatus, expectations)).status.status, 'none');

  return {
    lists,
    tesseraWithoutStatus: () => verifier.verify(withoutStatus, expectations),
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
      // One fetch by each library per list: both caches stayed warm through the timing.
      for (const path of tokens.keys()) strictEqual(requests.get(path), 2, `${path} was fetched ${requests.get(path)} times`);
    },
  };
}

const REGISTERED_CLAIMS = new Set(['iss', 'iat', 'vct', 'cnf', 'status']);

/** The claims about the holder, without the registered ones both libraries also return. */
function subjectClaims(claims: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(claims).filter(([name]) => !REGISTERED_CLAIMS.has(name)));
}

/** What sd-jwt-js's default fetcher does, without its 10-second timer per call. */
async function fetchStatusListToken(uri: string): Promise<string> {
  const response = await fetch(uri, { headers: { accept: STATUS_LIST_JWT_MEDIA_TYPE } });
  if (!response.ok) throw new Error(`Fetching the status list failed with HTTP ${response.status}`);
  return response.text();
}
