/**
 * The Credential Endpoint's refusals (OpenID4VCI 1.0 §8.3.1.2): an error code the wallet acts on
 * and a description in ASCII without claim values. `invalid_nonce` comes with a fresh `c_nonce`,
 * so the wallet can retry at once.
 */
export type CredentialErrorCode =
  | 'invalid_credential_request'
  | 'unknown_credential_configuration'
  | 'invalid_proof'
  | 'invalid_nonce'
  | 'credential_request_denied';

export class CredentialRequestError extends Error {
  override readonly name = 'CredentialRequestError';
  readonly error: CredentialErrorCode;

  constructor(error: CredentialErrorCode, description: string) {
    super(description);
    this.error = error;
  }
}
