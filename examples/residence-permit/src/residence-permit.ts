import {
  type ClaimPath,
  encodeBase64Url,
  generateKeyPair,
  issueSdJwtVc,
  type JsonObject,
  type Jwk,
  presentSdJwt,
  type SigningKey,
  type VerifiedSdJwtVc,
  verifySdJwtVc,
} from '@tessera/shared';
import { nodeCrypto, nodeSigningKey } from '@tessera/shared/node';

/**
 * The residence-permit flow in three small steps, one per role: the authority issues, the
 * holder's wallet presents, the service desk verifies. Everything runs in one process; later
 * issues put OpenID4VCI and OpenID4VP between the roles.
 */

/** The credential type (`vct`) of the example. */
export const RESIDENCE_PERMIT_VCT = 'https://tessera.example/credentials/residence-permit';

/** Who issues, and under which identifier (`iss`). */
export const AUTHORITY_NAME = 'City of Bologna — Immigration Office';
export const AUTHORITY_ID = 'https://immigration.city.example/bologna';

/** The service desk, identified to the wallet by its audience (in OpenID4VP: the client id). */
export const DESK_NAME = 'Job centre service desk';
export const DESK_AUDIENCE = 'https://desk.jobcentre.example';

/**
 * The holder's claims. Fictional: no real person, street or permit number. The permit type and
 * the nationality are exactly what a job centre has no business learning.
 */
export const PERMIT_CLAIMS: JsonObject = {
  given_name: 'Amani',
  family_name: 'Beraki-Tesfay',
  birthdate: '1994-06-02',
  nationality: 'ER',
  residence_status: 'lawfully_resident',
  permit_type: 'subsidiary_protection',
  valid_until: '2028-09-30',
  address: {
    street_address: 'Via dei Glicini 14',
    locality: 'Casalecchio di Reno',
    postal_code: '40033',
    country: 'IT',
  },
  age_equal_or_over: { '18': true },
};

/**
 * Every claim is selectively disclosable. `address` and `age_equal_or_over` are disclosable as a
 * whole and each of their members on its own too: a recursive disclosure (RFC 9901 §4.2.6).
 */
export const PERMIT_DISCLOSABLE: readonly ClaimPath[] = [
  ['given_name'],
  ['family_name'],
  ['birthdate'],
  ['nationality'],
  ['residence_status'],
  ['permit_type'],
  ['valid_until'],
  ['address'],
  ['address', 'street_address'],
  ['address', 'locality'],
  ['address', 'postal_code'],
  ['address', 'country'],
  ['age_equal_or_over'],
  ['age_equal_or_over', '18'],
];

/** What the desk asks for, and all the holder shows it. */
export const DESK_REQUEST: readonly ClaimPath[] = [['residence_status'], ['age_equal_or_over', '18']];

/** The digital credential lives one year; the permit itself states its own `valid_until`. */
const CREDENTIAL_LIFETIME_SECONDS = 365 * 24 * 60 * 60;

/** Up to this many decoy digests per object (RFC 9901 §4.2.5), so the desk cannot count claims. */
const MAX_DECOYS = 3;

/** A party with an ES256 key pair: the public JWK to publish, the signing key to keep. */
export interface KeyHolder {
  publicJwk: Jwk;
  signingKey: SigningKey;
}

/** A fresh ES256 key pair, imported once into node:crypto for signing. */
export async function createKeyHolder(kid?: string): Promise<KeyHolder> {
  const { privateJwk, publicJwk } = await generateKeyPair('ES256');
  return { publicJwk, signingKey: nodeSigningKey(privateJwk, 'ES256', kid) };
}

/** A fresh, unpredictable nonce for one presentation request (128 bits, base64url). */
export function createNonce(): string {
  return encodeBase64Url(nodeCrypto.randomBytes(16));
}

/**
 * The authority issues the residence permit as an SD-JWT VC (`typ: dc+sd-jwt`), bound to the
 * holder's public key through `cnf.jwk`.
 */
export async function issueResidencePermit(
  authority: KeyHolder,
  holderPublicJwk: Jwk,
  { now = Date.now(), claims = PERMIT_CLAIMS }: { now?: number; claims?: JsonObject } = {},
): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  return issueSdJwtVc({
    issuer: AUTHORITY_ID,
    vct: RESIDENCE_PERMIT_VCT,
    claims,
    disclosable: PERMIT_DISCLOSABLE,
    holderKey: holderPublicJwk,
    issuedAt,
    expiresAt: issuedAt + CREDENTIAL_LIFETIME_SECONDS,
    signingKey: authority.signingKey,
    crypto: nodeCrypto,
    maxDecoys: MAX_DECOYS,
  });
}

/**
 * The holder's wallet shows only what the desk asked for, with a Key Binding JWT that proves
 * possession of the holder key for this desk (`aud`) and this request (`nonce`) (RFC 9901 §4.3).
 */
export async function presentToDesk(
  credential: string,
  holder: KeyHolder,
  { audience, nonce, now = Date.now() }: { audience: string; nonce: string; now?: number },
): Promise<string> {
  return presentSdJwt(credential, {
    disclose: DESK_REQUEST,
    crypto: nodeCrypto,
    keyBinding: { signingKey: holder.signingKey, audience, nonce, issuedAt: Math.floor(now / 1000) },
  });
}

/**
 * The desk verifies: the authority's signature, every disclosure, the time claims, and the
 * KB-JWT against its own audience and the nonce it handed out. All or nothing: it returns the
 * verified claims or throws a `TesseraError`.
 */
export async function verifyAtDesk(
  presentation: string,
  { issuerKey, audience, nonce, now }: { issuerKey: Jwk; audience: string; nonce: string; now?: number },
): Promise<VerifiedSdJwtVc> {
  return verifySdJwtVc(presentation, {
    issuerKey,
    crypto: nodeCrypto,
    keyBinding: 'required',
    audience,
    nonce,
    vct: RESIDENCE_PERMIT_VCT,
    ...(now === undefined ? {} : { clock: () => now }),
  });
}

/** Everything one run of the example produced, for printing and for tests. */
export interface ExampleRun {
  issuerKey: Jwk;
  credential: string;
  presentation: string;
  audience: string;
  nonce: string;
  /** When the desk verified, in milliseconds since the epoch. */
  verifiedAt: number;
  /** What the desk verified. */
  verified: VerifiedSdJwtVc;
  /** What the holder's wallet verified on receipt: the whole credential, every claim disclosed. */
  holderView: VerifiedSdJwtVc;
}

/** Runs the whole example: issue, receive (the wallet checks what it got), present, verify. */
export async function runResidencePermitExample({ now = Date.now() }: { now?: number } = {}): Promise<ExampleRun> {
  const authority = await createKeyHolder('authority-key-1');
  const holder = await createKeyHolder();

  const credential = await issueResidencePermit(authority, holder.publicJwk, { now });

  // A wallet checks a credential before it keeps it; a credential as issued has no KB-JWT.
  const holderView = await verifySdJwtVc(credential, {
    issuerKey: authority.publicJwk,
    crypto: nodeCrypto,
    keyBinding: 'forbidden',
    vct: RESIDENCE_PERMIT_VCT,
    clock: () => now,
  });

  const audience = DESK_AUDIENCE;
  const nonce = createNonce();
  const presentation = await presentToDesk(credential, holder, { audience, nonce, now });
  const verified = await verifyAtDesk(presentation, { issuerKey: authority.publicJwk, audience, nonce, now });
  return { issuerKey: authority.publicJwk, credential, presentation, audience, nonce, verifiedAt: now, verified, holderView };
}
