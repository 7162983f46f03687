//! Validator governance on a live 4-node `--chain local` network on 127.0.0.1, driven by
//! `node/tests/consortium/validators.mjs` (@polkadot/api): the regulator admits a hospital's
//! validator while the chain runs (keys made on that hospital's node with
//! `author_rotateKeysWithOwner`), it authors blocks and its vote is needed for finality, then
//! a founding validator is removed and finality continues; removals below the minimum are
//! refused. See `docs/operations.md`.
//!
//! Needs Node.js and npm (scripts/setup.sh installs them).

// Standalone build only: this test is about the standalone chain's validator set (GRANDPA, `pallet-validator-set`).
#![cfg(not(feature = "parachain"))]

mod common;

#[test]
fn the_regulator_admits_and_removes_validators_while_finality_continues() {
	common::run_client_script("validators.mjs");
}
