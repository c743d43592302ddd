import { createECDH } from 'node:crypto';
import { isTesseraError } from '@tessera/shared';
import type { Database } from '@tessera/shared/node';
import { SecretBox } from '@veramo/kms-local';
import { compactVerify, importJWK } from 'jose';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { createTenantKeyring, type TenantIdentity, type TenantKeyring } from './tenant-keyring.ts';

/**
 * The keyring's behaviour, run against every database engine (PGlite, PostgreSQL). Each test uses
 * tenant ids of its own, so the suite shares one database.
 */

export const SECRET = '6f'.repeat(32);
export const OTHER_SECRET = 'a1'.repeat(32);
export const BASE_URL = 'https://issuer.example.org';
const TABLES = ['issuer_key', 'issuer_private_key', 'issuer_did', 'issuer_tenant'] as const;

export interface KeyringBackend {
  /** The database the suite runs on, migrated or not. */
  database(): Promise<Database>;
  /** A second, independent connection pool on the same data (another replica), when the engine has one. */
  anotherDatabase?(): Promise<Database>;
}

/** Every row of the keyring's tables as JSON text: what an attacker with a database dump sees. */
export async function dumpTables(database: Database): Promise<string> {
  const parts: string[] = [];
  for (const table of TABLES) {
    const { rows } = await sql<{ row: string }>`select row_to_json(t)::text as row from ${sql.table(table)} t order by 1`.execute(
      database.kysely,
    );
    parts.push(...rows.map((row) => row.row));
  }
  return parts.join('\n');
}

/** Signs a compact JWS with the tenant's KMS-backed key. */
export async function signJws(identity: TenantIdentity, payload: object): Promise<string> {
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'ES256', kid: identity.kid })}.${encode(payload)}`;
  const signature = await identity.signingKey.sign(new TextEncoder().encode(input));
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isTesseraError(error), String(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

export function registerTenantKeyringContract(backend: KeyringBackend): void {
  let database: Database;
  let keyring: TenantKeyring;
  beforeAll(async () => {
    database = await backend.database();
    keyring = await createTenantKeyring({ database, secretKey: SECRET, baseUrl: BASE_URL });
  });

  it('creates a did:web tenant whose DID follows from the base URL, and returns the same identity afterwards', async () => {
    const first = await keyring.ensureTenant({ id: 'bologna', didMethod: 'web' });
    expect(first.did).toBe('did:web:issuer.example.org:tenants:bologna');
    expect(first.kid.startsWith(`${first.did}#`)).toBe(true);
    expect(first.publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) });
    expect(first.signingKey).toMatchObject({ alg: 'ES256', kid: first.kid });
    const again = await keyring.ensureTenant({ id: 'bologna', didMethod: 'web' });
    expect({ ...again, signingKey: undefined }).toEqual({ ...first, signingKey: undefined });
    const looked = await keyring.identity('bologna');
    expect(looked.kid).toBe(first.kid);
  });

  it('creates a did:jwk tenant whose DID is its P-256 key, with the key as #0', async () => {
    const identity = await keyring.ensureTenant({ id: 'caritas-dev', didMethod: 'jwk' });
    expect(identity.kid).toBe(`${identity.did}#0`);
    const embedded = JSON.parse(Buffer.from(identity.did.slice('did:jwk:'.length), 'base64url').toString('utf8'));
    expect(embedded).toMatchObject({ kty: 'EC', crv: 'P-256', x: identity.publicJwk.x, y: identity.publicJwk.y });
    expect(embedded.d).toBeUndefined();
    expect((await keyring.ensureTenant({ id: 'caritas-dev', didMethod: 'jwk' })).did).toBe(identity.did);
  });

  it('makes exactly one key when five calls create the same tenant at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => keyring.ensureTenant({ id: 'parallel', didMethod: 'web' })),
    );
    expect(new Set(results.map((identity) => identity.kid)).size).toBe(1);
    const document = await keyring.didDocument('parallel');
    expect(document.verificationMethod).toHaveLength(1);
    const jwkResults = await Promise.all(
      Array.from({ length: 5 }, () => keyring.ensureTenant({ id: 'parallel-jwk', didMethod: 'jwk' })),
    );
    expect(new Set(jwkResults.map((identity) => identity.did)).size).toBe(1);
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from issuer_tenant where id in ('parallel', 'parallel-jwk')`.execute(database.kysely);
    expect(rows[0]?.n).toBe(2);
  });

  if (backend.anotherDatabase !== undefined) {
    const openAnother = backend.anotherDatabase;
    it('makes exactly one key when two replicas on separate connection pools create the same tenant at once', async () => {
      const replica = await createTenantKeyring({
        database: await openAnother(),
        secretKey: SECRET,
        baseUrl: BASE_URL,
        migrate: false,
      });
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 === 0 ? keyring : replica).ensureTenant({ id: 'replicated', didMethod: 'web' }),
        ),
      );
      expect(new Set(results.map((identity) => identity.kid)).size).toBe(1);
      expect((await keyring.didDocument('replicated')).verificationMethod).toHaveLength(1);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from issuer_key`.execute(database.kysely);
      const { rows: dids } = await sql<{ n: number }>`select count(*)::int as n from issuer_did`.execute(database.kysely);
      // No orphaned key from a losing attempt: every key belongs to exactly one DID's key list.
      const { rows: listed } = await sql<{
        n: number;
      }>`select count(*)::int as n from issuer_did d, json_array_elements_text(d.key_ids)`.execute(database.kysely);
      expect(rows[0]?.n).toBe(listed[0]?.n);
      expect(dids[0]?.n).toBeGreaterThan(0);
    });
  }

  it('signs with the raw R‖S form that jose and WebCrypto verify against the published key', async () => {
    const identity = await keyring.ensureTenant({ id: 'signer', didMethod: 'web' });
    const jws = await signJws(identity, { hello: 'world' });
    const { payload, protectedHeader } = await compactVerify(jws, await importJWK(identity.publicJwk, 'ES256'));
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ hello: 'world' });
    expect(protectedHeader.kid).toBe(identity.kid);

    const data = new TextEncoder().encode('any bytes at all');
    const signature = await identity.signingKey.sign(data);
    expect(signature).toBeInstanceOf(Uint8Array);
    expect(signature).toHaveLength(64);
    const key = await crypto.subtle.importKey('jwk', identity.publicJwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'verify',
    ]);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature as Uint8Array<ArrayBuffer>, data)).toBe(
      true,
    );
    expect(
      await crypto.subtle.verify(
        { name: 'ECDSA', hash: 'SHA-256' },
        key,
        signature as Uint8Array<ArrayBuffer>,
        new TextEncoder().encode('other'),
      ),
    ).toBe(false);
  });

  it('rotates a did:web tenant: the new key signs, and every earlier key stays in the document, current first', async () => {
    const before = await keyring.ensureTenant({ id: 'rotating', didMethod: 'web' });
    const oldJws = await signJws(before, { n: 1 });
    const second = await keyring.rotate('rotating');
    const third = await keyring.rotate('rotating');
    expect(new Set([before.kid, second.kid, third.kid]).size).toBe(3);
    expect(third.did).toBe(before.did);
    expect((await keyring.identity('rotating')).kid).toBe(third.kid);
    expect((await keyring.ensureTenant({ id: 'rotating', didMethod: 'web' })).kid).toBe(third.kid);

    const document = await keyring.didDocument('rotating');
    expect(document.id).toBe(before.did);
    expect(document.verificationMethod.map((method) => method.id)).toEqual([third.kid, second.kid, before.kid]);
    expect(document.assertionMethod).toEqual([third.kid, second.kid, before.kid]);
    for (const method of document.verificationMethod) {
      expect(method).toMatchObject({ type: 'JsonWebKey2020', controller: before.did });
      expect(Object.keys(method.publicKeyJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    }
    // The signature made before the rotation still verifies with the key the document lists for its kid.
    const oldKey = document.verificationMethod.find((method) => method.id === before.kid)?.publicKeyJwk;
    await expect(compactVerify(oldJws, await importJWK(oldKey ?? {}, 'ES256'))).resolves.toBeDefined();
    await expect(compactVerify(await signJws(third, { n: 2 }), await importJWK(third.publicJwk, 'ES256'))).resolves.toBeDefined();
  });

  it('refuses to rotate a did:jwk tenant, whose DID is its key, and changes nothing', async () => {
    const identity = await keyring.ensureTenant({ id: 'jwk-no-rotate', didMethod: 'jwk' });
    const before = await dumpTables(database);
    await expect(keyring.rotate('jwk-no-rotate')).rejects.toThrow(TypeError);
    expect(await dumpTables(database)).toBe(before);
    expect((await keyring.identity('jwk-no-rotate')).kid).toBe(identity.kid);
  });

  it('answers an unknown or malformed tenant id with issuer_key_not_found, and has no did:web document for a did:jwk tenant', async () => {
    for (const id of ['nobody', '../bologna', 'Bologna', '', 'a'.repeat(64), "x' or '1'='1", 'bologna/did.json']) {
      await expectCode(keyring.identity(id), 'issuer_key_not_found');
      await expectCode(keyring.didDocument(id), 'issuer_key_not_found');
      await expectCode(keyring.rotate(id), 'issuer_key_not_found');
    }
    await keyring.ensureTenant({ id: 'jwk-only', didMethod: 'jwk' });
    await expectCode(keyring.didDocument('jwk-only'), 'issuer_key_not_found');
  });

  it('refuses to create a tenant with a malformed id or method, or to change an existing tenant’s DID method', async () => {
    for (const id of ['', 'UPPER', '-dash', 'dash-', 'a/b', 'a:b', 'a'.repeat(64)]) {
      expect(() => keyring.ensureTenant({ id, didMethod: 'web' })).toThrow(TypeError);
    }
    expect(() => keyring.ensureTenant({ id: 'ok', didMethod: 'key' as 'web' })).toThrow(TypeError);
    await keyring.ensureTenant({ id: 'fixed-method', didMethod: 'web' });
    await expect(keyring.ensureTenant({ id: 'fixed-method', didMethod: 'jwk' })).rejects.toThrow(/already exists with did:web/);
  });

  it('refuses to serve a did:web tenant under a base URL that would give it another DID', async () => {
    await keyring.ensureTenant({ id: 'moved', didMethod: 'web' });
    const elsewhere = await createTenantKeyring({
      database,
      secretKey: SECRET,
      baseUrl: 'https://other.example.org',
      migrate: false,
    });
    await expect(elsewhere.ensureTenant({ id: 'moved', didMethod: 'web' })).rejects.toThrow(/base URL now gives/);
    // Reading needs no base URL: the stored DID is the identity.
    expect((await elsewhere.identity('moved')).did).toBe('did:web:issuer.example.org:tenants:moved');
  });

  it('stores private keys sealed: neither the hex nor the JWK d of any key appears in the tables', async () => {
    await keyring.ensureTenant({ id: 'sealed', didMethod: 'web' });
    await keyring.rotate('sealed');
    const dump = await dumpTables(database);
    const { rows } = await sql<{
      alias: string;
      encrypted_private_key: string;
    }>`select alias, encrypted_private_key from issuer_private_key`.execute(database.kysely);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const box = new SecretBox(SECRET);
    for (const row of rows) {
      const privateKeyHex = await box.decrypt(row.encrypted_private_key);
      expect(privateKeyHex).toMatch(/^[0-9a-f]{64}$/);
      // The decrypted value really is the private key of the key it is stored for.
      const curve = createECDH('prime256v1');
      curve.setPrivateKey(privateKeyHex, 'hex');
      expect(curve.getPublicKey('hex', 'compressed')).toBe(row.alias);
      const d = Buffer.from(privateKeyHex, 'hex').toString('base64url');
      const base64 = Buffer.from(privateKeyHex, 'hex').toString('base64');
      for (const form of [privateKeyHex, privateKeyHex.toUpperCase(), d, base64]) expect(dump).not.toContain(form);
    }
  });

  it('with the wrong secret, reads public identities but neither signs, rotates nor creates, and changes nothing', async () => {
    const right = await keyring.ensureTenant({ id: 'locked', didMethod: 'web' });
    const wrong = await createTenantKeyring({ database, secretKey: OTHER_SECRET, baseUrl: BASE_URL, migrate: false });
    const before = await dumpTables(database);
    const identity = await wrong.identity('locked');
    expect(identity.kid).toBe(right.kid);
    await expectCode(identity.signingKey.sign(new Uint8Array([1, 2, 3])), 'key_decryption_failed');
    await expectCode(wrong.rotate('locked'), 'key_decryption_failed');
    await expectCode(wrong.ensureTenant({ id: 'never-made', didMethod: 'web' }), 'key_decryption_failed');
    await expectCode(wrong.ensureTenant({ id: 'never-made-jwk', didMethod: 'jwk' }), 'key_decryption_failed');
    expect(await dumpTables(database)).toBe(before);
    // The right secret still works after all that.
    await expect(
      compactVerify(await signJws(await keyring.identity('locked'), {}), await importJWK(right.publicJwk, 'ES256')),
    ).resolves.toBeDefined();
  });

  it('refuses a malformed secret or base URL before touching the database', async () => {
    for (const secretKey of [
      '',
      '6f'.repeat(31),
      `${'6f'.repeat(31)}6g`,
      '6f'.repeat(33),
      ` ${'6f'.repeat(32)}`,
      undefined,
      42,
    ]) {
      await expect(createTenantKeyring({ database, secretKey: secretKey as string, baseUrl: BASE_URL })).rejects.toThrow(
        /64 hexadecimal characters/,
      );
    }
    for (const baseUrl of [
      'http://issuer.example.org',
      'issuer.example.org',
      'https://u:p@issuer.example.org',
      'https://[::1]:8443',
    ]) {
      await expect(createTenantKeyring({ database, secretKey: SECRET, baseUrl })).rejects.toThrow(TypeError);
    }
    const noBase = await createTenantKeyring({ database, secretKey: SECRET, migrate: false });
    await expect(noBase.ensureTenant({ id: 'needs-base', didMethod: 'web' })).rejects.toThrow(/baseUrl/);
  });
}
