import type { ErrorCode } from '@tessera/shared';
import { EXIT, type ExitCode } from './exit-codes.ts';
import type { CliMessageKey } from './messages.ts';

/**
 * How the CLI explains a `TesseraError`: codes are grouped by what the holder can do about them;
 * each group has a reason (`error.<group>`), a next step (`fix.<group>`) and an exit code.
 */
export type ErrorGroup =
  | 'wrong_passphrase'
  | 'profile_not_found'
  | 'profile_exists'
  | 'wallet_corrupt'
  | 'store_busy'
  | 'backup_invalid'
  | 'pin_required'
  | 'pin_wrong'
  | 'offer_invalid'
  | 'issuance_refused'
  | 'issuer_metadata_invalid'
  | 'credential_rejected'
  | 'untrusted_issuer'
  | 'credential_type_not_allowed'
  | 'request_invalid'
  | 'request_expired'
  | 'dcql_unsatisfied'
  | 'network'
  | 'network_blocked'
  | 'invalid_data'
  | 'unexpected';

const EXIT_OF: Readonly<Record<ErrorGroup, ExitCode>> = {
  wrong_passphrase: EXIT.wallet,
  profile_not_found: EXIT.wallet,
  profile_exists: EXIT.wallet,
  wallet_corrupt: EXIT.wallet,
  store_busy: EXIT.wallet,
  backup_invalid: EXIT.wallet,
  pin_required: EXIT.refused,
  pin_wrong: EXIT.refused,
  offer_invalid: EXIT.refused,
  issuance_refused: EXIT.refused,
  issuer_metadata_invalid: EXIT.refused,
  credential_rejected: EXIT.refused,
  untrusted_issuer: EXIT.refused,
  credential_type_not_allowed: EXIT.refused,
  request_invalid: EXIT.refused,
  request_expired: EXIT.refused,
  dcql_unsatisfied: EXIT.refused,
  network: EXIT.network,
  network_blocked: EXIT.network,
  invalid_data: EXIT.refused,
  unexpected: EXIT.bug,
};

/**
 * Every code of the closed union has a group: when a code joins `ErrorCode`, this table stops
 * compiling until the CLI knows how to explain it.
 */
const GROUP_OF: Readonly<Record<ErrorCode, ErrorGroup>> = {
  // Data from the issuer or verifier that fails a format or signature check.
  malformed_sd_jwt: 'invalid_data',
  malformed_jwt: 'invalid_data',
  not_sd_jwt: 'invalid_data',
  token_too_large: 'invalid_data',
  too_many_disclosures: 'invalid_data',
  nesting_too_deep: 'invalid_data',
  unsupported_algorithm: 'invalid_data',
  invalid_typ: 'invalid_data',
  invalid_signature: 'invalid_data',
  invalid_key: 'invalid_data',
  critical_header_unsupported: 'invalid_data',
  malformed_disclosure: 'invalid_data',
  unsupported_hash_algorithm: 'invalid_data',
  invalid_sd_structure: 'invalid_data',
  disclosure_unreferenced: 'invalid_data',
  duplicate_digest: 'invalid_data',
  duplicate_disclosure: 'invalid_data',
  forbidden_claim_name: 'invalid_data',
  claim_collision: 'invalid_data',
  non_disclosable_claim: 'invalid_data',
  missing_claim: 'invalid_data',
  invalid_claim: 'invalid_data',
  invalid_time_claim: 'invalid_data',
  expired: 'request_expired',
  not_yet_valid: 'invalid_data',
  issued_in_future: 'invalid_data',
  kb_required: 'invalid_data',
  kb_forbidden: 'invalid_data',
  kb_malformed: 'invalid_data',
  kb_invalid_typ: 'invalid_data',
  kb_invalid_signature: 'invalid_data',
  kb_missing_cnf: 'invalid_data',
  kb_aud_mismatch: 'invalid_data',
  kb_nonce_mismatch: 'invalid_data',
  kb_iat_invalid: 'invalid_data',
  kb_sd_hash_mismatch: 'invalid_data',
  claim_not_found: 'invalid_data',
  status_list_malformed: 'invalid_data',
  status_list_too_large: 'invalid_data',
  status_index_out_of_range: 'invalid_data',
  invalid_status_reference: 'invalid_data',
  credential_revoked: 'invalid_data',
  credential_suspended: 'invalid_data',
  status_unavailable: 'invalid_data',
  w3c_invalid: 'invalid_data',
  w3c_claims_mismatch: 'invalid_data',
  w3c_holder_mismatch: 'invalid_data',
  // Reaching the issuer or verifier.
  fetch_blocked: 'network_blocked',
  fetch_failed: 'network',
  fetch_timeout: 'network',
  fetch_too_large: 'invalid_data',
  // Keys and trust.
  key_source_forbidden: 'invalid_data',
  issuer_key_not_found: 'invalid_data',
  did_invalid: 'invalid_data',
  did_resolution_failed: 'invalid_data',
  issuer_metadata_invalid: 'issuer_metadata_invalid',
  certificate_invalid: 'invalid_data',
  untrusted_issuer: 'untrusted_issuer',
  credential_type_not_allowed: 'credential_type_not_allowed',
  trust_list_invalid: 'invalid_data',
  trust_bundle_invalid: 'invalid_data',
  // Raised by the issuer or the verifier about themselves; never by the wallet.
  key_decryption_failed: 'unexpected',
  status_list_full: 'unexpected',
  page_cursor_invalid: 'unexpected',
  claims_invalid: 'unexpected',
  transaction_unknown: 'unexpected',
  transaction_closed: 'unexpected',
  transaction_expired: 'unexpected',
  response_malformed: 'unexpected',
  response_undecryptable: 'unexpected',
  state_mismatch: 'unexpected',
  unrequested_disclosure: 'unexpected',
  // The verifier's request.
  dcql_invalid: 'request_invalid',
  dcql_unsatisfied: 'dcql_unsatisfied',
  request_invalid: 'request_invalid',
  client_id_mismatch: 'request_invalid',
  wallet_nonce_mismatch: 'request_invalid',
  client_id_unsupported: 'request_invalid',
  // The wallet itself.
  wrong_passphrase: 'wrong_passphrase',
  wallet_locked: 'unexpected',
  wallet_corrupt: 'wallet_corrupt',
  backup_invalid: 'backup_invalid',
  profile_exists: 'profile_exists',
  profile_not_found: 'profile_not_found',
  wipe_not_confirmed: 'unexpected',
  store_busy: 'store_busy',
  // Receiving.
  offer_invalid: 'offer_invalid',
  tx_code_required: 'pin_required',
  tx_code_invalid: 'pin_wrong',
  issuance_refused: 'issuance_refused',
  credential_rejected: 'credential_rejected',
};

/** The reason, the next step and the exit code for a `TesseraError` code. */
export function explainErrorCode(code: ErrorCode): {
  group: ErrorGroup;
  reason: CliMessageKey;
  fix: CliMessageKey;
  exitCode: ExitCode;
} {
  // A code from a newer library than this table (or a forged object) is explained as a bug.
  const group = Object.hasOwn(GROUP_OF, code) ? GROUP_OF[code] : 'unexpected';
  return { group, reason: `error.${group}`, fix: `fix.${group}`, exitCode: EXIT_OF[group] };
}
