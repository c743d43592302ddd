import { type JsonObject, type JsonValue, negotiateLocale, type Translator } from '@tessera/shared';
import type { WalletRecord } from '../index.ts';
import type { CliMessageKey } from './messages.ts';

/**
 * What the terminal shows of stored credentials, in the holder's language: the credential's name
 * and description, the issuer's name and the claim labels come from the display metadata the
 * issuer published (OpenID4VCI 1.0 §12.2.4, Appendix B.2) and the wallet stored in every language.
 */

/** One credential as the holder sees it: the instances received together (one per holder key) count as one. */
export interface CredentialView {
  /** The receipt id shared by the instances (the record id for a credential stored alone). */
  readonly id: string;
  /** The wallet record ids of the instances. */
  readonly recordIds: readonly string[];
  readonly name: string;
  readonly description: string | undefined;
  /** The issuer's name in the holder's language, else its identifier. */
  readonly issuerName: string;
  /** The credential's `iss`. */
  readonly issuer: string;
  readonly issuerTrusted: boolean;
  /** `dc+sd-jwt` or `jwt_vc_json`. */
  readonly format: string;
  /** What kind of credential: the `vct` of an SD-JWT VC, the `type` values of a W3C VC. */
  readonly type: string;
  readonly receivedAt: number | undefined;
  readonly expiresAt: number | undefined;
  /** The first instance's record, for its SD-JWT and display data. */
  readonly record: JsonObject;
}

/** A claim of `show`: its path, its label in the holder's language, its value. */
export interface ClaimView {
  readonly path: readonly (string | number | null)[];
  readonly label: string;
  readonly value: JsonValue;
}

/** Members of an SD-JWT VC payload that are about the credential, not about the holder (SD-JWT VC §3.2.2). */
const CREDENTIAL_MEMBERS: ReadonlySet<string> = new Set([
  'iss',
  'sub',
  'vct',
  'vct#integrity',
  'cnf',
  'iat',
  'nbf',
  'exp',
  'status',
  'jti',
  '_sd_alg',
]);

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Text from an issuer or verifier, made safe for a terminal: control characters (escape
 * sequences could rewrite the screen) and bidirectional overrides (which could reorder what the
 * holder reads) become spaces; joiners that Persian and Arabic script need stay. Long texts are cut.
 */
export function cleanText(value: unknown, maxLength = 300): string {
  const text = typeof value === 'string' ? value : String(value);
  const cleaned = text.replace(/[\p{Cc}\u202A-\u202E\u2066-\u2069\u061C\u200E\u200F]/gu, ' ');
  const chars = [...cleaned];
  return chars.length > maxLength ? `${chars.slice(0, maxLength - 1).join('')}…` : cleaned;
}

/** The entry of a display list (`[{ locale, … }]`) that best serves the holder's languages; English, else the first, failing that. */
export function localized(entries: unknown, languages: readonly string[]): JsonObject | undefined {
  if (!Array.isArray(entries)) return undefined;
  const objects = entries.filter(isObject);
  const tagged = objects.filter((entry) => typeof entry.locale === 'string' && entry.locale !== '');
  if (tagged.length === 0) return objects[0];
  const locale = negotiateLocale(
    languages,
    tagged.map((entry) => entry.locale as string),
    'en',
  );
  return tagged.find((entry) => entry.locale === locale);
}

function displayOf(record: JsonObject): { issuer: unknown; credential: unknown; claims: unknown } {
  const display = record.display;
  // `receiveCredential` stores `{ issuer, credential, claims }`; anything else carries no labels.
  return isObject(display)
    ? { issuer: display.issuer, credential: display.credential, claims: display.claims }
    : {
        issuer: undefined,
        credential: undefined,
        claims: undefined,
      };
}

/** The holder's credentials, grouped by receipt, oldest first. */
export function credentialViews(records: readonly WalletRecord[], languages: readonly string[]): CredentialView[] {
  const groups = new Map<string, WalletRecord[]>();
  for (const record of records) {
    if (!isObject(record.value)) continue;
    const receipt = typeof record.value.receiptId === 'string' ? record.value.receiptId : record.id;
    groups.set(receipt, [...(groups.get(receipt) ?? []), record]);
  }
  const views: CredentialView[] = [];
  for (const [id, group] of groups) {
    const first = group[0] as WalletRecord;
    const value = first.value as JsonObject;
    const display = displayOf(value);
    const type = typeOf(value);
    const issuer = typeof value.issuer === 'string' ? value.issuer : '';
    const credentialDisplay = localized(display.credential, languages);
    const issuerDisplay = localized(display.issuer, languages);
    views.push({
      id,
      recordIds: group.map((record) => record.id),
      name: cleanText(credentialDisplay?.name ?? (type || value.configurationId || id), 120),
      description: credentialDisplay?.description === undefined ? undefined : cleanText(credentialDisplay.description),
      issuerName: cleanText(issuerDisplay?.name ?? (issuer || value.credentialIssuer || '?'), 120),
      issuer,
      issuerTrusted: value.issuerTrusted !== false,
      format: typeof value.format === 'string' ? value.format : 'dc+sd-jwt',
      type,
      receivedAt: typeof value.receivedAt === 'number' ? value.receivedAt : undefined,
      expiresAt: typeof value.expiresAt === 'number' ? value.expiresAt : undefined,
      record: value,
    });
  }
  return views.sort((a, b) => (a.receivedAt ?? 0) - (b.receivedAt ?? 0) || (a.id < b.id ? -1 : 1));
}

/**
 * The kind of a stored credential or of a history entry's credential: the `vct` of an SD-JWT VC,
 * else the `type` values of a W3C VC other than `VerifiableCredential`.
 */
export function typeOf(value: JsonObject): string {
  if (typeof value.vct === 'string') return value.vct;
  const types = Array.isArray(value.types) ? value.types.filter((type): type is string => typeof type === 'string') : [];
  return types.filter((type) => type !== 'VerifiableCredential').join(', ');
}

/** The credential whose id (or a unique beginning of it, at least 4 characters) is `wanted`. */
export function findCredential(
  views: readonly CredentialView[],
  wanted: string,
): { found: CredentialView } | { problem: 'unknown' | 'ambiguous' } {
  const exact = views.find((view) => view.id === wanted || view.recordIds.includes(wanted));
  if (exact !== undefined) return { found: exact };
  if ([...wanted].length < 4) return { problem: 'unknown' };
  const matches = views.filter((view) => view.id.startsWith(wanted));
  if (matches.length === 1) return { found: matches[0] as CredentialView };
  return { problem: matches.length === 0 ? 'unknown' : 'ambiguous' };
}

/** The first characters of an id, enough to tell credentials apart on a screen. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/**
 * The label of a claim path in the holder's language, from the credential's claim metadata: the
 * path's own label, else its parent's label followed by the member name, else the dotted name.
 */
export function claimLabel(
  record: JsonObject | undefined,
  path: readonly (string | number | null)[],
  languages: readonly string[],
): string {
  const claims = record === undefined ? undefined : displayOf(record).claims;
  const entries = Array.isArray(claims) ? claims.filter(isObject) : [];
  const labelOf = (prefix: readonly (string | number | null)[]): string | undefined => {
    const key = JSON.stringify(prefix);
    const entry = entries.find((candidate) => JSON.stringify(candidate.path) === key);
    const name = localized(entry?.display, languages)?.name;
    return typeof name === 'string' && name !== '' ? cleanText(name, 80) : undefined;
  };
  for (let length = path.length; length >= 1; length--) {
    const label = labelOf(path.slice(0, length));
    if (label !== undefined) {
      const rest = path.slice(length).map(step);
      return rest.length === 0 ? label : `${label} › ${rest.join(' › ')}`;
    }
  }
  return cleanText(path.map(step).join('.'), 80);
}

/** A dotted claim name (`address.locality`, as the history stores it) as a path. */
export function pathOfName(name: string): (string | null)[] {
  return name.split('.').map((part) => (part === '*' ? null : part));
}

function step(value: string | number | null): string {
  return value === null ? '*' : cleanText(String(value), 60);
}

/**
 * The holder's claims in display order: the order of the claim metadata (Appendix B.3), then any
 * other claim in payload order. Objects are opened up to their members; arrays of plain values
 * stay one claim.
 */
export function claimViews(record: JsonObject, claims: JsonObject, languages: readonly string[]): ClaimView[] {
  const leaves: { path: (string | number)[]; value: JsonValue }[] = [];
  const walk = (value: JsonValue, path: (string | number)[]): void => {
    if (isObject(value) && path.length < 8) {
      for (const [name, member] of Object.entries(value)) walk(member, [...path, name]);
    } else if (Array.isArray(value) && value.some((element) => isObject(element) || Array.isArray(element)) && path.length < 8) {
      value.forEach((element, index) => {
        walk(element, [...path, index]);
      });
    } else {
      leaves.push({ path, value });
    }
  };
  for (const [name, value] of Object.entries(claims)) if (!CREDENTIAL_MEMBERS.has(name)) walk(value, [name]);

  const metadata = displayOf(record).claims;
  const order = (Array.isArray(metadata) ? metadata.filter(isObject) : []).map((entry) => JSON.stringify(entry.path));
  const rank = (path: (string | number)[]): number => {
    for (let length = path.length; length >= 1; length--) {
      const index = order.indexOf(JSON.stringify(path.slice(0, length)));
      if (index !== -1) return index;
    }
    return order.length;
  };
  return leaves
    .map((leaf, position) => ({ leaf, position, rank: rank(leaf.path) }))
    .sort((a, b) => a.rank - b.rank || a.position - b.position)
    .map(({ leaf }) => ({ path: leaf.path, label: claimLabel(record, leaf.path, languages), value: leaf.value }));
}

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A claim value for the screen: dates in the holder's language (Gregorian), yes/no, lists joined. */
export function formatValue(value: JsonValue, i18n: Translator<CliMessageKey>): string {
  if (value === null) return i18n.t('value.none');
  if (typeof value === 'boolean') return i18n.t(value ? 'value.yes' : 'value.no');
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const date = FULL_DATE.exec(value);
    if (date !== null) {
      const time = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
      // Only a real calendar date is reformatted; "2024-02-30" stays as the issuer wrote it.
      if (new Date(time).toISOString().slice(0, 10) === value) {
        return i18n.formatDate(time, { dateStyle: 'long', timeZone: 'UTC' });
      }
    }
    return cleanText(value, 500);
  }
  if (Array.isArray(value)) return value.map((element) => formatValue(element, i18n)).join(', ');
  return cleanText(JSON.stringify(value), 500);
}
