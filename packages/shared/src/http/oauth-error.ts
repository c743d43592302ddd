import type { JsonObject } from '../encoding/json.ts';

/**
 * The body of an OAuth-style error answer (RFC 6749 §5.2, RFC 6750 §3; used by OpenID4VCI 1.0
 * §8.3.1.2 and OpenID4VP 1.0 §8.5 alike): `error` is the code the client acts on,
 * `error_description` a short ASCII text that never holds claim values or secrets. One place
 * for both the issuer and the verifier, so their error answers cannot drift apart.
 */
export function oauthErrorBody(error: string, description?: string, extra: JsonObject = {}): JsonObject {
  return { error, ...(description === undefined ? {} : { error_description: oauthDescription(description) }), ...extra };
}

/** RFC 6749 §5.2: `error_description` may only use %x20-21 / %x23-5B / %x5D-7E; longer texts are cut. */
export function oauthDescription(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '?').slice(0, 300);
}
