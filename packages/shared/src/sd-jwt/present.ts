import { type ClaimPath, formatClaimPath, isClaimPath, pathsOverlap, selectClaims } from '../claim-path/claim-path.ts';
import type { CryptoProvider } from '../crypto/types.ts';
import { codecOf } from '../encoding/base64url.ts';
import { fail } from '../errors/tessera-error.ts';
import { decodeSdJwt, resolveDecoded } from './decode.ts';
import { createKbJwt, type KeyBindingInput } from './kb-jwt.ts';
import { resolveLimits, type SdJwtLimits } from './limits.ts';

export interface PresentSdJwtOptions {
  /** The claims to disclose, as claims path pointers (OpenID4VP 1.0 §7). */
  disclose: readonly ClaimPath[];
  crypto: Pick<CryptoProvider, 'hash' | 'digest' | 'base64url'>;
  /** Attach a KB-JWT (RFC 9901 §4.3); omit for a presentation without key binding. */
  keyBinding?: KeyBindingInput;
  limits?: Partial<SdJwtLimits>;
}

/**
 * Builds a presentation that carries exactly the disclosures the chosen paths need: the claim's
 * own disclosure, those of its parents (to reach it), and those inside its value (to show it
 * whole), and nothing else.
 * @example
 * const vp = await presentSdJwt(sdJwt, { disclose: [['residence_status'], ['age_equal_or_over', '18']],
 *   crypto: webCrypto, keyBinding: { signingKey: holderKey, audience, nonce } });
 */
export async function presentSdJwt(sdJwt: string, options: PresentSdJwtOptions): Promise<string> {
  const limits = resolveLimits(options.limits);
  for (const path of options.disclose) {
    if (!isClaimPath(path)) throw new TypeError(`Invalid claims path ${JSON.stringify(path)}`);
  }
  const decoded = decodeSdJwt(sdJwt, limits, codecOf(options.crypto));
  if (decoded.parts.kbJwt !== undefined) fail('malformed_sd_jwt', 'Cannot present an SD-JWT that already carries a KB-JWT');
  const { claims, disclosed, hashAlgorithm } = await resolveDecoded(decoded, options.crypto, limits);

  for (const path of options.disclose) {
    if (selectClaims(claims, path).length === 0) fail('claim_not_found', `No claim at ${formatClaimPath(path)}`);
  }
  const chosen = new Set<number>();
  for (const { path, index } of disclosed) {
    if (options.disclose.some((wanted) => pathsOverlap(wanted, path))) chosen.add(index);
  }
  const kept = decoded.parts.disclosures.filter((_, index) => chosen.has(index));
  const presented = `${decoded.parts.jwt}~${kept.map((d) => `${d}~`).join('')}`;
  if (options.keyBinding === undefined) return presented;
  return presented + (await createKbJwt(presented, options.keyBinding, hashAlgorithm, options.crypto));
}
