//! `pmr-zombienet`: spawns PMR Chain's standalone PoA network on this machine and keeps it
//! running until Ctrl-C, for Polkadot.js Apps, @polkadot/api scripts or manual fault tests.
//!
//! ```text
//! PMR_NODE_BIN=$CARGO_TARGET_DIR/debug/pmr-node \
//!   cargo run --manifest-path zombienet/Cargo.toml -- [--validators N] [--base-dir DIR]
//! ```

use anyhow::{bail, Context, Result};
use pmr_zombienet::{local_raw_spec, pmr_node_bin, standalone_network, zombienet_sdk};
use std::path::PathBuf;
use zombienet_sdk::NetworkConfigExt;

/// The node names, in order; each validates with its development seed's keys.
const NAMES: [&str; 6] = ["alice", "bob", "charlie", "dave", "eve", "ferdie"];

const USAGE: &str = "usage: pmr-zombienet [--validators N (1-6, default 4)] [--base-dir DIR]";

#[tokio::main]
async fn main() -> Result<()> {
	let mut validators = 4_usize;
	let mut base_dir: Option<PathBuf> = None;
	let mut args = std::env::args().skip(1);
	while let Some(arg) = args.next() {
		match arg.as_str() {
			"--validators" => {
				validators = args.next().context(USAGE)?.parse().context(USAGE)?;
				if !(1..=NAMES.len()).contains(&validators) {
					bail!(USAGE);
				}
			},
			"--base-dir" => base_dir = Some(args.next().context(USAGE)?.into()),
			"-h" | "--help" => {
				println!("{USAGE}");
				return Ok(());
			},
			other => bail!("unknown argument {other}\n{USAGE}"),
		}
	}
	let base_dir = match base_dir {
		Some(dir) => dir,
		None => tempfile::Builder::new().prefix("pmr-zombienet-").tempdir()?.keep(),
	};
	let bin = pmr_node_bin()?;
	let names = &NAMES[..validators];
	let spec = local_raw_spec(&bin, "local", names, &base_dir)?;
	let network = standalone_network(&bin, &spec, names, &base_dir.join("network"))?
		.spawn_native()
		.await
		.context("spawning the network")?;
	println!("PMR Chain local network: {validators} validators, files under {}", base_dir.display());
	for name in names {
		let node = network.get_node(*name)?;
		node.wait_until_is_up(240_u64).await?;
		println!(
			"  {name:<8} {}  https://polkadot.js.org/apps/?rpc={}  log {}",
			node.ws_uri(),
			node.ws_uri(),
			node.base_dir().join(format!("{name}.log")).display()
		);
	}
	println!("Ctrl-C stops the network (the files stay).");
	tokio::signal::ctrl_c().await?;
	network.destroy().await?;
	Ok(())
}
