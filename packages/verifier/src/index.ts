// @tessera/verifier: see the issue tracker; this package grows on top of @tessera/shared.
export {};
