/**
 * The holder's Verifiable Presentation of one `jwt_vc_json` credential (OpenID4VP 1.0 Appendix
 * B.1.3.1, VC Data Model 1.1 §6.3.1), made by Veramo's W3C credential plugin with its JWT
 * provider and signed with the wallet's holder key.
 *
 * Why a KMS of our own: the wallet's holder keys are non-extractable WebCrypto keys (their bytes
 * never reach JavaScript, see `keys/holder-keys.ts`), while Veramo's local KMS signs with private
 * key bytes it holds itself. `WalletKeyKms` is the seam: Veramo asks it to sign the VP JWT's
 * signing input and it hands the bytes to the wallet's `SigningKey`, so the key never leaves
 * WebCrypto. It can do nothing else: it creates, imports and exports no key.
 *
 * Why the identifier is imported rather than created: Veramo's `did:jwk` provider builds the DID
 * from a JWK with `alg` and `use` members and from hexadecimal coordinates that lose leading zero
 * bytes, so it would name another DID than the one the issuer bound in `sub`
 * (`credentialSubject.id`), and the verifier would refuse the presentation as someone else's. The
 * DID the credential names is the holder's identifier; it goes into Veramo's DID store as is.
 *
 * This module is loaded on demand (`respond` imports it only for a `jwt_vc_json` answer), so a
 * wallet that only shows SD-JWT VCs never loads Veramo.
 */
import { decodeBase64Url, encodeBase64Url, type Jwk, type SigningKey } from '@tessera/shared';
import { createAgent, type ICredentialIssuer, type IDIDManager, type IKey, type IKeyManager } from '@veramo/core';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DIDManager, MemoryDIDStore } from '@veramo/did-manager';
import { AbstractKeyManagementSystem, KeyManager, MemoryKeyStore } from '@veramo/key-manager';

/** What one presentation needs. */
export interface W3cPresentationInput {
  /** The VC-JWT as issued. */
  readonly credential: string;
  /** The holder's did:jwk: the credential's `sub`, which signs the presentation. */
  readonly holderDid: string;
  /** The holder key's public JWK (P-256). */
  readonly publicJwk: Jwk;
  /** Signs with the holder key (ES256, raw R‖S). */
  readonly signingKey: SigningKey;
  /** OpenID4VP 1.0 Appendix B.1.3.1: `aud` is the Client Identifier. */
  readonly audience: string;
  /** Appendix B.1.3.1: `nonce` is the request's `nonce`. */
  readonly nonce: string;
  /** Seconds since the epoch: the presentation's `issuanceDate`, so `nbf`. */
  readonly now: number;
}

const KMS = 'tessera-wallet';
const KEY_ID = 'holder-key';

/**
 * Signs a VP JWT (VC Data Model 1.1 §6.3.1: `iss` = `holder` = the holder's DID, `vp` with the one
 * credential as its compact JWT, `nonce`, `aud`, `nbf`) through Veramo's
 * `createVerifiablePresentation` with `proofFormat: 'jwt'`. The header names the did:jwk's one
 * verification method (`#0`, did:jwk §2.2) as `kid`, so the verifier needs no key search.
 * @example
 * const vp = await createW3cPresentation({ credential, holderDid, publicJwk, signingKey,
 *   audience: request.clientId, nonce: request.nonce, now: Math.floor(Date.now() / 1000) });
 */
export async function createW3cPresentation(input: W3cPresentationInput): Promise<string> {
  const { credential, holderDid, publicJwk, signingKey, audience, nonce, now } = input;
  if (signingKey.alg !== 'ES256') throw new TypeError('Holder keys sign ES256');
  const key: IKey = {
    kid: KEY_ID,
    kms: KMS,
    type: 'Secp256r1',
    publicKeyHex: publicKeyHex(publicJwk),
    meta: { algorithms: ['ES256'] },
  };
  // One agent per presentation, holding nothing but this key's public part and this identifier:
  // nothing of the wallet stays in Veramo's memory stores afterwards.
  const keyStore = new MemoryKeyStore();
  await keyStore.importKey(key);
  const didStore = new MemoryDIDStore();
  await didStore.importDID({ did: holderDid, provider: 'did:jwk', controllerKeyId: KEY_ID, keys: [key], services: [] });
  const agent = createAgent<IKeyManager & IDIDManager & ICredentialIssuer>({
    plugins: [
      new KeyManager({ store: keyStore, kms: { [KMS]: new WalletKeyKms(signingKey) } }),
      new DIDManager({ store: didStore, defaultProvider: 'did:jwk', providers: {} }),
      new CredentialPlugin([new CredentialProviderJWT()]),
    ],
  });
  // A locked wallet's signer fails with `wallet_locked`, which Veramo passes on unchanged.
  const presentation = await agent.createVerifiablePresentation({
    presentation: { holder: holderDid, verifiableCredential: [credential] },
    proofFormat: 'jwt',
    challenge: nonce,
    domain: audience,
    now,
    header: { kid: `${holderDid}#0` },
  });
  const jwt: unknown = presentation.proof?.jwt;
  if (typeof jwt !== 'string') throw new Error('Veramo returned no VP JWT');
  return jwt;
}

/**
 * A Veramo KMS over one non-extractable holder key: it signs ES256 with the wallet's
 * `SigningKey` and refuses everything else.
 */
class WalletKeyKms extends AbstractKeyManagementSystem {
  readonly #signingKey: SigningKey;

  constructor(signingKey: SigningKey) {
    super();
    this.#signingKey = signingKey;
  }

  async sign({ keyRef, algorithm, data }: { keyRef: Pick<IKey, 'kid'>; algorithm?: string; data: Uint8Array }): Promise<string> {
    if (keyRef.kid !== KEY_ID) throw new Error('not_supported: unknown key');
    if (algorithm !== undefined && algorithm !== 'ES256') throw new Error('not_supported: the holder key signs ES256 only');
    // JWS (RFC 7515 §A.3): the ES256 signature is raw R‖S, base64url, as did-jwt expects a signer's string.
    return encodeBase64Url(await this.#signingKey.sign(data));
  }

  importKey(): Promise<never> {
    return Promise.reject(new Error('not_supported: the wallet imports no key into Veramo'));
  }

  createKey(): Promise<never> {
    return Promise.reject(new Error('not_supported: the wallet makes its holder keys itself'));
  }

  async listKeys(): Promise<[]> {
    return [];
  }

  async deleteKey(): Promise<boolean> {
    return false;
  }

  sharedSecret(): Promise<never> {
    return Promise.reject(new Error('not_supported: the holder key only signs'));
  }
}

/** SEC 1 §2.3.3 uncompressed point `04 ‖ x ‖ y` in hexadecimal, Veramo's form of a public key. */
function publicKeyHex(jwk: Jwk): string {
  const x = typeof jwk.x === 'string' ? decodeBase64Url(jwk.x) : undefined;
  const y = typeof jwk.y === 'string' ? decodeBase64Url(jwk.y) : undefined;
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || x?.length !== 32 || y?.length !== 32) {
    throw new TypeError('A holder key is a P-256 public JWK');
  }
  return Array.from([4, ...x, ...y], (byte) => byte.toString(16).padStart(2, '0')).join('');
}
