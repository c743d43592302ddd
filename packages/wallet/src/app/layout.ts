import type { App } from './app.ts';
import { type IconName, icon } from './icons.ts';
import { readAloudButton } from './read-aloud.ts';
import { type Child, h } from './view.ts';

/**
 * The frame of every screen: a heading that takes focus when the screen appears (so a screen
 * reader announces the new screen), an optional back link, "Read aloud" where the phone has a
 * voice for the language, the content, and a one-time notice.
 */
export function screen(
  app: App,
  { title, back, children }: { title: string; back?: string | undefined; children: Child[] },
): HTMLElement {
  const notice = app.notice;
  app.notice = undefined;
  const header = h(
    'header',
    { class: 'screen-header' },
    back === undefined
      ? null
      : h('a', { class: 'back', href: back }, icon('back'), h('span', {}, app.translator.t('common.back'))),
    h('h1', { tabindex: '-1' }, title),
  );
  const section = h(
    'section',
    { class: 'screen' },
    header,
    notice === undefined ? null : h('p', { class: 'notice', role: 'status' }, notice),
    ...children,
  );
  const reader = readAloudButton(app, section);
  if (reader !== undefined) header.append(reader);
  return section;
}

/** A full-width button with an optional icon. */
export function button(
  label: string,
  {
    onclick,
    kind = 'primary',
    type = 'button',
    iconName,
  }: { onclick?: () => void; kind?: 'primary' | 'secondary' | 'danger'; type?: 'button' | 'submit'; iconName?: IconName },
): HTMLButtonElement {
  return h(
    'button',
    { type, class: `button ${kind}`, onclick: onclick === undefined ? undefined : () => onclick() },
    iconName === undefined ? null : icon(iconName),
    h('span', {}, label),
  );
}

/** A link styled as a full-width button. */
export function linkButton(
  label: string,
  href: string,
  { kind = 'secondary', iconName }: { kind?: 'primary' | 'secondary'; iconName?: IconName } = {},
): HTMLAnchorElement {
  return h('a', { class: `button ${kind}`, href }, iconName === undefined ? null : icon(iconName), h('span', {}, label));
}

/** A labelled text field with an optional hint, wired for screen readers (`aria-describedby`). */
export function field(
  id: string,
  label: string,
  input: Record<string, string | boolean | undefined>,
  hint?: string,
): { wrapper: HTMLElement; input: HTMLInputElement } {
  const hintId = hint === undefined ? undefined : `${id}-hint`;
  const element = h('input', { id, name: id, ...input, 'aria-describedby': hintId });
  return {
    wrapper: h(
      'div',
      { class: 'field' },
      h('label', { for: id }, label),
      hint === undefined ? null : h('p', { class: 'hint', id: hintId }, hint),
      element,
    ),
    input: element,
  };
}

/** A message area for a form: errors are announced at once (`role="alert"`), progress politely. */
export function formMessage(): { element: HTMLElement; error(text: string): void; progress(text: string): void; clear(): void } {
  const element = h('p', { class: 'form-message', 'aria-live': 'polite' });
  return {
    element,
    error: (text) => {
      element.className = 'form-message error';
      element.setAttribute('role', 'alert');
      element.textContent = text;
    },
    progress: (text) => {
      element.className = 'form-message progress';
      element.removeAttribute('role');
      element.textContent = text;
    },
    clear: () => {
      element.className = 'form-message';
      element.removeAttribute('role');
      element.textContent = '';
    },
  };
}

/**
 * A switch (a checkbox with `role="switch"`, read as "on/off") in a label row as large as a thumb
 * needs; off unless `checked`.
 */
export function switchRow(
  id: string,
  label: string,
  { onchange, hint, checked = false }: { onchange: (on: boolean) => void; hint?: string; checked?: boolean },
): HTMLElement {
  const hintId = hint === undefined ? undefined : `${id}-hint`;
  const input = h('input', { id, type: 'checkbox', role: 'switch', checked, 'aria-describedby': hintId });
  input.addEventListener('change', () => onchange(input.checked));
  return h(
    'div',
    { class: 'switch-row' },
    h('label', { for: id }, input, h('span', { class: 'switch-label', dir: 'auto' }, label)),
    hint === undefined ? null : h('p', { class: 'hint', id: hintId }, hint),
  );
}

/**
 * The answer row of the second step of a destructive action (issue 6 §1): the form message, then
 * the danger button `confirm` and the link `keep` (to `keepHref`) side by side. The button takes
 * what to act on from `target` at the moment of the tap (`undefined`: nothing to do, the screen
 * stays as it was), then runs `act` once with it, disabled meanwhile with `working` announced; a
 * failure says "error.unknown" and lets the holder try again.
 */
export function twoStepConfirm<T>(
  app: App,
  options: {
    confirm: string;
    keep: string;
    keepHref: string;
    working: string;
    target: () => T | undefined;
    act: (target: T) => Promise<void>;
  },
): HTMLElement[] {
  const message = formMessage();
  const confirm = button(options.confirm, {
    kind: 'danger',
    onclick: async () => {
      const target = options.target();
      if (target === undefined) return;
      confirm.disabled = true;
      message.progress(options.working);
      try {
        await options.act(target);
      } catch {
        confirm.disabled = false;
        message.error(app.translator.t('error.unknown'));
      }
    },
  });
  return [
    message.element,
    h('div', { class: 'choice' }, confirm, linkButton(options.keep, options.keepHref, { kind: 'secondary' })),
  ];
}
