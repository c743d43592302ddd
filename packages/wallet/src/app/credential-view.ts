import { decodeJws, type JsonObject, type JsonValue, negotiateLocale } from '@tessera/shared';
import { holderView, type WalletRecord } from '../index.ts';
import type { AppTranslator } from './i18n.ts';

/**
 * What the credential list and detail screens show of a stored credential, from the record that
 * `receiveCredential` wrote (`ReceivedCredentialRecord`): the issuer's display data in the holder's
 * language (OpenID4VCI 1.0 §12.2.4 `display`, Appendix B.2 claim `display`), and the claim values
 * of the holder's own view of the SD-JWT. Pure functions, so the screens stay thin.
 */

/** One card in the list: the instances received together (a batch) are one credential to the holder. */
export interface CredentialCard {
  readonly receiptId: string;
  /** The record ids of the instances; the first one's credential is what the detail screen reads. */
  readonly recordIds: readonly string[];
  /** The holder keys the instances are bound to (deleted with them). */
  readonly keyIds: readonly string[];
  /** `dc+sd-jwt` (selective disclosure) or `jwt_vc_json` (a W3C VC, shown and shared whole). */
  readonly format: 'dc+sd-jwt' | 'jwt_vc_json';
  /** The first instance as issued: the SD-JWT, or the VC-JWT. */
  readonly token: string;
  /** The `vct`, or the most specific W3C type. */
  readonly type: string;
  /** The issuer's identifier (`iss`). */
  readonly issuer: string | undefined;
  /** The credential's name in the holder's language; `undefined` when the issuer gave none. */
  readonly name: string | undefined;
  readonly description: string | undefined;
  readonly issuerName: string | undefined;
  /** The issuer's colours, only when they are well-formed and legible together (WCAG 2.2 §1.4.3). */
  readonly colors: { readonly background: string; readonly text: string } | undefined;
  readonly issuerTrusted: boolean;
  readonly receivedAt: number;
  readonly expiresAt: number | undefined;
  readonly expired: boolean;
  /** `credential_metadata.claims` as the issuer published them. */
  readonly claimDescriptions: readonly JsonObject[];
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const objects = (value: unknown): JsonObject[] => (Array.isArray(value) ? value.filter(isObject) : []);

/** The issued token of a credential record: an SD-JWT VC or a W3C VC-JWT (ReceivedCredentialRecord). */
function tokenOf(value: JsonObject): { format: CredentialCard['format']; token: string; type: string } | undefined {
  if (value.format === 'dc+sd-jwt' && typeof value.sdJwt === 'string') {
    return { format: 'dc+sd-jwt', token: value.sdJwt, type: typeof value.vct === 'string' ? value.vct : '' };
  }
  if (value.format === 'jwt_vc_json' && typeof value.jwt === 'string') {
    const types = Array.isArray(value.types) ? value.types.filter((type) => typeof type === 'string') : [];
    const specific = types.filter((type) => type !== 'VerifiableCredential');
    return { format: 'jwt_vc_json', token: value.jwt, type: (specific.at(-1) ?? types.at(-1) ?? '') as string };
  }
  return undefined;
}

/**
 * The wallet's credential records as cards, newest first, with display data in `locale`: received
 * `dc+sd-jwt` and `jwt_vc_json` credentials; any other record (a damaged one) is left out.
 */
export function credentialCards(records: readonly WalletRecord[], locale: string, now: number): CredentialCard[] {
  const byReceipt = new Map<string, { ids: string[]; keyIds: string[]; value: JsonObject }>();
  for (const record of records) {
    const value = record.value;
    if (!isObject(value) || tokenOf(value) === undefined) continue;
    const receiptId = typeof value.receiptId === 'string' && value.receiptId !== '' ? value.receiptId : record.id;
    const keyIds = typeof value.keyId === 'string' ? [value.keyId] : [];
    const group = byReceipt.get(receiptId);
    if (group === undefined) byReceipt.set(receiptId, { ids: [record.id], keyIds, value });
    else {
      group.ids.push(record.id);
      group.keyIds.push(...keyIds);
    }
  }
  const cards: CredentialCard[] = [];
  for (const [receiptId, { ids, keyIds, value }] of byReceipt) {
    const display = isObject(value.display) ? value.display : {};
    const shown = pickDisplay(objects(display.credential), locale);
    const issuer = pickDisplay(objects(display.issuer), locale);
    const expiresAt = typeof value.expiresAt === 'number' && Number.isFinite(value.expiresAt) ? value.expiresAt : undefined;
    const { format, token, type } = tokenOf(value) as NonNullable<ReturnType<typeof tokenOf>>;
    cards.push({
      receiptId,
      recordIds: ids.sort(),
      keyIds,
      format,
      token,
      type,
      issuer: typeof value.issuer === 'string' ? value.issuer : undefined,
      name: displayText(shown?.name),
      description: displayText(shown?.description),
      issuerName: displayText(issuer?.name),
      colors: legibleColors(shown?.background_color, shown?.text_color),
      issuerTrusted: value.issuerTrusted === true,
      receivedAt: typeof value.receivedAt === 'number' ? value.receivedAt : 0,
      expiresAt,
      expired: expiresAt !== undefined && expiresAt <= now,
      claimDescriptions: objects(display.claims),
    });
  }
  return cards.sort((a, b) => b.receivedAt - a.receivedAt || a.receiptId.localeCompare(b.receiptId));
}

/**
 * What the detail screen lists of a card: for an SD-JWT VC the holder's view (every disclosure in
 * place), for a W3C VC its `credentialSubject` without the holder's DID, with the issuer's claim
 * descriptions taken from `credentialSubject` the same way (OpenID4VCI 1.0 Appendix A.1.1.2 paths
 * start at the credential's root).
 */
export async function cardClaims(card: CredentialCard): Promise<{ claims: JsonObject; descriptions: JsonObject[] }> {
  if (card.format === 'dc+sd-jwt') return { claims: await holderView(card.token), descriptions: [...card.claimDescriptions] };
  const { payload } = decodeJws(card.token);
  const vc = isObject(payload.vc) ? payload.vc : {};
  const { id: _holder, ...claims } = isObject(vc.credentialSubject) ? vc.credentialSubject : {};
  const descriptions = card.claimDescriptions.flatMap((description) => {
    const path = description.path;
    if (!Array.isArray(path) || path[0] !== 'credentialSubject' || path.length < 2) return [];
    return [{ ...description, path: path.slice(1) }];
  });
  return { claims, descriptions };
}

/**
 * The label of a claim in `locale`, from the issuer's claim descriptions, by path; `undefined`
 * when the issuer describes no such claim.
 */
export function claimLabel(descriptions: readonly JsonObject[], path: readonly JsonValue[], locale: string): string | undefined {
  const key = JSON.stringify(path);
  const description = descriptions.find((candidate) => JSON.stringify(candidate.path) === key);
  return description === undefined ? undefined : displayText(pickDisplay(objects(description.display), locale)?.name);
}

/**
 * A printable, bounded string or `undefined`: display data and purposes come from issuers and
 * verifiers, so control characters and bidirectional overrides (which could reorder what a screen
 * says) become spaces, and long texts are cut.
 */
export function displayText(value: JsonValue | undefined, max = 200): string | undefined {
  if (typeof value !== 'string') return undefined;
  const clean = value.replace(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu, ' ').trim();
  return clean === '' ? undefined : clean.slice(0, max);
}

/** Tags under which issuers may publish a shipped language (see `LANGUAGES` in i18n.ts). */
const ISSUER_TAGS: Readonly<Record<string, readonly string[]>> = { 'fa-AF': ['fa-AF', 'prs', 'fa'], kmr: ['kmr', 'ku'] };

/**
 * The display entry for `locale` from an issuer's list of `{ locale, … }` entries: the holder's
 * language (or a regional variant of it), else the entry without a locale (the issuer's default),
 * else English, else the first. `undefined` for an empty list.
 */
export function pickDisplay(entries: readonly JsonObject[], locale: string): JsonObject | undefined {
  const tagged = entries.filter((entry) => typeof entry.locale === 'string' && entry.locale !== '');
  const tags = tagged.map((entry) => entry.locale as string);
  if (tags.length > 0) {
    for (const wanted of ISSUER_TAGS[locale] ?? [locale]) {
      const best = negotiateLocale([wanted], tags, tags[0]);
      if (primary(best) === primary(wanted)) return tagged[tags.indexOf(best)];
    }
  }
  const untagged = entries.find((entry) => entry.locale === undefined);
  if (untagged !== undefined) return untagged;
  return tagged.find((entry) => primary(entry.locale as string) === 'en') ?? entries[0];
}

const primary = (tag: string): string => tag.toLowerCase().split('-')[0] as string;

/** A claim value as the detail screen shows it. */
export type ClaimValue =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'date'; readonly date: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'number'; readonly value: number }
  /** An ISO 3166-1 alpha-2 code in a claim that names a country: shown as the country's name. */
  | { readonly kind: 'country'; readonly code: string }
  | { readonly kind: 'list'; readonly items: readonly ClaimValue[] };

/** One line of the detail screen. */
export interface ClaimRow {
  readonly label: string;
  readonly value: ClaimValue;
}

/** Claims every SD-JWT VC carries for machines (RFC 7519 §4.1, SD-JWT VC §3.2.2): not shown as information about the holder. */
const TECHNICAL_CLAIMS: ReadonlySet<string> = new Set([
  'iss',
  'sub',
  'aud',
  'iat',
  'nbf',
  'exp',
  'jti',
  'cnf',
  'vct',
  'vct#integrity',
  'status',
]);

/**
 * The detail screen's lines: first the claims the issuer describes, in its order, labelled in
 * `locale` (a path the credential lacks is skipped; a described object whose members are
 * described too is shown through them), then any other claim under its own name.
 */
export function claimRows(claims: JsonObject, descriptions: readonly JsonObject[], locale: string): ClaimRow[] {
  const rows: ClaimRow[] = [];
  const paths = descriptions.map((description) => claimPath(description.path)).filter((path) => path !== undefined);
  for (const description of descriptions) {
    const path = claimPath(description.path);
    if (path === undefined) continue;
    const covered = paths.some((other) => other.length > path.length && path.every((part, index) => other[index] === part));
    if (covered) continue;
    const value = valueAt(claims, path);
    if (value === undefined) continue;
    const label =
      displayText(pickDisplay(objects(description.display), locale)?.name) ?? path.filter((part) => part !== null).join(' › ');
    rows.push({ label, value: claimValue(value, lastName(path)) });
  }
  for (const [name, value] of Object.entries(claims)) {
    if (TECHNICAL_CLAIMS.has(name) || paths.some((path) => path[0] === name)) continue;
    rows.push({ label: name, value: claimValue(value, name) });
  }
  return rows;
}

/** OpenID4VP 1.0 §7 claims path pointer: strings, non-negative integers and `null` (every element). */
type ClaimPath = (string | number | null)[];

function claimPath(value: JsonValue | undefined): ClaimPath | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const ok = value.every(
    (part) => typeof part === 'string' || part === null || (typeof part === 'number' && Number.isSafeInteger(part) && part >= 0),
  );
  return ok ? (value as ClaimPath) : undefined;
}

/** The value a claims path points to; a `null` step collects every element of an array. */
function valueAt(value: JsonValue, path: ClaimPath): JsonValue | undefined {
  const [step, ...rest] = path;
  if (step === undefined) return value;
  if (step === null) {
    if (!Array.isArray(value)) return undefined;
    const found = value.map((element) => valueAt(element, rest)).filter((element) => element !== undefined);
    return found.length === 0 ? undefined : found;
  }
  if (typeof step === 'number')
    return Array.isArray(value) && step < value.length ? valueAt(value[step] as JsonValue, rest) : undefined;
  return isObject(value) && Object.hasOwn(value, step) ? valueAt(value[step] as JsonValue, rest) : undefined;
}

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Claims whose values are ISO 3166-1 alpha-2 country codes in the SD-JWT VC credentials of this
 * field (the EU PID's `nationalities`, `address.country`, `place_of_birth.country`,
 * `issuing_country`; our types' `nationality`): "ER" is read out as two letters, "Eritrea" as a
 * country, in the holder's language.
 */
const COUNTRY_CLAIMS: ReadonlySet<string> = new Set(['nationality', 'nationalities', 'country', 'issuing_country']);
const COUNTRY_CODE = /^[A-Z]{2}$/;

function lastName(path: ClaimPath): string | undefined {
  const names = path.filter((part): part is string => typeof part === 'string');
  return names[names.length - 1];
}

function claimValue(value: JsonValue, name?: string): ClaimValue {
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'string' && name !== undefined && COUNTRY_CLAIMS.has(name) && COUNTRY_CODE.test(value)) {
    return { kind: 'country', code: value };
  }
  if (typeof value === 'string') {
    const date = FULL_DATE.exec(value);
    if (date !== null) {
      const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
      const at = Date.UTC(year, month - 1, day);
      // A string that only looks like a date (2024-02-30) is shown as written.
      if (new Date(at).getUTCDate() === day && new Date(at).getUTCMonth() === month - 1) return { kind: 'date', date: at };
    }
    return { kind: 'text', text: value };
  }
  if (Array.isArray(value)) return { kind: 'list', items: value.map((item) => claimValue(item, name)) };
  if (value === null) return { kind: 'text', text: '' };
  return {
    kind: 'text',
    text: Object.entries(value)
      .map(([name, member]) => `${name}: ${plain(member)}`)
      .join(', '),
  };
}

function plain(value: JsonValue): string {
  if (Array.isArray(value)) return value.map(plain).join(', ');
  if (isObject(value))
    return Object.entries(value)
      .map(([name, member]) => `${name}: ${plain(member)}`)
      .join(', ');
  return String(value);
}

/**
 * A claim value as text in the holder's language: dates in the Gregorian calendar (a birth date
 * is a calendar day, so it is formatted in UTC, never shifted by the phone's time zone), numbers
 * with the language's digits, yes/no translated.
 */
export function formatClaimValue(value: ClaimValue, translator: AppTranslator): string {
  switch (value.kind) {
    case 'text':
      return value.text;
    case 'date':
      return translator.formatDate(value.date, { dateStyle: 'long', timeZone: 'UTC' });
    case 'boolean':
      return translator.t(value.value ? 'claim.yes' : 'claim.no');
    case 'number':
      return new Intl.NumberFormat(translator.locale).format(value.value);
    case 'country':
      return countryName(value.code, translator.locale);
    case 'list':
      return new Intl.ListFormat(translator.locale, { type: 'unit' }).format(
        value.items.map((item) => formatClaimValue(item, translator)),
      );
  }
}

/** The country's name in `locale`; the code itself where `Intl` knows no name for it. */
function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * The validity line of a card: "Valid until 12 March 2027", "Expired on …" or "No end date". The
 * day named is the last one the credential is valid on, in UTC: issuers end a permit's validity at
 * the first second after its stated day (`exp` is exclusive, RFC 7519 §4.1.4), so the card names
 * the same day as the permit's own "valid until" field, wherever the phone is.
 */
export function validityText(card: Pick<CredentialCard, 'expiresAt' | 'expired'>, translator: AppTranslator): string {
  if (card.expiresAt === undefined) return translator.t('credential.no_expiry');
  const date = translator.formatDate(card.expiresAt - 1000, { dateStyle: 'long', timeZone: 'UTC' });
  return translator.t(card.expired ? 'credential.expired' : 'credential.valid_until', { date });
}

const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * The issuer's background and text colours when both are hex colours (OpenID4VCI 1.0 §12.2.4
 * leaves the syntax to CSS; hex keeps anything else out of the style) with a contrast ratio of at
 * least 4.5:1 (WCAG 2.2 §1.4.3); `undefined` otherwise, and the app's own colours are used.
 */
export function legibleColors(
  background: JsonValue | undefined,
  textColor: JsonValue | undefined,
): { background: string; text: string } | undefined {
  if (typeof background !== 'string' || typeof textColor !== 'string') return undefined;
  if (!HEX_COLOR.test(background) || !HEX_COLOR.test(textColor)) return undefined;
  const [light, dark] = [luminance(background), luminance(textColor)].sort((a, b) => b - a) as [number, number];
  return (light + 0.05) / (dark + 0.05) >= 4.5 ? { background, text: textColor } : undefined;
}

/** WCAG 2.2 relative luminance of a hex colour. */
function luminance(hex: string): number {
  const digits =
    hex.length === 4 ? [...hex.slice(1)].map((digit) => digit + digit) : [hex.slice(1, 3), hex.slice(3, 5), hex.slice(5, 7)];
  const [r, g, b] = digits.map((pair) => {
    const channel = Number.parseInt(pair, 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
