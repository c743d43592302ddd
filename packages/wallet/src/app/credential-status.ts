import {
  decodeJws,
  isTesseraError,
  type JsonObject,
  lookUpStatus,
  parseStatusReference,
  StatusValue,
  verifyStatusListToken,
  webCrypto,
} from '@tessera/shared';
import type { ReceiveTrust, Wallet } from '../index.ts';
import { resolveIssuerKey } from '../receive/issuer-key.ts';
import { checkUrl, readBodyWithin, type WalletFetch } from '../receive/wallet-http.ts';
import type { CredentialCard } from './credential-view.ts';

/**
 * The holder's own look at a credential's Token Status List entry (draft-ietf-oauth-status-list
 * §8): fetched only when the holder opens the detail screen, so the issuer's server learns only
 * that some holder of a credential on that list looked, and when, never which credential (the
 * whole list comes back). Fails soft: anything that stops a statement is `unknown`, and the
 * screen says "could not check" rather than "valid".
 */

/** What the detail screen says about the status. */
export type CredentialStatus =
  | { readonly state: 'valid' | 'revoked' | 'suspended' }
  /** The list holds another value (§7.1 application-specific or unregistered). */
  | { readonly state: 'other' }
  /** No status list named, or none could be read: offline, unreachable, not signed right, too big. */
  | { readonly state: 'unknown'; readonly reason: string }
  | { readonly state: 'none' };

export interface CheckStatusOptions {
  /** The same trust settings as for receiving: the list must be signed by a key of the credential's issuer. */
  readonly trust: ReceiveTrust;
  readonly allowInsecureLocalhost: boolean;
  /** Default: the global `fetch`. */
  readonly fetch?: WalletFetch;
  /** Milliseconds since the epoch. Default `Date.now`. */
  readonly clock?: () => number;
  /** Default 10 s. */
  readonly timeoutMs?: number;
}

/** A status list is a few KiB; a megabyte is a list of millions of credentials, far beyond any issuer here. */
const MAX_TOKEN_BYTES = 1024 * 1024;
const MAX_LIST_BYTES = 4 * 1024 * 1024;

/**
 * The status of `card` from its issuer's Token Status List (§8.3): fetches `status.status_list.uri`
 * (https, or loopback when allowed; no redirects, no cookies, bypassing the HTTP cache so a
 * revocation shows at once), verifies the Status List Token (`typ` `statuslist+jwt`, ES256, `sub` =
 * the URI, `iat`/`exp`) with the credential issuer's key, found as the wallet found it when it
 * received the credential (resolveIssuerKey), and reads the entry. Never throws.
 * @example const status = await checkCredentialStatus(card, { trust, allowInsecureLocalhost: false });
 */
export async function checkCredentialStatus(card: CredentialCard, options: CheckStatusOptions): Promise<CredentialStatus> {
  const { trust, allowInsecureLocalhost, fetch: fetchFunction = globalThis.fetch.bind(globalThis) } = options;
  const { clock = Date.now, timeoutMs = 10_000 } = options;
  let credential: JsonObject;
  try {
    credential = decodeJws(card.format === 'dc+sd-jwt' ? (card.token.split('~')[0] as string) : card.token).payload;
  } catch {
    return { state: 'unknown', reason: 'unreadable' };
  }
  if (credential.status === undefined) return { state: 'none' };
  try {
    const reference = parseStatusReference(credential.status);
    const url = checkUrl(reference.uri, 'The status list URI', allowInsecureLocalhost, 'fetch_blocked');
    const token = await fetchToken(url, fetchFunction, timeoutMs);
    const issuer = credential.iss;
    const verified = await verifyStatusListToken(token, {
      crypto: webCrypto,
      expectedUri: reference.uri,
      clock,
      maxBytes: MAX_LIST_BYTES,
      // §8.3 and Security Considerations: the list is the credential issuer's statement, so it must be
      // signed by that issuer's key; `iss`, when the token has one, must be the credential's.
      issuerKey: async ({ header, payload }) => {
        if (payload.iss !== undefined && payload.iss !== issuer) throw new TypeError('The list names another issuer');
        return resolveIssuerKey(
          header,
          { ...payload, iss: issuer ?? '' },
          {
            trust,
            clock,
            http: { fetch: fetchFunction, allowInsecureLocalhost, timeoutMs, maxBytes: MAX_TOKEN_BYTES },
          },
        );
      },
    });
    const value = lookUpStatus(verified, reference);
    if (value === StatusValue.VALID) return { state: 'valid' };
    if (value === StatusValue.INVALID) return { state: 'revoked' };
    if (value === StatusValue.SUSPENDED) return { state: 'suspended' };
    return { state: 'other' };
  } catch (error) {
    return { state: 'unknown', reason: isTesseraError(error) ? error.code : 'failed' };
  }
}

/** GET the Status List Token (§8.1: `Accept: application/statuslist+jwt`), within the limits. */
async function fetchToken(url: URL, fetchFunction: WalletFetch, timeoutMs: number): Promise<string> {
  const response = await fetchFunction(url.href, {
    method: 'GET',
    headers: { accept: 'application/statuslist+jwt' },
    credentials: 'omit',
    cache: 'no-store',
    redirect: 'error',
    referrerPolicy: 'no-referrer',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status !== 200) throw new TypeError(`The status list answered HTTP ${response.status}`);
  const type = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  // §8.2: the JWT form is served as application/statuslist+jwt.
  if (type !== 'application/statuslist+jwt') throw new TypeError('The status list is not a Status List Token');
  // Read in chunks and stop at the limit: a server cannot make the phone hold more than that.
  const bytes = await readBodyWithin(response, MAX_TOKEN_BYTES);
  if (bytes === undefined) throw new TypeError('The status list is too large');
  return new TextDecoder().decode(bytes).trim();
}

/**
 * The last definite answer of the issuer's list (valid, revoked or suspended) and when it
 * came, kept encrypted in the wallet beside the credential: offline, or when the list cannot be
 * read, the detail screen says what the issuer said then, so a revoked document never reads as
 * "could not check" alone. One metadata record per card (`status-<receiptId>`), deleted with it.
 */
export interface RememberedStatus {
  readonly state: 'valid' | 'revoked' | 'suspended';
  /** Milliseconds since the epoch. */
  readonly checkedAt: number;
}

/** The answers worth keeping: an unregistered value (`other`) says nothing the holder can use later. */
const DEFINITE: ReadonlySet<string> = new Set(['valid', 'revoked', 'suspended']);

/** The metadata record id that keeps a card's last known status (record ids are `[A-Za-z0-9_-]`, at most 128). */
export function statusRecordId(card: Pick<CredentialCard, 'receiptId'>): string {
  return `status-${card.receiptId}`.slice(0, 128);
}

/** The card's last known status, or `undefined` (never checked, or a record of another shape). */
export async function rememberedStatus(wallet: Wallet, card: CredentialCard): Promise<RememberedStatus | undefined> {
  const value = await wallet.records.get('metadata', statusRecordId(card));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { state, checkedAt } = value;
  if (typeof state !== 'string' || !DEFINITE.has(state)) return undefined;
  if (typeof checkedAt !== 'number' || !Number.isFinite(checkedAt)) return undefined;
  return { state: state as RememberedStatus['state'], checkedAt };
}

/** Keeps a definite answer as the card's last known status; `other`, `unknown` and `none` change nothing. */
export async function rememberStatus(wallet: Wallet, card: CredentialCard, status: CredentialStatus, at: number): Promise<void> {
  if (!DEFINITE.has(status.state)) return;
  await wallet.commit({ put: [{ kind: 'metadata', id: statusRecordId(card), value: { state: status.state, checkedAt: at } }] });
}
