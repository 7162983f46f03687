//! The paper's whole workflow on a 3-node PMR Chain network, driven by an external client:
//! `node/tests/consortium/consortium.mjs` (@polkadot/api, what Polkadot.js Apps uses) starts
//! three dev IPFS nodes in one private swarm and three `pmr-node`s (custodian set of 3,
//! t = 2), and goes from the regulator's verification to erasure, node faults and a PII
//! canary over all chain state, every block and every IPFS repository. See that file's header
//! and `docs/key-release.md`.
//!
//! Needs Node.js and npm (scripts/setup.sh installs them); the client's packages come
//! from the committed `package-lock.json`.

// Standalone build only: this test is about three `--dev` nodes that peer (parachain dev nodes run alone).
#![cfg(not(feature = "parachain"))]

mod common;

#[test]
fn the_papers_workflow_runs_on_a_three_node_network_driven_by_polkadot_js() {
	common::run_client_script("consortium.mjs");
}
