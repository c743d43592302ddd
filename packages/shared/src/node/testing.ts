/** Test-only helpers (`@tessera/shared/node/testing`): database fixtures and a headless browser. */
export * from './headless-chromium.ts';
export * from './storage/test-databases.ts';
