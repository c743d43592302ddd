import { isTesseraError } from '@tessera/shared';
import type { AppMessageKey } from './i18n.ts';

/**
 * The plain-language message for a failed receive: the library's stable error codes
 * (docs/wallet.md, "Receiving and presenting") mapped to catalog keys. The library's own messages
 * are for developers and are never shown.
 */
export function receiveErrorKey(error: unknown): AppMessageKey {
  if (!isTesseraError(error)) return 'error.unknown';
  switch (error.code) {
    case 'offer_invalid':
    case 'tx_code_required':
    case 'tx_code_invalid':
    case 'issuance_refused':
    case 'untrusted_issuer':
    case 'credential_type_not_allowed':
    case 'credential_rejected':
      return `error.${error.code}`;
    case 'issuer_metadata_invalid':
    case 'fetch_too_large':
      return 'error.issuer_answer';
    case 'fetch_blocked':
      return 'error.insecure_link';
    case 'fetch_failed':
    case 'fetch_timeout':
      return 'error.network';
    default:
      return 'error.unknown';
  }
}
