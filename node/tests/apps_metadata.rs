//! Polkadot.js Apps readiness: `node/tests/consortium/metadata.mjs` connects @polkadot/api to a
//! `--dev` node without any manual type definitions and checks that every call, event, error
//! and storage item of the PMR pallets is documented, named and decodes, and that every custom
//! runtime API is callable through `api.call`.
//!
//! Needs Node.js and npm (scripts/setup.sh installs them).

// Standalone build only: this test is about the standalone runtime's runtime APIs (docs/runtime-apis.md).
#![cfg(not(feature = "parachain"))]

mod common;

#[test]
fn the_metadata_is_all_polkadot_js_needs() {
	common::run_client_script("metadata.mjs");
}
