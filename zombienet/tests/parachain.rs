//! PMR Chain as a parachain: a `westend-local` relay chain of two validators (`dave`, `eve`)
//! and two PMR Chain collators (`alice`, `bob`, invulnerables of the `local` preset's
//! parachain genesis, para 2000), spawned with zombienet's native provider. The parachain is
//! registered in the relay chain's genesis; its collators author blocks that the relay chain
//! backs, includes and finalizes.
//!
//! It needs binaries that take long to build on a small machine, so it runs only when they are
//! there and says so when they are not:
//! - `polkadot`, `polkadot-prepare-worker` and `polkadot-execute-worker` on `PATH` (or in
//!   `$PMR_POLKADOT_BIN_DIR`): `scripts/build-polkadot.sh` builds them once into the cache;
//! - a `pmr-node` built with `--features parachain` in `$PMR_PARACHAIN_NODE_BIN`:
//!   `scripts/test-parachain.sh` leaves one in `$CARGO_TARGET_DIR/parachain/pmr-node`.

use anyhow::{Context, Result};
use pmr_zombienet::{
	best, finalized,
	zombienet_sdk::{NetworkConfigBuilder, NetworkConfigExt},
	FINALIZED,
};
use std::path::PathBuf;

/// The para id of the `local` preset's parachain genesis.
const PARA_ID: u32 = 2000;

/// The directory with the three polkadot binaries, if they are all there.
fn polkadot_bin_dir() -> Option<PathBuf> {
	let dirs: Vec<PathBuf> = match std::env::var_os("PMR_POLKADOT_BIN_DIR") {
		Some(dir) => vec![dir.into()],
		None => std::env::var_os("PATH")
			.map(|paths| std::env::split_paths(&paths).collect())
			.unwrap_or_default(),
	};
	dirs.into_iter().find(|dir| {
		["polkadot", "polkadot-prepare-worker", "polkadot-execute-worker"]
			.iter()
			.all(|bin| dir.join(bin).is_file())
	})
}

#[tokio::test(flavor = "multi_thread")]
async fn relay_chain_backs_and_finalizes_pmr_chain_collators_blocks() -> Result<()> {
	let Some(polkadot_dir) = polkadot_bin_dir() else {
		eprintln!(
			"SKIPPED: no polkadot, polkadot-prepare-worker and polkadot-execute-worker on PATH \
			 or in PMR_POLKADOT_BIN_DIR (scripts/build-polkadot.sh builds them)"
		);
		return Ok(());
	};
	let Some(collator_bin) = std::env::var_os("PMR_PARACHAIN_NODE_BIN")
		.map(PathBuf::from)
		.filter(|bin| bin.is_file())
	else {
		eprintln!(
			"SKIPPED: PMR_PARACHAIN_NODE_BIN does not name a pmr-node built with \
			 --features parachain (scripts/test-parachain.sh builds one)"
		);
		return Ok(());
	};
	let polkadot = polkadot_dir.join("polkadot").canonicalize()?;
	let collator = collator_bin.canonicalize()?;
	// The workers are found next to `polkadot`; zombienet gives nodes only PATH, TZ and LANG.
	let path = format!(
		"{}:{}",
		polkadot_dir.display(),
		std::env::var("PATH").unwrap_or_default()
	);

	let dir = tempfile::Builder::new().prefix("pmr-zombienet-para-").tempdir()?.keep();
	let spec = dir.join("pmr-parachain-local-raw.json");
	let raw = std::process::Command::new(&collator)
		.args(["export-chain-spec", "--chain", "local", "--raw"])
		.output()
		.context("exporting the parachain's chain spec")?;
	anyhow::ensure!(raw.status.success(), "{}", String::from_utf8_lossy(&raw.stderr));
	std::fs::write(&spec, raw.stdout)?;
	eprintln!("[zombienet] relay chain + parachain under {} (removed if the test passes)", dir.display());

	let (polkadot, collator, spec) = (
		polkadot.to_string_lossy().into_owned(),
		collator.to_string_lossy().into_owned(),
		spec.to_string_lossy().into_owned(),
	);
	let env = vec![("PATH", path.as_str())];
	let config = NetworkConfigBuilder::new()
		.with_relaychain(|relay| {
			relay
				.with_chain("westend-local")
				// The parachain runtime uses async backing (an unincluded segment of 3); the
				// `westend-local` preset leaves it off.
				.with_genesis_overrides(serde_json::json!({
					"configuration": { "config": { "async_backing_params": {
						"max_candidate_depth": 3,
						"allowed_ancestry_len": 2
					} } }
				}))
				.with_default_command(polkadot.as_str())
				.with_default_args(vec!["--no-mdns".into()])
				.with_validator(|node| node.with_name("dave").with_env(env.clone()))
				.with_validator(|node| node.with_name("eve").with_env(env.clone()))
		})
		.with_parachain(|para| {
			para.with_id(PARA_ID)
				.cumulus_based(true)
				.with_default_command(collator.as_str())
				.with_chain_spec_path(spec.as_str())
				.with_default_args(vec![
					"--no-mdns".into(),
					"--pmr-no-worker".into(),
					// What the collators decide each slot, in the logs kept when the test fails.
					"-laura=debug,cumulus-collator=debug,parachain::collation-generation=debug".into(),
				])
				.with_collator(|node| node.with_name("alice"))
				.with_collator(|node| node.with_name("bob"))
		})
		.with_global_settings(|settings| {
			settings.with_base_dir(dir.join("network")).with_tear_down_on_failure(false)
		})
		.build()
		.map_err(|errors| anyhow::anyhow!("invalid network definition: {errors:?}"))?;
	let network = config.spawn_native().await.context("spawning the network")?;

	let (alice, bob) = (network.get_node("alice")?, network.get_node("bob")?);
	for node in [alice, bob] {
		node.wait_until_is_up(300u64).await?;
	}
	// Parachain blocks are finalized only once the relay chain included them and finalized
	// the relay block: so this shows authoring, backing, inclusion and relay finality.
	alice
		.wait_metric_with_timeout(FINALIZED, |f| f >= 5.0, 600u64)
		.await
		.context("the parachain did not finalize block #5")?;
	bob.wait_metric_with_timeout(FINALIZED, |f| f >= 5.0, 120u64).await?;
	eprintln!(
		"[zombienet] parachain: alice best #{} finalized #{}, bob best #{} finalized #{}",
		best(alice).await?,
		finalized(alice).await?,
		best(bob).await?,
		finalized(bob).await?
	);
	network.destroy().await?;
	std::fs::remove_dir_all(&dir)?;
	Ok(())
}
