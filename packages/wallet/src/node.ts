/**
 * `@tessera/wallet/node`: the Node-only parts of the wallet.
 */
// [node: a WalletStore on the file system, one folder per profile]
export { createFileWalletStore, type FileWalletStoreOptions } from './node/file-wallet-store.ts';
// [node: native scrypt, same output as nobleScrypt]
export { nodeScrypt } from './node/node-scrypt.ts';
