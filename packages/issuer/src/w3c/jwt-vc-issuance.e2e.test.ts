/**
 * `jwt_vc_json` (OpenID4VCI 1.0 Appendix A.1.1) end to end over real HTTP on 127.0.0.1: the
 * issuer app on PGlite, the test wallet, and `@tessera/verifier/w3c` as the relying party, which
 * checks the signature through the tenant's DID and that the signed `iss`/`sub`/`nbf`/`exp` match
 * the credential's JSON; the `status` claim is followed into the tenant's Token Status List with
 * the verifier's status checker.
 */
import { decodeJws, type JsonObject, parseStatusReference } from '@tessera/shared';
import { type Database, nodeCrypto, nodeInflate, openDatabase } from '@tessera/shared/node';
import { describePostgres } from '@tessera/shared/node/testing';
import {
  createDidResolver,
  createStatusChecker,
  parseTrustList,
  type StatusChecker,
  statusListKeyResolver,
  type TrustList,
} from '@tessera/verifier';
import { createNodeFetch } from '@tessera/verifier/node';
import { VC_CONTEXT_V1, verifyW3cCredentialJwt } from '@tessera/verifier/w3c';
import type { Resolvable } from 'did-resolver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_LIST_ID } from '../app/issuer-context.ts';
import { permitTenant, startTestIssuer, type TestIssuer } from '../app/test-issuer.ts';
import { RESIDENCE_PERMIT_CLAIMS } from '../credential-types/test-types.ts';
import { createCredentialOffer } from '../oid4vci/credential-offer.ts';
import {
  fetchOffer,
  getJson,
  type HolderKey,
  holderDidJwk,
  newHolderKey,
  postForm,
  postJson,
  preAuthorizedCode,
  proofJwt,
  receive,
} from '../oid4vci/test-wallet.ts';
import { didJwkOf } from './holder-did-jwk.ts';

const W3C_CONFIGURATION = 'residence_permit_jwt_vc_json';
const W3C_TYPE = 'ResidencePermitCredential';
const PERMIT_CLAIMS = { ...RESIDENCE_PERMIT_CLAIMS, given_name: 'Amina-SECRET' };

interface Running extends TestIssuer {
  trust: TrustList;
  resolver: Resolvable;
  status: StatusChecker;
}

async function startIssuer(database: Database): Promise<Running> {
  const tenant = (id: string, keys: Record<string, string>) => permitTenant(id, { en: `Tenant ${id}` }, keys);
  const started = await startTestIssuer(database, {
    batchSize: 3,
    tenants: [
      tenant('bologna', { didMethod: 'web' }),
      tenant('local', { didMethod: 'jwk' }),
      tenant('caritas', { didMethod: 'web', keySource: 'x5c' }),
    ],
  });
  const dids = await Promise.all(['bologna', 'local', 'caritas'].map(started.did));
  const trust = parseTrustList({
    version: 1,
    issuers: dids.map((did) => ({ id: did, name: { en: did.slice(0, 20) }, credentialTypes: [W3C_TYPE] })),
  });
  const fetch = createNodeFetch({ allowInsecureLocalhost: true, timeoutMs: 3000 });
  const resolver = createDidResolver({ fetch, allowInsecureLocalhost: true });
  const status = createStatusChecker({
    fetch,
    crypto: nodeCrypto,
    inflate: nodeInflate,
    resolveKey: statusListKeyResolver({ trust, didResolver: resolver, fetch, now: Date.now, allowInsecureLocalhost: true }),
  });
  return { ...started, trust, resolver, status };
}

function jwtVcSuite(name: string, open: () => Promise<Database>) {
  describe(name, () => {
    let running: Running;
    let database: Database;
    beforeAll(async () => {
      database = await open();
      running = await startIssuer(database);
    }, 60_000);
    afterAll(async () => {
      await running?.close();
      await database?.close();
    });

    const offer = (tenantId = 'bologna', pin = false) =>
      createCredentialOffer(running.issuer.context, {
        tenantId,
        typeId: 'residence_permit',
        claims: PERMIT_CLAIMS,
        pin,
        createdBy: 'staff-1',
      });
    const verify = (jwt: string) =>
      verifyW3cCredentialJwt(jwt, {
        resolver: running.resolver,
        trust: running.trust,
        status: running.status,
        algorithms: ['ES256'],
      });
    const statusOf = async (jwt: string) => {
      const { payload } = decodeJws(jwt);
      // Revocation must show on the next check, not after the list's ttl.
      running.status.clear();
      return running.status.check(parseStatusReference(payload.status), { issuer: String(payload.iss) });
    };

    /** An access token for the offer and a fresh c_nonce, as a wallet has them before its credential request. */
    const tokenFor = async (created: { link: string }) => {
      const code = preAuthorizedCode(await fetchOffer(created.link));
      const token = await postForm(`${running.origin}/tenants/bologna/token`, {
        grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
        'pre-authorized_code': code,
      });
      const nonce = String((await postJson(`${running.origin}/tenants/bologna/nonce`, {})).body.c_nonce);
      return { accessToken: String(token.body.access_token), nonce };
    };

    it('publishes did:jwk binding for jwt_vc_json and jwk binding for dc+sd-jwt', async () => {
      const metadata = await getJson(`${running.origin}/.well-known/openid-credential-issuer/tenants/bologna`);
      const configurations = metadata.body.credential_configurations_supported as Record<string, JsonObject>;
      expect(configurations[W3C_CONFIGURATION]).toMatchObject({
        format: 'jwt_vc_json',
        cryptographic_binding_methods_supported: ['did:jwk'],
        credential_signing_alg_values_supported: ['ES256'],
        credential_definition: { type: ['VerifiableCredential', W3C_TYPE] },
      });
      expect(configurations.residence_permit?.cryptographic_binding_methods_supported).toEqual(['jwk']);
    });

    it('issues one W3C VC per proof, each bound to its key’s did:jwk, with its own status index, and each verifies', async () => {
      const created = await offer('bologna', true);
      const keys = await Promise.all([newHolderKey(), newHolderKey(), newHolderKey()]);
      const { credentials } = await receive(created.link, {
        pin: created.pin as string,
        keys,
        configurationId: W3C_CONFIGURATION,
      });
      expect(credentials).toHaveLength(3);
      const identity = await running.issuer.context.keyring.identity('bologna');
      const indices = new Set<unknown>();
      for (const [position, jwt] of credentials.entries()) {
        const { header, payload } = decodeJws(jwt);
        const holderDid = didJwkOf((keys[position] as HolderKey).publicJwk);
        expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: identity.kid });
        expect(payload).toMatchObject({ iss: identity.did, sub: holderDid });
        expect(typeof payload.nbf).toBe('number');
        expect((payload.exp as number) - (payload.nbf as number)).toBe(365 * 86_400);
        // The status claim sits beside vc (draft-ietf-oauth-status-list §6.2), not as credentialStatus.
        expect(payload.status).toEqual({
          status_list: { idx: expect.any(Number), uri: `${running.origin}/tenants/bologna/status/${STATUS_LIST_ID}` },
        });
        expect((payload.vc as JsonObject).credentialStatus).toBeUndefined();
        expect(payload).not.toHaveProperty('jti');
        indices.add((payload.status as { status_list: { idx: number } }).status_list.idx);

        const verified = await verify(jwt);
        expect(verified).toMatchObject({
          issuer: identity.did,
          subject: holderDid,
          types: ['VerifiableCredential', W3C_TYPE],
          verificationMethod: identity.kid,
          credential: {
            '@context': [VC_CONTEXT_V1],
            issuanceDate: new Date((payload.nbf as number) * 1000).toISOString(),
            expirationDate: new Date((payload.exp as number) * 1000).toISOString(),
            credentialSubject: { ...PERMIT_CLAIMS, id: holderDid },
          },
        });
        expect((await statusOf(jwt)).status).toBe('valid');
      }
      expect(indices.size).toBe(3);
      const records = (await running.issuer.context.store.listIssuances('bologna')).items.filter(
        (record) => record.offerId === created.offerId,
      );
      expect(records.map((record) => record.format)).toEqual(['jwt_vc_json', 'jwt_vc_json', 'jwt_vc_json']);
      expect(new Set(records.map((record) => record.statusIndex))).toEqual(indices);
      expect(await running.issuer.context.store.getOfferClaims('bologna', created.offerId)).toBeUndefined();
    });

    it('binds to the did:jwk a proof names by kid (F.1), written as the holder wrote it, and refuses any other kid', async () => {
      const created = await offer();
      const key = await newHolderKey();
      const holderDid = holderDidJwk(key);
      // Not the DID the issuer would make of the key (member order, `use`): the credential must
      // name the holder's own string, or its presentations (signed as that DID) would not match.
      expect(holderDid).not.toBe(didJwkOf(key.publicJwk));
      const [jwt] = (await receive(created.link, { keys: [key], configurationId: W3C_CONFIGURATION, bindBy: 'did' })).credentials;
      expect(decodeJws(jwt as string).payload.sub).toBe(holderDid);
      await expect(verify(jwt as string)).resolves.toMatchObject({ subject: holderDid });

      const { accessToken, nonce } = await tokenFor(await offer());
      const audience = `${running.origin}/tenants/bologna`;
      const other = await newHolderKey();
      const refused = async (header: JsonObject, omitJwk = true) => {
        const proof = await proofJwt(key, { audience, nonce }, { omitJwk, header });
        const answer = await postJson(
          `${running.origin}/tenants/bologna/credential`,
          { credential_configuration_id: W3C_CONFIGURATION, proofs: { jwt: [proof] } },
          { authorization: `Bearer ${accessToken}` },
        );
        return [answer.status, answer.body.error];
      };
      // Both a jwk and a kid; a DID of another method (it would be fetched); no #0; another key's DID.
      expect(await refused({ kid: `${holderDid}#0` }, false)).toEqual([400, 'invalid_proof']);
      expect(await refused({ kid: 'did:web:169.254.169.254#key-1' })).toEqual([400, 'invalid_proof']);
      expect(await refused({ kid: holderDid })).toEqual([400, 'invalid_proof']);
      expect(await refused({ kid: `${holderDidJwk(other)}#0` })).toEqual([400, 'invalid_proof']);
      const withPrivateKey = `did:jwk:${Buffer.from(JSON.stringify({ ...key.publicJwk, d: 'AAAA' })).toString('base64url')}#0`;
      expect(await refused({ kid: withPrivateKey })).toEqual([400, 'invalid_proof']);
    });

    it('revocation at the issuer shows in the status list the credential points to', async () => {
      const created = await offer();
      const [jwt] = (await receive(created.link, { keys: [await newHolderKey()], configurationId: W3C_CONFIGURATION }))
        .credentials;
      const reference = parseStatusReference(decodeJws(jwt as string).payload.status);
      expect((await statusOf(jwt as string)).status).toBe('valid');
      expect(await running.issuer.context.store.setStatus('bologna', STATUS_LIST_ID, reference.idx, 1)).toBe(true);
      expect((await statusOf(jwt as string)).status).toBe('invalid');
      // The verifier refuses it (fail closed), and without a status checker it cannot accept it at all.
      await expect(verify(jwt as string)).rejects.toMatchObject({ code: 'credential_revoked' });
      await expect(
        verifyW3cCredentialJwt(jwt as string, { resolver: running.resolver, trust: running.trust, algorithms: ['ES256'] }),
      ).rejects.toMatchObject({ code: 'status_unavailable' });
    });

    it('did:jwk and x5c tenants sign W3C credentials with their DID', async () => {
      for (const tenantId of ['local', 'caritas']) {
        const created = await offer(tenantId);
        const key = await newHolderKey();
        const [jwt] = (await receive(created.link, { keys: [key], configurationId: W3C_CONFIGURATION })).credentials;
        const identity = await running.issuer.context.keyring.identity(tenantId);
        const { header } = decodeJws(jwt as string);
        expect(header.x5c).toBeUndefined();
        expect(header.kid).toBe(identity.kid);
        await expect(verify(jwt as string)).resolves.toMatchObject({ issuer: identity.did, subject: didJwkOf(key.publicJwk) });
      }
    });

    it('after a key rotation, new credentials name the new key and earlier ones still verify', async () => {
      const issue = async () => {
        const created = await offer();
        return (await receive(created.link, { keys: [await newHolderKey()], configurationId: W3C_CONFIGURATION }))
          .credentials[0] as string;
      };
      const before = await issue();
      const rotated = await running.issuer.context.keyring.rotate('bologna');
      const after = await issue();
      expect(decodeJws(after).header.kid).toBe(rotated.kid);
      expect(decodeJws(before).header.kid).not.toBe(rotated.kid);
      await expect(verify(after)).resolves.toMatchObject({ verificationMethod: rotated.kid });
      await expect(verify(before)).resolves.toMatchObject({ verified: true });
    });

    it('the credential endpoint refuses a jwt_vc_json request for an offer of another type, without claim values', async () => {
      const { accessToken, nonce } = await tokenFor(await offer());
      const proof = await proofJwt(await newHolderKey(), { audience: `${running.origin}/tenants/bologna`, nonce });
      const request = (configurationId: string) =>
        postJson(
          `${running.origin}/tenants/bologna/credential`,
          { credential_configuration_id: configurationId, proofs: { jwt: [proof] } },
          { authorization: `Bearer ${accessToken}` },
        );
      const other = await request('language_course_certificate_jwt_vc_json');
      expect(other.status).toBe(400);
      expect(['unknown_credential_configuration', 'credential_request_denied']).toContain(other.body.error);
      expect(JSON.stringify(other.body)).not.toContain('SECRET');
      // Nothing was issued: the same proof and nonce still get the offered W3C credential.
      const ok = await request(W3C_CONFIGURATION);
      expect(ok.status).toBe(200);
      const [jwt] = (ok.body.credentials as JsonObject[]).map(({ credential }) => String(credential));
      await expect(verify(jwt as string)).resolves.toMatchObject({ verified: true });
    });
  });
}

jwtVcSuite('jwt_vc_json issuance on PGlite, verified by @tessera/verifier/w3c', () => openDatabase({ kind: 'pglite' }));
describePostgres('jwt_vc_json issuance on PostgreSQL', (connect) => {
  jwtVcSuite('verified by @tessera/verifier/w3c', async () => (await connect()).openAnother());
});
