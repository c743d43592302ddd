import { openRequest } from '../../index.ts';
import type { Screen } from '../app.ts';
import { button, formMessage, screen } from '../layout.ts';
import { scanPanel } from '../scan-panel.ts';
import { openRequestErrorKey } from '../share-flow.ts';
import { h } from '../view.ts';

/**
 * The start of sharing: the desk's QR code (scanned) or its link (pasted, `openid4vp://…`). The
 * library fetches and checks the request (OpenID4VP 1.0 §5) with the deployment's trust anchors
 * and the holder's language for the purpose; nothing is sent to the desk before the holder
 * answers on the consent screen, except the request object fetch itself.
 */
export const shareRequest: Screen = (app) => {
  const { t } = app.translator;
  const link = h('textarea', {
    id: 'request',
    name: 'request',
    rows: '3',
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    dir: 'ltr',
    inputmode: 'url',
  });
  const message = formMessage();
  const submit = button(t('share.submit'), { type: 'submit', iconName: 'forward' });
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'request' }, t('share.link')), link),
    message.element,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const wallet = app.wallet;
    if (wallet === undefined) return app.lock();
    const value = link.value.trim();
    if (value === '') {
      message.error(t('receive.empty_link'));
      link.focus();
      return;
    }
    submit.disabled = true;
    message.progress(t('share.working'));
    try {
      const { trustAnchors, allowInsecureLocalhost } = await app.config();
      const consent = await openRequest(wallet, value, {
        trustAnchors,
        allowInsecureLocalhost,
        languages: [app.translator.locale, ...navigator.languages],
      });
      app.share.consent = consent;
      app.share.receipt = undefined;
      app.navigate('#/share/consent');
    } catch (error) {
      submit.disabled = false;
      message.error(t(openRequestErrorKey(error)));
    }
  });
  const scanner = scanPanel(app, {
    onText: (text) => {
      link.value = text;
      form.requestSubmit();
    },
  });
  return screen(app, {
    title: t('share.title'),
    back: '#/home',
    children: [h('p', { class: 'lead' }, t('share.intro')), scanner, form],
  });
};
