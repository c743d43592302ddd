/**
 * Test-only: a Veramo agent that issues W3C VC/VP JWTs with did:jwk P-256 identifiers (the
 * interop peer of `verifyW3cCredentialJwt`), and a way to sign hand-made JWTs with the same keys,
 * so tests can craft tokens whose signed claims and credential properties disagree.
 */
import {
  decodeBase64Url,
  encodeBase64Url,
  generateKeyPair,
  importSigningKey,
  type JsonObject,
  type SigningKey,
} from '@tessera/shared';
import {
  createAgent,
  type ICredentialIssuer,
  type ICredentialVerifier,
  type IDIDManager,
  type IIdentifier,
  type IKeyManager,
  type IResolver,
} from '@veramo/core';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DIDManager, MemoryDIDStore } from '@veramo/did-manager';
import { JwkDIDProvider } from '@veramo/did-provider-jwk';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager, MemoryKeyStore, MemoryPrivateKeyStore } from '@veramo/key-manager';
import { KeyManagementSystem } from '@veramo/kms-local';
import type { Resolvable } from 'did-resolver';

export type TestAgent = ReturnType<typeof createTestAgent>;

/** A Veramo agent with an in-memory key store, did:jwk identifiers and the JWT credential provider. */
export function createTestAgent(resolver: Resolvable) {
  return createAgent<IKeyManager & IDIDManager & IResolver & ICredentialIssuer & ICredentialVerifier>({
    plugins: [
      new KeyManager({ store: new MemoryKeyStore(), kms: { local: new KeyManagementSystem(new MemoryPrivateKeyStore()) } }),
      new DIDManager({
        store: new MemoryDIDStore(),
        defaultProvider: 'did:jwk',
        providers: { 'did:jwk': new JwkDIDProvider({ defaultKms: 'local' }) },
      }),
      new DIDResolverPlugin({ resolver }),
      new CredentialPlugin([new CredentialProviderJWT()]),
    ],
  });
}

/** A did:jwk identifier with a P-256 key (Veramo's `Secp256r1`, signing ES256). */
export function createParty(agent: TestAgent): Promise<IIdentifier> {
  return agent.didManagerCreate({ provider: 'did:jwk', options: { keyType: 'Secp256r1' } });
}

export interface IssueOptions {
  /** Issuance time in milliseconds; becomes `issuanceDate` and so `nbf`. */
  issuedAt: number;
  /** Expiry in milliseconds; becomes `expirationDate` and so `exp`. */
  expiresAt?: number;
  types?: string[];
  claims?: JsonObject;
}

/** Issues a VC JWT through Veramo's `createVerifiableCredential` with `proofFormat: 'jwt'`. */
export async function issueWithVeramo(
  agent: TestAgent,
  issuer: IIdentifier,
  subject: string,
  options: IssueOptions,
): Promise<string> {
  const credential = await agent.createVerifiableCredential({
    credential: {
      issuer: { id: issuer.did },
      type: ['VerifiableCredential', ...(options.types ?? ['ResidencePermit'])],
      issuanceDate: new Date(options.issuedAt).toISOString(),
      ...(options.expiresAt !== undefined ? { expirationDate: new Date(options.expiresAt).toISOString() } : {}),
      credentialSubject: { id: subject, ...(options.claims ?? { residence: 'Bologna' }) },
    },
    proofFormat: 'jwt',
  });
  return credential.proof.jwt as string;
}

/** Presents VC JWTs in a VP JWT through Veramo's `createVerifiablePresentation`. */
export async function presentWithVeramo(
  agent: TestAgent,
  holder: IIdentifier,
  credentials: string[],
  options: { nonce: string; audience: string; now: number },
): Promise<string> {
  const presentation = await agent.createVerifiablePresentation({
    presentation: { holder: holder.did, verifiableCredential: credentials },
    proofFormat: 'jwt',
    challenge: options.nonce,
    domain: options.audience,
    now: Math.floor(options.now / 1000),
  });
  return presentation.proof.jwt as string;
}

/** Signs any header and payload with a party's key, as Veramo's own JWT provider does. */
export async function signAs(
  agent: TestAgent,
  party: IIdentifier,
  payload: JsonObject,
  header: JsonObject = { alg: 'ES256', typ: 'JWT' },
): Promise<string> {
  const key = party.keys[0];
  if (key === undefined) throw new Error('the party has no key');
  const signingInput = `${encodeText(header)}.${encodeText(payload)}`;
  const signature = await agent.keyManagerSign({ keyRef: key.kid, data: signingInput, algorithm: 'ES256' });
  return `${signingInput}.${signature}`;
}

/** The payload of a JWT, decoded without any check. */
export function payloadOf(jwt: string): JsonObject {
  return JSON.parse(new TextDecoder().decode(base64UrlBytes(jwt.split('.')[1] as string))) as JsonObject;
}

/** The header of a JWT, decoded without any check. */
export function headerOf(jwt: string): JsonObject {
  return JSON.parse(new TextDecoder().decode(base64UrlBytes(jwt.split('.')[0] as string))) as JsonObject;
}

/** The same JWT with its payload replaced and its signature kept: a tampered token. */
export function withPayload(jwt: string, payload: JsonObject): string {
  const [header, , signature] = jwt.split('.');
  return `${header}.${encodeText(payload)}.${signature}`;
}

/** The same JWT with one signature byte flipped. */
export function withFlippedSignature(jwt: string): string {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const bytes = base64UrlBytes(signature);
  bytes[10] = (bytes[10] as number) ^ 0x01;
  return `${header}.${payload}.${encodeBase64Url(bytes)}`;
}

/** A JWT with `alg: none` and an empty signature, as RFC 7519 §6 "Unsecured JWTs" has it. */
export function unsecured(payload: JsonObject): string {
  return `${encodeText({ alg: 'none', typ: 'JWT' })}.${encodeText(payload)}.`;
}

function encodeText(value: JsonObject): string {
  return encodeBase64Url(new TextEncoder().encode(JSON.stringify(value)));
}

function base64UrlBytes(text: string): Uint8Array {
  return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));
}

/**
 * A did:key for a fresh P-256 key (did:key method: multicodec `p256-pub` 0x1200 as the varint
 * 0x80 0x24, the SEC 1 compressed point, base58btc with the multibase prefix `z`), and a signing
 * key whose `kid` is its verification method. Tokens are then signed with `signJwt`.
 */
export async function createDidKeyParty(): Promise<{ did: string; key: SigningKey }> {
  const { privateJwk, publicJwk } = await generateKeyPair('ES256');
  const x = decodeBase64Url(publicJwk.x as string) as Uint8Array;
  const y = decodeBase64Url(publicJwk.y as string) as Uint8Array;
  const compressed = [((y[31] as number) & 1) === 1 ? 0x03 : 0x02, ...x];
  const multibase = `z${base58btc(Uint8Array.of(0x80, 0x24, ...compressed))}`;
  const did = `did:key:${multibase}`;
  return { did, key: await importSigningKey(privateJwk, 'ES256', `${did}#${multibase}`) };
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58btc(bytes: Uint8Array): string {
  let n = 0n;
  for (const byte of bytes) n = (n << 8n) | BigInt(byte);
  let out = '';
  while (n > 0n) {
    out = `${BASE58[Number(n % 58n)]}${out}`;
    n /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}
