import {
  findOutcomeProblem,
  findTransactionProblem,
  type NewTransaction,
  type Transaction,
  type TransactionOutcome,
  type TransactionStore,
  type TransactionStoreOptions,
  withEffectiveStatus,
} from './transaction-store.ts';

/**
 * Transactions in this process's memory: for a single verifier process, tests, and browsers. A
 * restart forgets every transaction, and replicas do not share them; use `createSqlTransactionStore`
 * (`@tessera/verifier/node`) for either.
 *
 * Records are kept as JSON text, as the SQL store keeps them, so both return fresh copies with
 * the same JSON semantics and a caller that mutates a returned object changes nothing stored.
 *
 * @example
 * const store = createMemoryTransactionStore();
 * await store.create({ id, state, nonce, query, clientId, responseMode: 'direct_post', createdAt, expiresAt });
 */
export function createMemoryTransactionStore({ clock = Date.now }: TransactionStoreOptions = {}): TransactionStore {
  const records = new Map<string, string>();
  const idByState = new Map<string, string>();

  const read = (id: string | undefined): Transaction | undefined => {
    const text = id === undefined ? undefined : records.get(id);
    return text === undefined ? undefined : withEffectiveStatus(JSON.parse(text) as Transaction, clock());
  };

  return {
    async create(transaction: NewTransaction): Promise<void> {
      const problem = findTransactionProblem(transaction, { isNew: true });
      if (problem !== undefined) throw new TypeError(`Invalid transaction: ${problem}`);
      if (records.has(transaction.id) || idByState.has(transaction.state)) {
        throw new TypeError('A transaction with this id or state already exists');
      }
      records.set(transaction.id, JSON.stringify({ ...transaction, status: 'pending' }));
      idByState.set(transaction.state, transaction.id);
    },

    get: async (id: string): Promise<Transaction | undefined> => read(id),

    findByState: async (state: string): Promise<Transaction | undefined> => read(idByState.get(state)),

    async complete(id: string, outcome: TransactionOutcome): Promise<boolean> {
      const problem = findOutcomeProblem(outcome);
      if (problem !== undefined) throw new TypeError(`Invalid outcome: ${problem}`);
      // No await between the check and the write: the transition is atomic in one process.
      const text = records.get(id);
      if (text === undefined) return false;
      const stored = JSON.parse(text) as Transaction;
      if (stored.status !== 'pending' || stored.expiresAt <= clock()) return false;
      const ended =
        outcome.status === 'responded'
          ? { ...stored, status: 'responded', result: outcome.result }
          : { ...stored, status: 'failed', error: { code: outcome.error.code, message: outcome.error.message } };
      records.set(id, JSON.stringify(ended));
      return true;
    },

    async purge(before: number): Promise<number> {
      if (!Number.isFinite(before)) throw new TypeError('before must be a time in milliseconds');
      let count = 0;
      for (const [id, text] of records) {
        const stored = JSON.parse(text) as Transaction;
        if (stored.expiresAt < before) {
          records.delete(id);
          idByState.delete(stored.state);
          count += 1;
        }
      }
      return count;
    },

    async expire(now: number = clock()): Promise<number> {
      let count = 0;
      for (const [id, text] of records) {
        const stored = JSON.parse(text) as Transaction;
        if (stored.status === 'pending' && stored.expiresAt <= now) {
          records.set(id, JSON.stringify({ ...stored, status: 'expired' }));
          count += 1;
        }
      }
      return count;
    },
  };
}
