//! PMR Chain's local test networks, defined with [`zombienet_sdk`] and spawned with its native
//! provider (every node a `pmr-node` process on this machine).
//!
//! - [`local_raw_spec`] builds the raw chain spec of a local PoA chain whose founding validators
//!   are the named nodes (zombienet's well-known keys: node `dave` has the keys of `//Dave`).
//! - [`standalone_network`] defines the standalone PoA network (Aura + GRANDPA) on that spec.
//! - [`kill`], [`finalized`], [`best`] and [`block_hash`] are what the fault tests observe and do.
//!
//! The network is handed a **raw** spec on purpose: given a plain one, zombienet rewrites the
//! genesis for a relay chain (session keys under `//Name//stash` accounts), which the
//! validator-set pallet does not know, and the chain would never author a block.

use anyhow::{anyhow, bail, Context, Result};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use zombienet_sdk::subxt::{backend::legacy::LegacyRpcMethods, SubstrateConfig};
use zombienet_sdk::{NetworkConfig, NetworkConfigBuilder, NetworkNode};

pub use zombienet_sdk;

/// The Prometheus metric of a node's finalized block number.
pub const FINALIZED: &str = "block_height{status=\"finalized\"}";
/// The Prometheus metric of a node's best block number.
pub const BEST: &str = "block_height{status=\"best\"}";
/// The Prometheus metric of the highest GRANDPA round a node's voter has completed.
pub const GRANDPA_ROUND: &str = "substrate_finality_grandpa_round";

/// The `pmr-node` binary the networks run: `$PMR_NODE_BIN`, or `pmr-node` on `PATH`.
///
/// The binary must carry its runtime's WASM (not built with `SKIP_WASM_BUILD`).
pub fn pmr_node_bin() -> Result<PathBuf> {
	let bin = match std::env::var_os("PMR_NODE_BIN") {
		Some(path) => PathBuf::from(path),
		None => std::env::var_os("PATH")
			.into_iter()
			.flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
			.map(|dir| dir.join("pmr-node"))
			.find(|candidate| candidate.is_file())
			.ok_or_else(|| {
				anyhow!(
					"no pmr-node binary: build it (`cargo build -p pmr-node`) and set \
					 PMR_NODE_BIN to its path, or put it on PATH"
				)
			})?,
	};
	if !bin.is_file() {
		bail!("PMR_NODE_BIN={} is not a file", bin.display());
	}
	// zombienet refuses relative commands and commands with whitespace in them.
	let bin = bin.canonicalize().with_context(|| format!("resolving {}", bin.display()))?;
	if bin.to_string_lossy().contains(char::is_whitespace) {
		bail!("zombienet cannot run a command whose path has whitespace: {}", bin.display());
	}
	Ok(bin)
}

/// The development seed zombienet gives a node: `alice` → `//Alice`, `hospital-a` →
/// `//Hospital-a`. Its keystore holds this seed's Aura (sr25519) and GRANDPA (ed25519) keys.
pub fn dev_seed(name: &str) -> String {
	let mut chars = name.chars();
	match chars.next() {
		Some(first) => format!("//{}{}", first.to_uppercase(), chars.as_str()),
		None => "//".to_string(),
	}
}

/// Runs `pmr-node` with `args` and returns its standard output.
fn run_node(bin: &Path, args: &[&str]) -> Result<Vec<u8>> {
	let out = Command::new(bin)
		.args(args)
		.output()
		.with_context(|| format!("running {} {}", bin.display(), args.join(" ")))?;
	if !out.status.success() {
		bail!(
			"{} {} failed: {}",
			bin.display(),
			args.join(" "),
			String::from_utf8_lossy(&out.stderr)
		);
	}
	Ok(out.stdout)
}

/// The SS58 public key of `seed` in `scheme` (`sr25519` or `ed25519`), from `pmr-node key
/// inspect`, so the keys are derived exactly as the node derives its keystore's.
fn public_key(bin: &Path, scheme: &str, seed: &str) -> Result<String> {
	let out = run_node(bin, &["key", "inspect", "--scheme", scheme, "--output-type", "json", seed])?;
	let inspected: Value = serde_json::from_slice(&out).context("`key inspect` output")?;
	inspected["ss58PublicKey"]
		.as_str()
		.map(str::to_owned)
		.ok_or_else(|| anyhow!("`key inspect` printed no ss58PublicKey: {inspected}"))
}

/// Writes `<dir>/pmr-local-<n>v-raw.json`: the raw chain spec of `chain` (`local`, or the
/// 1-second-block `local-fast` of the tests) whose founding validators are the nodes named in
/// `validators` (each with its development seed's account and session keys, see
/// [`dev_seed`]), and returns its path.
///
/// Everything else is the preset's: balances, the sudo key (Alice), the regulator (Bob),
/// 10-block sessions. The minimum set the regulator may not go below stays
/// the preset's 3, or the whole set when it is smaller.
pub fn local_raw_spec(
	bin: &Path,
	chain: &str,
	validators: &[&str],
	dir: &Path,
) -> Result<PathBuf> {
	if validators.is_empty() {
		bail!("a network needs at least one validator");
	}
	let mut spec: Value =
		serde_json::from_slice(&run_node(bin, &["export-chain-spec", "--chain", chain])?)
			.with_context(|| format!("the {chain} chain spec is not JSON"))?;
	let patch = spec
		.pointer_mut("/genesis/runtimeGenesis/patch")
		.ok_or_else(|| anyhow!("the local chain spec has no genesis preset patch"))?;
	let mut accounts = Vec::new();
	let mut keys = Vec::new();
	for name in validators {
		let seed = dev_seed(name);
		let account = public_key(bin, "sr25519", &seed)?;
		let grandpa = public_key(bin, "ed25519", &seed)?;
		keys.push(json!([account, account, {"aura": account, "grandpa": grandpa}]));
		accounts.push(json!(account));
	}
	let min = patch["validatorSet"]["minValidators"].as_u64().unwrap_or(1);
	patch["validatorSet"]["minValidators"] = json!(min.min(validators.len() as u64));
	patch["validatorSet"]["foundingValidators"] = Value::Array(accounts);
	patch["session"]["keys"] = Value::Array(keys);
	spec["name"] = json!(format!("PMR Chain Local Testnet ({} validators)", validators.len()));

	std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
	let plain = dir.join(format!("pmr-local-{}v-plain.json", validators.len()));
	std::fs::write(&plain, serde_json::to_vec_pretty(&spec)?)
		.with_context(|| format!("writing {}", plain.display()))?;
	let plain_arg = plain.to_string_lossy().into_owned();
	let raw = run_node(bin, &["export-chain-spec", "--chain", &plain_arg, "--raw"])?;
	let raw_path = dir.join(format!("pmr-local-{}v-raw.json", validators.len()));
	std::fs::write(&raw_path, raw).with_context(|| format!("writing {}", raw_path.display()))?;
	Ok(raw_path)
}

/// The standalone PoA network (Aura + GRANDPA): every node in `validators` validates, from
/// the raw `spec` of [`local_raw_spec`]. Nodes, logs and databases live under `base_dir`.
///
/// zombienet's crash watcher is off (`tear_down_on_failure(false)`): it would end the whole
/// test process when a node is slow to answer on a loaded machine, and the fault tests kill
/// nodes on purpose.
pub fn standalone_network(
	bin: &Path,
	spec: &Path,
	validators: &[&str],
	base_dir: &Path,
) -> Result<NetworkConfig> {
	let (first, rest) =
		validators.split_first().ok_or_else(|| anyhow!("a network needs a validator"))?;
	let command = bin.to_string_lossy().into_owned();
	let spec = spec.to_string_lossy().into_owned();
	let base_dir = base_dir.to_path_buf();
	NetworkConfigBuilder::new()
		.with_relaychain(|chain| {
			let chain = chain
				.with_chain("local")
				.with_default_command(command.as_str())
				.with_chain_spec_path(spec.as_str())
				// Nodes find each other through the bootnodes zombienet writes into the spec;
				// mDNS would let them find other test networks on this machine.
				.with_default_args(default_args())
				.with_validator(|node| node.with_name(*first));
			rest.iter().fold(chain, |chain, name| chain.with_validator(|node| node.with_name(*name)))
		})
		.with_global_settings(|settings| {
			settings.with_base_dir(base_dir).with_tear_down_on_failure(false)
		})
		.build()
		.map_err(|errors| anyhow!("invalid network definition: {errors:?}"))
}

/// Every node's arguments: `--no-mdns`, and `--log <targets>` from `$PMR_NODE_LOG` when set (for
/// example `PMR_NODE_LOG=afg=debug` to see GRANDPA's rounds in the kept logs).
fn default_args() -> Vec<zombienet_sdk::Arg> {
	let mut args = vec!["--no-mdns".into()];
	if let Ok(targets) = std::env::var("PMR_NODE_LOG") {
		args.push(("--log", targets.as_str()).into());
	}
	args
}

/// Kills a node's process with `SIGKILL`, as a crash or a power cut would. Its database and
/// keystore stay; [`NetworkNode::restart`] starts it again from them.
pub fn kill(node: &NetworkNode) -> Result<()> {
	let data = node.base_dir().join("data");
	let data = data.to_string_lossy();
	let mut killed = 0;
	for entry in std::fs::read_dir("/proc").context("reading /proc")?.flatten() {
		let Some(pid) = entry.file_name().to_str().and_then(|p| p.parse::<u32>().ok()) else {
			continue;
		};
		let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else { continue };
		let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
		let is_node = args
			.windows(2)
			.any(|pair| pair[0] == b"--base-path" && pair[1] == data.as_bytes());
		if is_node {
			let status = Command::new("kill").args(["-KILL", &pid.to_string()]).status()?;
			if !status.success() {
				bail!("kill -KILL {pid} ({}) failed", node.name());
			}
			killed += 1;
		}
	}
	if killed == 0 {
		bail!("no running process of node {}", node.name());
	}
	Ok(())
}

/// A node's finalized block number (its Prometheus endpoint).
pub async fn finalized(node: &NetworkNode) -> Result<u64> {
	Ok(node.reports(FINALIZED).await? as u64)
}

/// A node's best block number (its Prometheus endpoint).
pub async fn best(node: &NetworkNode) -> Result<u64> {
	Ok(node.reports(BEST).await? as u64)
}

/// The highest GRANDPA round a node's voter has completed (0 before its first since it
/// started).
pub async fn grandpa_round(node: &NetworkNode) -> Result<u64> {
	Ok(node.reports(GRANDPA_ROUND).await? as u64)
}

/// The hash of block `number` in a node's best chain (`chain_getBlockHash`), if it has one.
pub async fn block_hash(node: &NetworkNode, number: u64) -> Result<Option<String>> {
	let rpc = LegacyRpcMethods::<SubstrateConfig>::new(node.rpc().await?);
	Ok(rpc.chain_get_block_hash(Some(number.into())).await?.map(|h| format!("{h:?}")))
}
