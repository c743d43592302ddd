import { generateKeyPair, type JsonObject, type Jwk, type SigningKey, signJwt } from '@tessera/shared';
import { nodeSigningKey } from '@tessera/shared/node';
import { PRE_AUTHORIZED_GRANT } from './credential-offer.ts';
import { PROOF_JWT_TYP } from './proof-jwt.ts';

/**
 * Test only: a minimal OpenID4VCI 1.0 wallet over real HTTP, built from @tessera/shared, with
 * options to break one rule at a time. The real wallet is @tessera/wallet.
 */

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: JsonObject;
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, body: await readJson(response) };
}

export async function postForm(url: string, form: Record<string, string>): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: response.status, headers: response.headers, body: await readJson(response) };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await readJson(response) };
}

async function readJson(response: Response): Promise<JsonObject> {
  const text = await response.text();
  return text === '' ? {} : (JSON.parse(text) as JsonObject);
}

/** Reads `openid-credential-offer://?credential_offer_uri=…` and fetches the offer. */
export async function fetchOffer(link: string): Promise<JsonObject> {
  const uri = new URL(link).searchParams.get('credential_offer_uri');
  if (uri === null) throw new Error('The link has no credential_offer_uri');
  const answer = await getJson(uri);
  if (answer.status !== 200) throw new Error(`Offer URI answered ${answer.status}`);
  return answer.body;
}

export function preAuthorizedCode(offer: JsonObject): string {
  const grant = (offer.grants as JsonObject)[PRE_AUTHORIZED_GRANT] as JsonObject;
  return String(grant['pre-authorized_code']);
}

export interface HolderKey {
  readonly publicJwk: Jwk;
  readonly signingKey: SigningKey;
}

export async function newHolderKey(): Promise<HolderKey> {
  const { privateJwk, publicJwk } = await generateKeyPair();
  return { publicJwk, signingKey: nodeSigningKey(privateJwk, 'ES256') };
}

/** A key proof JWT (Appendix F.1); `override` breaks it on purpose. */
export function proofJwt(
  key: HolderKey,
  { audience, nonce }: { audience: string; nonce: string },
  override: { header?: JsonObject; payload?: JsonObject; omitJwk?: boolean } = {},
): Promise<string> {
  return signJwt(
    { typ: PROOF_JWT_TYP, ...(override.omitJwk === true ? {} : { jwk: key.publicJwk as JsonObject }), ...override.header },
    { aud: audience, iat: Math.floor(Date.now() / 1000), nonce, ...override.payload },
    key.signingKey,
  );
}

/**
 * A did:jwk of `key` as some other wallets write it: members in another order than RFC 7638's and
 * a `use`, so it differs from the DID the issuer would make of the key itself.
 */
export function holderDidJwk(key: HolderKey): string {
  const { kty, crv, x, y } = key.publicJwk;
  return `did:jwk:${Buffer.from(JSON.stringify({ kty, crv, x, y, use: 'sig' })).toString('base64url')}`;
}

/** The whole flow for one offer: token (with PIN), nonce, one proof per key, credential request. */
export async function receive(
  link: string,
  {
    pin,
    keys,
    configurationId,
    bindBy = 'jwk',
  }: {
    pin?: string;
    keys: readonly HolderKey[];
    configurationId?: string;
    /** `did`: each proof names its key by the `kid` `holderDidJwk(key)#0` instead of a `jwk` (F.1). */
    bindBy?: 'jwk' | 'did';
  },
): Promise<{ credentials: string[]; offer: JsonObject }> {
  const offer = await fetchOffer(link);
  const issuer = String(offer.credential_issuer);
  const metadataUrl = issuer.replace(/^(https?:\/\/[^/]+)/, '$1/.well-known/openid-credential-issuer');
  const metadata = (await getJson(metadataUrl)).body;
  const asUrl = issuer.replace(/^(https?:\/\/[^/]+)/, '$1/.well-known/oauth-authorization-server');
  const tokenEndpoint = String((await getJson(asUrl)).body.token_endpoint);
  const token = await postForm(tokenEndpoint, {
    grant_type: PRE_AUTHORIZED_GRANT,
    'pre-authorized_code': preAuthorizedCode(offer),
    ...(pin === undefined ? {} : { tx_code: pin }),
  });
  if (token.status !== 200) throw new Error(`Token endpoint answered ${token.status}: ${JSON.stringify(token.body)}`);
  const nonce = String((await postJson(String(metadata.nonce_endpoint), {})).body.c_nonce);
  const proofs = await Promise.all(
    keys.map((key) =>
      proofJwt(
        key,
        { audience: issuer, nonce },
        bindBy === 'did' ? { omitJwk: true, header: { kid: `${holderDidJwk(key)}#0` } } : {},
      ),
    ),
  );
  const answer = await postJson(
    String(metadata.credential_endpoint),
    {
      credential_configuration_id: configurationId ?? (offer.credential_configuration_ids as string[])[0],
      proofs: { jwt: proofs },
    },
    { authorization: `Bearer ${token.body.access_token}` },
  );
  if (answer.status !== 200) throw new Error(`Credential endpoint answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return { credentials: (answer.body.credentials as JsonObject[]).map(({ credential }) => String(credential)), offer };
}
