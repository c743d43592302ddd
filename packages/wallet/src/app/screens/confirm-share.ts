import { isTesseraError } from '@tessera/shared';
import { decline, respond, type VerifierAnswer } from '../../index.ts';
import type { App, Screen } from '../app.ts';
import {
  type ConsentChoices,
  type ConsentSection,
  type ConsentViewModel,
  consentChoices,
  consentViewModel,
  type OptionChoice,
} from '../consent-view.ts';
import { type CredentialCard, validityText } from '../credential-view.ts';
import { formMessage, screen, switchRow } from '../layout.ts';
import { shareReceipt } from '../share-flow.ts';
import { h, replace } from '../view.ts';

/**
 * The consent screen (issue 6 §1 Share; OpenID4VP 1.0 §6.4): who asks, verified or with a
 * prominent warning and its reason; why; over-asking warnings; where the request leaves a choice,
 * which documents to show (the library's default chosen); per document the claims that would
 * go, required ones marked, optional ones as switches that start off; then "Share" and "Don't
 * share", built alike, side by side, neither focused or styled as the default. Focus starts on the
 * heading, so a screen reader reads the screen from the top.
 */
export const confirmShare: Screen = async (app) => {
  const { t } = app.translator;
  const consent = app.share.consent;
  const wallet = app.wallet;
  if (consent === undefined || wallet === undefined) {
    app.navigate('#/share');
    return h('section');
  }
  const model = consentViewModel(consent, await wallet.records.list('credential'), app.translator.locale, t);
  const choices = consentChoices(model);
  const message = formMessage();

  const answer = async (kind: 'shared' | 'declined'): Promise<void> => {
    const open = app.wallet;
    if (open === undefined || app.share.consent !== consent) return;
    // The consent screen works offline (a request signed into its link needs no fetch), but the
    // answer must travel: with no connection, say so and keep the screen, so the holder can send
    // it once online. Sending anyway would spend the request on an answer that cannot arrive.
    if (kind === 'shared' && !navigator.onLine) {
      message.error(t('consent.offline', { share: t('consent.share') }));
      return;
    }
    for (const control of actions.querySelectorAll('button')) control.disabled = true;
    message.progress(t(kind === 'shared' ? 'consent.sharing' : 'consent.declining'));
    let result: { answer: VerifierAnswer } | { error: unknown };
    try {
      result = {
        answer: await app.track(kind === 'shared' ? respond(open, consent, choices.respondOptions()) : decline(open, consent)),
      };
    } catch (error) {
      // Locked meanwhile: the history has the outcome; this screen and its message are gone.
      if (app.wallet !== open) return;
      // Only a network failure means the answer may have gone out (the library logged it); any
      // other error stopped before anything was sent.
      if (!(isTesseraError(error) && error.code.startsWith('fetch_'))) {
        for (const control of actions.querySelectorAll('button')) control.disabled = false;
        message.error(t('error.unknown'));
        return;
      }
      result = { error };
    }
    // Locked while the answer travelled: it is in the history; no receipt outlives the lock.
    if (app.wallet !== open) return;
    // One answer per request: the verifier's nonce is spent.
    app.share.consent = undefined;
    app.share.receipt = shareReceipt(kind, model, choices, result);
    app.navigate('#/share/receipt');
  };

  const actions = h(
    'div',
    { class: 'choice consent-actions' },
    ...model.actions.map((action) =>
      h(
        'button',
        {
          type: 'button',
          class: `button ${action.style}`,
          'data-action': action.action,
          onclick: () => void answer(action.action === 'share' ? 'shared' : 'declined'),
        },
        h('span', {}, t(action.label)),
      ),
    ),
  );

  return screen(app, {
    title: t('consent.title'),
    back: '#/share',
    children: [
      whoAsks(app, model),
      h('h2', {}, t('consent.why')),
      h('p', { class: 'purpose', dir: 'auto' }, model.purpose ?? t('consent.no_purpose')),
      ...model.warnings.map((warning) => h('p', { class: 'warning', dir: 'auto' }, t(warning.key, { claim: warning.claim }))),
      ...(model.satisfiable ? whatIsShared(app, model, choices) : cannotAnswer(app, model)),
      message.element,
      actions,
    ],
  });
};

function whoAsks(app: App, model: ConsentViewModel): HTMLElement {
  const { t } = app.translator;
  const { verifier } = model;
  if (verifier.verified) {
    return h(
      'div',
      { class: 'verifier verified' },
      h('h2', {}, t('consent.who')),
      h('p', { class: 'verifier-name', dir: 'auto' }, verifier.name),
      h('p', {}, t('consent.verified')),
    );
  }
  return h(
    'div',
    { class: 'verifier unverified warning', role: 'note', 'aria-labelledby': 'unverified-title' },
    h('h2', { id: 'unverified-title' }, t('consent.unverified_title')),
    h(
      'p',
      { class: 'verifier-name', dir: 'auto' },
      verifier.claimedName === undefined
        ? t('consent.unverified_unnamed')
        : t('consent.unverified_named', { name: verifier.claimedName }),
    ),
    h('p', {}, t(verifier.reason)),
    h('p', {}, t('consent.unverified_advice')),
  );
}

function whatIsShared(app: App, model: ConsentViewModel, choices: ConsentChoices): HTMLElement[] {
  const { t } = app.translator;
  // The documents re-render when the holder picks another option; the option's own radio buttons
  // stay, so the focus stays where the holder is.
  const documents = h('div', { class: 'consent-documents' });
  const render = (): void =>
    replace(
      documents,
      ...model.sections.flatMap((section, index) => {
        const shown = choices.shown(section.queryId);
        return shown === undefined ? [] : [documentBlock(app, section, index, shown, choices)];
      }),
    );
  render();
  return [
    h('h2', {}, t('consent.what')),
    ...model.optionChoices.map((choice) => optionPicker(app, choice, choices, render)),
    documents,
  ];
}

/** A credential set's satisfiable options as radio buttons, the verifier's preferred one chosen. */
function optionPicker(app: App, choice: OptionChoice, choices: ConsentChoices, onChange: () => void): HTMLElement {
  const { t, locale } = app.translator;
  const names = new Intl.ListFormat(locale, { type: 'conjunction' });
  return h(
    'fieldset',
    { class: 'choice-list' },
    h('legend', {}, t('consent.choose_option')),
    ...choice.options.map(({ option, documents }) =>
      h(
        'label',
        { class: 'choice-row' },
        h('input', {
          type: 'radio',
          name: `option-${choice.set}`,
          value: String(option),
          checked: choices.option(choice.set) === option,
          onchange: () => {
            choices.chooseOption(choice.set, option);
            onChange();
          },
        }),
        h('span', { class: 'choice-text', dir: 'auto' }, names.format(documents)),
      ),
    ),
  );
}

function documentBlock(
  app: App,
  section: ConsentSection,
  index: number,
  shown: 'required' | 'optional',
  choices: ConsentChoices,
): HTMLElement {
  const { t } = app.translator;
  const headingId = `document-${index}`;
  const details = h('div', { class: 'document-details' });
  const renderDetails = (): void => replace(details, ...documentDetails(app, section, index, choices));
  renderDetails();
  return h(
    'section',
    { class: 'consent-document', 'aria-labelledby': headingId },
    section.documents.length > 1
      ? documentPicker(app, section, index, headingId, choices, renderDetails)
      : cardHeader(app, section.documents[0]?.card, headingId),
    shown === 'optional'
      ? switchRow(`document-switch-${index}`, t('consent.optional_document'), {
          onchange: (on) => choices.set(section.queryId, on),
          hint: t('consent.optional_document_hint'),
          checked: choices.isOn(section.queryId),
        })
      : null,
    details,
  );
}

/** The document as a card in its issuer's colours, named by a heading. */
function cardHeader(app: App, card: CredentialCard | undefined, headingId: string): HTMLElement {
  const { t } = app.translator;
  const header = h(
    'div',
    { class: 'consent-card' },
    h('h3', { id: headingId, dir: 'auto' }, card?.name ?? t('credential.unnamed')),
    h(
      'p',
      { dir: 'auto' },
      card?.issuerName === undefined ? t('credential.unknown_issuer') : t('credential.issued_by', { issuer: card.issuerName }),
    ),
  );
  if (card?.colors !== undefined) {
    header.style.setProperty('--card-background', card.colors.background);
    header.style.setProperty('--card-text', card.colors.text);
  }
  return header;
}

/**
 * Several documents answer: radio buttons (or checkboxes, when the verifier takes several), each
 * named by the document, its office, and when and until when it holds, so two alike are told apart.
 */
function documentPicker(
  app: App,
  section: ConsentSection,
  index: number,
  headingId: string,
  choices: ConsentChoices,
  onChange: () => void,
): HTMLElement {
  const { t } = app.translator;
  const note = h('p', { class: 'hint', 'aria-live': 'polite' });
  const chosen = new Set(choices.documents(section.queryId).map((document) => document.key));
  return h(
    'fieldset',
    { class: 'choice-list' },
    h('legend', { id: headingId }, t(section.multiple ? 'consent.choose_documents' : 'consent.choose_document')),
    ...section.documents.map((document) => {
      const card = document.card;
      const input = h('input', {
        type: section.multiple ? 'checkbox' : 'radio',
        name: `document-${index}`,
        value: document.key,
        checked: chosen.has(document.key),
      });
      input.addEventListener('change', () => {
        if (choices.chooseDocument(section.queryId, document.key, input.checked)) note.textContent = '';
        else {
          // The last document of a needed query stays: declining is the way to share none.
          input.checked = true;
          note.textContent = t('consent.keep_one');
        }
        onChange();
      });
      return h(
        'label',
        { class: 'choice-row' },
        input,
        h(
          'span',
          { class: 'choice-text' },
          h('strong', { dir: 'auto' }, card?.name ?? t('credential.unnamed')),
          h(
            'span',
            { dir: 'auto' },
            card?.issuerName === undefined
              ? t('credential.unknown_issuer')
              : t('credential.issued_by', { issuer: card.issuerName }),
          ),
          card === undefined
            ? null
            : h(
                'span',
                {},
                t('credential.received_on', {
                  date: app.translator.formatDate(card.receivedAt, { dateStyle: 'medium', timeStyle: 'short' }),
                }),
              ),
          card === undefined ? null : h('span', {}, validityText(card, app.translator)),
        ),
      );
    }),
    note,
  );
}

/** What the chosen documents of a query would share: required claims marked, optional ones as switches. */
function documentDetails(app: App, section: ConsentSection, index: number, choices: ConsentChoices): HTMLElement[] {
  const { t } = app.translator;
  const chosen = choices.documents(section.queryId);
  const parts: HTMLElement[] = [];
  for (const document of chosen) {
    if (chosen.length > 1) parts.push(h('h3', { dir: 'auto' }, document.card?.name ?? t('credential.unnamed')));
    parts.push(
      document.disclosesEverything
        ? h('p', { class: 'warning' }, t('consent.whole_document'))
        : h('p', { class: 'hint' }, t('consent.required_hint')),
      h(
        'ul',
        { class: 'claim-list' },
        ...document.required.map((claim) =>
          h(
            'li',
            { class: 'claim-row' },
            h('span', { class: 'claim-label', dir: 'auto' }, claim.label),
            document.disclosesEverything ? null : h('span', { class: 'badge' }, t('consent.required_badge')),
          ),
        ),
      ),
    );
    if (document.presentedBefore) parts.push(h('p', { class: 'hint' }, t('consent.shown_before')));
  }
  // A switch stands for the claim in every chosen document of the query (`respond` takes it per query).
  const optional = new Map(chosen.flatMap((document) => document.optional.map((claim) => [claim.ref, claim] as const)));
  if (optional.size > 0) parts.push(h('p', { class: 'hint' }, t('consent.optional_hint')));
  for (const [claimIndex, claim] of [...optional.values()].entries()) {
    parts.push(
      switchRow(`optional-${index}-${claimIndex}`, claim.label, {
        onchange: (on) => choices.set(claim.ref, on),
        checked: choices.isOn(claim.ref),
      }),
    );
  }
  return parts;
}

function cannotAnswer(app: App, model: ConsentViewModel): HTMLElement[] {
  const { t } = app.translator;
  const list = new Intl.ListFormat(app.translator.locale, { type: 'conjunction' });
  return [
    h(
      'div',
      { class: 'warning', role: 'note', 'aria-labelledby': 'cannot-title' },
      h('h2', { id: 'cannot-title' }, t('consent.cannot_title')),
      h('p', {}, t('consent.cannot', { count: Math.max(1, model.missing) })),
      h(
        'p',
        { dir: 'auto' },
        model.held.length === 0 ? t('consent.cannot_none') : t('consent.cannot_held', { documents: list.format(model.held) }),
      ),
    ),
  ];
}
