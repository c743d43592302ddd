import { receiveCredential } from '../../index.ts';
import type { Screen } from '../app.ts';
import { receiveErrorKey } from '../errors.ts';
import { button, formMessage, screen } from '../layout.ts';
import { routeHash } from '../router.ts';
import { scanPanel } from '../scan-panel.ts';
import { h } from '../view.ts';

/**
 * Receiving a document from the office's QR code (scanned) or its offer link (pasted,
 * `openid-credential-offer://…`) and the PIN the office gave (OpenID4VCI 1.0 §4.1.1 `tx_code`).
 * The library checks everything and stores nothing on error.
 */
export const receiveOffer: Screen = (app) => {
  const { t } = app.translator;
  const link = h('textarea', {
    id: 'offer',
    name: 'offer',
    rows: '3',
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    dir: 'ltr',
    inputmode: 'url',
  });
  const pin = h('input', {
    id: 'tx-code',
    name: 'tx-code',
    type: 'text',
    autocomplete: 'one-time-code',
    dir: 'ltr',
    'aria-describedby': 'tx-code-hint',
  });
  const message = formMessage();
  const submit = button(t('receive.submit'), { type: 'submit', iconName: 'download' });
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'offer' }, t('receive.link')), link),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'tx-code' }, t('receive.pin')),
      h('p', { class: 'hint', id: 'tx-code-hint' }, t('receive.pin_hint')),
      pin,
    ),
    message.element,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const wallet = app.wallet;
    if (wallet === undefined) return app.lock();
    const offer = link.value.trim();
    if (offer === '') {
      message.error(t('receive.empty_link'));
      link.focus();
      return;
    }
    submit.disabled = true;
    message.progress(t('receive.working'));
    try {
      const { trust, allowInsecureLocalhost } = await app.config();
      const txCode = pin.value.trim();
      const received = await receiveCredential(wallet, offer, {
        trust,
        allowInsecureLocalhost,
        ...(txCode === '' ? {} : { txCode }),
      });
      app.navigate(routeHash('/credential/:id', { id: received.credentialIds[0] as string }));
    } catch (error) {
      submit.disabled = false;
      message.error(t(receiveErrorKey(error)));
    }
  });
  const scanner = scanPanel(app, {
    onText: (text) => {
      link.value = text;
      message.progress(t('receive.scanned'));
      pin.focus();
    },
  });
  return screen(app, {
    title: t('receive.title'),
    back: '#/home',
    children: [h('p', { class: 'lead' }, t('receive.intro')), scanner, form],
  });
};
