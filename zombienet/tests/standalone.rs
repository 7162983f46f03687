//! The standalone PoA network (Aura + GRANDPA) of four validators — alice, bob, charlie and
//! dave, each a founding validator with its well-known development keys — spawned with
//! zombienet's native provider from the `pmr-node` of `$PMR_NODE_BIN` (or `PATH`).
//!
//! GRANDPA finalizes with more than two thirds of the voters: 3 of 4 here. So one validator
//! down must not stop finality, two down must stop it (without a fork), and a validator that
//! comes back must catch up and vote again.
//!
//! Run: `PMR_NODE_BIN=$CARGO_TARGET_DIR/debug/pmr-node cargo test --manifest-path
//! zombienet/Cargo.toml` (see zombienet/README.md). Each test spawns its own network; run them
//! one at a time (`zombienet/.config/nextest.toml`, or `-- --test-threads=1`).

use anyhow::{ensure, Context, Result};
use pmr_zombienet::{
	best, block_hash, finalized, grandpa_round, kill, local_raw_spec, pmr_node_bin, standalone_network,
	zombienet_sdk::{
		subxt::{dynamic, OnlineClient, SubstrateConfig},
		subxt_signer::sr25519::dev,
		Network, NetworkConfigExt, NetworkNode,
	},
	FINALIZED,
};
use std::{path::PathBuf, time::Duration};
use zombienet_sdk::LocalFileSystem;

use pmr_zombienet::zombienet_sdk;

const VALIDATORS: [&str; 4] = ["alice", "bob", "charlie", "dave"];

/// How long a node may take to start, or to catch up with the others (a debug build on a
/// loaded 2-core machine).
const SLOW: u64 = 240;
/// How long finality may take to move a few blocks on when it should (6-second slots, some of
/// them missed by stopped validators).
const ROUNDS: u64 = 120;

/// One network at a time on this machine, also under `cargo test` (nextest runs each test in
/// its own process and serialises them through its test group).
static ONE_NETWORK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Spawns the 4-validator network in a temporary directory (kept, with every node's log, when
/// the test fails) and waits until every node is up and finality has started.
async fn spawn() -> Result<(Network<LocalFileSystem>, PathBuf)> {
	let bin = pmr_node_bin()?;
	let dir = tempfile::Builder::new().prefix("pmr-zombienet-").tempdir()?.keep();
	let spec = local_raw_spec(&bin, "local-fast", &VALIDATORS, &dir)?;
	let config = standalone_network(&bin, &spec, &VALIDATORS, &dir.join("network"))?;
	eprintln!("[zombienet] network under {} (removed if the test passes)", dir.display());
	let network = config.spawn_native().await.context("spawning the network")?;
	for name in VALIDATORS {
		network.get_node(name)?.wait_until_is_up(SLOW).await.context(name)?;
	}
	wait_finalized(network.get_node("alice")?, 2, SLOW).await?;
	Ok((network, dir))
}

/// Stops the network of a passed test and removes its directory.
async fn finish(network: Network<LocalFileSystem>, dir: PathBuf) -> Result<()> {
	network.destroy().await?;
	std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))
}

/// Waits until `node` has finalized block `target`.
async fn wait_finalized(node: &NetworkNode, target: u64, secs: u64) -> Result<()> {
	node.wait_metric_with_timeout(FINALIZED, move |f| f >= target as f64, secs)
		.await
		.with_context(|| format!("{} did not finalize #{target} within {secs} s", node.name()))
}

/// Waits until `node` finalizes a block above its best block now: a block authored after
/// this call, so finalized by the votes of the validators that are up now, not by a round
/// that was already under way.
async fn wait_finality_passes_best(node: &NetworkNode) -> Result<()> {
	let tip = best(node).await?;
	wait_finalized(node, tip + 1, ROUNDS).await
}

/// Restarts a killed node from its database and keystore, and waits until it has caught up
/// with the finalized block of `reference` and votes in `reference`'s GRANDPA rounds.
async fn restart_and_catch_up(node: &NetworkNode, reference: &NetworkNode) -> Result<()> {
	node.restart(None).await.with_context(|| format!("restarting {}", node.name()))?;
	node.wait_until_is_up(SLOW).await?;
	let target = finalized(reference).await?;
	wait_finalized(node, target, SLOW).await?;
	wait_voting_with(node, reference).await
}

/// Waits until `node`'s GRANDPA voter is at most one round behind `reference`'s.
///
/// Having the finalized block is not enough for a validator to count again: a restarted voter
/// jumps to the others' round with a catch-up, and if they have moved two rounds further by
/// then, it asks for the next catch-up only when it next hears of their round — at once
/// while they finalize without it, but after GRANDPA's 2-minute neighbour rebroadcast if
/// they need its votes to finish their round (seen here: the test took a validator down right
/// after another came back, and finality stood still for two minutes).
async fn wait_voting_with(node: &NetworkNode, reference: &NetworkNode) -> Result<()> {
	let deadline = tokio::time::Instant::now() + Duration::from_secs(SLOW);
	loop {
		let (ours, theirs) = (grandpa_round(node).await?, grandpa_round(reference).await?);
		if ours > 0 && ours + 1 >= theirs {
			eprintln!(
				"[zombienet] {} votes again: GRANDPA round {ours} done ({} at {theirs})",
				node.name(),
				reference.name()
			);
			return Ok(());
		}
		ensure!(
			tokio::time::Instant::now() < deadline,
			"{} is at GRANDPA round {ours}, {} at {theirs}, after {SLOW} s",
			node.name(),
			reference.name()
		);
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
}

/// Checks that every node has the same block at every height from 1 to the lowest finalized
/// block among them: no node finalized, or stayed on, another fork.
async fn assert_one_chain(nodes: &[&NetworkNode]) -> Result<()> {
	let mut lowest = u64::MAX;
	for node in nodes {
		lowest = lowest.min(finalized(node).await?);
	}
	ensure!(lowest > 0, "a node has finalized nothing");
	for height in 1..=lowest {
		let expected = block_hash(nodes[0], height).await?;
		ensure!(expected.is_some(), "{} has no block #{height}", nodes[0].name());
		for node in &nodes[1..] {
			let hash = block_hash(node, height).await?;
			ensure!(
				hash == expected,
				"fork at #{height}: {} has {hash:?}, {} has {expected:?}",
				node.name(),
				nodes[0].name()
			);
		}
	}
	eprintln!("[zombienet] one chain on every node up to #{lowest}");
	Ok(())
}

/// Blocks are produced and finalized, and a signed transaction submitted with subxt is
/// included in a finalized block that every validator has.
#[tokio::test(flavor = "multi_thread")]
async fn four_validators_author_finalize_and_include_a_signed_transfer() -> Result<()> {
	let _one = ONE_NETWORK.lock().await;
	let (network, dir) = spawn().await?;
	let alice = network.get_node("alice")?;

	let client: OnlineClient<SubstrateConfig> = alice.wait_client_with_timeout(SLOW).await?;
	let dave = dev::dave().public_key().to_account_id();
	let amount = 1_234_567_890_u128;
	let transfer = dynamic::tx(
		"Balances",
		"transfer_keep_alive",
		vec![
			dynamic::Value::unnamed_variant("Id", [dynamic::Value::from_bytes(dave.0)]),
			dynamic::Value::u128(amount),
		],
	);
	let in_block = client
		.tx()
		.sign_and_submit_then_watch_default(&transfer, &dev::alice())
		.await
		.context("submitting Alice's transfer")?
		.wait_for_finalized()
		.await
		.context("waiting for the transfer's block to be finalized")?;
	let block = in_block.block_hash();
	let events = in_block.wait_for_success().await.context("the transfer failed")?;
	let transferred = events.iter().filter_map(Result::ok).any(|event| {
		event.pallet_name() == "Balances" && event.variant_name() == "Transfer"
	});
	ensure!(transferred, "no Balances.Transfer event in block {block:?}");

	let number = client
		.blocks()
		.at(block)
		.await
		.context("reading the transfer's block")?
		.number() as u64;
	for name in VALIDATORS {
		let node = network.get_node(name)?;
		wait_finalized(node, number, ROUNDS).await?;
		let hash = block_hash(node, number).await?;
		ensure!(
			hash.as_deref() == Some(format!("{block:?}").as_str()),
			"{name} has {hash:?} at #{number}, not the transfer's block {block:?}"
		);
		ensure!(best(node).await? >= number, "{name} is behind");
	}
	eprintln!("[zombienet] transfer included in #{number} ({block:?}), finalized on all four");

	finish(network, dir).await
}

/// Kill, restart and partition validators; finality continues with 3 of 4, stalls with 2 of 4
/// without a fork, resumes when a third comes back, and no node ever leaves the one chain.
#[tokio::test(flavor = "multi_thread")]
async fn finality_survives_one_validator_down_and_stalls_without_a_fork_with_two() -> Result<()>
{
	let _one = ONE_NETWORK.lock().await;
	let (network, dir) = spawn().await?;
	let node = |name| network.get_node(name);
	let (alice, bob, charlie, dave) = (node("alice")?, node("bob")?, node("charlie")?, node("dave")?);

	eprintln!("[zombienet] kill -9 dave: 3 of 4 validators left, finality continues");
	kill(dave)?;
	wait_finality_passes_best(alice).await?;

	eprintln!("[zombienet] restart dave: it catches up");
	restart_and_catch_up(dave, alice).await?;
	eprintln!("[zombienet] kill -9 charlie: finality now needs dave's votes");
	kill(charlie)?;
	wait_finality_passes_best(alice).await?;
	wait_finality_passes_best(dave).await?;

	eprintln!("[zombienet] kill -9 dave as well: 2 of 4 left, finality stalls");
	kill(dave)?;
	// Let a round that already had its votes finish (GRANDPA rounds take a few gossip
	// periods of 333 ms), then watch 12 blocks of 1 s pass without finality.
	tokio::time::sleep(Duration::from_secs(6)).await;
	let stalled_at = finalized(alice).await?;
	let best_before = best(alice).await?;
	tokio::time::sleep(Duration::from_secs(12)).await;
	ensure!(
		finalized(alice).await? == stalled_at,
		"finality moved past #{stalled_at} with two of four validators down"
	);
	let best_after = best(alice).await?;
	ensure!(
		best_after >= best_before + 2,
		"alice and bob stopped authoring during the stall (best #{best_before} → #{best_after})"
	);
	// A block the two live validators built during the stall, one block back from the tip.
	let during = best_after - 1;
	let during_hash = block_hash(alice, during).await?.context("alice's block during the stall")?;
	ensure!(
		block_hash(bob, during).await?.as_deref() == Some(during_hash.as_str()),
		"alice and bob disagree on #{during} during the stall"
	);

	eprintln!("[zombienet] restart charlie: 3 of 4 again, finality resumes");
	charlie.restart(None).await?;
	charlie.wait_until_is_up(SLOW).await?;
	wait_finalized(alice, during + 1, SLOW).await?;
	for node in [alice, bob, charlie] {
		wait_finalized(node, during, SLOW).await?;
		ensure!(
			block_hash(node, during).await?.as_deref() == Some(during_hash.as_str()),
			"{} finalized another block than the stall's #{during}",
			node.name()
		);
	}

	eprintln!("[zombienet] restart dave: it catches up");
	restart_and_catch_up(dave, alice).await?;

	eprintln!("[zombienet] partition bob (SIGSTOP): finality continues without him");
	bob.pause().await?;
	wait_finality_passes_best(alice).await?;
	tokio::time::sleep(Duration::from_secs(8)).await;
	bob.resume().await?;
	let target = finalized(alice).await?;
	wait_finalized(bob, target, SLOW).await?;
	wait_finality_passes_best(bob).await?;

	assert_one_chain(&[alice, bob, charlie, dave]).await?;
	finish(network, dir).await
}
