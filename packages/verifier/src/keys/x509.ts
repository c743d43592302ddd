/**
 * `x5c` chain validation (HAIP 1.0 §6.1.1, RFC 5280 §6.1) lives once in @tessera/shared, where the
 * wallet uses it too; the verifier keeps exporting it under its own name.
 */
export { MAX_X5C_CERTIFICATES, type VerifyX5cChainOptions, verifyX5cChain } from '@tessera/shared';
