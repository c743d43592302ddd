import { type DevelopmentCa, issueDevelopmentCertificate } from '@tessera/shared/node';
import type { ClientIdentity } from '../openid4vp/types.ts';

export interface DevelopmentClientOptions {
  /** The development CA (`createDevelopmentCa` from `@tessera/shared/node`), which wallets trust for local use. */
  ca: DevelopmentCa;
  /** The desk's host name, as a dNSName SAN (OpenID4VP 1.0 §5.9.3 leaves the SANs of `x509_hash:` certificates open). */
  dnsName: string;
  /** The certificate's common name, which wallets may show: e.g. `Job centre Bologna — desk 3`. */
  name: string;
}

export interface DevelopmentClient {
  readonly client: ClientIdentity & { readonly prefix: 'x509_hash' };
  /** The leaf certificate, for logs and for configuring a wallet by hand. */
  readonly certificatePem: string;
}

/**
 * An `x509_hash:` client identity for local development (HAIP's way for a verifier to identify
 * itself): a fresh P-256 key that never leaves this process (non-extractable WebCrypto key) and a
 * certificate for it from the development CA. The client id changes with every key, which is
 * fine: wallets trust the CA, and the hash only binds the request to this certificate.
 * @example
 * const ca = await createDevelopmentCa({ dir: './data/dev-ca' });
 * const { client } = await createDevelopmentClient({ ca, dnsName: 'localhost', name: 'Job centre Bologna' });
 * const verifier = createVerifier({ baseUrl, client, presentations: { trust } });
 */
export async function createDevelopmentClient(options: DevelopmentClientOptions): Promise<DevelopmentClient> {
  const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', keys.publicKey);
  const certificate = await issueDevelopmentCertificate(options.ca, {
    publicJwk: { kty: kty ?? 'EC', crv: crv ?? 'P-256', x: x ?? '', y: y ?? '' },
    dnsNames: [options.dnsName],
    name: options.name,
  });
  const privateKey = keys.privateKey;
  return {
    client: {
      prefix: 'x509_hash',
      certificateChain: certificate.x5c,
      signingKey: {
        alg: 'ES256',
        // WebCrypto's ECDSA signature is already JWS's R‖S form (RFC 7518 §3.4).
        sign: async (data) =>
          new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, new Uint8Array(data))),
      },
    },
    certificatePem: certificate.certificatePem,
  };
}
