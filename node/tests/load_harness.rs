//! The load harness (`node/tests/consortium/load.mjs`, `scripts/load.sh`) in a small run on a
//! `--dev` node of this build, on the 1-second-block `dev-fast` chain (this run's subject is
//! that nothing is stranded, not the throughput per block): every phase (transfers, record creations, consent grants,
//! access checks) is signed with explicit nonces, submitted as a burst, and followed to a
//! final status. It fails when a transaction the pool accepted is neither included nor
//! reported dropped, or when an included one fails to dispatch. The measured run, with a
//! production node and the sizes of `docs/performance.md`, is `scripts/load.sh`.
//!
//! Needs Node.js and npm (scripts/setup.sh installs them).

// Standalone build only: this test is about the standalone dev node's block production (the parachain build has its own throughput: see docs/build.md).
#![cfg(not(feature = "parachain"))]

mod common;

#[test]
fn a_small_load_run_strands_nothing() {
	common::run_client_script_with(
		"load.mjs",
		&[
			"--records", "300", "--transfers", "600", "--grants", "150", "--checks", "300",
			"--hospitals", "4", "--doctors", "16", "--patients", "32", "--timeout-secs", "600",
			"--", "--chain", "dev-fast",
		],
	);
}
