/**
 * The trust registry: which issuers a desk accepts, for which credential types (`vct`), and what
 * their name is in each language. A signature proves who issued a credential; only this list says
 * whether that issuer may vouch for that kind of fact.
 */
import { fail } from '@tessera/shared';

/** One trusted issuer. */
export interface TrustedIssuer {
  /** Exactly the `iss` its credentials carry: a DID or an `https://` URL (`http://` for local development). */
  readonly id: string;
  /** Display name by BCP 47 language tag, e.g. `{ en: 'City of Bologna', it: 'Comune di Bologna' }`. */
  readonly name: Readonly<Record<string, string>>;
  /** The `vct` values this issuer may issue; anything else is refused. */
  readonly credentialTypes: readonly string[];
  /** PEM certificates that an `x5c` chain from this issuer must lead to (HAIP). */
  readonly x509TrustAnchors?: readonly string[];
}

/** A validated trust list (version 1). */
export interface TrustList {
  readonly version: 1;
  readonly issuers: readonly TrustedIssuer[];
}

/** A display name and the language tag it is written in (for `lang` and `dir` in HTML). */
export interface DisplayName {
  text: string;
  language: string;
}

/** Bounds on a trust list: it is configuration, but it may come from a file someone else edits. */
export const TRUST_LIST_LIMITS = {
  maxJsonChars: 4 * 1024 * 1024,
  maxIssuers: 1000,
  maxIdLength: 2048,
  maxNames: 100,
  maxNameLength: 256,
  maxCredentialTypes: 100,
  maxCredentialTypeLength: 2048,
  maxTrustAnchors: 16,
  maxTrustAnchorLength: 16 * 1024,
} as const;

const TOP_LEVEL_MEMBERS = new Set(['version', 'issuers']);
const ISSUER_MEMBERS = new Set(['id', 'name', 'credentialTypes', 'x509TrustAnchors']);
/** DID Core §3.1: `did:` method-name `:` method-specific-id (no path, query or fragment for an issuer). */
const DID = /^did:[a-z0-9]+:(?:[A-Za-z0-9._%-]*:)*[A-Za-z0-9._%-]+$/;
/** A well-formed BCP 47 tag, loosely (RFC 5646 §2.1): letters, then subtags of 1–8 alphanumerics. */
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

/** Lookup index per parsed list, so `findTrustedIssuer` does not scan on every presentation. */
const INDEX = new WeakMap<TrustList, ReadonlyMap<string, TrustedIssuer>>();

/**
 * Validates a trust list (a parsed object or its JSON text) and returns a frozen copy. Anything
 * unexpected fails with `trust_list_invalid`: an unknown `version` or member, a duplicate issuer
 * id, an empty or missing name, a `vct` that is not a non-empty string, or a size past
 * `TRUST_LIST_LIMITS`.
 * @example
 * const trust = parseTrustList(await readFile('trust-list.json', 'utf8'));
 */
export function parseTrustList(value: unknown): TrustList {
  const input = typeof value === 'string' ? parseJsonText(value, TRUST_LIST_LIMITS.maxJsonChars) : value;
  if (!isPlainObject(input)) invalid('The trust list must be a JSON object');
  for (const key of Object.keys(input)) {
    if (!TOP_LEVEL_MEMBERS.has(key)) invalid('The trust list has an unknown top-level member');
  }
  if (input.version !== 1) invalid('The trust list version must be 1');
  const issuers = input.issuers;
  if (!Array.isArray(issuers)) invalid('The trust list must have an issuers array');
  if (issuers.length > TRUST_LIST_LIMITS.maxIssuers)
    invalid(`The trust list has more than ${TRUST_LIST_LIMITS.maxIssuers} issuers`);

  const index = new Map<string, TrustedIssuer>();
  const parsed: TrustedIssuer[] = [];
  issuers.forEach((entry: unknown, position: number) => {
    const issuer = parseIssuer(entry, position);
    if (index.has(issuer.id)) invalid(`Issuer ${position} repeats the id of an earlier issuer`);
    index.set(issuer.id, issuer);
    parsed.push(issuer);
  });
  const list: TrustList = Object.freeze({ version: 1, issuers: Object.freeze(parsed) });
  INDEX.set(list, index);
  return list;
}

/**
 * The trust list entry for a credential's `iss`, checked to allow its `vct`. An issuer not on the
 * list fails with `untrusted_issuer`; a type outside its `credentialTypes` fails with
 * `credential_type_not_allowed`. Comparison is exact: no case folding, no URL normalisation.
 * @example
 * const entry = findTrustedIssuer(trust, verified.issuer, verified.vct);
 */
export function findTrustedIssuer(list: TrustList, issuer: string, vct: string): TrustedIssuer {
  const entry = findIssuerEntry(list, issuer);
  if (typeof vct !== 'string' || !entry.credentialTypes.includes(vct)) {
    fail('credential_type_not_allowed', 'The trust list does not allow this issuer to issue this credential type');
  }
  return entry;
}

/**
 * The trust list's entry for an issuer, whatever it issues: for documents that are not
 * credentials, such as the issuer's own status list tokens. Unknown → `untrusted_issuer`.
 */
export function findIssuerEntry(list: TrustList, issuer: string): TrustedIssuer {
  const entry = typeof issuer === 'string' ? indexOf(list).get(issuer) : undefined;
  if (entry === undefined) fail('untrusted_issuer', 'The issuer is not on the trust list');
  return entry;
}

/**
 * The issuer's name in the best language for the reader. For each preferred tag in order: the
 * exact tag (case-insensitive), then the tag truncated subtag by subtag (RFC 4647 §3.4 lookup:
 * `de-AT` → `de`), then any name in the same primary language (`de-CH`). Failing all of them:
 * English, then the first name listed.
 * @example
 * displayName(entry, ['ar', 'en']) // { text: 'بلدية بولونيا', language: 'ar' }
 */
export function displayName(entry: TrustedIssuer, languages: readonly string[]): DisplayName {
  const available = Object.entries(entry.name).map(([language, text]) => ({ text, language, lower: language.toLowerCase() }));
  const samePrimary = (primary: string) => available.find(({ lower }) => lower.split('-')[0] === primary);
  for (const preferred of languages) {
    if (typeof preferred !== 'string' || preferred.length === 0) continue;
    const subtags = preferred.toLowerCase().split('-');
    for (let length = subtags.length; length >= 1; length--) {
      const tag = subtags.slice(0, length).join('-');
      const hit = available.find(({ lower }) => lower === tag);
      if (hit !== undefined) return { text: hit.text, language: hit.language };
    }
    const sibling = samePrimary(subtags[0] as string);
    if (sibling !== undefined) return { text: sibling.text, language: sibling.language };
  }
  const fallback = available.find(({ lower }) => lower === 'en') ?? samePrimary('en') ?? available[0];
  // parseTrustList guarantees at least one name; a hand-made entry without one is a programmer error.
  if (fallback === undefined) throw new TypeError('The trust list entry has no name');
  return { text: fallback.text, language: fallback.language };
}

function parseIssuer(entry: unknown, position: number): TrustedIssuer {
  const where = `Issuer ${position}`;
  if (!isPlainObject(entry)) invalid(`${where} must be a JSON object`);
  for (const key of Object.keys(entry)) {
    if (!ISSUER_MEMBERS.has(key)) invalid(`${where} has an unknown member`);
  }
  const { id, name, credentialTypes, x509TrustAnchors } = entry;
  if (typeof id !== 'string' || !isIssuerId(id)) invalid(`${where} must have an id that is a DID or an http(s) URL`);

  if (!isPlainObject(name)) invalid(`${where} must have a name object keyed by language tag`);
  const names = Object.entries(name);
  if (names.length === 0) invalid(`${where} must have a name in at least one language`);
  if (names.length > TRUST_LIST_LIMITS.maxNames) invalid(`${where} has names in too many languages`);
  const seenTags = new Set<string>();
  const parsedName: Record<string, string> = {};
  for (const [tag, text] of names) {
    if (tag.length > 35 || !LANGUAGE_TAG.test(tag)) invalid(`${where} has a name under a malformed language tag`);
    if (seenTags.has(tag.toLowerCase())) invalid(`${where} has two names for the same language`);
    seenTags.add(tag.toLowerCase());
    if (typeof text !== 'string' || text.trim().length === 0) invalid(`${where} has an empty name`);
    if (text.length > TRUST_LIST_LIMITS.maxNameLength || hasControlCharacter(text)) invalid(`${where} has a malformed name`);
    parsedName[tag] = text;
  }

  if (!Array.isArray(credentialTypes) || credentialTypes.length === 0) {
    invalid(`${where} must list at least one credential type`);
  }
  if (credentialTypes.length > TRUST_LIST_LIMITS.maxCredentialTypes) invalid(`${where} lists too many credential types`);
  const types = new Set<string>();
  for (const vct of credentialTypes as unknown[]) {
    if (typeof vct !== 'string' || vct.length === 0 || vct.length > TRUST_LIST_LIMITS.maxCredentialTypeLength) {
      invalid(`${where} has a credential type that is not a non-empty string`);
    }
    if (hasControlCharacter(vct)) invalid(`${where} has a malformed credential type`);
    if (types.has(vct)) invalid(`${where} lists a credential type twice`);
    types.add(vct);
  }

  const issuer: { -readonly [K in keyof TrustedIssuer]: TrustedIssuer[K] } = {
    id,
    name: Object.freeze(parsedName),
    credentialTypes: Object.freeze([...types]),
  };
  if (x509TrustAnchors !== undefined) {
    if (!Array.isArray(x509TrustAnchors) || x509TrustAnchors.length === 0) {
      invalid(`${where} must list x509TrustAnchors as a non-empty array when present`);
    }
    if (x509TrustAnchors.length > TRUST_LIST_LIMITS.maxTrustAnchors) invalid(`${where} lists too many trust anchors`);
    for (const pem of x509TrustAnchors as unknown[]) {
      if (typeof pem !== 'string' || pem.length > TRUST_LIST_LIMITS.maxTrustAnchorLength || !isPemCertificate(pem)) {
        invalid(`${where} has a trust anchor that is not a PEM certificate`);
      }
    }
    issuer.x509TrustAnchors = Object.freeze([...(x509TrustAnchors as string[])]);
  }
  return Object.freeze(issuer);
}

function indexOf(list: TrustList): ReadonlyMap<string, TrustedIssuer> {
  let index = INDEX.get(list);
  if (index === undefined) {
    // A list typed by hand rather than parsed: index it as it is (first entry wins, like a scan would).
    const built = new Map<string, TrustedIssuer>();
    for (const entry of list.issuers) if (!built.has(entry.id)) built.set(entry.id, entry);
    index = built;
    INDEX.set(list, index);
  }
  return index;
}

function isIssuerId(id: string): boolean {
  if (id.length === 0 || id.length > TRUST_LIST_LIMITS.maxIdLength || /\s/.test(id) || hasControlCharacter(id)) return false;
  if (id.startsWith('did:')) return DID.test(id);
  try {
    const url = new URL(id);
    // SD-JWT VC issuer identifiers are HTTPS URLs; plain http only reaches a key behind the
    // development flag of the SafeFetch, so listing one here opens nothing by itself.
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') && url.hash === '' && url.username === '' && url.password === ''
    );
  } catch {
    return false;
  }
}

function isPemCertificate(pem: string): boolean {
  return /^\s*-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*$/.test(pem);
}

/** Parses JSON text within a size limit; shared with the trust bundle. */
export function parseJsonText(
  text: string,
  maxChars: number,
  code: 'trust_list_invalid' | 'trust_bundle_invalid' = 'trust_list_invalid',
): unknown {
  if (text.length > maxChars) fail(code, 'The JSON text exceeds the size limit');
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    fail(code, 'The text is not valid JSON', cause);
  }
}

/** C0 controls and DEL have no place in an identifier or a name shown to staff. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): never {
  fail('trust_list_invalid', message);
}
