/**
 * `@tessera/shared/node`: the Node-only parts of the shared package (node:crypto).
 * Everything else in `@tessera/shared` runs in browsers too.
 */
export { createNodeCrypto, nodeCrypto, nodeSigningKey } from './crypto/node.ts';
