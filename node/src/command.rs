//! Dispatches `pmr-node`'s subcommands.

use crate::{
	benchmarking::{inherent_benchmark_data, RemarkBuilder, TransferKeepAliveBuilder},
	chain_spec,
	cli::{Cli, Subcommand},
};
#[cfg(feature = "parachain")]
use crate::service::parachain as service;
#[cfg(not(feature = "parachain"))]
use crate::service::standalone as service;
use frame_benchmarking_cli::{BenchmarkCmd, ExtrinsicFactory, SUBSTRATE_REFERENCE_HARDWARE};
use pmr_runtime::{opaque::Block, EXISTENTIAL_DEPOSIT};
use sc_cli::SubstrateCli;
use sc_service::PartialComponents;
use sp_keyring::Sr25519Keyring;
use sp_runtime::traits::HashingFor;

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"PMR Chain Node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://example.invalid/pmr-chain/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		Ok(match id {
			"dev" => Box::new(chain_spec::development_chain_spec()?),
			"" | "local" => Box::new(chain_spec::local_chain_spec()?),
			#[cfg(not(feature = "parachain"))]
			"dev-fast" => Box::new(chain_spec::development_fast_chain_spec()?),
			#[cfg(not(feature = "parachain"))]
			"local-fast" => Box::new(chain_spec::local_fast_chain_spec()?),
			path => Box::new(chain_spec::ChainSpec::from_json_file(std::path::PathBuf::from(path))?),
		})
	}
}

/// A key tool's failure, shown as its sentence alone.
fn tool_error(message: String) -> sc_cli::Error {
	sc_cli::Error::Application(message.into())
}

/// Parses the command line and runs the node or a subcommand.
pub fn run() -> sc_cli::Result<()> {
	let cli = Cli::from_args();

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		#[allow(deprecated)]
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		},
		Some(Subcommand::ExportChainSpec(cmd)) => {
			let chain_spec = cli.load_spec(&cmd.chain)?;
			cmd.run(chain_spec)
		},
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let config = database(config);
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let config = database(config);
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.database), task_manager))
			})
		},
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let config = database(config);
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.chain_spec), task_manager))
			})
		},
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let config = database(config);
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(database(config).database))
		},
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let config = database(config);
				let PartialComponents { client, task_manager, backend, .. } =
					service::new_partial(&config)?;
				// GRANDPA keeps its own state of the blocks it finalized; revert it too.
				#[cfg(not(feature = "parachain"))]
				let aux_revert = Box::new(|client, _, blocks| {
					sc_consensus_grandpa::revert(client, blocks)?;
					Ok(())
				});
				#[cfg(not(feature = "parachain"))]
				return Ok((cmd.run(client, backend, Some(aux_revert)), task_manager));
				#[cfg(feature = "parachain")]
				Ok((cmd.run(client, backend, None), task_manager))
			})
		},
		Some(Subcommand::Benchmark(cmd)) => run_benchmark(&cli, cmd),
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<Block>(&database(config)))
		},
		Some(Subcommand::X25519Key(cmd)) => cmd.run().map_err(tool_error),
		Some(Subcommand::RewrapEssential(cmd)) => cmd.run().map_err(tool_error),
		Some(Subcommand::ApprovalKeys(cmd)) => cmd.run().map_err(tool_error),
		Some(Subcommand::ReadRecord(cmd)) => cmd.run().map_err(tool_error),
		Some(Subcommand::ExportRecords(cmd)) => cmd.run().map_err(tool_error),
		Some(Subcommand::RotatePatientKey(cmd)) => cmd.run().map_err(tool_error),
		#[cfg(feature = "parachain")]
		Some(Subcommand::ExportGenesisHead(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| {
				let config = database(config);
				let PartialComponents { client, .. } = service::new_partial(&config)?;
				cmd.run(client)
			})
		},
		#[cfg(feature = "parachain")]
		Some(Subcommand::ExportGenesisWasm(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|_config| {
				let spec = cli.load_spec(&cmd.shared_params.chain.clone().unwrap_or_default())?;
				cmd.run(&*spec)
			})
		},
		None => run_node(&cli),
	}
}

/// Whether the node's own command line (before any `--`) gives `flag`: for defaults of PMR
/// Chain that differ from Substrate's, which the parsed arguments cannot tell from a value the
/// user chose.
fn flag_given(flag: &str) -> bool {
	std::env::args_os()
		.skip(1)
		.map_while(|a| a.into_string().ok().filter(|a| a != "--"))
		.any(|a| a == flag || a.starts_with(&format!("{flag}=")))
}

/// The transaction pool of a running node: the single-state pool unless `--pool-type` is given
/// (see [`default_pool`]). The parachain build keeps Substrate's default, the fork-aware pool,
/// which was built for the short-lived forks of asynchronous backing.
#[cfg(not(feature = "parachain"))]
fn pool_options(cli: &Cli) -> Option<sc_transaction_pool::TransactionPoolOptions> {
	let run = cli.run_cmd();
	(!flag_given("--pool-type"))
		.then(|| default_pool(&run.pool_config, run.shared_params.is_dev()))
}

/// The database of a node or subcommand: ParityDB, as sc-cli picks in the standalone build
/// (which has no RocksDB).
#[cfg(not(feature = "parachain"))]
fn database(config: sc_service::Configuration) -> sc_service::Configuration {
	config
}

/// The database of a node or subcommand: ParityDB unless `--database` says otherwise. The
/// parachain build links RocksDB (the embedded relay chain node's `polkadot-service` needs it),
/// which makes RocksDB sc-cli's default there; PMR Chain keeps ParityDB in both builds.
#[cfg(feature = "parachain")]
fn database(mut config: sc_service::Configuration) -> sc_service::Configuration {
	if flag_given("--database") || flag_given("--db") {
		return config;
	}
	if let sc_service::DatabaseSource::RocksDb { path, .. } = &config.database {
		// `<base>/chains/<id>/db/full` → `<base>/chains/<id>/paritydb/full`, where sc-cli puts it.
		let chain_dir = path.parent().and_then(|db| db.parent()).map(|chain| chain.to_path_buf());
		if let Some(chain_dir) = chain_dir {
			config.database =
				sc_service::DatabaseSource::ParityDb { path: chain_dir.join("paritydb").join("full") };
		}
	}
	config
}

/// Runs the standalone node.
#[cfg(not(feature = "parachain"))]
fn run_node(cli: &Cli) -> sc_cli::Result<()> {
	let runner = cli.create_runner(&cli.run)?;
	let worker = cli.worker.clone();
	let pool = pool_options(cli);
	runner.run_node_until_exit(|config| async move {
		let mut config = database(config);
		if let Some(pool) = pool {
			config.transaction_pool = pool;
		}
		match config.network.network_backend {
			sc_network::config::NetworkBackendType::Libp2p => service::new_full::<
				sc_network::NetworkWorker<Block, <Block as sp_runtime::traits::Block>::Hash>,
			>(config, worker)
			.map_err(sc_cli::Error::Service),
			sc_network::config::NetworkBackendType::Litep2p =>
				service::new_full::<sc_network::Litep2pNetworkBackend>(config, worker)
					.map_err(sc_cli::Error::Service),
		}
	})
}

/// Runs the parachain node: on its own with `--dev` (or any development chain spec), else as
/// a collator (`--collator`) or full node of the parachain beside its relay chain node.
#[cfg(feature = "parachain")]
fn run_node(cli: &Cli) -> sc_cli::Result<()> {
	let runner = cli.create_runner(&cli.run.normalize())?;
	let worker = cli.worker.clone();
	let collator_options = cli.run.collator_options();
	let dev_block_time = std::time::Duration::from_millis(cli.dev_block_time);
	let relay_chain_args = cli.relay_chain_args.clone();
	runner.run_node_until_exit(|config| async move {
		let config = database(config);
		if config.chain_spec.chain_type() == sc_service::ChainType::Development {
			return service::new_dev(config, dev_block_time, worker).map_err(sc_cli::Error::Service);
		}
		let relay_chain_cli =
			crate::relay_chain::RelayChainCli::new(&config, relay_chain_args.iter())?;
		let polkadot_config = SubstrateCli::create_configuration(
			&relay_chain_cli,
			&relay_chain_cli,
			config.tokio_handle.clone(),
		)
		.map_err(|e| sc_cli::Error::Input(format!("relay chain arguments: {e}")))?;
		log::info!("Collating: {}", if config.role.is_authority() { "yes" } else { "no" });
		match config.network.network_backend {
			sc_network::config::NetworkBackendType::Libp2p => service::new_full::<
				sc_network::NetworkWorker<Block, <Block as sp_runtime::traits::Block>::Hash>,
			>(config, polkadot_config, collator_options, worker)
			.await
			.map_err(sc_cli::Error::Service),
			sc_network::config::NetworkBackendType::Litep2p => {
				service::new_full::<sc_network::Litep2pNetworkBackend>(
					config,
					polkadot_config,
					collator_options,
					worker,
				)
				.await
				.map_err(sc_cli::Error::Service)
			},
		}
	})
}

/// The transaction pool a PMR node runs when `--pool-type` is not given: the single-state pool,
/// with the limits of `--pool-limit` / `--pool-kbytes`. In the load harness's bursts the
/// fork-aware pool (Substrate's default, built for chains with frequent forks, which an Aura +
/// GRANDPA network of a few known validators does not have) stranded transactions for good more
/// often than the single-state pool. `docs/operations.md` ("Transaction pool") has the
/// measurements; `--pool-type fork-aware` keeps Substrate's default.
#[cfg(not(feature = "parachain"))]
fn default_pool(
	params: &sc_cli::TransactionPoolParams,
	is_dev: bool,
) -> sc_transaction_pool::TransactionPoolOptions {
	sc_transaction_pool::TransactionPoolOptions::new_with_params(
		params.pool_limit,
		params.pool_kbytes * 1024,
		params.tx_ban_seconds,
		sc_transaction_pool::TransactionPoolType::SingleState,
		is_dev,
		params.pool_best_blocks_only,
	)
}

fn run_benchmark(cli: &Cli, cmd: &BenchmarkCmd) -> sc_cli::Result<()> {
	let runner = cli.create_runner(cmd)?;

	runner.sync_run(|config| {
		let config = database(config);
		match cmd {
		BenchmarkCmd::Pallet(cmd) => {
			if !cfg!(feature = "runtime-benchmarks") {
				return Err("`benchmark pallet` needs a node built with \
					`--features runtime-benchmarks` (see docs/build.md)."
					.into());
			}
			cmd.run_with_spec::<HashingFor<Block>, ()>(Some(config.chain_spec))
		},
		BenchmarkCmd::Block(cmd) => {
			let PartialComponents { client, .. } = service::new_partial(&config)?;
			cmd.run(client)
		},
		BenchmarkCmd::Storage(cmd) => {
			let PartialComponents { client, backend, .. } = service::new_partial(&config)?;
			let db = backend.expose_db();
			let storage = backend.expose_storage();
			let shared_trie_cache = backend.expose_shared_trie_cache();
			cmd.run(config, client, db, storage, shared_trie_cache)
		},
		BenchmarkCmd::Overhead(cmd) => {
			let PartialComponents { client, .. } = service::new_partial(&config)?;
			let ext_builder = RemarkBuilder::new(client.clone());
			cmd.run(
				config.chain_spec.name().into(),
				client,
				inherent_benchmark_data()?,
				Vec::new(),
				&ext_builder,
				false,
			)
		},
		BenchmarkCmd::Extrinsic(cmd) => {
			let PartialComponents { client, .. } = service::new_partial(&config)?;
			let ext_factory = ExtrinsicFactory(vec![
				Box::new(RemarkBuilder::new(client.clone())),
				Box::new(TransferKeepAliveBuilder::new(
					client.clone(),
					Sr25519Keyring::Alice.to_account_id(),
					EXISTENTIAL_DEPOSIT,
				)),
			]);
			cmd.run(client, inherent_benchmark_data()?, Vec::new(), &ext_factory)
		},
		BenchmarkCmd::Machine(cmd) => cmd.run(&config, SUBSTRATE_REFERENCE_HARDWARE.clone()),
		}
	})
}
