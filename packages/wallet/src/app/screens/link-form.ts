import type { Wallet } from '../../index.ts';
import type { App } from '../app.ts';
import type { AppMessageKey } from '../i18n.ts';
import type { IconName } from '../icons.ts';
import { button, formMessage } from '../layout.ts';
import { type Child, h } from '../view.ts';

/**
 * The paste-a-link form that receiving (OpenID4VCI 1.0 §4.1.1 offer link) and sharing (OpenID4VP
 * 1.0 §5 request link) both start from: a URL text area, any `fields` after it, a message area
 * and the submit button. On submit an empty link is refused before anything goes out; `use` runs
 * with the open wallet and the trimmed link, and a throw shows `errorKey`'s text and lets the
 * holder try again.
 */
export function linkForm(
  app: App,
  options: {
    id: string;
    label: string;
    submit: string;
    iconName: IconName;
    working: string;
    fields?: Child[];
    use: (wallet: Wallet, link: string) => Promise<void>;
    errorKey: (error: unknown) => AppMessageKey;
  },
): { form: HTMLFormElement; link: HTMLTextAreaElement; message: ReturnType<typeof formMessage> } {
  const { t } = app.translator;
  const { id, label, working, use, errorKey } = options;
  const link = h('textarea', {
    id,
    name: id,
    rows: '3',
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    dir: 'ltr',
    inputmode: 'url',
  });
  const message = formMessage();
  const submit = button(options.submit, { type: 'submit', iconName: options.iconName });
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: id }, label), link),
    ...(options.fields ?? []),
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
    message.progress(working);
    try {
      await use(wallet, value);
    } catch (error) {
      submit.disabled = false;
      message.error(t(errorKey(error)));
    }
  });
  return { form, link, message };
}
