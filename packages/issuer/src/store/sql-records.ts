import { type Selectable, sql } from 'kysely';
import { asJsonObject, checkId, checkText, serialiseJsonObject } from './input-checks.ts';
import type {
  AuditEntry,
  IssuanceRecord,
  IssuedCredential,
  IssuerStore,
  NewAuditEntry,
  Page,
  PageRequest,
} from './issuer-store.ts';
import { decodeSequenceCursor, decodeTimeCursor, encodeTimeCursor, pageLimit, toPage } from './sql-paging.ts';
import type { AuditTable, InvalidRecordListener, IssuanceTable, IssuerDb } from './sql-tables.ts';

type RecordStore = Pick<
  IssuerStore,
  'getIssuance' | 'listIssuancesOfOffer' | 'listIssuances' | 'listIssuedCredentials' | 'appendAudit' | 'listAudit'
>;

/**
 * What stays after the fact: one record per issued credential instance (written by
 * `completeIssuance`; a batch writes one per holder key) and the staff audit log. Both are kept for good and listed newest first; a damaged row is
 * left out of a page rather than failing it (the page may then hold fewer items than asked).
 */
export function createSqlRecords(db: IssuerDb, clock: () => number, report: InvalidRecordListener): RecordStore {
  const readRecord = (row: Selectable<IssuanceTable>): IssuanceRecord | undefined => {
    const record = decodeRecord(row);
    if (typeof record === 'string') report('issuer_issuance', `${row.tenant_id}/${row.id}`, record);
    return typeof record === 'string' ? undefined : record;
  };
  const readAudit = (row: Selectable<AuditTable>): AuditEntry | undefined => {
    const entry = decodeAudit(row);
    if (typeof entry === 'string') report('issuer_audit', `${row.tenant_id}/${row.seq}`, entry);
    return typeof entry === 'string' ? undefined : entry;
  };

  return {
    async getIssuance(tenantId: string, recordId: string): Promise<IssuanceRecord | undefined> {
      checkId('tenantId', tenantId);
      checkId('recordId', recordId);
      const row = await db
        .selectFrom('issuer_issuance')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', recordId)
        .executeTakeFirst();
      return row === undefined ? undefined : readRecord(row);
    },

    async listIssuancesOfOffer(tenantId: string, offerId: string): Promise<IssuanceRecord[]> {
      checkId('tenantId', tenantId);
      checkId('offerId', offerId);
      const rows = await db
        .selectFrom('issuer_issuance')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('offer_id', '=', offerId)
        .orderBy('id')
        .execute();
      return rows.map(readRecord).filter((record) => record !== undefined);
    },

    async listIssuances(tenantId: string, page?: PageRequest): Promise<Page<IssuanceRecord>> {
      checkId('tenantId', tenantId);
      const limit = pageLimit(page);
      const after = decodeTimeCursor(page?.cursor);
      let query = db.selectFrom('issuer_issuance').selectAll().where('tenant_id', '=', tenantId);
      if (after !== undefined) query = query.where(sql<boolean>`(issued_at, id) < (${new Date(after.at)}, ${after.id})`);
      const rows = await query
        .orderBy('issued_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, readRecord, (last) => encodeTimeCursor(last.issued_at.getTime(), last.id));
    },

    async listIssuedCredentials(tenantId: string, page?: PageRequest): Promise<Page<IssuedCredential>> {
      checkId('tenantId', tenantId);
      const limit = pageLimit(page);
      const after = decodeTimeCursor(page?.cursor);
      // A credential is paged by its offer's first record (no record of the offer sorts before
      // it), with the same keyset as `listIssuances`; then the page's records are read at once.
      let query = db
        .selectFrom('issuer_issuance as head')
        .select(['head.offer_id', 'head.id', 'head.issued_at'])
        .where('head.tenant_id', '=', tenantId)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('issuer_issuance as sibling')
                .select('sibling.id')
                .whereRef('sibling.tenant_id', '=', 'head.tenant_id')
                .whereRef('sibling.offer_id', '=', 'head.offer_id')
                .whereRef('sibling.id', '<', 'head.id'),
            ),
          ),
        );
      if (after !== undefined) {
        query = query.where(sql<boolean>`(head.issued_at, head.id) < (${new Date(after.at)}, ${after.id})`);
      }
      const heads = await query
        .orderBy('head.issued_at', 'desc')
        .orderBy('head.id', 'desc')
        .limit(limit + 1)
        .execute();
      const offerIds = heads.slice(0, limit).map((head) => head.offer_id);
      const rows =
        offerIds.length === 0
          ? []
          : await db
              .selectFrom('issuer_issuance')
              .selectAll()
              .where('tenant_id', '=', tenantId)
              .where('offer_id', 'in', offerIds)
              .orderBy('id')
              .execute();
      const byOffer = new Map<string, IssuanceRecord[]>();
      for (const row of rows) {
        const record = readRecord(row);
        if (record === undefined) continue;
        const instances = byOffer.get(record.offerId);
        if (instances === undefined) byOffer.set(record.offerId, [record]);
        else instances.push(record);
      }
      return toPage(
        heads,
        limit,
        (head) => {
          const instances = byOffer.get(head.offer_id);
          return instances === undefined ? undefined : { offerId: head.offer_id, instances };
        },
        (last) => encodeTimeCursor(last.issued_at.getTime(), last.id),
      );
    },

    async appendAudit(tenantId: string, entry: NewAuditEntry): Promise<AuditEntry> {
      checkId('tenantId', tenantId);
      if (typeof entry !== 'object' || entry === null) throw new TypeError('entry must be an object');
      const actor = checkText('actor', entry.actor);
      const action = checkText('action', entry.action, 100);
      const target = entry.target === undefined ? null : checkText('target', entry.target);
      const details = entry.details === undefined ? null : serialiseJsonObject('details', entry.details);
      const at = clock();
      const row = await db
        .insertInto('issuer_audit')
        .values({ tenant_id: tenantId, at: new Date(at), actor, action, target, details })
        .returning('seq')
        .executeTakeFirstOrThrow();
      return {
        id: String(row.seq),
        at,
        actor,
        action,
        ...(target === null ? {} : { target }),
        ...(entry.details === undefined ? {} : { details: JSON.parse(details as string) }),
      };
    },

    async listAudit(tenantId: string, page?: PageRequest): Promise<Page<AuditEntry>> {
      checkId('tenantId', tenantId);
      const limit = pageLimit(page);
      const before = decodeSequenceCursor(page?.cursor);
      let query = db.selectFrom('issuer_audit').selectAll().where('tenant_id', '=', tenantId);
      if (before !== undefined) query = query.where(sql<boolean>`seq < ${before}`);
      const rows = await query
        .orderBy('seq', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(rows, limit, readAudit, (last) => String(last.seq));
    },
  };
}

function decodeRecord(row: Selectable<IssuanceTable>): IssuanceRecord | string {
  if (!(row.issued_at instanceof Date)) return 'issued_at is not a timestamp';
  for (const [name, value] of [
    ['configuration_id', row.configuration_id],
    ['format', row.format],
    ['issued_by', row.issued_by],
  ] as const) {
    if (typeof value !== 'string' || value === '') return `${name} is empty`;
  }
  if (!Number.isInteger(row.status_index) || row.status_index < 0) return 'status_index is not an index';
  const claims = row.claims === null ? undefined : asJsonObject(row.claims);
  if (row.claims !== null && claims === undefined) return 'claims are not an object';
  return {
    id: row.id,
    offerId: row.offer_id,
    configurationId: row.configuration_id,
    format: row.format,
    statusListId: row.status_list_id,
    statusIndex: row.status_index,
    issuedAt: row.issued_at.getTime(),
    issuedBy: row.issued_by,
    ...(claims === undefined ? {} : { claims }),
  };
}

function decodeAudit(row: Selectable<AuditTable>): AuditEntry | string {
  if (!(row.at instanceof Date)) return 'at is not a timestamp';
  if (typeof row.actor !== 'string' || row.actor === '') return 'actor is empty';
  if (typeof row.action !== 'string' || row.action === '') return 'action is empty';
  const details = row.details === null ? undefined : asJsonObject(row.details);
  if (row.details !== null && details === undefined) return 'details are not an object';
  return {
    id: String(row.seq),
    at: row.at.getTime(),
    actor: row.actor,
    action: row.action,
    ...(row.target === null ? {} : { target: row.target }),
    ...(details === undefined ? {} : { details }),
  };
}
