//! End-to-end: the real `pmr-node --dev` binary produces and finalizes blocks with the WASM
//! runtime, a signed transaction submitted over JSON-RPC lands in a block, and a transaction
//! from an account outside the consortium is rejected.

mod common;

use common::Node;
use pmr_runtime::{BalancesCall, RuntimeCall, UNIT};
use serde_json::json;
use sp_core::{bytes, H256};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{codec::Encode, generic::Era};
use std::time::Duration;

/// Generous: a cold debug-built node first compiles the runtime WASM.
const START_TIMEOUT: Duration = Duration::from_secs(240);

#[test]
fn dev_node_produces_finalizes_and_includes_a_signed_transfer() {
	let node = Node::start("dev", &["--dev", "--tmp"]);

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
	// and it is the one this crate was built with.
	let code = node.rpc("state_getStorage", json!(["0x3a636f6465"])).expect(":code");
	let code = bytes::from_hex(code.as_str().expect(":code is set")).expect("hex");
	assert_eq!(Some(code.as_slice()), pmr_runtime::WASM_BINARY);

	// A signed transfer from Alice to Bob, submitted over JSON-RPC, lands in a block.
	let genesis: H256 = {
		let h = node.rpc("chain_getBlockHash", json!([0])).expect("genesis hash");
		let raw = bytes::from_hex(h.as_str().expect("hash string")).expect("hex");
		H256::from_slice(&raw)
	};
	let alice = Sr25519Keyring::Alice;
	let nonce = node
		.rpc("system_accountNextIndex", json!([alice.to_account_id().to_string()]))
		.expect("nonce")
		.as_u64()
		.expect("nonce is a number") as u32;
	let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
		dest: Sr25519Keyring::Bob.to_account_id().into(),
		value: 42 * UNIT,
	});
	let xt = pmr_node::benchmarking::create_extrinsic(
		&alice.pair(),
		call,
		nonce,
		genesis,
		Era::Immortal,
		genesis,
	);
	let xt_hex = bytes::to_hex(&xt.encode(), false);
	let submitted_at = node.best_number().expect("best block");
	node.rpc("author_submitExtrinsic", json!([xt_hex])).expect("transaction accepted by the pool");

	let mut next = submitted_at;
	let included_in = node.wait_for("the transfer in a block", Duration::from_secs(90), |n| {
		let best = n.best_number()?;
		while next <= best {
			let hash = n.rpc("chain_getBlockHash", json!([next])).ok()?;
			let block = n.rpc("chain_getBlock", json!([hash])).ok()?;
			let found = block["block"]["extrinsics"]
				.as_array()
				.map(|xts| xts.iter().any(|x| x.as_str() == Some(xt_hex.as_str())))
				.unwrap_or(false);
			if found {
				return Some(next);
			}
			next += 1;
		}
		None
	});

	// ... and that block is finalized.
	node.wait_for("the transfer's block to be finalized", Duration::from_secs(60), |n| {
		n.finalized_number().filter(|f| *f >= included_in)
	});

	// The chain is permissioned: Charlie is endowed but takes no part in the consortium, so the
	// pool rejects his transfer (registry's CheckPermissioned, custom error 70).
	let charlie = Sr25519Keyring::Charlie;
	let outsider_xt = pmr_node::benchmarking::create_extrinsic(
		&charlie.pair(),
		RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: Sr25519Keyring::Bob.to_account_id().into(),
			value: UNIT,
		}),
		0,
		genesis,
		Era::Immortal,
		genesis,
	);
	let rejected = node
		.rpc("author_submitExtrinsic", json!([bytes::to_hex(&outsider_xt.encode(), false)]))
		.expect_err("an outsider's transaction is rejected");
	assert!(rejected.contains("Custom error: 70"), "rejection names the reason: {rejected}");

	// Alice's nonce moved on.
	let after = node
		.rpc("system_accountNextIndex", json!([alice.to_account_id().to_string()]))
		.expect("nonce");
	assert_eq!(after.as_u64(), Some(nonce as u64 + 1));
}
