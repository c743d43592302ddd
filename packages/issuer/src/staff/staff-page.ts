import {
  type Catalogs,
  createTranslator,
  html,
  jsonForScript,
  type SafeHtml,
  type Translator,
  textDirection,
} from '@tessera/shared';
import type { TenantConfig } from '../config/issuer-config.ts';
import { type ClaimDefinition, type CredentialType, credentialConfigurationId } from '../credential-types/index.ts';

import type { StaffMessageKey } from './messages.ts';

export interface StaffPageInput {
  readonly translator: Translator<StaffMessageKey>;
  readonly catalogs: Catalogs<StaffMessageKey>;
  readonly tenant: TenantConfig;
  /** The credential types the tenant issues, in its configured order. */
  readonly types: readonly CredentialType[];
}

/** How the page asks for one claim. */
export interface ClaimField {
  /** The claim path joined with `.`, e.g. `address.locality`. */
  readonly name: string;
  readonly path: readonly string[];
  readonly label: string;
  readonly input: 'text' | 'date' | 'boolean' | 'select' | 'number' | 'group';
  readonly required: boolean;
  readonly options?: readonly string[];
  readonly maxLength?: number;
  readonly minLength?: number;
  readonly min?: number;
  readonly max?: number;
  /** An HTML `pattern` for codes: ISO 3166-1 alpha-2 countries, ISO 639 languages. */
  readonly pattern?: string;
}

/**
 * The staff page of one tenant in the staff member's language: sign in with an API key, fill in
 * a credential type's claims (labels from the type's display metadata), show the offer's QR code
 * and PIN, list and revoke/suspend/reinstate issued credentials. Static HTML: the script
 * (`staff.js`) and styles (`staff.css`) come from the same router, the data the script needs
 * travels in a JSON data block, and nothing is inline, so `default-src 'self'` holds.
 */
export function renderStaffPage({ translator, catalogs, tenant, types }: StaffPageInput): string {
  const { t, locale, dir } = translator;
  const issuerName = tenant.name[locale] ?? tenant.name.en ?? tenant.id;
  const typeName = (type: CredentialType) => (type.display[locale] ?? type.display.en)?.name ?? type.id;
  const clientData = {
    lang: locale,
    tenant: tenant.id,
    strings: clientStrings(t),
    types: types.map((type) => ({ id: type.id, name: typeName(type), fields: claimFields(type, locale) })),
    // Records name their configuration; the table shows the type's name instead.
    configurations: Object.fromEntries(
      types.flatMap((type) => type.formats.map((format) => [credentialConfigurationId(type, format), typeName(type)])),
    ),
  };
  const page = html`<!doctype html>
<html lang="${locale}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${t('page.title', { issuer: issuerName })}</title>
<link rel="icon" href="favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="staff.css">
<script type="application/json" id="staff-data">${jsonForScript(clientData)}</script>
<script type="module" src="staff.js"></script>
</head>
<body>
<a class="skip-link" href="#main">${t('page.skip')}</a>
<header class="staff-header">
<p class="issuer-name">${issuerName}</p>
<nav aria-label="${t('page.languages')}">
<ul class="languages">${Object.keys(catalogs).map((tag) => languageLink(tag, locale, catalogs))}</ul>
</nav>
</header>
<main id="main" tabindex="-1">
<h1>${t('page.heading')}</h1>
<noscript><p class="notice">${t('page.noscript')}</p></noscript>
<section id="login" class="panel" aria-labelledby="login-heading">
<h2 id="login-heading">${t('login.heading')}</h2>
<p>${t('login.intro')}</p>
<form id="login-form" novalidate>
<label for="api-key">${t('login.key_label')}</label>
<input id="api-key" name="api-key" type="password" autocomplete="off" spellcheck="false" dir="ltr" required>
<p id="login-error" class="form-error" role="alert" hidden></p>
<button type="submit" class="primary" id="login-submit">${t('login.submit')}</button>
</form>
</section>
<div id="workspace" hidden>
<p class="session"><span id="session-label"></span> <button type="button" id="sign-out" class="secondary">${t('action.sign_out')}</button></p>
<section id="offer" class="panel" aria-labelledby="offer-heading">
<h2 id="offer-heading">${t('offer.heading')}</h2>
<form id="offer-form" novalidate>
<label for="offer-type">${t('offer.type_label')}</label>
<select id="offer-type" name="type" required>
<option value="">${t('offer.type_choose')}</option>
${types.map((type) => html`<option value="${type.id}">${typeName(type)}</option>`)}
</select>
<fieldset id="claims" hidden>
<legend>${t('offer.claims_legend')}</legend>
<div id="claim-fields"></div>
</fieldset>
<div class="checkbox-row">
<input type="checkbox" id="offer-pin" name="pin" checked>
<label for="offer-pin">${t('offer.pin_label')}</label>
</div>
<div id="offer-error" class="form-error" role="alert" hidden></div>
<button type="submit" class="primary" id="offer-submit">${t('offer.submit')}</button>
</form>
<div id="offer-result" class="offer-result" hidden>
<h3 id="result-heading" tabindex="-1">${t('result.heading')}</h3>
<p>${t('result.instructions')}</p>
<div id="offer-qr" class="qr" role="img" aria-label="${t('result.qr_label')}"></div>
<div id="offer-pin-box" class="pin-box">
<p class="pin-label">${t('result.pin')}</p>
<p id="offer-pin-value" class="pin" dir="ltr"></p>
</div>
<p id="offer-no-pin" class="warning" hidden>${t('result.no_pin')}</p>
<p id="offer-expires" class="expires"></p>
<label for="offer-link">${t('result.link_label')}</label>
<div class="link-row">
<input id="offer-link" type="text" readonly dir="ltr" spellcheck="false" autocomplete="off">
<button type="button" id="copy-link" class="secondary">${t('action.copy')}</button>
</div>
<p id="copy-status" role="status"></p>
<button type="button" id="new-offer" class="primary">${t('action.new_offer')}</button>
</div>
</section>
<section id="records" class="panel" aria-labelledby="records-heading">
<h2 id="records-heading">${t('records.heading')}</h2>
<p><button type="button" id="records-refresh" class="secondary">${t('records.refresh')}</button></p>
<p id="records-error" class="form-error" role="alert" hidden></p>
<p id="records-empty" hidden>${t('records.empty')}</p>
<div class="table-wrap">
<table id="records-table" hidden>
<thead><tr><th scope="col">${t('records.issued')}</th><th scope="col">${t('records.type')}</th><th scope="col">${t('records.copies')}</th><th scope="col">${t('records.issued_by')}</th><th scope="col">${t('records.offer')}</th><th scope="col">${t('records.status')}</th><th scope="col">${t('records.actions')}</th></tr></thead>
<tbody id="records-body"></tbody>
</table>
</div>
<p><button type="button" id="records-more" class="secondary" hidden>${t('records.more')}</button></p>
</section>
</div>
</main>
<footer class="staff-footer"><p>${t('page.privacy')}</p></footer>
</body>
</html>
`;
  return page.html;
}

/** The texts the script shows, already in the page's language; `{x}` marks where it inserts a value. */
function clientStrings(t: Translator<StaffMessageKey>['t']): Record<string, string> {
  const keys: StaffMessageKey[] = [
    'login.submit',
    'login.checking',
    'login.failed',
    'offer.submit',
    'offer.creating',
    'offer.type_required',
    'offer.required',
    'offer.optional',
    'value.yes',
    'value.no',
    'value.unset',
    'action.copied',
    'status.valid',
    'status.revoked',
    'status.suspended',
    'status.other',
    'action.revoke',
    'action.suspend',
    'action.reinstate',
    'confirm.revoke',
    'error.generic',
    'error.network',
    'error.rate_limited',
    'error.session',
    'error.claims_invalid',
    'error.unsupported_credential_type',
    'error.status_final',
    'error.suspension_unsupported',
    'error.not_found',
  ];
  const strings: Record<string, string> = Object.fromEntries(keys.map((key) => [key, t(key)]));
  strings['login.signed_in'] = t('login.signed_in', { label: '{label}' });
  strings['result.expires'] = t('result.expires', { time: '{time}' });
  strings['error.technical'] = t('error.technical', { detail: '{detail}' });
  return strings;
}

/** The fields of a type's form, in declared order, labels in `locale` (English when the type lacks it). */
export function claimFields(type: CredentialType, locale: string): ClaimField[] {
  return type.claims.map((claim) => {
    const label = (claim.display[locale] ?? claim.display.en)?.label ?? claim.path.join('.');
    return { name: claim.path.join('.'), path: claim.path, label, required: claim.required, ...inputFor(claim) };
  });
}

function inputFor(
  claim: ClaimDefinition,
): Pick<ClaimField, 'input' | 'options' | 'maxLength' | 'minLength' | 'min' | 'max' | 'pattern'> {
  switch (claim.valueType) {
    case 'object':
      return { input: 'group' };
    case 'boolean':
      return { input: 'boolean' };
    case 'date':
      return { input: 'date' };
    case 'integer':
      return {
        input: 'number',
        ...(claim.minimum === undefined ? {} : { min: claim.minimum }),
        ...(claim.maximum === undefined ? {} : { max: claim.maximum }),
      };
    case 'string': {
      if (claim.enum !== undefined) return { input: 'select', options: claim.enum };
      const pattern = claim.format === 'country-code' ? '[A-Z]{2}' : claim.format === 'language-code' ? '[a-z]{2,3}' : undefined;
      return {
        input: 'text',
        ...(claim.maxLength === undefined ? {} : { maxLength: claim.maxLength }),
        ...(claim.minLength === undefined ? {} : { minLength: claim.minLength }),
        ...(pattern === undefined ? {} : { pattern }),
      };
    }
  }
}

/** A language's own name, in that language, linking to the page in it. */
function languageLink(tag: string, current: string, catalogs: Catalogs<StaffMessageKey>): SafeHtml {
  const name = createTranslator(catalogs, [tag]).t('language.name');
  return html`<li><a href="?lang=${encodeURIComponent(tag)}" hreflang="${tag}" lang="${tag}" dir="${textDirection(tag)}"${
    tag === current ? html` aria-current="page"` : ''
  }>${name}</a></li>`;
}
