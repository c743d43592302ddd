import {
  type Catalogs,
  createTranslator,
  html,
  jsonForScript,
  type SafeHtml,
  type Translator,
  textDirection,
} from '@tessera/shared';

import type { DeskMessageKey } from './messages.ts';
import type { DeskTemplate } from './templates.ts';

/** The longest long poll the page asks for, in seconds. */
export const MAX_WAIT_SECONDS = 25;

export interface DeskPageInput {
  readonly translator: Translator<DeskMessageKey>;
  readonly templates: readonly DeskTemplate[];
  /** Every language the desk speaks, for the language switcher. */
  readonly catalogs: Catalogs<DeskMessageKey>;
}

/**
 * The desk page in the staff member's language. Static HTML: the script (`desk.js`) and the style
 * sheet (`desk.css`) come from the same router, the texts the script needs travel in a JSON data
 * block, and nothing is inline, so `Content-Security-Policy: default-src 'self'` holds.
 */
export function renderDeskPage({ translator, templates, catalogs }: DeskPageInput): string {
  const { t, locale, dir } = translator;
  const clientData = {
    lang: locale,
    maxWaitSeconds: MAX_WAIT_SECONDS,
    strings: {
      start: t('action.start'),
      starting: t('action.starting'),
      copied: t('action.copied'),
      copyFailed: t('action.copy_failed'),
      // The script puts the remaining time where the placeholder stands.
      expiresIn: t('request.expires_in', { time: '{time}' }),
      connectionLost: t('request.connection_lost'),
      failedToStart: t('request.failed_to_start'),
      templateRequired: t('template.required'),
      issuer: t('result.issuer'),
      credentialType: t('result.credential_type'),
      claims: t('result.claims'),
      noClaims: t('result.no_claims'),
      status: t('result.status'),
      reason: t('result.reason'),
    },
  };
  const page = html`<!doctype html>
<html lang="${locale}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${t('page.title')}</title>
<link rel="icon" href="favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="desk.css">
<script type="application/json" id="desk-data">${jsonForScript(clientData)}</script>
<script type="module" src="desk.js"></script>
</head>
<body>
<a class="skip-link" href="#main">${t('page.skip')}</a>
<header class="desk-header">
<nav aria-label="${t('page.languages')}">
<ul class="languages">${Object.keys(catalogs).map((tag) => languageLink(tag, locale, catalogs))}</ul>
</nav>
</header>
<main id="main" tabindex="-1">
<h1>${t('page.heading')}</h1>
<p class="intro">${t('page.intro')}</p>
<noscript><p class="notice">${t('page.noscript')}</p></noscript>
<form id="desk-form" class="desk-form" novalidate>
<fieldset>
<legend>${t('template.legend')}</legend>
${templates.map(
  (template) => html`<div class="choice">
<input type="radio" name="template" id="template-${template.id}" value="${template.id}" aria-describedby="template-${template.id}-description">
<label for="template-${template.id}"><span class="choice-title">${t(template.titleKey)}</span>
<span class="choice-description" id="template-${template.id}-description">${t(template.descriptionKey)}</span></label>
</div>
`,
)}</fieldset>
<p id="form-error" class="form-error" role="alert" hidden></p>
<button type="submit" class="primary" id="start">${t('action.start')}</button>
</form>
<section id="request" class="request" aria-labelledby="request-heading" hidden>
<h2 id="request-heading" tabindex="-1">${t('request.heading')}</h2>
<img id="request-qr" class="qr" alt="${t('request.qr_alt')}" width="296" height="296">
<p id="request-countdown" class="countdown" role="timer" aria-live="off"></p>
<label for="request-link" class="link-label">${t('request.link_label')}</label>
<div class="link-row">
<input id="request-link" type="text" readonly dir="ltr" spellcheck="false" autocomplete="off">
<button type="button" id="copy-link">${t('action.copy')}</button>
</div>
<p id="copy-status" class="copy-status" role="status"></p>
<p><a id="request-open" href="#">${t('request.open_wallet')}</a></p>
<p id="request-waiting" class="waiting">${t('request.waiting')}</p>
<p id="request-problem" class="problem" role="status"></p>
</section>
<section id="result" class="result" aria-live="polite"></section>
<p class="new-check-row"><button type="button" id="new-check" class="secondary" hidden>${t('action.new')}</button></p>
</main>
<footer class="desk-footer"><p>${t('page.privacy')}</p></footer>
</body>
</html>
`;
  return page.html;
}

/** A language's own name, in that language, linking to the page in it. */
function languageLink(tag: string, current: string, catalogs: Catalogs<DeskMessageKey>): SafeHtml {
  const name = createTranslator(catalogs, [tag]).t('language.name');
  const here = tag === current;
  return html`<li><a href="?lang=${encodeURIComponent(tag)}" hreflang="${tag}" lang="${tag}" dir="${textDirection(tag)}"${
    here ? html` aria-current="page"` : ''
  }>${name}</a></li>`;
}
