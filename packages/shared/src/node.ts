/**
 * `@tessera/shared/node`: the Node-only parts of the shared package (node:crypto, node:zlib).
 * Everything else in `@tessera/shared` runs in browsers too.
 */
export { createNodeCrypto, nodeCrypto, nodeSigningKey } from './crypto/node.ts';
export { nodeDeflate, nodeInflate } from './status-list/node-inflate.ts';
