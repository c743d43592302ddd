/** Test-only helpers for other packages' tests (`@tessera/verifier/testing`); not part of the library's entry points. */
export {
  didJwkClient,
  type HostedVerifierConfig,
  startVerifierHost,
  type VerifierHost,
} from './node/test-verifier-host.ts';
