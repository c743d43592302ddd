import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * How secrets are kept. Pre-authorized codes, access tokens, nonces and API keys are random
 * values of at least 128 bits, so one unsalted SHA-256 suffices: nobody can search that space for
 * a preimage, and an unsalted hash can be looked up through an index. Comparing in constant time
 * is unnecessary for such a lookup: what timing could reveal is how much of a *guess's hash*
 * matches a stored hash, which brings an attacker no closer to a secret whose hash that is.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/**
 * A `tx_code` is a short PIN (often 4–6 digits): hashed alone, every offer with PIN 1234 would
 * share one hash, and one precomputed table of 10^6 hashes would read them all. So it is hashed
 * with a random salt of its own offer, SHA-256(salt ‖ PIN), which binds it to that offer.
 * A slow password hash would add nothing: the PIN only matters together with the offer's
 * pre-authorized code, which is itself stored hashed and beyond search, and online guessing is
 * capped by the attempt limit, after which the code is burned.
 */
export function hashTxCode(salt: string, pin: string): string {
  return createHash('sha256').update(`${salt}\u0000${pin}`, 'utf8').digest('base64url');
}

/** Compares two hashes as equal-length byte strings (the PIN check is done in JavaScript). */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
