//! End-to-end: the real `pmr-node --dev` binary produces and finalizes blocks with the WASM
//! runtime, a signed transaction submitted over JSON-RPC lands in a block, and a transaction
//! from an account outside the consortium is rejected.

mod common;

use common::{chain, test_dev, Node};
use pmr_runtime::{BalancesCall, RuntimeCall, UNIT};
use serde_json::json;
use sp_core::bytes;
use sp_keyring::Sr25519Keyring;
use std::time::Duration;

/// Generous: a cold debug-built node first compiles the runtime WASM.
const START_TIMEOUT: Duration = Duration::from_secs(240);

#[test]
fn dev_node_produces_finalizes_and_includes_a_signed_transfer() {
	let node = Node::start("dev", &test_dev(&["--tmp"]));

	// Blocks are authored (Aura) and finalized (GRANDPA).
	node.wait_for("block #2", START_TIMEOUT, |n| n.best_number().filter(|b| *b >= 2));
	node.wait_for("a finalized block", Duration::from_secs(60), |n| {
		n.finalized_number().filter(|f| *f >= 1)
	});

	// The chain identifies itself as PMR Chain, with its token properties.
	let version = node.rpc("state_getRuntimeVersion", json!([])).expect("runtime version");
	assert_eq!(version["specName"], "pmr-chain");
	let props = node.rpc("system_properties", json!([])).expect("properties");
	assert_eq!(props["tokenSymbol"], "PMR");
	assert_eq!(props["tokenDecimals"], 12);

	// The runtime the node executes is the WASM blob in storage (there is no native runtime),
	// and it is the one this crate was built with. A debug build's blob is not compressed
	// (about 8 MB), more than an RPC response may carry, so compare its hash.
	let code_hash = node.rpc("state_getStorageHash", json!(["0x3a636f6465"])).expect(":code hash");
	let code_hash = bytes::from_hex(code_hash.as_str().expect(":code is set")).expect("hex");
	let built = pmr_runtime::WASM_BINARY.expect("the runtime was built to WASM");
	let expected = <sp_runtime::traits::BlakeTwo256 as sp_runtime::traits::Hash>::hash(built);
	assert_eq!(code_hash, expected.as_bytes());

	// A signed transfer from Alice to Bob, submitted over JSON-RPC, lands in a block.
	let alice = Sr25519Keyring::Alice;
	let nonce = chain::nonce(&node, alice);
	let included_in = chain::submit(
		&node,
		alice,
		RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: Sr25519Keyring::Bob.to_account_id().into(),
			value: 42 * UNIT,
		}),
	);

	// ... and that block is finalized.
	node.wait_for("the transfer's block to be finalized", Duration::from_secs(60), |n| {
		n.finalized_number().filter(|f| *f >= included_in)
	});

	// The chain is permissioned: Charlie is endowed but takes no part in the consortium, so the
	// pool rejects his transfer (registry's CheckPermissioned, custom error 70).
	let outsider_xt = chain::signed(
		&node,
		Sr25519Keyring::Charlie,
		RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: Sr25519Keyring::Bob.to_account_id().into(),
			value: UNIT,
		}),
	);
	let rejected = node
		.rpc("author_submitExtrinsic", json!([outsider_xt]))
		.expect_err("an outsider's transaction is rejected");
	assert!(rejected.contains("Custom error: 70"), "rejection names the reason: {rejected}");

	// Alice's nonce moved on.
	assert_eq!(chain::nonce(&node, alice), nonce + 1);
}
