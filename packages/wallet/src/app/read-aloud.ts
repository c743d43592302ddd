import type { App } from './app.ts';
import { icon } from './icons.ts';
import { h } from './view.ts';

/**
 * Read-aloud of a screen through the browser's speech synthesis (issue 6 §1 "Accessibility"; W3C
 * Web Speech API, SpeechSynthesis). Only voices on the phone are used (`localService`): a network
 * voice would send the screen's text, names and document values included, to the voice's
 * provider. Without a local voice for the holder's language the button stays hidden.
 */

/** What the app needs of a voice (`SpeechSynthesisVoice`). */
export interface VoiceLike {
  readonly lang: string;
  readonly localService: boolean;
}

/** Languages a voice may be tagged with for each shipped language, best first. */
const VOICE_LANGUAGES: Readonly<Record<string, readonly string[]>> = {
  // Dari: phones tag it fa-AF (or prs); a Farsi voice reads the same script and is understood.
  'fa-AF': ['fa-af', 'prs', 'fa'],
  // Kurmanji: CLDR's `ku` is Kurmanji too (docs/wallet-app.md "Languages").
  kmr: ['kmr', 'ku'],
};

const normalise = (tag: string): string => tag.replaceAll('_', '-').toLowerCase();
const primary = (tag: string): string => normalise(tag).split('-')[0] as string;

/**
 * The local voice to read `locale` with: one tagged exactly so first, then one of the same
 * language in another region; `undefined` when the phone has none (network voices never count).
 * @example pickVoice(speechSynthesis.getVoices(), 'fa-AF') // a local fa-AF, prs or fa voice
 */
export function pickVoice<V extends VoiceLike>(voices: readonly V[], locale: string): V | undefined {
  const local = voices.filter((voice) => voice.localService);
  const wanted = VOICE_LANGUAGES[locale] ?? [normalise(locale)];
  for (const tag of wanted) {
    const exact = local.find((voice) => normalise(voice.lang) === tag);
    if (exact !== undefined) return exact;
  }
  for (const tag of wanted) {
    const near = local.find((voice) => primary(voice.lang) === primary(tag));
    if (near !== undefined) return near;
  }
  return undefined;
}

/** The elements whose text is read, in the order they appear. */
const READ = 'h1, h2, h3, h4, p, li, dt, dd, legend, label';

/**
 * The lines a screen reads: its heading, then the text of its headings, paragraphs, list items,
 * terms, legends and labels as shown (`innerText`: nothing hidden, no typed input, never a PIN),
 * each once. Buttons and links are left out: they are what the holder does, not what the screen says.
 */
export function screenLines(section: HTMLElement): string[] {
  const lines: string[] = [];
  for (const element of section.querySelectorAll<HTMLElement>(READ)) {
    const outer = element.parentElement?.closest(READ);
    if (outer != null && section.contains(outer)) continue;
    if (element.closest('button, a, .read-aloud') !== null) continue;
    // biome-ignore lint/performance/useDomNodeTextContent: what is read is the rendered text (nothing hidden, line breaks as shown)
    for (const line of element.innerText.split('\n')) {
      const text = line.trim();
      if (text !== '') lines.push(text);
    }
  }
  return lines;
}

interface Reading {
  readonly button: HTMLButtonElement;
  readonly label: HTMLElement;
  readonly idle: string;
}

let reading: Reading | undefined;
/** Shows or hides the newest screen's button when the browser's voices change. */
let latest: (() => void) | undefined;
let listening = false;

function speech(): SpeechSynthesis | undefined {
  const synth = (globalThis as { speechSynthesis?: SpeechSynthesis }).speechSynthesis;
  return synth !== undefined && typeof globalThis.SpeechSynthesisUtterance === 'function' ? synth : undefined;
}

/** Stops any reading (on every screen change, and when the wallet locks: a locked phone says nothing). */
export function stopReading(): void {
  const current = reading;
  reading = undefined;
  if (current === undefined) return;
  speech()?.cancel();
  current.label.textContent = current.idle;
}

/**
 * The "Read aloud" button of a screen: reads `section` in the holder's language, and "Stop
 * reading" while it does. `undefined` where the browser has no speech synthesis; hidden until a
 * local voice for the language is known (browsers load their voices after the page).
 */
export function readAloudButton(app: App, section: HTMLElement): HTMLButtonElement | undefined {
  const synth = speech();
  if (synth === undefined) return undefined;
  const { t, locale } = app.translator;
  const idle = t('read.aloud');
  const label = h('span', {}, idle);
  const button = h('button', { type: 'button', class: 'button secondary read-aloud' }, icon('speaker'), label);
  const showIfVoice = (): void => {
    button.hidden = pickVoice(synth.getVoices(), locale) === undefined;
  };
  showIfVoice();
  // One listener for the app, told only about the newest screen's button: a listener per screen
  // would keep every screen ever shown (and the values on it) alive in memory.
  latest = showIfVoice;
  if (!listening) {
    synth.addEventListener('voiceschanged', () => latest?.());
    listening = true;
  }
  button.addEventListener('click', () => {
    if (reading?.button === button) {
      stopReading();
      return;
    }
    stopReading();
    const voice = pickVoice(synth.getVoices(), locale);
    if (voice === undefined) return;
    const lines = screenLines(section);
    if (lines.length === 0) return;
    const current: Reading = { button, label, idle };
    reading = current;
    label.textContent = t('read.stop');
    const done = (): void => {
      if (reading === current) stopReading();
    };
    // One utterance per line: some engines stop a long single utterance after about 15 seconds.
    for (const [index, line] of lines.entries()) {
      const utterance = new SpeechSynthesisUtterance(line);
      utterance.lang = locale;
      utterance.voice = voice;
      utterance.addEventListener('error', done);
      if (index === lines.length - 1) utterance.addEventListener('end', done);
      synth.speak(utterance);
    }
  });
  return button;
}
