import { decodeBase64Url, encodeBase64Url, fail } from '@tessera/shared';
import { checkInteger } from './input-checks.ts';
import type { Page, PageRequest } from './issuer-store.ts';

/**
 * Keyset paging, newest first: a cursor names the last item of a page, and the next page starts
 * below it, so items appended meanwhile neither shift nor repeat a page. Cursors are opaque to
 * clients; one that does not decode is answered with `page_cursor_invalid`.
 */

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;

/**
 * A page from rows fetched with `limit + 1`: the extra row only says that more follow, and the
 * cursor names the last row shown. Rows that do not read back (`read` gives undefined) are skipped.
 */
export function toPage<Row, Item>(
  rows: readonly Row[],
  limit: number,
  read: (row: Row) => Item | undefined,
  cursorOf: (row: Row) => string,
): Page<Item> {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    items: shown.map(read).filter((item): item is Item => item !== undefined),
    ...(rows.length > limit && last !== undefined ? { nextCursor: cursorOf(last) } : {}),
  };
}

export function pageLimit(page: PageRequest | undefined): number {
  if (page !== undefined && (typeof page !== 'object' || page === null)) throw new TypeError('page must be an object');
  return checkInteger('limit', page?.limit ?? DEFAULT_LIMIT, 1, MAX_LIMIT);
}

/** A cursor for an issuance record: its time and id. */
export function encodeTimeCursor(at: number, id: string): string {
  return encodeBase64Url(new TextEncoder().encode(JSON.stringify([at, id])));
}

export function decodeTimeCursor(cursor: unknown): { at: number; id: string } | undefined {
  if (cursor === undefined) return undefined;
  try {
    if (typeof cursor !== 'string' || cursor.length > 400) throw new Error('not a short string');
    const bytes = decodeBase64Url(cursor);
    if (bytes === undefined) throw new Error('not base64url');
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    if (Array.isArray(value) && value.length === 2) {
      const [at, id] = value as unknown[];
      if (typeof at === 'number' && Number.isSafeInteger(at) && typeof id === 'string' && id.length <= 128) return { at, id };
    }
  } catch {
    // fall through to the one answer for every bad cursor
  }
  return fail('page_cursor_invalid', 'The page cursor is not one this issuer handed out');
}

/** A cursor for an audit entry: its sequence number. */
export function decodeSequenceCursor(cursor: unknown): number | undefined {
  if (cursor === undefined) return undefined;
  if (typeof cursor === 'string' && /^[1-9]\d{0,14}$/.test(cursor)) return Number(cursor);
  return fail('page_cursor_invalid', 'The page cursor is not one this issuer handed out');
}
