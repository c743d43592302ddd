import { oauthErrorBody } from '@tessera/shared';
import type { WalletReply } from './types.ts';

/**
 * An error for the wallet, as OAuth error JSON (RFC 6749 §5.2; OpenID4VP 1.0 §8.5): `error` is the
 * OAuth code the wallet acts on, `error_description` says why in words without claim values, and
 * `tessera_code` carries our stable code for logs and tests.
 */
export class VerifierHttpError extends Error {
  override readonly name = 'VerifierHttpError';

  readonly httpStatus: number;
  readonly error: string;
  readonly code: string;

  constructor(httpStatus: number, error: string, code: string, message: string) {
    super(message);
    this.httpStatus = httpStatus;
    this.error = error;
    this.code = code;
  }

  reply(): WalletReply {
    return walletError(this.httpStatus, this.error, this.code, this.message);
  }
}

export function walletError(httpStatus: number, error: string, code: string, description: string): WalletReply {
  return { httpStatus, body: oauthErrorBody(error, description, { tessera_code: code }) };
}
