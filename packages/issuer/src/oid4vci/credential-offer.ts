import { type JsonObject, randomToken } from '@tessera/shared';
import type { IssuerContext } from '../app/issuer-context.ts';
import { type CredentialType, credentialConfigurationId, validateClaims } from '../credential-types/index.ts';

/** OpenID4VCI 1.0 §4.1.1: the grant type of the pre-authorized code flow. */
export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
/** §4.1: the custom scheme wallets register for offers, when the issuer knows no wallet endpoint. */
export const OFFER_SCHEME = 'openid-credential-offer://';
/** Digits in the PIN handed over at the desk: short enough to type, and the attempt limit keeps guessing hopeless. */
const PIN_DIGITS = 6;

export interface NewCredentialOffer {
  readonly tenantId: string;
  /** A credential type the tenant may issue. */
  readonly typeId: string;
  /** The holder's claims; validated against the type. */
  readonly claims: unknown;
  /** Protect the offer with a PIN handed over separately (`tx_code`, §4.1.1). Default true. */
  readonly pin?: boolean;
  /** Who made the offer (staff member or API key id), for the record and the audit log. */
  readonly createdBy: string;
}

export interface CreatedCredentialOffer {
  readonly offerId: string;
  /** `openid-credential-offer://?credential_offer_uri=…`: short, for the QR code. */
  readonly link: string;
  /** `openid-credential-offer://?credential_offer=…`: the whole offer, for wallets that cannot fetch it. */
  readonly linkByValue: string;
  readonly offer: JsonObject;
  /** The PIN to hand to the holder in person; never stored in the clear. */
  readonly pin?: string;
  readonly expiresAt: number;
}

/**
 * Makes a credential offer for the pre-authorized code flow (OpenID4VCI 1.0 §4.1): validates the
 * claims against the type (`claims_invalid`), stores the offer with a fresh 256-bit code and an
 * optional 6-digit PIN (hashed by the store), and returns the offer by value and by reference.
 * The reference URI carries the code itself: whoever can read the QR code holds the code either
 * way, and the PIN is what protects the offer against someone photographing it.
 */
export async function createCredentialOffer(
  context: IssuerContext,
  request: NewCredentialOffer,
): Promise<CreatedCredentialOffer> {
  const tenant = context.tenants.get(request.tenantId);
  if (tenant === undefined) throw new TypeError(`Unknown tenant ${request.tenantId}`);
  const type = tenant.credentialTypes.includes(request.typeId) ? context.types.get(request.typeId) : undefined;
  if (type === undefined) throw new TypeError(`Tenant ${request.tenantId} does not issue ${request.typeId}`);
  // `now`: an offer for a credential whose own end date is over would only yield one born expired.
  const claims = validateClaims(type, request.claims, { now: context.clock() });
  const offerId = randomToken(16);
  const code = randomToken(32);
  const pin = request.pin === false ? undefined : randomPin();
  const expiresAt = context.clock() + context.config.offerTtlSeconds * 1000;
  const configurationIds = configurationIdsOf(type);
  await context.store.createOffer(request.tenantId, {
    id: offerId,
    configurationIds,
    claims,
    preAuthorizedCode: code,
    ...(pin === undefined ? {} : { txCode: { pin, inputMode: 'numeric' } }),
    txCodeMaxAttempts: context.config.txCodeMaxAttempts,
    createdBy: request.createdBy,
    expiresAt,
  });
  const offer = offerObject(
    context,
    request.tenantId,
    configurationIds,
    code,
    pin === undefined ? undefined : { inputMode: 'numeric', length: PIN_DIGITS },
  );
  return {
    offerId,
    link: `${OFFER_SCHEME}?${new URLSearchParams({ credential_offer_uri: context.urls.offer(request.tenantId, code) })}`,
    linkByValue: `${OFFER_SCHEME}?${new URLSearchParams({ credential_offer: JSON.stringify(offer) })}`,
    offer,
    ...(pin === undefined ? {} : { pin }),
    expiresAt,
  };
}

/** The offer a `credential_offer_uri` names, rebuilt from the store (which keeps no code or PIN in the clear). */
export async function offerByCode(context: IssuerContext, tenantId: string, code: string): Promise<JsonObject | undefined> {
  const stored = await context.store.findOfferByCode(tenantId, code);
  if (stored === undefined || stored.state !== 'pending') return undefined;
  return offerObject(context, tenantId, stored.configurationIds, code, stored.txCode);
}

/** The Credential Offer object (§4.1.1) with its pre-authorized code grant, and how to ask for the PIN. */
function offerObject(
  context: IssuerContext,
  tenantId: string,
  configurationIds: readonly string[],
  code: string,
  txCode: { readonly inputMode: string; readonly length: number } | undefined,
): JsonObject {
  const grant: JsonObject = { 'pre-authorized_code': code };
  if (txCode !== undefined) grant.tx_code = { input_mode: txCode.inputMode, length: txCode.length };
  return {
    credential_issuer: context.urls.issuer(tenantId),
    credential_configuration_ids: [...configurationIds],
    grants: { [PRE_AUTHORIZED_GRANT]: grant },
  };
}

/** The configuration ids an offer of `type` names: one per format. */
export function configurationIdsOf(type: CredentialType): string[] {
  return type.formats.map((format) => credentialConfigurationId(type, format));
}

/** A uniformly random PIN: rejection sampling, so no digit string is likelier than another. */
function randomPin(): string {
  const limit = 10 ** PIN_DIGITS;
  const ceiling = Math.floor(0x1_0000_0000 / limit) * limit;
  for (;;) {
    const [value] = crypto.getRandomValues(new Uint32Array(1));
    if (value !== undefined && value < ceiling) return String(value % limit).padStart(PIN_DIGITS, '0');
  }
}
