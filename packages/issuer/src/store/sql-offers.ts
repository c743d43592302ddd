import { randomBytes as nodeRandomBytes } from 'node:crypto';
import type { JsonObject } from '@tessera/shared';
import type { Selectable } from 'kysely';
import {
  asJsonObject,
  checkId,
  checkInteger,
  checkNewSecret,
  checkText,
  checkTime,
  checkToken,
  isPresentableSecret,
  serialiseJsonObject,
} from './input-checks.ts';
import {
  type AccessToken,
  DEFAULT_TX_CODE_MAX_ATTEMPTS,
  type IssuerStore,
  type NewIssuanceRecord,
  type NewOffer,
  type Offer,
  type OfferState,
  type Redemption,
  type RedemptionResult,
} from './issuer-store.ts';
import { hashesEqual, hashSecret, hashTxCode } from './secret-hash.ts';
import { type InvalidRecordListener, type IssuerDb, type OfferTable, sqlState } from './sql-tables.ts';

type OfferStore = Pick<
  IssuerStore,
  | 'createOffer'
  | 'getOffer'
  | 'findOfferByCode'
  | 'redeemPreAuthorizedCode'
  | 'findAccessToken'
  | 'getOfferClaims'
  | 'completeIssuance'
>;

const MAX_CONFIGURATIONS = 20;
/** OpenID4VCI batch issuance answers with a handful of credentials; this bounds one transaction. */
const MAX_RECORDS = 100;
const MAX_TX_CODE_ATTEMPTS = 20;
const INVALID_GRANT = Object.freeze({ outcome: 'invalid_grant' }) satisfies RedemptionResult;
const STATES: readonly string[] = ['pending', 'redeemed', 'issued', 'burned', 'expired'];

/**
 * Offers, their pre-authorized codes and access tokens, and the issuance that ends an offer.
 *
 * An offer's life: `pending` (claim values kept) → `redeemed` by the token endpoint (claim values
 * kept for the credential endpoint until the access token expires) → `issued` by
 * `completeIssuance` (claim values deleted in the same transaction). Side exits: `burned` when
 * the PIN was wrong too often, and `expired` when its time ran out (`purgeExpired` then deletes
 * the claim values); both delete the claim values.
 *
 * Redemption and issuance lock the offer's row (`SELECT … FOR UPDATE`) for their transaction:
 * PostgreSQL makes a concurrent caller, on this or another replica, wait and then read the row
 * as the first one left it. So one redemption wins, wrong PINs are counted one by one, and one
 * issuance completes. PGlite runs transactions one after another, which gives the same result.
 */
export function createSqlOffers(db: IssuerDb, clock: () => number, report: InvalidRecordListener): OfferStore {
  const readOffer = (row: Selectable<OfferTable> | undefined): Offer | undefined => {
    if (row === undefined) return undefined;
    const offer = decodeOffer(row, clock());
    if (typeof offer === 'string') {
      report('issuer_offer', `${row.tenant_id}/${row.id}`, offer);
      return undefined;
    }
    return offer;
  };

  return {
    async createOffer(tenantId: string, offer: NewOffer): Promise<void> {
      checkId('tenantId', tenantId);
      if (typeof offer !== 'object' || offer === null) throw new TypeError('offer must be an object');
      const id = checkId('offer id', offer.id);
      const configurationIds = checkConfigurationIds(offer.configurationIds);
      const claims = serialiseJsonObject('claims', offer.claims);
      const codeHash = hashSecret(checkNewSecret('preAuthorizedCode', offer.preAuthorizedCode));
      const maxAttempts = checkInteger(
        'txCodeMaxAttempts',
        offer.txCodeMaxAttempts ?? DEFAULT_TX_CODE_MAX_ATTEMPTS,
        1,
        MAX_TX_CODE_ATTEMPTS,
      );
      const createdBy = checkText('createdBy', offer.createdBy);
      const now = clock();
      const expiresAt = checkTime('expiresAt', offer.expiresAt);
      if (expiresAt <= now) throw new TypeError('expiresAt must lie in the future');
      const txCode = offer.txCode === undefined ? undefined : checkTxCode(offer.txCode);
      const salt = txCode === undefined ? null : nodeRandomBytes(16).toString('base64url');
      try {
        await db
          .insertInto('issuer_offer')
          .values({
            tenant_id: tenantId,
            id,
            code_hash: codeHash,
            configuration_ids: JSON.stringify(configurationIds),
            claims,
            tx_code_salt: salt,
            tx_code_hash: txCode === undefined || salt === null ? null : hashTxCode(salt, txCode.pin),
            tx_code_input_mode: txCode?.inputMode ?? null,
            tx_code_length: txCode?.pin.length ?? null,
            tx_code_description: txCode?.description ?? null,
            tx_code_max_attempts: maxAttempts,
            state: 'pending',
            created_by: createdBy,
            created_at: new Date(now),
            expires_at: new Date(expiresAt),
            claims_until: new Date(expiresAt),
          })
          .execute();
      } catch (error) {
        // SQLSTATE 23505 unique_violation: the id or the code is taken in this tenant.
        if (sqlState(error) === '23505') throw new TypeError('An offer with this id or code already exists', { cause: error });
        throw error;
      }
    },

    async getOffer(tenantId: string, offerId: string): Promise<Offer | undefined> {
      checkId('tenantId', tenantId);
      checkId('offerId', offerId);
      return readOffer(
        await db
          .selectFrom('issuer_offer')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('id', '=', offerId)
          .executeTakeFirst(),
      );
    },

    async findOfferByCode(tenantId: string, code: string): Promise<Offer | undefined> {
      checkId('tenantId', tenantId);
      if (!isPresentableSecret('code', code)) return undefined;
      return readOffer(
        await db
          .selectFrom('issuer_offer')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('code_hash', '=', hashSecret(code))
          .executeTakeFirst(),
      );
    },

    async redeemPreAuthorizedCode(tenantId: string, redemption: Redemption): Promise<RedemptionResult> {
      checkId('tenantId', tenantId);
      if (typeof redemption !== 'object' || redemption === null) throw new TypeError('redemption must be an object');
      const { code, txCode } = redemption;
      const codeIsPresentable = isPresentableSecret('code', code);
      const pinIsPresentable = txCode === undefined || isPresentableSecret('txCode', txCode);
      const tokenHash = hashSecret(checkNewSecret('accessToken', redemption.accessToken));
      const tokenExpiresAt = checkTime('accessTokenExpiresAt', redemption.accessTokenExpiresAt);
      const now = clock();
      if (tokenExpiresAt <= now) throw new TypeError('accessTokenExpiresAt must lie in the future');
      if (!codeIsPresentable) return INVALID_GRANT;
      const codeHash = hashSecret(code);

      return db.transaction().execute(async (trx): Promise<RedemptionResult> => {
        const row = await trx
          .selectFrom('issuer_offer')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('code_hash', '=', codeHash)
          .forUpdate()
          .executeTakeFirst();
        const offer = readOffer(row);
        // OpenID4VCI 1.0 §6.3: an unknown, expired, used or burned code is `invalid_grant`.
        if (row === undefined || offer === undefined || offer.state !== 'pending') return INVALID_GRANT;
        const where = { tenant: tenantId, id: offer.id };

        if (row.tx_code_hash !== null && row.tx_code_salt !== null) {
          if (txCode === undefined) return { outcome: 'tx_code_missing' };
          const right = pinIsPresentable && hashesEqual(hashTxCode(row.tx_code_salt, txCode), row.tx_code_hash);
          if (!right) {
            const attempts = row.tx_code_attempts + 1;
            const burned = attempts >= row.tx_code_max_attempts;
            await trx
              .updateTable('issuer_offer')
              // Burned: the claim values will never be issued, so they go now.
              .set(burned ? { tx_code_attempts: attempts, state: 'burned', claims: null } : { tx_code_attempts: attempts })
              .where('tenant_id', '=', where.tenant)
              .where('id', '=', where.id)
              .execute();
            return { outcome: 'invalid_tx_code', attemptsLeft: Math.max(0, row.tx_code_max_attempts - attempts) };
          }
        } else if (txCode !== undefined) {
          return { outcome: 'tx_code_unexpected' };
        }

        await trx
          .updateTable('issuer_offer')
          .set({ state: 'redeemed', redeemed_at: new Date(now), claims_until: new Date(tokenExpiresAt) })
          .where('tenant_id', '=', where.tenant)
          .where('id', '=', where.id)
          .execute();
        try {
          await trx
            .insertInto('issuer_access_token')
            .values({
              tenant_id: tenantId,
              token_hash: tokenHash,
              offer_id: offer.id,
              created_at: new Date(now),
              expires_at: new Date(tokenExpiresAt),
            })
            .execute();
        } catch (error) {
          // Rolls the redemption back with it: the code stays redeemable.
          if (sqlState(error) === '23505') throw new TypeError('This access token is already in use', { cause: error });
          throw error;
        }
        return {
          outcome: 'redeemed',
          offerId: offer.id,
          configurationIds: offer.configurationIds,
          accessTokenExpiresAt: tokenExpiresAt,
        };
      });
    },

    async findAccessToken(tenantId: string, accessToken: string): Promise<AccessToken | undefined> {
      checkId('tenantId', tenantId);
      if (!isPresentableSecret('accessToken', accessToken)) return undefined;
      const row = await db
        .selectFrom('issuer_access_token')
        .select(['offer_id', 'expires_at'])
        .where('tenant_id', '=', tenantId)
        .where('token_hash', '=', hashSecret(accessToken))
        .where('expires_at', '>', new Date(clock()))
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return { offerId: row.offer_id, expiresAt: row.expires_at.getTime() };
    },

    async getOfferClaims(tenantId: string, offerId: string): Promise<JsonObject | undefined> {
      checkId('tenantId', tenantId);
      checkId('offerId', offerId);
      const row = await db
        .selectFrom('issuer_offer')
        .select('claims')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', offerId)
        .where('state', '=', 'redeemed')
        .where('claims_until', '>', new Date(clock()))
        .executeTakeFirst();
      if (row === undefined || row.claims === null) return undefined;
      const claims = asJsonObject(row.claims);
      if (claims === undefined) report('issuer_offer', `${tenantId}/${offerId}`, 'claims are not an object');
      return claims;
    },

    async completeIssuance(tenantId: string, offerId: string, records: readonly NewIssuanceRecord[]): Promise<boolean> {
      checkId('tenantId', tenantId);
      checkId('offerId', offerId);
      const checked = checkRecords(records);
      const now = clock();
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('issuer_offer')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('id', '=', offerId)
          .forUpdate()
          .executeTakeFirst();
        const offer = readOffer(row);
        if (offer === undefined || offer.state !== 'redeemed') return false;
        for (const record of checked) {
          if (!offer.configurationIds.includes(record.configurationId)) {
            throw new TypeError('A record names a credential configuration the offer does not');
          }
        }
        await trx
          .updateTable('issuer_offer')
          .set({ state: 'issued', issued_at: new Date(now), claims: null })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', offerId)
          .execute();
        try {
          await trx
            .insertInto('issuer_issuance')
            .values(
              checked.map((record) => ({
                tenant_id: tenantId,
                id: record.id,
                offer_id: offerId,
                configuration_id: record.configurationId,
                format: record.format,
                status_list_id: record.statusListId,
                status_index: record.statusIndex,
                issued_at: new Date(now),
                issued_by: offer.createdBy,
                claims: record.claims,
              })),
            )
            .execute();
        } catch (error) {
          // 23505: a record id or status index already recorded; 23503: an index never allocated.
          // Either rolls back the whole issuance, so the offer stays redeemed.
          const state = sqlState(error);
          if (state === '23505') throw new TypeError('A record id or status index is already recorded', { cause: error });
          if (state === '23503') throw new TypeError('A status index was not allocated in this tenant', { cause: error });
          throw error;
        }
        return true;
      });
    },
  };
}

function checkConfigurationIds(value: unknown): string[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_CONFIGURATIONS) {
    throw new TypeError(`configurationIds must list 1 to ${MAX_CONFIGURATIONS} ids`);
  }
  const ids = value.map((id) => checkToken('a configuration id', id));
  if (new Set(ids).size !== ids.length) throw new TypeError('configurationIds must not repeat an id');
  return ids;
}

function checkTxCode(txCode: NonNullable<NewOffer['txCode']>): {
  pin: string;
  inputMode: 'numeric' | 'text';
  description?: string;
} {
  if (typeof txCode !== 'object' || txCode === null) throw new TypeError('txCode must be an object');
  const { pin, inputMode, description } = txCode;
  // OpenID4VCI 1.0 §4.1.1: the wallet shows an input of `length` characters, numeric or text.
  if (typeof pin !== 'string' || !/^[\x21-\x7e]{4,32}$/.test(pin)) {
    throw new TypeError('txCode.pin must be 4 to 32 printable ASCII characters');
  }
  const mode = inputMode ?? (/^\d+$/.test(pin) ? 'numeric' : 'text');
  if (mode !== 'numeric' && mode !== 'text') throw new TypeError('txCode.inputMode must be numeric or text');
  if (mode === 'numeric' && !/^\d+$/.test(pin)) throw new TypeError('A numeric txCode.pin must be digits only');
  // §4.1.1: the description is at most 300 characters.
  if (description !== undefined) checkText('txCode.description', description, 300);
  return { pin, inputMode: mode, ...(description === undefined ? {} : { description }) };
}

interface CheckedRecord {
  id: string;
  configurationId: string;
  format: string;
  statusListId: string;
  statusIndex: number;
  claims: string | null;
}

function checkRecords(records: unknown): CheckedRecord[] {
  if (!Array.isArray(records) || records.length < 1 || records.length > MAX_RECORDS) {
    throw new TypeError(`records must list 1 to ${MAX_RECORDS} issuance records`);
  }
  const checked = records.map((record: NewIssuanceRecord): CheckedRecord => {
    if (typeof record !== 'object' || record === null) throw new TypeError('each record must be an object');
    return {
      id: checkId('record id', record.id),
      configurationId: checkToken('configurationId', record.configurationId),
      format: checkToken('format', record.format),
      statusListId: checkId('statusListId', record.statusListId),
      statusIndex: checkInteger('statusIndex', record.statusIndex, 0, 2 ** 31 - 1),
      claims: record.claims === undefined ? null : serialiseJsonObject('record claims', record.claims),
    };
  });
  if (new Set(checked.map((record) => record.id)).size !== checked.length) throw new TypeError('record ids must be distinct');
  if (new Set(checked.map((record) => `${record.statusListId}/${record.statusIndex}`)).size !== checked.length) {
    throw new TypeError('each record needs a status index of its own');
  }
  return checked;
}

/** The offer a row holds at `now`, or what is wrong with the row. */
function decodeOffer(row: Selectable<OfferTable>, now: number): Offer | string {
  const ids = row.configuration_ids;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && id !== '')) {
    return 'configuration_ids is not a list of ids';
  }
  if (!STATES.includes(row.state)) return 'state is unknown';
  if (typeof row.created_by !== 'string' || row.created_by === '') return 'created_by is empty';
  const { created_at: createdAt, expires_at: expiresAt, claims_until: claimsUntil } = row;
  if (!(createdAt instanceof Date) || !(expiresAt instanceof Date) || !(claimsUntil instanceof Date)) {
    return 'times are not timestamps';
  }
  let txCode: Offer['txCode'];
  if (row.tx_code_hash !== null) {
    const mode = row.tx_code_input_mode;
    const length = row.tx_code_length;
    if ((mode !== 'numeric' && mode !== 'text') || typeof length !== 'number' || length < 1) return 'tx_code is incomplete';
    txCode = { inputMode: mode, length, ...(row.tx_code_description === null ? {} : { description: row.tx_code_description }) };
  }
  let state = row.state as OfferState;
  // Time runs out without anybody writing it down: read the state as it is now.
  if (state === 'pending' && expiresAt.getTime() <= now) state = 'expired';
  if (state === 'redeemed' && claimsUntil.getTime() <= now) state = 'expired';
  return {
    id: row.id,
    configurationIds: [...ids],
    state,
    ...(txCode === undefined ? {} : { txCode, txCodeAttemptsLeft: Math.max(0, row.tx_code_max_attempts - row.tx_code_attempts) }),
    createdBy: row.created_by,
    createdAt: createdAt.getTime(),
    expiresAt: expiresAt.getTime(),
    ...(row.redeemed_at instanceof Date ? { redeemedAt: row.redeemed_at.getTime() } : {}),
    ...(row.issued_at instanceof Date ? { issuedAt: row.issued_at.getTime() } : {}),
  };
}
