import type { Catalogs, ErrorCode } from '@tessera/shared';
import ar from './messages/ar.json' with { type: 'json' };
import de from './messages/de.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import fr from './messages/fr.json' with { type: 'json' };

/** A key of the desk's message catalogs; English is the reference every other catalog must match. */
export type DeskMessageKey = keyof typeof en;

/**
 * The desk page's ICU MessageFormat catalogs by language. `checkCatalogs` in the test beside this
 * file keeps them in step with English; typing them here makes a missing key a type error too.
 */
export const DESK_CATALOGS: Catalogs<DeskMessageKey> = { en, de, fr, ar };

/**
 * Codes only the issuer raises (its key store, its status lists, its staff API) or only the
 * holder's wallet raises about itself (its vault, stores and backups): no wallet answer can make a
 * verifier report them, so the desk needs no words for them.
 */
type NotShownAtDeskCode =
  | 'key_decryption_failed'
  | 'status_list_full'
  | 'page_cursor_invalid'
  | 'claims_invalid'
  | 'wrong_passphrase'
  | 'wallet_locked'
  | 'wallet_corrupt'
  | 'backup_invalid'
  | 'profile_exists'
  | 'profile_not_found'
  | 'wipe_not_confirmed'
  | 'store_busy'
  | 'offer_invalid'
  | 'tx_code_required'
  | 'tx_code_invalid'
  | 'issuance_refused'
  | 'credential_rejected'
  | 'client_id_mismatch'
  | 'wallet_nonce_mismatch'
  | 'client_id_unsupported';

/**
 * Every other `TesseraError` code has its own explanation for desk staff: when a code joins
 * `ErrorCode`, this line stops compiling (naming `error.<code>`) until the catalogs explain it, or,
 * for a code the verifier cannot report, until it joins `NotShownAtDeskCode`.
 */
const explainedErrorKey = (
  code: Exclude<ErrorCode, NotShownAtDeskCode> | 'access_denied' | 'invalid_request' | 'unknown',
): DeskMessageKey => `error.${code}`;

/**
 * The catalog key explaining a transaction's error code: a `TesseraError` code, an OAuth error the
 * wallet sent (`access_denied`, `invalid_request`), or `error.unknown` for any other code.
 */
export function errorMessageKey(code: string): DeskMessageKey {
  const key = `error.${code}`;
  return Object.hasOwn(en, key) ? (key as DeskMessageKey) : explainedErrorKey('unknown');
}
