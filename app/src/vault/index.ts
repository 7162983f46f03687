// The vault's formats in TypeScript (the web app's side of `pmr-vault`): the same bytes as the
// Rust crate, checked by the shared test vectors (vault/tests/vectors/vault-v1.json).
export * from './bytes';
export * from './envelope';
export * from './manifest';
export * from './sharing';
export { decrypt } from './stream';
