/**
 * What the app remembers about profiles outside the encrypted store: an optional name the holder
 * chose (to tell wallets apart on a shared phone, stored in clear on this device only, never sent)
 * and its number (so "Wallet 2" stays "Wallet 2" when wallet 1 is wiped). Profile ids are random, so the
 * store's clear-text ids say nothing about who uses the phone (docs/wallet.md, "Stores").
 */

/** A profile as the picker shows it. */
export interface ProfileEntry {
  readonly id: string;
  readonly name: string | undefined;
  /** Given at creation and never reused while the phone keeps the labels, for "Wallet 1", "Wallet 2". */
  readonly number: number;
}

interface Label {
  name?: string;
  createdAt: number;
  number: number;
}

/** The small part of `Storage` the labels use (`localStorage`, or a map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const KEY = 'tessera-wallet.profiles';
/** The stores' profile id alphabet (store/wallet-store.ts): anything else in the storage is not ours. */
const PROFILE_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const MAX_NAME = 40;

/** Profile labels kept in `storage`. */
export interface ProfileLabels {
  /** The store's profiles in creation order, with their names. */
  entries(ids: readonly string[]): ProfileEntry[];
  /** Remembers a new profile, with a name when one was given. */
  add(id: string, name: string | undefined, createdAt: number): void;
  /** Forgets a wiped profile. */
  remove(id: string): void;
}

/** Labels over `storage`; a storage that throws (private mode, quota) keeps them for the session only. */
export function profileLabels(storage: KeyValueStorage): ProfileLabels {
  let memory: Record<string, Label> | undefined;
  const read = (): Record<string, Label> => {
    if (memory !== undefined) return memory;
    try {
      const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? '{}');
      memory = sanitize(parsed);
    } catch {
      memory = {};
    }
    return memory;
  };
  const write = (labels: Record<string, Label>): void => {
    memory = labels;
    try {
      storage.setItem(KEY, JSON.stringify(labels));
    } catch {
      // Kept in memory: the names are a convenience, the wallets themselves are in the store.
    }
  };
  return {
    entries: (ids) => {
      const labels = read();
      const order = (id: string): number => labels[id]?.createdAt ?? Number.MAX_SAFE_INTEGER;
      let next = Math.max(0, ...Object.values(labels).map((label) => label.number));
      return [...ids]
        .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
        .map((id) => ({ id, name: labels[id]?.name, number: labels[id]?.number ?? ++next }));
    },
    add: (id, name, createdAt) => {
      const labels = read();
      const label: Label = { createdAt, number: Math.max(0, ...Object.values(labels).map((known) => known.number)) + 1 };
      const clean = cleanName(name);
      if (clean !== undefined) label.name = clean;
      write({ ...labels, [id]: label });
    },
    remove: (id) => {
      const { [id]: _gone, ...rest } = read();
      write(rest);
    },
  };
}

/** A name as the holder typed it, trimmed, without control characters, at most 40 characters. */
export function cleanName(name: string | undefined): string | undefined {
  const clean = (name ?? '').replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  return clean === '' ? undefined : [...clean].slice(0, MAX_NAME).join('');
}

function sanitize(value: unknown): Record<string, Label> {
  const out: Record<string, Label> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [id, entry] of Object.entries(value)) {
    if (!PROFILE_ID.test(id) || typeof entry !== 'object' || entry === null) continue;
    const { name, createdAt, number } = entry as Record<string, unknown>;
    if (typeof createdAt !== 'number' || !Number.isFinite(createdAt)) continue;
    if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) continue;
    const label: Label = { createdAt, number };
    const clean = typeof name === 'string' ? cleanName(name) : undefined;
    if (clean !== undefined) label.name = clean;
    Object.defineProperty(out, id, { value: label, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * A new random profile id (80 bits, lower-case hex with a letter first, as the stores require):
 * it names nobody.
 */
export function newProfileId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return `w${[...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
