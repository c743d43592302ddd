/**
 * `@tessera/shared/node`: the Node-only parts of the shared package (node:crypto, node:zlib, and the
 * server-side storage: Kysely over PGlite or PostgreSQL).
 * Everything else in `@tessera/shared` runs in browsers too.
 */
export { createNodeCrypto, nodeCrypto, nodeSigningKey } from './crypto/node.ts';
// Development PKI (x5c for issuers, x509_hash: for verifiers), offline
export {
  type CreateDevelopmentCaOptions,
  createDevelopmentCa,
  type DevelopmentCa,
  type DevelopmentCertificate,
  type IssueDevelopmentCertificateOptions,
  issueDevelopmentCertificate,
} from './node/pki/development-ca.ts';
// Storage
export { type Database, type DatabaseConfig, openDatabase } from './node/storage/database.ts';
export { type MigrationReport, migrateToLatest, type StorageMigration } from './node/storage/migrations.ts';
// Status list compression
export { nodeDeflate, nodeInflate } from './status-list/node-inflate.ts';
