import { nodeSigningKey } from '../crypto/node.ts';
import type { Jwk, SigningKey } from '../crypto/types.ts';
import { generateKeyPair } from '../crypto/web.ts';
import { encodeBase64UrlText } from '../encoding/base64url.ts';

/** A party named by the did:jwk of its own key: a test issuer, or a verifier's client identity. */
export interface TestDidJwk {
  did: string;
  publicJwk: Jwk;
  privateJwk: Jwk;
  /** ES256, with `kid` `<did>#0`, the one verification method of a did:jwk document. */
  signingKey: SigningKey & { kid: string };
}

/**
 * Test-only: a fresh P-256 key and its did:jwk (did:jwk spec §2.2: `did:jwk:` + base64url of the
 * public JWK's UTF-8 JSON), which verifiers resolve locally, so tests reach no DID server.
 * @example const issuer = await createTestDidJwk(); await issueSdJwtVc({ issuer: issuer.did, signingKey: issuer.signingKey, … });
 */
export async function createTestDidJwk(): Promise<TestDidJwk> {
  const { publicJwk, privateJwk } = await generateKeyPair();
  const did = `did:jwk:${encodeBase64UrlText(JSON.stringify(publicJwk))}`;
  const kid = `${did}#0`;
  return { did, publicJwk, privateJwk, signingKey: { ...nodeSigningKey(privateJwk, 'ES256', kid), kid } };
}
