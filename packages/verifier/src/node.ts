/**
 * `@tessera/verifier/node`: the Node-only parts of the verifier.
 */
// [node: node-fetch]
export { createNodeFetch, type NodeFetchPolicy } from './node/node-fetch.ts';
