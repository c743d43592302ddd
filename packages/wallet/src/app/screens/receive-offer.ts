import { receiveCredential } from '../../index.ts';
import type { Screen } from '../app.ts';
import { receiveErrorKey } from '../errors.ts';
import { screen } from '../layout.ts';
import { routeHash } from '../router.ts';
import { scanPanel } from '../scan-panel.ts';
import { h } from '../view.ts';
import { linkForm } from './link-form.ts';

/**
 * Receiving a document from the office's QR code (scanned) or its offer link (pasted,
 * `openid-credential-offer://…`) and the PIN the office gave (OpenID4VCI 1.0 §4.1.1 `tx_code`).
 * The library checks everything and stores nothing on error.
 */
export const receiveOffer: Screen = (app) => {
  const { t } = app.translator;
  const pin = h('input', {
    id: 'tx-code',
    name: 'tx-code',
    type: 'text',
    autocomplete: 'one-time-code',
    dir: 'ltr',
    'aria-describedby': 'tx-code-hint',
  });
  const { form, link, message } = linkForm(app, {
    id: 'offer',
    label: t('receive.link'),
    submit: t('receive.submit'),
    iconName: 'download',
    working: t('receive.working'),
    fields: [
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'tx-code' }, t('receive.pin')),
        h('p', { class: 'hint', id: 'tx-code-hint' }, t('receive.pin_hint')),
        pin,
      ),
    ],
    use: async (wallet, offer) => {
      const { trust, allowInsecureLocalhost } = await app.config();
      const txCode = pin.value.trim();
      // Tracked: once the office has issued, the credential must be stored even if the app locks
      // meanwhile (the PIN and the offer are spent).
      const received = await app.track(
        receiveCredential(wallet, offer, {
          trust,
          allowInsecureLocalhost,
          ...(txCode === '' ? {} : { txCode }),
        }),
      );
      if (app.wallet !== wallet) return;
      app.navigate(routeHash('/credential/:id', { id: received.credentialIds[0] as string }));
    },
    errorKey: receiveErrorKey,
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
