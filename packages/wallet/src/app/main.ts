import { type AutoLock, createIndexedDbWalletStore, type Wallet } from '../index.ts';
import type { App, Screen } from './app.ts';
import { type AppConfig, loadConfig } from './config.ts';
import { type AppTranslator, applyDocumentLanguage, LOCALES, loadTranslator, pickLocale } from './i18n.ts';
import { startAutoLock, watchPage } from './lock-timer.ts';
import { type KeyValueStorage, profileLabels } from './profile-labels.ts';
import { stopCamera } from './qr-scanner.ts';
import { stopReading } from './read-aloud.ts';
import { hashPath, type RouteMatch, startHashRouter } from './router.ts';
import { aboutWallet } from './screens/about-wallet.ts';
import { backUpWallet } from './screens/back-up-wallet.ts';
import { changePinScreen } from './screens/change-pin.ts';
import { chooseLanguage } from './screens/choose-language.ts';
import { clearHistoryScreen } from './screens/clear-history.ts';
import { confirmShare } from './screens/confirm-share.ts';
import { createProfileScreen } from './screens/create-profile.ts';
import { credentialDetail } from './screens/credential-detail.ts';
import { credentialList } from './screens/credential-list.ts';
import { deleteCredential } from './screens/delete-credential.ts';
import { forgotPin, forgotPinWipe } from './screens/forgot-pin.ts';
import { historyScreen } from './screens/history.ts';
import { pickProfile } from './screens/pick-profile.ts';
import { receiveOffer } from './screens/receive-offer.ts';
import { restoreBackup } from './screens/restore-backup.ts';
import { settings } from './screens/settings.ts';
import { shareReceiptScreen } from './screens/share-receipt.ts';
import { shareRequest } from './screens/share-request.ts';
import { unlockWallet } from './screens/unlock-wallet.ts';
import { wipeWallet } from './screens/wipe-wallet.ts';
import type { ShareFlow } from './share-flow.ts';
import { h, replace } from './view.ts';

/**
 * The wallet app's entry point: opens the IndexedDB store, picks the language (the stored choice,
 * else the browser's), routes the hash to screens, locks the wallet after two minutes without
 * activity and whenever the page is hidden, and registers the service worker for offline use.
 */

const LOCALE_KEY = 'tessera-wallet.locale';

/** Screens that show the inside of a wallet: only while it is unlocked. */
const UNLOCKED: Readonly<Record<string, Screen>> = {
  '/home': credentialList,
  '/credential/:id': credentialDetail,
  '/credential/:id/delete': deleteCredential,
  '/receive': receiveOffer,
  '/share': shareRequest,
  '/share/consent': confirmShare,
  '/share/receipt': shareReceiptScreen,
  '/history': historyScreen,
  '/history/clear': clearHistoryScreen,
  '/settings': settings,
  '/settings/backup': backUpWallet,
  '/settings/pin': changePinScreen,
  '/settings/wipe': wipeWallet,
  '/about': aboutWallet,
};
/** Screens that show nothing of any wallet. */
const OPEN: Readonly<Record<string, Screen>> = {
  '/language': chooseLanguage,
  '/profiles': pickProfile,
  '/create': createProfileScreen,
  '/unlock': unlockWallet,
  '/restore': restoreBackup,
  '/forgot': forgotPin,
  '/forgot/wipe': forgotPinWipe,
};

function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function storeValue(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private browsing may refuse storage: the choice then lasts for this visit.
  }
}

/** `localStorage`, or a map for this visit where the browser refuses storage. */
function deviceStorage(): KeyValueStorage {
  try {
    if (globalThis.localStorage !== undefined) return globalThis.localStorage;
  } catch {
    // A SecurityError in some private modes.
  }
  const memory = new Map<string, string>();
  return { getItem: (key) => memory.get(key) ?? null, setItem: (key, value) => void memory.set(key, value) };
}

/** How long the screen announcer keeps its text: long enough to be spoken, not to be found later. */
const ANNOUNCEMENT_MS = 5000;

async function start(root: HTMLElement): Promise<void> {
  const store = await createIndexedDbWalletStore();
  const stored = readStored(LOCALE_KEY);
  let languageChosen = stored !== null && LOCALES.includes(stored);
  let translator: AppTranslator = await loadTranslator(
    languageChosen ? (stored as string) : pickLocale(navigator.languages),
    navigator.languages,
  );
  applyDocumentLanguage(document.documentElement, translator);

  let wallet: Wallet | undefined;
  let profile: string | undefined;
  let idle: AutoLock | undefined;
  /** Receives and shares under way: the wallet stays able to write until they settle (`App.track`). */
  const busy = new Set<Promise<unknown>>();
  let config: Promise<AppConfig> | undefined;
  /** Each render has a number; a screen that finishes after a newer render (or a lock) is dropped. */
  let renderCount = 0;
  const share: ShareFlow = { consent: undefined, receipt: undefined };

  const render = async (match: RouteMatch | undefined): Promise<void> => {
    const count = ++renderCount;
    // A camera is only ever on, and a screen only ever read aloud, for the screen that started it.
    stopCamera();
    stopReading();
    let view: HTMLElement;
    const screen = match === undefined ? undefined : (UNLOCKED[match.pattern] ?? OPEN[match.pattern]);
    // The bare address, or a wallet's screen while it is locked: where the app starts.
    const locked = match !== undefined && UNLOCKED[match.pattern] !== undefined && wallet === undefined;
    if (locked || (match === undefined && hashPath(location.hash) === '/')) {
      const entry = await app.entryHash();
      if (count === renderCount) router.navigate(entry);
      return;
    }
    if (screen === undefined || match === undefined) {
      view = h(
        'section',
        { class: 'screen' },
        h('h1', { tabindex: '-1' }, translator.t('common.not_found')),
        h('a', { class: 'button primary', href: await app.entryHash() }, translator.t('common.go_home')),
      );
    } else {
      view = await screen(app, match.params);
    }
    if (count !== renderCount) return;
    replace(root, view);
    const heading = view.querySelector('h1');
    document.title = heading?.textContent ? `${heading.textContent} · ${translator.t('app.name')}` : translator.t('app.name');
    heading?.focus();
    // A screen may add what it says on arrival (the receipt) to its title, as one text.
    // Paragraph by paragraph, so no two words of neighbouring lines run together.
    const marked = view.querySelector('[data-announce]');
    const told =
      marked === null
        ? undefined
        : [...marked.children]
            .map((line) => {
              // A list's items as a list, not run together.
              const items = [...line.querySelectorAll('li')].map((item) => item.textContent?.trim());
              return items.length > 0 ? items.join(', ') : line.textContent?.trim();
            })
            .filter(Boolean)
            .join(' ');
    announceScreen([heading?.textContent ?? '', told].filter(Boolean).join('. '), count);
  };

  /**
   * Says the new screen's title through a polite live region outside the screen. Focusing the
   * heading is not enough: when the old screen (which held the focus) is removed, Orca moves its
   * own focus silently and then takes the focus on the new heading for no change, so most screens
   * arrived unannounced (docs/accessibility/screen-reader-pass.md, F-1). The region is emptied
   * first and filled a moment later, so the same title twice (home after home) is said again. It
   * stands before `main` (Orca sometimes moves its reading position into a region it reads, F-7),
   * is a plain live region rather than role=status (read as a wordless «statusbar», F-6), and is
   * emptied again after a few seconds, so reading the page never meets a stale title.
   */
  const announcer = document.getElementById('screen-announcer');
  let announcerTimers: ReturnType<typeof setTimeout>[] = [];
  const announceScreen = (text: string, count: number): void => {
    if (announcer === null) return;
    for (const timer of announcerTimers) clearTimeout(timer);
    announcer.textContent = '';
    announcerTimers = [
      setTimeout(() => {
        if (count === renderCount) announcer.textContent = text;
      }, 100),
      setTimeout(() => {
        if (count === renderCount) announcer.textContent = '';
      }, ANNOUNCEMENT_MS),
    ];
  };

  const app: App = {
    get translator() {
      return translator;
    },
    store,
    get wallet() {
      return wallet;
    },
    get profile() {
      return profile;
    },
    labels: profileLabels(deviceStorage()),
    notice: undefined,
    share,
    navigate: (hash) => router.navigate(hash),
    chooseLanguage: async (tag) => {
      translator = await loadTranslator(tag, navigator.languages);
      languageChosen = true;
      storeValue(LOCALE_KEY, tag);
      applyDocumentLanguage(document.documentElement, translator);
      router.navigate(wallet === undefined ? await app.entryHash() : '#/settings');
    },
    selectProfile: (id) => {
      profile = id;
    },
    opened: (unlocked) => {
      wallet = unlocked;
      profile = unlocked.profile;
      idle?.stop();
      idle = startAutoLock(unlocked, { onLocked: () => app.lock() });
      // Opened while the page was hidden (a slow key derivation): lock at once.
      if (document.visibilityState === 'hidden') app.lock();
    },
    lock: () => {
      stopCamera();
      stopReading();
      share.consent = undefined;
      share.receipt = undefined;
      idle?.stop();
      idle = undefined;
      const open = wallet;
      wallet = undefined;
      // What is under way finishes writing first (see `track`); nothing of it shows any more.
      if (busy.size === 0) open?.lock();
      else void Promise.allSettled([...busy]).then(() => open?.lock());
      // Drop the wallet's screen at once, before any await: the locked screen is what shows next.
      renderCount++;
      replace(root);
      if (announcer !== null) announcer.textContent = '';
      void app.entryHash().then((hash) => router.navigate(hash));
    },
    track: (work) => {
      busy.add(work);
      const done = (): void => {
        busy.delete(work);
      };
      work.then(done, done);
      return work;
    },
    entryHash: async () => {
      if (!languageChosen) return '#/language';
      const profiles = await store.listProfiles();
      if (profiles.length === 0) return '#/create';
      if (profile !== undefined && profiles.includes(profile)) return '#/unlock';
      if (profiles.length === 1) {
        profile = profiles[0];
        return '#/unlock';
      }
      return '#/profiles';
    },
    config: () => {
      config ??= loadConfig(new URL('wallet-config.json', document.baseURI));
      return config;
    },
  };

  const router = startHashRouter(window, [...Object.keys(UNLOCKED), ...Object.keys(OPEN)], (match) => void render(match));

  watchPage(window, {
    activity: () => idle?.touch(),
    onHidden: () => {
      if (wallet !== undefined) app.lock();
    },
  });
}

/**
 * The service worker caches the app shell so the wallet opens offline; it is registered after the
 * first screen shows, so it never delays it.
 */
function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(new URL('sw.js', document.baseURI), { scope: './' }).catch(() => {
    // Without a service worker the app still works online; nothing to tell the holder.
  });
}

const root = document.getElementById('app');
if (root !== null) {
  void start(root).then(registerServiceWorker);
}
