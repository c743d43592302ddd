import { fail } from '../errors/tessera-error.ts';
import type { SdJwtLimits } from './limits.ts';

/** The `~`-separated parts of an SD-JWT or SD-JWT+KB (RFC 9901 §4). */
export interface SdJwtParts {
  /** The issuer-signed JWT. */
  jwt: string;
  /** Disclosure strings, in the order they appeared. */
  disclosures: string[];
  /** The KB-JWT, when the last part is not empty. */
  kbJwt?: string;
  /** Everything up to and including the last `~`: the input of `sd_hash` (RFC 9901 §4.3.1). */
  presentedWithoutKb: string;
}

/**
 * Splits `<JWT>~<D1>~…~<Dn>~[<KB-JWT>]`. A bare JWT (no `~`) is refused as `not_sd_jwt` so it can
 * never pass as an SD-JWT with nothing disclosed.
 */
export function splitSdJwt(text: string, limits: SdJwtLimits): SdJwtParts {
  if (typeof text !== 'string') fail('malformed_sd_jwt', 'An SD-JWT must be a string');
  if (text.length > limits.maxLength) fail('token_too_large', `The SD-JWT exceeds ${limits.maxLength} characters`);
  const lastTilde = text.lastIndexOf('~');
  if (lastTilde < 0) fail('not_sd_jwt', 'A bare JWT is not an SD-JWT (no "~" separator)');
  const parts = text.split('~');
  if (parts.length - 2 > limits.maxDisclosures) {
    fail('too_many_disclosures', `The SD-JWT has more than ${limits.maxDisclosures} disclosures`);
  }
  const jwt = parts[0] as string;
  if (jwt.length === 0) fail('malformed_sd_jwt', 'The SD-JWT has no issuer-signed JWT');
  const disclosures = parts.slice(1, -1);
  if (disclosures.some((d) => d.length === 0)) fail('malformed_sd_jwt', 'The SD-JWT has an empty disclosure');
  const last = parts[parts.length - 1] as string;
  const result: SdJwtParts = { jwt, disclosures, presentedWithoutKb: text.slice(0, lastTilde + 1) };
  if (last.length > 0) result.kbJwt = last;
  return result;
}
