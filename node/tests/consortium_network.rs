//! The paper's whole workflow on a 3-node PMR Chain network, driven by an external client:
//! `node/tests/consortium/consortium.mjs` (@polkadot/api, what Polkadot.js Apps uses) starts
//! three dev IPFS nodes in one private swarm and three `pmr-node`s (custodian set of 3,
//! t = 2), and goes from the regulator's verification to erasure, node faults and a PII
//! canary over all chain state, every block and every IPFS repository. See that file's header
//! and `docs/key-release.md`.
//!
//! Needs Node.js and npm (scripts/ipfs-dev-node.sh installs them); the client's packages come
//! from the committed `package-lock.json`.

use std::{path::Path, process::Command};

fn run(what: &str, cmd: &mut Command) {
	let status = cmd.status().unwrap_or_else(|e| panic!("{what} could not start: {e}"));
	assert!(status.success(), "{what} failed ({status})");
}

#[test]
fn the_papers_workflow_runs_on_a_three_node_network_driven_by_polkadot_js() {
	let client = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/consortium");
	run(
		"npm ci (the @polkadot/api client)",
		Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(&client),
	);
	let scratch = tempfile::tempdir().expect("a scratch directory");
	let status = Command::new("node")
		.arg("consortium.mjs")
		.current_dir(&client)
		.env("PMR_NODE_BIN", env!("CARGO_BIN_EXE_pmr-node"))
		.env("PMR_TEST_DIR", scratch.path())
		.status()
		.expect("node (Node.js) runs");
	if !status.success() {
		// Keep the nodes' and IPFS nodes' logs for a look.
		let kept = scratch.keep();
		panic!("the consortium workflow failed ({status}); logs in {}", kept.display());
	}
}
