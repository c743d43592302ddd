/**
 * `@tessera/verifier/node`: the Node-only parts of the verifier.
 */
// [node: node-fetch]

// [node: a development x509_hash: identity from the development CA]
export { createDevelopmentClient, type DevelopmentClient, type DevelopmentClientOptions } from './node/development-client.ts';
export { createNodeFetch, type NodeFetchPolicy } from './node/node-fetch.ts';
// [node: transaction store]
export { createSqlTransactionStore, type SqlTransactionStoreOptions, verifierMigrations } from './node/sql-transaction-store.ts';
// [node: OpenID4VP wallet endpoints for express]
export { createVerifierRouter, type VerifierRouterOptions } from './node/verifier-router.ts';
