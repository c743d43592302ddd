import { openRequest } from '../../index.ts';
import type { Screen } from '../app.ts';
import { screen } from '../layout.ts';
import { scanPanel } from '../scan-panel.ts';
import { openRequestErrorKey } from '../share-flow.ts';
import { h } from '../view.ts';
import { linkForm } from './link-form.ts';

/**
 * The start of sharing: the desk's QR code (scanned) or its link (pasted, `openid4vp://…`). The
 * library fetches and checks the request (OpenID4VP 1.0 §5) with the deployment's trust anchors
 * and the holder's language for the purpose; nothing is sent to the desk before the holder
 * answers on the consent screen, except the request object fetch itself.
 */
export const shareRequest: Screen = (app) => {
  const { t } = app.translator;
  const { form, link } = linkForm(app, {
    id: 'request',
    label: t('share.link'),
    submit: t('share.submit'),
    iconName: 'forward',
    working: t('share.working'),
    use: async (wallet, value) => {
      const { trustAnchors, allowInsecureLocalhost } = await app.config();
      const consent = await openRequest(wallet, value, {
        trustAnchors,
        allowInsecureLocalhost,
        languages: [app.translator.locale, ...navigator.languages],
      });
      app.share.consent = consent;
      app.share.receipt = undefined;
      app.navigate('#/share/consent');
    },
    errorKey: openRequestErrorKey,
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
