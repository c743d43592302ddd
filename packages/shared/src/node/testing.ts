/** Test-only helpers (`@tessera/shared/node/testing`): database fixtures, a headless browser, a browser-like vm realm, accessibility checks and did:jwk test parties. */
export * from './accessibility.ts';
export * from './browser-realm.ts';
export * from './headless-chromium.ts';
export * from './storage/test-databases.ts';
export * from './test-did-jwk.ts';
