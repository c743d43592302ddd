import { describe } from 'vitest';
import { createMemoryTransactionStore } from './memory-transaction-store.ts';
import { registerTransactionStoreContract } from './transaction-store.contract.ts';

describe('the in-memory transaction store', () => {
  registerTransactionStoreContract({ open: async (clock) => createMemoryTransactionStore({ clock }) });
});
