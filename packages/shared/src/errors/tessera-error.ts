/**
 * The one error vocabulary of Tessera. Every failure that hostile or malformed input can cause
 * surfaces as a `TesseraError` with a `code` from this closed union, so callers can `switch` on it
 * and HTTP layers can map it. Messages name structures (claim names, header fields), never claim
 * values. Programmer mistakes (wrong option types, impossible configuration) throw a plain
 * `TypeError` instead.
 */
export type ErrorCode =
  // Input framing and size
  | 'malformed_sd_jwt'
  | 'malformed_jwt'
  | 'not_sd_jwt'
  | 'token_too_large'
  | 'too_many_disclosures'
  | 'nesting_too_deep'
  // JOSE
  | 'unsupported_algorithm'
  | 'invalid_typ'
  | 'invalid_signature'
  | 'invalid_key'
  | 'critical_header_unsupported'
  // Disclosures (RFC 9901 §7.1, §7.3)
  | 'malformed_disclosure'
  | 'unsupported_hash_algorithm'
  | 'invalid_sd_structure'
  | 'disclosure_unreferenced'
  | 'duplicate_digest'
  | 'duplicate_disclosure'
  | 'forbidden_claim_name'
  | 'claim_collision'
  | 'non_disclosable_claim'
  // Claims and time
  | 'missing_claim'
  | 'invalid_claim'
  | 'invalid_time_claim'
  | 'expired'
  | 'not_yet_valid'
  | 'issued_in_future'
  // Key binding (RFC 9901 §4.3, §7.3)
  | 'kb_required'
  | 'kb_forbidden'
  | 'kb_malformed'
  | 'kb_invalid_typ'
  | 'kb_invalid_signature'
  | 'kb_missing_cnf'
  | 'kb_aud_mismatch'
  | 'kb_nonce_mismatch'
  | 'kb_iat_invalid'
  | 'kb_sd_hash_mismatch'
  // Presentation
  | 'claim_not_found'
  // Token Status List
  | 'status_list_malformed'
  | 'status_list_too_large'
  | 'status_index_out_of_range'
  | 'invalid_status_reference'
  // Credential status as a verifier sees it (fail closed)
  | 'credential_revoked'
  | 'credential_suspended'
  | 'status_unavailable'
  // W3C VC/VP as JWT (VC Data Model 1.1 §6.3.1): malformed credential, signed JWT claims that
  // disagree with the credential's own properties, a presentation by someone other than the subject
  | 'w3c_invalid'
  | 'w3c_claims_mismatch'
  | 'w3c_holder_mismatch'
  // Hardened outbound fetches (DID documents, issuer metadata, status lists)
  | 'fetch_blocked'
  | 'fetch_failed'
  | 'fetch_timeout'
  | 'fetch_too_large'
  // Issuer keys and trust
  | 'key_source_forbidden'
  | 'issuer_key_not_found'
  | 'did_invalid'
  | 'did_resolution_failed'
  | 'issuer_metadata_invalid'
  | 'certificate_invalid'
  | 'untrusted_issuer'
  | 'credential_type_not_allowed'
  | 'trust_list_invalid'
  | 'trust_bundle_invalid'
  // Issuer side: the key secret does not open the tenants' stored private keys
  | 'key_decryption_failed'
  // DCQL (OpenID4VP 1.0 §6): a malformed query; a response that does not answer the query
  | 'dcql_invalid'
  | 'dcql_unsatisfied'
  // OpenID4VP 1.0 transactions (verifier side): a request URI or response for no open
  // transaction, a malformed or undecryptable Authorization Response (§8.1–§8.3), a `state`
  // that is not the transaction's, an over-disclosing wallet (§6.4.1)
  | 'transaction_unknown'
  | 'transaction_closed'
  | 'transaction_expired'
  | 'request_invalid'
  | 'response_malformed'
  | 'response_undecryptable'
  | 'state_mismatch'
  | 'unrequested_disclosure'
  // Issuer storage: a Token Status List with no unallocated index left; a paging cursor that is
  // not one the issuer handed out
  | 'status_list_full'
  | 'page_cursor_invalid'
  // Issuer credential types: claims that staff entered do not fit the credential type
  | 'claims_invalid'
  // Holder wallet (vault, stores, backups): a passphrase that does not open the wallet or backup;
  // a wallet used after it was locked; a damaged or tampered store or record; a malformed or
  // tampered backup file; profiles that do or do not exist; a wipe without its confirmation;
  // a store another process holds for too long
  | 'wrong_passphrase'
  | 'wallet_locked'
  | 'wallet_corrupt'
  | 'backup_invalid'
  | 'profile_exists'
  | 'profile_not_found'
  | 'wipe_not_confirmed'
  | 'store_busy'
  // Holder wallet receiving (OpenID4VCI 1.0 client): a malformed or unusable credential offer; an
  // offer that needs its transaction code (PIN) and got none, or a wrong one; the issuer refusing
  // a token or credential request; a received credential that fails verification
  | 'offer_invalid'
  | 'tx_code_required'
  | 'tx_code_invalid'
  | 'issuance_refused'
  | 'credential_rejected'
  // Holder wallet presenting (OpenID4VP 1.0 client): a request object whose client id differs
  // from the link's or that its client id's key did not sign (§5.9.3), a `wallet_nonce` not
  // echoed (§5.10.1), a client id prefix the wallet cannot authenticate
  | 'client_id_mismatch'
  | 'wallet_nonce_mismatch'
  | 'client_id_unsupported';

export class TesseraError extends Error {
  override readonly name = 'TesseraError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True when `error` is a `TesseraError`, optionally with the given code. */
export function isTesseraError(error: unknown, code?: ErrorCode): error is TesseraError {
  return error instanceof TesseraError && (code === undefined || error.code === code);
}

/** Throws a `TesseraError`; written as a function so guards read as one line. */
export function fail(code: ErrorCode, message: string, cause?: unknown): never {
  throw new TesseraError(code, message, cause === undefined ? undefined : { cause });
}
