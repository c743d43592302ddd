/**
 * Bounds on untrusted SD-JWT input. A verifier parses tokens from anyone, so every dimension an
 * attacker controls has a ceiling; exceeding one fails with its own error code.
 */
export interface SdJwtLimits {
  /** Characters in the whole SD-JWT or presentation. Default 262144 (256 KiB). */
  maxLength: number;
  /** Disclosures in one SD-JWT. Default 1024. */
  maxDisclosures: number;
  /** Nesting of objects/arrays in the payload and disclosed values. Default 32. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: Readonly<SdJwtLimits> = Object.freeze({
  maxLength: 256 * 1024,
  maxDisclosures: 1024,
  maxDepth: 32,
});

export function resolveLimits(overrides: Partial<SdJwtLimits> | undefined): SdJwtLimits {
  if (overrides === undefined) return DEFAULT_LIMITS;
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`limits.${name} must be a positive integer`);
  }
  return limits;
}
