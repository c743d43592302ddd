import type { Wallet, WalletStore } from '../index.ts';
import type { AppConfig } from './config.ts';
import type { AppTranslator } from './i18n.ts';
import type { ProfileLabels } from './profile-labels.ts';
import type { ShareFlow } from './share-flow.ts';

/**
 * What every screen gets: the translator, the store, the open wallet (if any) and the few actions
 * that change the app's state. main.ts makes the one instance.
 */
export interface App {
  readonly translator: AppTranslator;
  readonly store: WalletStore;
  /** The unlocked wallet; `undefined` while locked. */
  readonly wallet: Wallet | undefined;
  /** The profile the locked screen opens; kept in memory only, never shown. */
  readonly profile: string | undefined;
  readonly labels: ProfileLabels;
  /** Shown once on the next screen (after a wipe). */
  notice: string | undefined;
  /** The sharing under way (request, then receipt); in memory only, emptied when the wallet locks. */
  readonly share: ShareFlow;
  /** Goes to a screen, e.g. `#/home`. */
  navigate(hash: string): void;
  /** Switches the language, stores the choice and shows the next screen. */
  chooseLanguage(tag: string): Promise<void>;
  /** Chooses the profile the locked screen opens. */
  selectProfile(profile: string | undefined): void;
  /** Takes an unlocked wallet and starts the inactivity lock. */
  opened(wallet: Wallet): void;
  /**
   * Locks at once and shows the locked screen. A receive or share under way (`track`) still ends
   * in the wallet; the wallet's keys are dropped when it has.
   */
  lock(): void;
  /**
   * Keeps the wallet able to write until `work` settles, even if the app locks meanwhile: a
   * credential the office has already issued must be stored, and an answer that already went to
   * a desk must be in the history. The locked screen still shows at once; a screen that awaited
   * `work` checks `app.wallet` before it shows anything more.
   */
  track<T>(work: Promise<T>): Promise<T>;
  /** Where the app starts when nothing is open: language, new wallet, locked screen or picker. */
  entryHash(): Promise<string>;
  /** The deployment's trust list and network settings. */
  config(): Promise<AppConfig>;
}

/** A screen: builds its content for the current state. */
export type Screen = (app: App, params: Readonly<Record<string, string>>) => HTMLElement | Promise<HTMLElement>;
