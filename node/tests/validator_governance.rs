//! Validator governance on a live 4-node `--chain local` network on 127.0.0.1, driven by
//! `node/tests/consortium/validators.mjs` (@polkadot/api): the regulator admits a hospital's
//! validator while the chain runs (keys made on that hospital's node with
//! `author_rotateKeysWithOwner`), it authors blocks and its vote is needed for finality, then
//! a founding validator is removed and finality continues; removals below the minimum are
//! refused. See `docs/operations.md`.
//!
//! Needs Node.js and npm (scripts/ipfs-dev-node.sh installs them); the client's packages come
//! from the committed `package-lock.json`.

use std::{path::Path, process::Command};

#[test]
fn the_regulator_admits_and_removes_validators_while_finality_continues() {
	let client = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/consortium");
	let status = Command::new("npm")
		.args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
		.current_dir(&client)
		.status()
		.expect("npm runs");
	assert!(status.success(), "npm ci (the @polkadot/api client) failed ({status})");
	let scratch = tempfile::tempdir().expect("a scratch directory");
	let status = Command::new("node")
		.arg("validators.mjs")
		.current_dir(&client)
		.env("PMR_NODE_BIN", env!("CARGO_BIN_EXE_pmr-node"))
		.env("PMR_TEST_DIR", scratch.path())
		.status()
		.expect("node (Node.js) runs");
	if !status.success() {
		let kept = scratch.keep();
		panic!("the validator-governance network test failed ({status}); logs in {}", kept.display());
	}
}
