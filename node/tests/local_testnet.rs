//! End-to-end: `pmr-node --chain local` with two validators (Alice and Bob) on 127.0.0.1
//! authors and finalizes blocks. GRANDPA needs both of two validators, so finality proves the
//! two nodes found each other and vote.

mod common;

use common::Node;
use std::time::Duration;

/// Alice's fixed libp2p key, so Bob can use her as a bootnode.
const ALICE_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000001";
const ALICE_PEER_ID: &str = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";
/// Bob's fixed libp2p key (a validator on a non-development chain needs one).
const BOB_NODE_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000002";

#[test]
fn two_validators_on_loopback_finalize() {
	let alice = Node::start(
		"alice",
		&["--chain", "local", "--alice", "--tmp", "--node-key", ALICE_NODE_KEY],
	);
	let bootnode = format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", alice.p2p_port, ALICE_PEER_ID);
	let bob = Node::start(
		"bob",
		&["--chain", "local", "--bob", "--tmp", "--node-key", BOB_NODE_KEY, "--bootnodes", &bootnode],
	);

	let timeout = Duration::from_secs(300);
	alice.wait_for("alice to finalize block #2", timeout, |n| {
		n.finalized_number().filter(|f| *f >= 2)
	});
	bob.wait_for("bob to finalize block #2", Duration::from_secs(60), |n| {
		n.finalized_number().filter(|f| *f >= 2)
	});

	let peers = alice.rpc("system_health", serde_json::json!([])).expect("health");
	assert!(peers["peers"].as_u64().unwrap_or(0) >= 1, "alice sees bob: {peers}");
}
