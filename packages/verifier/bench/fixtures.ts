/**
 * Everything the benchmark needs, prepared before any timing: keys (imported once), both
 * libraries configured for ES256, and the credential and presentation each case works on.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { digest, ES256, generateSalt } from '@sd-jwt/crypto-nodejs';
import { type SDJWTVCConfig, SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import type { ClaimPath, JsonObject, Jwk, SigningKey } from '@tessera/shared';
import { nodeSigningKey } from '@tessera/shared/node';

export const ISSUER = 'https://issuer.tessera.example';
export const VCT = 'https://tessera.example/residence-permit';
export const AUDIENCE = 'https://desk.example';
export const NONCE = 'bench-nonce-4f1c2a';

/** Ten selectively disclosable claims; `address` is one of them and has three disclosable members. */
export const SUBJECT_CLAIMS = {
  given_name: 'Amina',
  family_name: 'Hassan',
  birthdate: '1990-04-01',
  nationality: 'SO',
  residence_status: 'permanent',
  permit_type: 'EU long-term resident',
  valid_until: '2030-12-31',
  email: 'amina@example.org',
  phone_number: '+39 051 000000',
  address: { street_address: 'Via dell’Indipendenza 1', locality: 'Bologna', country: 'IT' },
} satisfies JsonObject;

export const TESSERA_DISCLOSABLE: ClaimPath[] = [
  ...Object.keys(SUBJECT_CLAIMS).map((name) => [name]),
  ['address', 'street_address'],
  ['address', 'locality'],
  ['address', 'country'],
];

export const SD_JWT_JS_DISCLOSURE_FRAME = {
  _sd: Object.keys(SUBJECT_CLAIMS),
  address: { _sd: ['street_address', 'locality', 'country'] },
};

/** The presentation discloses three claims, one of them inside the recursive `address`. */
export const TESSERA_PRESENTED: ClaimPath[] = [['given_name'], ['residence_status'], ['address', 'locality']];
export const SD_JWT_JS_PRESENTATION_FRAME = { given_name: true, residence_status: true, address: { locality: true } };
export const PRESENTED_CLAIMS = {
  given_name: 'Amina',
  residence_status: 'permanent',
  address: { locality: 'Bologna' },
} satisfies JsonObject;

export interface KeyPair {
  privateJwk: Jwk;
  publicJwk: Jwk;
  /** The same key as node:crypto KeyObjects, for the raw signature baseline. */
  privateKey: KeyObject;
  publicKey: KeyObject;
}

function p256KeyPair(): KeyPair {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateJwk = privateKey.export({ format: 'jwk' }) as Jwk;
  const { d: _d, ...publicJwk } = privateJwk;
  return {
    privateJwk,
    publicJwk,
    privateKey: createPrivateKey({ key: privateJwk as never, format: 'jwk' }),
    publicKey: createPublicKey({ key: publicJwk as never, format: 'jwk' }),
  };
}

export interface Fixtures {
  issuer: KeyPair;
  holder: KeyPair;
  tessera: { issuerKey: SigningKey; holderKey: SigningKey };
  sdJwtJs: SDJwtVcInstance;
  /** Registered claims (`iss`, `iat`, `vct`, `cnf`) as sd-jwt-js needs them in its payload. */
  registeredClaims: JsonObject;
}

/**
 * sd-jwt-js configured for ES256 the way its documentation shows, for credentials signed by
 * `issuer` and bound to holder keys. The cases that check status add their own fetcher on top.
 */
export async function sdJwtJsConfig(issuer: KeyPair, holder: KeyPair): Promise<SDJWTVCConfig> {
  return {
    signer: await ES256.getSigner(issuer.privateJwk),
    signAlg: ES256.alg,
    verifier: await ES256.getVerifier(issuer.publicJwk),
    kbSigner: await ES256.getSigner(holder.privateJwk),
    kbSignAlg: ES256.alg,
    // sd-jwt-js's documented way: the KB verifier receives the credential's payload and builds a
    // verifier from its cnf.jwk. The library has no key cache of its own, so this imports the
    // holder key per presentation; Tessera's provider caches imported keys (the 'verify' row) and
    // the 'verify, new holder' row shows both libraries importing a fresh holder key every time.
    kbVerifier: async (data: string, signature: string, payload: { cnf?: { jwk?: JsonWebKey } }) => {
      const jwk = payload.cnf?.jwk;
      if (jwk === undefined) return false;
      return (await ES256.getVerifier(jwk as never))(data, signature);
    },
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
  };
}

/** Generates the keys and configures both libraries. */
export async function createFixtures(): Promise<Fixtures> {
  const issuer = p256KeyPair();
  const holder = p256KeyPair();
  return {
    issuer,
    holder,
    tessera: { issuerKey: nodeSigningKey(issuer.privateJwk, 'ES256'), holderKey: nodeSigningKey(holder.privateJwk, 'ES256') },
    sdJwtJs: new SDJwtVcInstance(await sdJwtJsConfig(issuer, holder)),
    registeredClaims: {
      iss: ISSUER,
      iat: Math.floor(Date.now() / 1000),
      vct: VCT,
      cnf: { jwk: holder.publicJwk as JsonObject },
    },
  };
}
