import { fail, type JsonObject } from '@tessera/shared';
import { checkUrl, exchangeJson, isObject, type WalletHttp } from './wallet-http.ts';

/** The grant type of the pre-authorized code flow (OpenID4VCI 1.0 §4.1.1). */
export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/** A credential offer the wallet can act on: the pre-authorized code flow only. */
export interface CredentialOffer {
  /** The Credential Issuer Identifier (an https URL). */
  credentialIssuer: string;
  /** `credential_configuration_ids`, non-empty, unique. */
  configurationIds: string[];
  preAuthorizedCode: string;
  /** Present when the issuer wants a transaction code (the PIN staff hand over). */
  txCode?: { inputMode: 'numeric' | 'text'; length?: number; description?: string };
  /** The authorization server to use, when the offer names one (§4.1.1). */
  authorizationServer?: string;
}

const MAX_OFFER_LINK = 16 * 1024;
const MAX_IDS = 32;

/**
 * Reads an offer link (OpenID4VCI 1.0 §4.1): exactly one of `credential_offer` (the offer by
 * value, JSON) or `credential_offer_uri` (by reference, fetched with GET, §4.1.3), then checks the
 * offer. Fails with `offer_invalid`, or a `fetch_*` code for the reference.
 * @example
 * const offer = await readCredentialOffer('openid-credential-offer://?credential_offer_uri=https%3A…', http);
 */
export async function readCredentialOffer(link: string, http: WalletHttp): Promise<CredentialOffer> {
  if (typeof link !== 'string' || link.length === 0 || link.length > MAX_OFFER_LINK) {
    fail('offer_invalid', 'The offer link is empty or too long');
  }
  let url: URL;
  try {
    url = new URL(link);
  } catch (cause) {
    fail('offer_invalid', 'The offer link is not a URL', cause);
  }
  const byValue = url.searchParams.getAll('credential_offer');
  const byReference = url.searchParams.getAll('credential_offer_uri');
  if (byValue.length + byReference.length !== 1) {
    fail('offer_invalid', 'The offer link must carry exactly one credential_offer or credential_offer_uri');
  }
  if (byValue.length === 1) {
    let value: unknown;
    try {
      value = JSON.parse(byValue[0] as string);
    } catch (cause) {
      fail('offer_invalid', 'The credential_offer parameter is not JSON', cause);
    }
    return parseCredentialOffer(value, http);
  }
  const uri = checkUrl(byReference[0], 'The credential_offer_uri', http.allowInsecureLocalhost, 'offer_invalid');
  const answer = await exchangeJson(uri.href, { method: 'GET', headers: { accept: 'application/json' } }, http);
  // §4.1.3 leaves an offer URI's lifetime to the issuer; Tessera's issuer answers 404 once it is used or expired.
  if (answer.status === 404) fail('offer_invalid', 'The issuer does not know this offer: it was used already or has expired');
  if (answer.status !== 200) fail('offer_invalid', `The credential offer URI answered HTTP ${answer.status}`);
  return parseCredentialOffer(answer.body, http);
}

/**
 * Checks a Credential Offer object (OpenID4VCI 1.0 §4.1.1). The wallet supports the
 * pre-authorized code grant only; an offer with just an authorization code grant is refused.
 * Fails with `offer_invalid`.
 * @example
 * const offer = parseCredentialOffer(JSON.parse(text)); // { credentialIssuer, configurationIds, preAuthorizedCode, txCode? }
 */
export function parseCredentialOffer(
  value: unknown,
  { allowInsecureLocalhost = false }: { allowInsecureLocalhost?: boolean } = {},
): CredentialOffer {
  if (!isObject(value)) fail('offer_invalid', 'The credential offer is not a JSON object');
  const issuer = checkUrl(value.credential_issuer, 'The credential_issuer', allowInsecureLocalhost, 'offer_invalid');
  // §12.2.1: the identifier has no query or fragment.
  if (issuer.search !== '' || issuer.hash !== '') fail('offer_invalid', 'The credential_issuer has a query or fragment');
  const ids = value.credential_configuration_ids;
  if (
    !Array.isArray(ids) ||
    ids.length === 0 ||
    ids.length > MAX_IDS ||
    !ids.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 256) ||
    new Set(ids).size !== ids.length
  ) {
    fail('offer_invalid', 'credential_configuration_ids must be a non-empty list of distinct strings');
  }
  const grants = value.grants;
  if (!isObject(grants)) fail('offer_invalid', 'The offer has no grants; the wallet needs a pre-authorized code');
  const grant = grants[PRE_AUTHORIZED_GRANT];
  if (!isObject(grant)) fail('offer_invalid', 'The offer has no pre-authorized code grant (the only one the wallet supports)');
  const code = grant['pre-authorized_code'];
  if (typeof code !== 'string' || code.length === 0 || code.length > 4096) {
    fail('offer_invalid', 'The pre-authorized_code is missing or malformed');
  }
  const offer: CredentialOffer = {
    credentialIssuer: value.credential_issuer as string,
    configurationIds: ids as string[],
    preAuthorizedCode: code,
  };
  if (grant.tx_code !== undefined) offer.txCode = parseTxCode(grant.tx_code);
  if (grant.authorization_server !== undefined) {
    checkUrl(grant.authorization_server, 'The authorization_server', allowInsecureLocalhost, 'offer_invalid');
    offer.authorizationServer = grant.authorization_server as string;
  }
  return offer;
}

/** §4.1.1 `tx_code`: `input_mode` (default numeric), `length`, `description` (at most 300 characters). */
function parseTxCode(value: unknown): NonNullable<CredentialOffer['txCode']> {
  if (!isObject(value)) fail('offer_invalid', 'tx_code must be an object');
  const { input_mode: inputMode = 'numeric', length, description } = value as JsonObject;
  if (inputMode !== 'numeric' && inputMode !== 'text') fail('offer_invalid', 'tx_code.input_mode must be numeric or text');
  const txCode: NonNullable<CredentialOffer['txCode']> = { inputMode };
  if (length !== undefined) {
    if (!Number.isSafeInteger(length) || (length as number) < 1 || (length as number) > 64) {
      fail('offer_invalid', 'tx_code.length must be an integer from 1 to 64');
    }
    txCode.length = length as number;
  }
  if (description !== undefined) {
    if (typeof description !== 'string' || description.length > 300) {
      fail('offer_invalid', 'tx_code.description must be a string of at most 300 characters');
    }
    txCode.description = description;
  }
  return txCode;
}
