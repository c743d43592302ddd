import {
  type ClaimPath,
  formatClaimPath,
  type JsonObject,
  type JsonValue,
  selectClaims,
  type TextDirection,
  type Translator,
  textDirection,
} from '@tessera/shared';
import type { TransactionView, VerifiedCredential } from '../openid4vp/types.ts';
import { displayName } from '../trust/trust-list.ts';
import type { PresentationStatus } from '../verify-presentation.ts';
import { type DeskMessageKey, errorMessageKey } from './messages.ts';
import type { DeskCredentialTypes } from './templates.ts';

/** How a transaction stands, as the desk shows it. */
export type DeskOutcome = 'pending' | 'accepted' | 'rejected' | 'expired';
/** A credential's status in the desk's words. */
export type DeskStatusCode = 'valid' | 'revoked' | 'suspended' | 'unknown' | 'none';

/** Text in a language of its own (an issuer's name), for `lang` and `dir` on its element. */
export interface DeskText {
  readonly text: string;
  readonly lang: string;
  readonly dir: TextDirection;
}

export interface DeskStatusView {
  readonly code: DeskStatusCode;
  readonly label: string;
  /** When the status list was checked, formatted for the reader. */
  readonly checkedAt?: string;
}

export interface DeskClaimView {
  readonly label: string;
  readonly value: string;
}

export interface DeskCredentialView {
  readonly issuer: DeskText;
  /** The credential type's name in the reader's language, or its `vct` when the desk has no name for it. */
  readonly type: string;
  /** Only what the holder disclosed: one row per disclosed value. */
  readonly claims: readonly DeskClaimView[];
  readonly status: DeskStatusView;
}

/** What the desk page shows for a transaction, every text already in the reader's language. */
export interface DeskTransactionView {
  readonly id: string;
  readonly outcome: DeskOutcome;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
  /** The outcome's heading; absent while pending. */
  readonly title?: string;
  /** When accepted. */
  readonly credentials?: readonly DeskCredentialView[];
  /** When rejected or expired: what happened and what to do, for staff. */
  readonly explanation?: string;
  /** When rejected: the stable error code, for support. */
  readonly errorCode?: string;
  /** When rejected: `errorCode` in a sentence. */
  readonly errorCodeText?: string;
  /** When rejected because of the credential's status (revoked, suspended). */
  readonly status?: DeskStatusView;
}

export interface RenderViewOptions {
  readonly credentialTypes: DeskCredentialTypes;
  /** IANA time zone for dates; default the runtime's. */
  readonly timeZone?: string;
}

/** Bounds on what one answer can put on the screen. */
const MAX_ROWS = 200;

/** Names for the claims the templates ask for, by path. */
const CLAIM_LABELS: ReadonlyMap<string, DeskMessageKey> = new Map([
  [pathKey(['residence_status']), 'claim.residence_status'],
  [pathKey(['age_equal_or_over', '18']), 'claim.age_over_18'],
  [pathKey(['language']), 'claim.language'],
  [pathKey(['level']), 'claim.level'],
  [pathKey(['organisation']), 'claim.organisation'],
  [pathKey(['registered']), 'claim.registered'],
]);

/**
 * The desk's view of a transaction in the reader's language: the issuer's name from the trust
 * list, the credential type, the disclosed claims and nothing else (OpenID4VP 1.0 §14: show what
 * was asked for), and the status; or, when rejected, an explanation of the error code.
 * @example
 * response.json(renderTransactionView(await verifier.wait(id, 25_000), translator, { credentialTypes }));
 */
export function renderTransactionView(
  view: TransactionView,
  translator: Translator<DeskMessageKey>,
  options: RenderViewOptions,
): DeskTransactionView {
  const { t } = translator;
  const base = { id: view.id, expiresAt: view.expiresAt };
  switch (view.status) {
    case 'pending':
      return { ...base, outcome: 'pending' };
    case 'expired':
      return { ...base, outcome: 'expired', title: t('result.expired'), explanation: t('result.expired_explanation') };
    case 'responded':
      return {
        ...base,
        outcome: 'accepted',
        title: t('result.accepted'),
        credentials: (view.credentials ?? []).map((credential) => renderCredential(credential, translator, options)),
      };
    case 'failed': {
      const code = view.error?.code ?? 'unknown';
      const statusCode: DeskStatusCode | undefined =
        code === 'credential_revoked' ? 'revoked' : code === 'credential_suspended' ? 'suspended' : undefined;
      return {
        ...base,
        outcome: 'rejected',
        title: t('result.rejected'),
        explanation: t(errorMessageKey(code)),
        errorCode: code,
        errorCodeText: t('result.error_code', { code }),
        ...(statusCode !== undefined ? { status: { code: statusCode, label: t(`status.${statusCode}`) } } : {}),
      };
    }
  }
}

function renderCredential(
  credential: VerifiedCredential,
  translator: Translator<DeskMessageKey>,
  options: RenderViewOptions,
): DeskCredentialView {
  const name = displayName(credential.trustedIssuer, [translator.locale, 'en']);
  return {
    issuer: { text: name.text, lang: name.language, dir: textDirection(name.language) },
    type: credentialTypeName(credential.vct, translator, options.credentialTypes),
    claims: renderClaims(credential, translator, options),
    status: renderStatus(credential.status, translator, options),
  };
}

function credentialTypeName(vct: string, { t }: Translator<DeskMessageKey>, types: DeskCredentialTypes): string {
  if (vct === types.residencePermit) return t('credential_type.residence_permit');
  if (vct === types.languageCourseCertificate) return t('credential_type.language_course_certificate');
  if (vct === types.ngoRegistration) return t('credential_type.ngo_registration');
  return vct;
}

function renderStatus(
  status: PresentationStatus,
  { t, formatDate }: Translator<DeskMessageKey>,
  options: RenderViewOptions,
): DeskStatusView {
  const code: DeskStatusCode =
    status.status === 'valid'
      ? 'valid'
      : status.status === 'invalid'
        ? 'revoked'
        : status.status === 'suspended'
          ? 'suspended'
          : status.status === 'none'
            ? 'none'
            : 'unknown';
  const view: DeskStatusView = { code, label: t(`status.${code}`) };
  if ('checkedAt' in status && Number.isFinite(status.checkedAt)) {
    const time = formatDate(status.checkedAt * 1000, { dateStyle: 'medium', timeStyle: 'short', ...timeZone(options) });
    return { ...view, checkedAt: t('result.status_checked_at', { time }) };
  }
  return view;
}

/**
 * One row per disclosed value. A path disclosed only to reach a deeper one (a recursive
 * disclosure discloses its parent object too) is not shown on its own; objects are opened into
 * their members so every row is a single value.
 */
function renderClaims(
  credential: VerifiedCredential,
  translator: Translator<DeskMessageKey>,
  options: RenderViewOptions,
): DeskClaimView[] {
  const shown = credential.disclosed.filter((path) => !credential.disclosed.some((other) => isStrictPrefix(path, other)));
  const rows: DeskClaimView[] = [];
  const seen = new Set<string>();
  const add = (path: ClaimPath, value: JsonValue): void => {
    if (rows.length >= MAX_ROWS) return;
    if (isJsonObject(value)) {
      for (const [name, member] of Object.entries(value)) add([...path, name], member);
      return;
    }
    if (Array.isArray(value) && value.some((item) => isJsonObject(item) || Array.isArray(item))) {
      value.forEach((item, index) => {
        add([...path, index], item);
      });
      return;
    }
    const key = pathKey(path);
    if (seen.has(key)) return;
    seen.add(key);
    const labelKey = CLAIM_LABELS.get(key);
    rows.push({
      label: labelKey !== undefined ? translator.t(labelKey) : formatClaimPath(path),
      value: formatValue(value, translator, options),
    });
  };
  for (const path of shown) {
    if (path.includes(null)) {
      for (const value of selectClaims(credential.claims, path)) add(path, value);
    } else {
      const [value] = selectClaims(credential.claims, path);
      if (value !== undefined) add(path, value);
    }
  }
  return rows;
}

/** A claim value as text for the reader: yes/no, numbers and dates in their locale, strings as the issuer wrote them. */
function formatValue(value: JsonValue, translator: Translator<DeskMessageKey>, options: RenderViewOptions): string {
  const { t, locale } = translator;
  if (value === null || value === '') return t('value.empty');
  if (typeof value === 'boolean') return t(value ? 'value.yes' : 'value.no');
  if (typeof value === 'number') return new Intl.NumberFormat(locale).format(value);
  if (typeof value === 'string') {
    const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (date !== null) {
      const instant = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
      // A full-date (RFC 3339) without a time belongs to no time zone: format it in UTC.
      if (new Date(instant).toISOString().startsWith(value))
        return translator.formatDate(instant, { dateStyle: 'long', timeZone: 'UTC' });
    }
    return value;
  }
  if (Array.isArray(value)) {
    return new Intl.ListFormat(locale, { type: 'unit' }).format(value.map((item) => formatValue(item, translator, options)));
  }
  return t('value.empty');
}

function timeZone(options: RenderViewOptions): { timeZone?: string } {
  return options.timeZone !== undefined ? { timeZone: options.timeZone } : {};
}

function isStrictPrefix(prefix: ClaimPath, path: ClaimPath): boolean {
  return prefix.length < path.length && prefix.every((step, index) => step === path[index]);
}

function pathKey(path: ClaimPath): string {
  return JSON.stringify(path);
}

function isJsonObject(value: JsonValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
