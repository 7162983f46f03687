//! Network-layer permissioning on a live `--chain local` network on 127.0.0.1, driven by
//! `node/tests/consortium/network.mjs` (@polkadot/api): three validators and an outsider's full
//! node sync openly; the regulator lists the validators' nodes and enforces the allowlist, and
//! the outsider is cut off (no peers, no blocks) while finality continues; a validator's node
//! removed by mistake stalls finality until it is listed again in a block that is not final
//! (nodes follow the best block); listed for a verified hospital the outsider syncs again, its hospital's suspension cuts it off again, and switching
//! enforcement off opens the network. See `docs/operations.md` ("Network permissioning").
//!
//! Needs Node.js and npm (scripts/setup.sh installs them).

// Standalone build only: a multi-node `--chain local` network (parachain dev nodes run alone).
#![cfg(not(feature = "parachain"))]

mod common;

#[test]
fn only_listed_consortium_nodes_peer_while_the_regulator_enforces_the_allowlist() {
	common::run_client_script("network.mjs");
}
