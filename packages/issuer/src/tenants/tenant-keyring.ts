import { decodeBase64Url, fail, isTesseraError, type JsonObject, type Jwk, type SigningKey } from '@tessera/shared';
import { type Database, migrateToLatest } from '@tessera/shared/node';
import type { IIdentifier, IKey, VerifiableCredential } from '@veramo/core';
import { type Kysely, sql } from 'kysely';
import { buildDidDocument, type TenantDidDocument } from './did-document.ts';
import { isTenantId, parseBaseUrl, tenantDidWeb } from './did-web.ts';
import { type IssuerKeyTables, issuerKeyMigrations } from './migrations.ts';
import { jwkThumbprint, p256PublicJwk } from './public-jwk.ts';
import { checkSecretKey } from './sql-private-key-store.ts';
import { createVeramoStores, LOCAL_KMS, type VeramoStores } from './veramo-agent.ts';

/**
 * Tenants: the issuers one service hosts ("City of Bologna — Immigration Office", "Caritas
 * Language School"), each with its own DID and ES256 (P-256) key, managed through Veramo: its key
 * manager with the local KMS (private keys sealed under the operator's secret) and its DID
 * manager, all stored through Kysely in PGlite or PostgreSQL.
 *
 * - did:web for deployment: the DID follows from the service's base URL and the tenant id, and
 *   the service serves `didDocument(tenant)`. Rotation adds a key and makes it current; earlier
 *   keys stay in the document, so credentials signed with them keep verifying.
 * - did:jwk for local use: the DID *is* the key (did:jwk method specification), so it cannot take
 *   a second key. `rotate` refuses it (a TypeError: the caller can see `didMethod` first); a
 *   did:jwk tenant that needs a new key is a new tenant with a new DID, which verifiers must be
 *   told to trust.
 *
 * An unknown tenant is `issuer_key_not_found`: for this service, no tenant means no issuer key
 * (an HTTP layer answers 404). A wrong secret is `key_decryption_failed`.
 *
 * Creation and rotation run in one transaction under a per-tenant advisory lock
 * (`pg_advisory_xact_lock`): concurrent calls in this process or in other replicas on the same
 * PostgreSQL wait for one another, and a crash leaves no half-made tenant or orphaned key.
 */

export type TenantDidMethod = 'web' | 'jwk';

export interface TenantKeyringOptions {
  database: Database;
  /**
   * Seals the private keys at rest: 32 bytes as 64 hexadecimal characters, e.g. from the
   * environment (`TESSERA_ISSUER_KEY_SECRET`). Losing it loses the keys.
   */
  secretKey: string;
  /** The service's public base URL, e.g. `https://issuer.example.org`; needed for did:web tenants. */
  baseUrl?: string;
  /** Milliseconds since the epoch, for the keys' creation times. Default `Date.now`. */
  clock?: () => number;
  /** Run `issuerKeyMigrations` first. Default true; false when the application migrates every component itself. */
  migrate?: boolean;
}

/** What a tenant signs with: its DID, the current key's DID URL and public key, and a signer. */
export interface TenantIdentity {
  tenantId: string;
  didMethod: TenantDidMethod;
  did: string;
  /** DID URL of the current key: the JWS `kid`. */
  kid: string;
  publicJwk: Jwk;
  /** ES256 through Veramo's KMS; returns the raw 64-byte R‖S JWS signature (RFC 7518 §3.4). */
  signingKey: SigningKey & { kid: string };
}

export interface TenantKeyring {
  /** Creates the tenant's DID and key on the first call; afterwards returns the existing identity. */
  ensureTenant(options: { id: string; didMethod: TenantDidMethod }): Promise<TenantIdentity>;
  /** The tenant's current identity; `issuer_key_not_found` for an unknown or malformed id. */
  identity(tenantId: string): Promise<TenantIdentity>;
  /** Adds a new key to a did:web tenant and makes it current; a did:jwk tenant cannot rotate (TypeError). */
  rotate(tenantId: string): Promise<TenantIdentity>;
  /** The DID document to serve for a did:web tenant; `issuer_key_not_found` for any other id. */
  didDocument(tenantId: string): Promise<TenantDidDocument>;
  /**
   * Signs a W3C credential as a JWT (`jwt_vc_json`) through Veramo's credential plugin with the
   * tenant's current key, which never leaves the KMS: `iss` is the tenant's DID and the header
   * `kid` its current verification method.
   */
  issueW3cCredentialJwt(tenantId: string, request: W3cCredentialJwtRequest): Promise<string>;
}

/** A W3C VC Data Model 1.1 credential for `issueW3cCredentialJwt`; its `issuer` is always the tenant's DID. */
export interface W3cCredentialJwtRequest {
  /** `@context`, `type`, `credentialSubject` (with `id`, which becomes `sub`), `issuanceDate` (→ `nbf`), `expirationDate` (→ `exp`)… (VCDM 1.1 §6.3.1). */
  credential: JsonObject & { credentialSubject: JsonObject; issuanceDate: string };
  /**
   * JWT claims outside the `vc` claim, e.g. the Token Status List `status` claim
   * (draft-ietf-oauth-status-list §6.2). The registered claims the VC mapping sets are refused.
   */
  claims?: JsonObject;
}

/** JWT claims that VCDM 1.1 §6.3.1 derives from the credential (or that would change its meaning). */
const MAPPED_JWT_CLAIMS = ['iss', 'sub', 'nbf', 'exp', 'jti', 'iat', 'aud', 'vc', 'vp'];

type TenantRow = { id: string; did: string; did_method: string };

/**
 * Opens the tenant keyring over a database from `openDatabase` (`@tessera/shared/node`).
 *
 * @example
 * const keyring = await createTenantKeyring({ database, secretKey: process.env.TESSERA_ISSUER_KEY_SECRET ?? '',
 *   baseUrl: 'https://issuer.example.org' });
 * const bologna = await keyring.ensureTenant({ id: 'bologna', didMethod: 'web' });
 * const credential = await issueSdJwtVc({ issuer: bologna.did, signingKey: bologna.signingKey, … });
 */
export async function createTenantKeyring({
  database,
  secretKey,
  baseUrl,
  clock = Date.now,
  migrate = true,
}: TenantKeyringOptions): Promise<TenantKeyring> {
  const secret = checkSecretKey(secretKey);
  if (baseUrl !== undefined) parseBaseUrl(baseUrl);
  if (typeof clock !== 'function') throw new TypeError('clock must be a function returning milliseconds');
  if (migrate) await migrateToLatest(database, issuerKeyMigrations);
  const db = database.kysely.withTables<IssuerKeyTables>();
  const stores = createVeramoStores(db, secret, clock);
  /** In-process single flight, so parallel first calls do not queue up on the database lock. */
  const ensuring = new Map<string, Promise<TenantIdentity>>();

  /** Runs `work` in a transaction holding the tenant's advisory lock, with a Veramo agent on that transaction. */
  const underTenantLock = <T>(tenantId: string, work: (tx: VeramoStores) => Promise<T>): Promise<T> =>
    db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${`tessera:issuer-tenant:${tenantId}`}, 0))`.execute(trx);
      return work(createVeramoStores(trx, secret, clock));
    });

  const create = async (id: string, didMethod: TenantDidMethod): Promise<TenantIdentity> => {
    let expectedDid: string | undefined;
    if (didMethod === 'web') {
      if (baseUrl === undefined) throw new TypeError('A did:web tenant needs the keyring’s baseUrl');
      expectedDid = tenantDidWeb(baseUrl, id).did;
    }
    await underTenantLock(id, async (tx) => {
      const existing = await tenantRow(tx.db, id);
      if (existing !== undefined) {
        if (existing.did_method !== didMethod) {
          throw new TypeError(`Tenant ${id} already exists with did:${existing.did_method}, not did:${didMethod}`);
        }
        if (expectedDid !== undefined && existing.did !== expectedDid) {
          // A did:web cannot move: its document would be served under a DID that is not its id.
          throw new TypeError(`Tenant ${id} was created as ${existing.did}; the base URL now gives ${expectedDid}`);
        }
        return;
      }
      const identifier = await tx.agent.didManagerCreate(
        didMethod === 'web'
          ? { provider: 'did:web', alias: (expectedDid as string).slice('did:web:'.length), kms: LOCAL_KMS, options: P256 }
          : { provider: 'did:jwk', kms: LOCAL_KMS, options: P256 },
      );
      await tx.db
        .insertInto('issuer_tenant')
        .values({ id, did: identifier.did, did_method: didMethod, created_at: new Date(clock()) })
        .execute();
    });
    return load(id);
  };

  /** The identity, and the KMS reference of its current key. */
  const loadWithKey = async (tenantId: string): Promise<{ identity: TenantIdentity; keyRef: string }> => {
    const tenant = await knownTenant(db, tenantId);
    const identifier = await stores.agent.didManagerGet({ did: tenant.did });
    const current = currentKey(identifier);
    const publicJwk = p256PublicJwk(current.publicKeyHex);
    const kid = await verificationMethodId(tenant, publicJwk);
    const identity: TenantIdentity = {
      tenantId,
      didMethod: tenant.did_method as TenantDidMethod,
      did: tenant.did,
      kid,
      publicJwk,
      signingKey: { alg: 'ES256', kid, sign: kmsSigner(stores, current.kid) },
    };
    return { identity, keyRef: current.kid };
  };
  const load = async (tenantId: string): Promise<TenantIdentity> => (await loadWithKey(tenantId)).identity;

  return {
    ensureTenant({ id, didMethod }: { id: string; didMethod: TenantDidMethod }): Promise<TenantIdentity> {
      if (!isTenantId(id)) throw new TypeError('A tenant id is 1–63 lower-case letters, digits and inner hyphens');
      if (didMethod !== 'web' && didMethod !== 'jwk') throw new TypeError('didMethod must be "web" or "jwk"');
      let pending = ensuring.get(id);
      if (pending === undefined) {
        pending = create(id, didMethod).finally(() => ensuring.delete(id));
        ensuring.set(id, pending);
        return pending;
      }
      // Another call is creating this tenant: wait for it, then apply this call's own checks.
      return pending.then(
        () => create(id, didMethod),
        () => create(id, didMethod),
      );
    },

    identity: load,

    async rotate(tenantId: string): Promise<TenantIdentity> {
      await knownTenant(db, tenantId);
      await underTenantLock(tenantId, async (tx) => {
        const tenant = await knownTenant(tx.db, tenantId);
        if (tenant.did_method !== 'web') {
          throw new TypeError('A did:jwk is its key and cannot change it; create a new tenant for a new key');
        }
        const key = await tx.agent.keyManagerCreate({ kms: LOCAL_KMS, type: 'Secp256r1' });
        await tx.agent.didManagerAddKey({ did: tenant.did, key });
        // Veramo has no "make this key current" operation for did:web; the controller key is ours to set.
        const identifier = await tx.dids.getDID({ did: tenant.did });
        await tx.dids.importDID({ ...identifier, controllerKeyId: key.kid });
      });
      return load(tenantId);
    },

    async didDocument(tenantId: string): Promise<TenantDidDocument> {
      const tenant = await knownTenant(db, tenantId);
      if (tenant.did_method !== 'web') fail('issuer_key_not_found', 'The tenant has no did:web document');
      const identifier = await stores.agent.didManagerGet({ did: tenant.did });
      const current = currentKey(identifier);
      // Current key first, then the earlier ones, newest first.
      const ordered = [current, ...identifier.keys.filter((key) => key.kid !== current.kid).reverse()];
      const keys = await Promise.all(
        ordered.map(async (key) => {
          const publicJwk = p256PublicJwk(key.publicKeyHex);
          return { kid: await verificationMethodId(tenant, publicJwk), publicJwk };
        }),
      );
      return buildDidDocument(tenant.did, keys);
    },

    async issueW3cCredentialJwt(tenantId: string, { credential, claims = {} }: W3cCredentialJwtRequest): Promise<string> {
      for (const name of MAPPED_JWT_CLAIMS) {
        if (Object.hasOwn(claims, name)) throw new TypeError(`The JWT claim ${name} comes from the credential, not from claims`);
        if (Object.hasOwn(credential, name)) throw new TypeError(`A credential property may not be named ${name}`);
      }
      const { identity, keyRef } = await loadWithKey(tenantId);
      let issued: VerifiableCredential;
      try {
        issued = await stores.agent.createVerifiableCredential({
          // did-jwt-vc moves the credential's own properties into `vc` and the mapped ones to
          // `iss`/`sub`/`nbf`/`exp`, and keeps any other top-level member as a JWT claim.
          credential: { ...claims, ...credential, issuer: { id: identity.did } },
          proofFormat: 'jwt',
          keyRef,
          removeOriginalFields: true,
          // Verifiers find the key by the DID URL of the verification method (DID Core §5.2).
          header: { kid: identity.kid, typ: 'JWT' },
        });
      } catch (error) {
        if (isTesseraError(error)) throw error;
        // As for kmsSigner: tell a wrong secret (key_decryption_failed) from other failures.
        await stores.privateKeys.checkSecret(keyRef);
        throw new Error('Veramo could not sign the credential', { cause: error });
      }
      const jwt: unknown = issued.proof.jwt;
      if (typeof jwt !== 'string') throw new Error('Veramo returned a credential without a JWT proof');
      return jwt;
    },
  };
}

/** Veramo's option for P-256; both providers default to secp256k1, which ES256 cannot use. */
const P256 = { keyType: 'Secp256r1' } as const;

async function tenantRow(db: Kysely<IssuerKeyTables>, tenantId: string): Promise<TenantRow | undefined> {
  return db.selectFrom('issuer_tenant').select(['id', 'did', 'did_method']).where('id', '=', tenantId).executeTakeFirst();
}

async function knownTenant(db: Kysely<IssuerKeyTables>, tenantId: string): Promise<TenantRow> {
  // A malformed id never reaches the database: it may come straight from a request path.
  const row = isTenantId(tenantId) ? await tenantRow(db, tenantId) : undefined;
  if (row === undefined) fail('issuer_key_not_found', 'No tenant has this id');
  return row;
}

function currentKey(identifier: IIdentifier): IKey {
  const key = identifier.keys.find((candidate) => candidate.kid === identifier.controllerKeyId);
  if (key === undefined || key.type !== 'Secp256r1' || key.kms !== LOCAL_KMS) {
    throw new Error('The tenant’s identifier has no current P-256 key in the local KMS');
  }
  return key;
}

/** did:jwk method specification: the one key is `#0`. did:web: the key's RFC 7638 thumbprint. */
async function verificationMethodId(tenant: TenantRow, publicJwk: Jwk): Promise<string> {
  return tenant.did_method === 'jwk' ? `${tenant.did}#0` : `${tenant.did}#${await jwkThumbprint(publicJwk)}`;
}

/**
 * A JWS signer backed by the local KMS; the private key stays inside it. Veramo's
 * `keyManagerSign` with `ES256` returns the JOSE form already: base64url (no padding) of the
 * 64-byte R‖S, not DER; the bytes are checked here so a change in Veramo cannot go unnoticed.
 */
function kmsSigner(stores: VeramoStores, keyRef: string): (data: Uint8Array) => Promise<Uint8Array> {
  return async (data) => {
    let signature: string;
    try {
      signature = await stores.agent.keyManagerSign({
        keyRef,
        algorithm: 'ES256',
        data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex'),
        encoding: 'base16',
      });
    } catch (error) {
      if (isTesseraError(error)) throw error;
      // The local KMS reports every failure to read a private key as `key_not_found`, hiding a
      // wrong secret; ask the store directly which one it was.
      await stores.privateKeys.checkSecret(keyRef);
      fail('issuer_key_not_found', 'The tenant’s private key is not in the key store', error);
    }
    const bytes = typeof signature === 'string' ? decodeBase64Url(signature) : undefined;
    if (bytes === undefined || bytes.length !== 64)
      throw new Error('The KMS returned a signature that is not a 64-byte ES256 R‖S');
    return bytes;
  };
}
