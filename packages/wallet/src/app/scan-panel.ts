import type { App } from './app.ts';
import { icon } from './icons.ts';
import { formMessage } from './layout.ts';
import { startScanner, stopCamera } from './qr-scanner.ts';
import { h } from './view.ts';

/**
 * "Scan the QR code": a button that opens the camera in place, reads the first QR code and hands
 * its text to `onText` (the screen then fills its link field). When the camera cannot be used
 * (refused, or there is none) it says so and points to the link field, which stays on the screen.
 */
export function scanPanel(app: App, { onText }: { onText: (text: string) => void }): HTMLElement {
  const { t } = app.translator;
  const message = formMessage();
  const video = h('video', { class: 'scanner-video', 'aria-label': t('scan.video'), muted: true, playsinline: true });
  const stop = h('button', { type: 'button', class: 'button secondary' }, h('span', {}, t('scan.stop')));
  const viewer = h('div', { class: 'scanner', hidden: true }, video, stop);
  const start = h(
    'button',
    { type: 'button', class: 'button secondary', 'aria-expanded': 'false' },
    icon('camera'),
    h('span', {}, t('scan.start')),
  );
  const close = (): void => {
    stopCamera();
    viewer.hidden = true;
    start.hidden = false;
    start.setAttribute('aria-expanded', 'false');
  };
  stop.addEventListener('click', () => {
    close();
    message.clear();
    start.focus();
  });
  start.addEventListener('click', async () => {
    viewer.hidden = false;
    start.hidden = true;
    start.setAttribute('aria-expanded', 'true');
    message.progress(t('scan.looking'));
    stop.focus();
    const result = await startScanner(video, (text) => {
      close();
      message.clear();
      onText(text);
    });
    if (typeof result === 'string') {
      close();
      message.error(t(result === 'denied' ? 'scan.denied' : 'scan.unavailable'));
    }
  });
  return h('div', { class: 'scan-panel' }, start, viewer, message.element);
}
