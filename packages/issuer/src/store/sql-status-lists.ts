import { fail, type RandomBytes } from '@tessera/shared';
import { type Selectable, sql } from 'kysely';
import { checkId, checkInteger } from './input-checks.ts';
import {
  DEFAULT_STATUS_LIST_SIZE,
  type IssuerStore,
  MAX_STATUS_LIST_SIZE,
  type NewStatusList,
  type SetStatusOptions,
  type StatusListInfo,
  type StatusSnapshot,
} from './issuer-store.ts';
import type { InvalidRecordListener, IssuerDb, StatusListTable } from './sql-tables.ts';

type StatusListStore = Pick<
  IssuerStore,
  'ensureStatusList' | 'getStatusList' | 'listStatusLists' | 'allocateStatusIndices' | 'setStatus' | 'readStatuses'
>;

type Bits = StatusListInfo['bits'];
const BITS: readonly number[] = [1, 2, 4, 8];
/** Largest batch: OpenID4VCI batch issuance sizes are small; this bounds one statement. */
const MAX_ALLOCATION = 1000;
/** Rounds of random probing that hit taken indices before switching to picking among the free ones. */
const COLLISION_ROUNDS = 3;
/** Rounds before giving up under pathological contention (every round makes progress otherwise). */
const MAX_ROUNDS = 32;

/** The Token Status List part of the SQL issuer store. */
export function createSqlStatusLists(
  db: IssuerDb,
  clock: () => number,
  randomBytes: RandomBytes,
  report: InvalidRecordListener,
): StatusListStore {
  const readList = async (tenantId: string, listId: string): Promise<StatusListInfo | undefined> => {
    const row = await db
      .selectFrom('issuer_status_list as l')
      .selectAll('l')
      .select((eb) =>
        eb
          .selectFrom('issuer_status_entry as e')
          .select(sql<number>`count(*)::int4`.as('n'))
          .whereRef('e.tenant_id', '=', 'l.tenant_id')
          .whereRef('e.list_id', '=', 'l.id')
          .as('allocated'),
      )
      .where('l.tenant_id', '=', tenantId)
      .where('l.id', '=', listId)
      .executeTakeFirst();
    return row === undefined ? undefined : decodeList(row, report);
  };

  const insertIndices = async (tenantId: string, listId: string, indices: readonly number[]): Promise<number[]> => {
    if (indices.length === 0) return [];
    const allocatedAt = new Date(clock());
    // Ascending order: concurrent multi-row inserts then lock keys in one order and cannot deadlock.
    const rows = [...indices]
      .sort((a, b) => a - b)
      .map((idx) => ({ tenant_id: tenantId, list_id: listId, idx, allocated_at: allocatedAt }));
    const inserted = await db
      .insertInto('issuer_status_entry')
      .values(rows)
      .onConflict((conflict) => conflict.doNothing())
      .returning('idx')
      .execute();
    return inserted.map((row) => row.idx);
  };

  const freeIndices = async (tenantId: string, listId: string, size: number): Promise<number[]> => {
    const { rows } = await sql<{ idx: number }>`
      select g::int4 as idx from generate_series(0, ${size - 1}::int4) as g
      where not exists (
        select 1 from issuer_status_entry e where e.tenant_id = ${tenantId} and e.list_id = ${listId} and e.idx = g
      )`.execute(db);
    return rows.map((row) => row.idx);
  };

  return {
    async ensureStatusList(tenantId: string, list: NewStatusList): Promise<StatusListInfo> {
      checkId('tenantId', tenantId);
      if (typeof list !== 'object' || list === null) throw new TypeError('list must be an object');
      const id = checkId('list id', list.id);
      const size = checkInteger('size', list.size ?? DEFAULT_STATUS_LIST_SIZE, 1, MAX_STATUS_LIST_SIZE);
      const bits = list.bits ?? 1;
      if (!BITS.includes(bits)) throw new TypeError('bits must be 1, 2, 4 or 8');
      const now = new Date(clock());
      await db
        .insertInto('issuer_status_list')
        .values({ tenant_id: tenantId, id, size, bits, created_at: now, updated_at: now })
        .onConflict((conflict) => conflict.columns(['tenant_id', 'id']).doNothing())
        .execute();
      const stored = await readList(tenantId, id);
      if (stored === undefined) throw new Error('The status list cannot be read back');
      return stored;
    },

    getStatusList: async (tenantId: string, listId: string): Promise<StatusListInfo | undefined> =>
      readList(checkId('tenantId', tenantId), checkId('listId', listId)),

    async listStatusLists(tenantId: string): Promise<StatusListInfo[]> {
      checkId('tenantId', tenantId);
      const ids = await db
        .selectFrom('issuer_status_list')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const lists = await Promise.all(ids.map(({ id }) => readList(tenantId, id)));
      return lists.filter((list) => list !== undefined);
    },

    async allocateStatusIndices(tenantId: string, listId: string, count: number): Promise<number[]> {
      checkId('tenantId', tenantId);
      checkId('listId', listId);
      checkInteger('count', count, 1, MAX_ALLOCATION);
      const list = await readList(tenantId, listId);
      if (list === undefined) throw new TypeError('No such status list for this tenant');
      const full = (): never => fail('status_list_full', `Status list ${listId} has fewer than ${count} free entries`);
      if (list.size - list.allocated < count) full();

      // Each round tries random candidates; the primary key turns away those taken meanwhile (by
      // another replica, too). Committed row by row rather than in one transaction, so that a
      // large list-wide insert never holds locks other allocators wait on; if the whole batch
      // cannot be had, the indices this call took (seen by nobody) are given back.
      const got: number[] = [];
      let collisions = 0;
      try {
        for (let round = 0; got.length < count; round++) {
          if (round === MAX_ROUNDS) full();
          const need = count - got.length;
          const taken = new Set(got);
          let candidates: number[];
          if (collisions < COLLISION_ROUNDS) {
            candidates = randomIndices(randomBytes, list.size, need, taken);
          } else {
            // Nearly full (or a poor random source): pick among what is provably still free.
            const free = (await freeIndices(tenantId, listId, list.size)).filter((index) => !taken.has(index));
            if (free.length < need) full();
            candidates = pickRandom(randomBytes, free, need);
          }
          const inserted = await insertIndices(tenantId, listId, candidates);
          if (inserted.length < need) collisions++;
          got.push(...inserted);
        }
      } catch (error) {
        if (got.length > 0) {
          await db
            .deleteFrom('issuer_status_entry')
            .where('tenant_id', '=', tenantId)
            .where('list_id', '=', listId)
            .where('idx', 'in', got)
            .execute();
        }
        throw error;
      }
      return got;
    },

    async setStatus(
      tenantId: string,
      listId: string,
      index: number,
      status: number,
      options: SetStatusOptions = {},
    ): Promise<boolean> {
      checkId('tenantId', tenantId);
      checkId('listId', listId);
      checkInteger('index', index, 0, MAX_STATUS_LIST_SIZE - 1);
      checkInteger('status', status, 0, 255);
      const { expected } = options;
      if (expected !== undefined) checkInteger('expected', expected, 0, 255);
      const list = await readList(tenantId, listId);
      if (list === undefined) return false;
      if (status >= 2 ** list.bits) throw new TypeError(`status must fit the list's ${list.bits} bit(s)`);
      return db.transaction().execute(async (trx) => {
        let update = trx
          .updateTable('issuer_status_entry')
          .set({ status })
          .where('tenant_id', '=', tenantId)
          .where('list_id', '=', listId)
          .where('idx', '=', index);
        // One conditional UPDATE: PostgreSQL re-checks the condition after a concurrent writer commits.
        if (expected !== undefined) update = update.where('status', '=', expected);
        const { numUpdatedRows } = await update.executeTakeFirst();
        if (numUpdatedRows !== 1n) return false;
        await trx
          .updateTable('issuer_status_list')
          .set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date(clock()) }))
          .where('tenant_id', '=', tenantId)
          .where('id', '=', listId)
          .execute();
        return true;
      });
    },

    async readStatuses(tenantId: string, listId: string): Promise<StatusSnapshot | undefined> {
      checkId('tenantId', tenantId);
      checkId('listId', listId);
      // One snapshot: entries and version must belong together, or a cache keyed by the version
      // could keep an older list under a newer version for good.
      return db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx) => {
          const row = await trx
            .selectFrom('issuer_status_list')
            .selectAll()
            .where('tenant_id', '=', tenantId)
            .where('id', '=', listId)
            .executeTakeFirst();
          const list = row === undefined ? undefined : decodeList({ ...row, allocated: 0 }, report);
          if (list === undefined) return undefined;
          const rows = await trx
            .selectFrom('issuer_status_entry')
            .select(['idx', 'status'])
            .where('tenant_id', '=', tenantId)
            .where('list_id', '=', listId)
            .where('status', '<>', 0)
            .orderBy('idx')
            .execute();
          const entries: Array<{ index: number; status: number }> = [];
          for (const entry of rows) {
            if (entry.idx >= list.size || entry.status >= 2 ** list.bits) {
              report('issuer_status_entry', `${tenantId}/${listId}/${entry.idx}`, 'index or status does not fit the list');
              continue;
            }
            entries.push({ index: entry.idx, status: entry.status });
          }
          return { id: list.id, size: list.size, bits: list.bits, version: list.version, updatedAt: list.updatedAt, entries };
        });
    },
  };
}

function decodeList(
  row: Selectable<StatusListTable> & { allocated: number | null },
  report: InvalidRecordListener,
): StatusListInfo | undefined {
  const { size, bits, version, updated_at: updatedAt } = row;
  const problem =
    !Number.isInteger(size) || size < 1 || size > MAX_STATUS_LIST_SIZE
      ? 'size is out of range'
      : !BITS.includes(bits)
        ? 'bits is not 1, 2, 4 or 8'
        : !Number.isInteger(version) || version < 0
          ? 'version is not a count'
          : !(updatedAt instanceof Date)
            ? 'updated_at is not a timestamp'
            : undefined;
  if (problem !== undefined) {
    report('issuer_status_list', `${row.tenant_id}/${row.id}`, problem);
    return undefined;
  }
  return { id: row.id, size, bits: bits as Bits, allocated: row.allocated ?? 0, version, updatedAt: updatedAt.getTime() };
}

/** A uniformly random integer below `bound` (≤ 2^32) by rejection sampling, so no index is likelier than another. */
function randomBelow(randomBytes: RandomBytes, bound: number): number {
  const limit = Math.floor(0x1_0000_0000 / bound) * bound;
  let value = 0;
  for (let attempt = 0; attempt < 64; attempt++) {
    const bytes = randomBytes(4);
    if (!(bytes instanceof Uint8Array) || bytes.length < 4) throw new TypeError('randomBytes must return the bytes asked for');
    value = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
    if (value < limit) return value % bound;
  }
  // Only a broken random source gets here; stay correct (distinctness is the database's job).
  return value % bound;
}

/** Up to `need` distinct random indices below `size` not in `taken`, ascending. */
function randomIndices(randomBytes: RandomBytes, size: number, need: number, taken: ReadonlySet<number>): number[] {
  const picked = new Set<number>();
  // Bounded: a poor source that keeps repeating itself yields fewer, which counts as a collision.
  for (let draw = 0; draw < need * 4 && picked.size < need; draw++) {
    const index = randomBelow(randomBytes, size);
    if (!taken.has(index)) picked.add(index);
  }
  return [...picked];
}

/** `need` distinct elements of `free` chosen uniformly (a partial Fisher–Yates shuffle). */
function pickRandom(randomBytes: RandomBytes, free: number[], need: number): number[] {
  for (let i = 0; i < need; i++) {
    const j = i + randomBelow(randomBytes, free.length - i);
    [free[i], free[j]] = [free[j] as number, free[i] as number];
  }
  return free.slice(0, need);
}
