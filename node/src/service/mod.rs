//! Node services. `standalone` runs PMR Chain as its own Proof-of-Authority chain
//! (Aura + GRANDPA); `parachain` (the `parachain` feature) runs it as a Cumulus collator or
//! full node of a parachain, or on its own in dev mode. Both share what is defined here: the
//! client types, the ingest worker, the RPC extensions and the runtime's off-chain workers.

#[cfg(feature = "parachain")]
pub mod parachain;
#[cfg(not(feature = "parachain"))]
pub mod standalone;

use futures::FutureExt;
use pmr_runtime::{apis::RuntimeApi, opaque::Block};
use sc_client_api::Backend as _;
use std::sync::Arc;

/// The host functions of the standalone runtime.
#[cfg(not(feature = "parachain"))]
type BaseHostFunctions = sp_io::SubstrateHostFunctions;
/// The host functions of the parachain runtime (Substrate's, plus Cumulus' proof-size
/// recording).
#[cfg(feature = "parachain")]
type BaseHostFunctions = cumulus_client_service::ParachainHostFunctions;

/// The host functions the runtime may call.
#[cfg(not(feature = "runtime-benchmarks"))]
pub type HostFunctions = BaseHostFunctions;
/// The host functions the runtime may call, plus those a benchmarking runtime imports.
#[cfg(feature = "runtime-benchmarks")]
pub type HostFunctions = (BaseHostFunctions, frame_benchmarking::benchmarking::HostFunctions);

/// The executor: the node only ever runs the runtime as WASM (there is no native runtime).
pub type RuntimeExecutor = sc_executor::WasmExecutor<HostFunctions>;

/// The full client.
pub type FullClient = sc_service::TFullClient<Block, RuntimeApi, RuntimeExecutor>;

/// The full backend (ParityDB unless `--database` says otherwise).
pub type FullBackend = sc_service::TFullBackend<Block>;

/// The ingest worker of this node's chain.
pub type IngestWorker = pmr_worker::Worker<crate::ingest::NodeChain>;

/// The transaction pool.
pub type Pool = crate::ingest::Pool;

/// What the RPC server is built from: the standard RPCs plus PMR Chain's (see [`crate::rpc`]).
pub type RpcBuilder = Box<
	dyn Fn(
		sc_rpc::SubscriptionTaskExecutor,
	) -> Result<jsonrpsee::RpcModule<()>, sc_service::Error>,
>;

/// The telemetry worker and its handle, when the configuration names telemetry endpoints.
pub fn telemetry(
	config: &sc_service::Configuration,
) -> Result<Option<(sc_telemetry::TelemetryWorker, sc_telemetry::Telemetry)>, sc_telemetry::Error>
{
	config
		.telemetry_endpoints
		.clone()
		.filter(|x| !x.is_empty())
		.map(|endpoints| {
			let worker = sc_telemetry::TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()
}

/// The transaction pool of every service, with the options and metrics of the configuration.
pub fn transaction_pool(
	config: &sc_service::Configuration,
	client: Arc<FullClient>,
	task_manager: &sc_service::TaskManager,
) -> Arc<Pool> {
	Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client,
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	)
}

/// The RPC extensions of every service: account nonces, fee queries and the ingest worker's
/// `pmr_*` methods.
pub fn rpc_builder(
	client: Arc<FullClient>,
	pool: Arc<Pool>,
	ingest: Option<Arc<IngestWorker>>,
) -> RpcBuilder {
	Box::new(move |_| {
		let deps = crate::rpc::FullDeps {
			client: client.clone(),
			pool: pool.clone(),
			ingest: ingest.clone(),
		};
		crate::rpc::create_full(deps).map_err(Into::into)
	})
}

/// Starts the runtime's off-chain workers (pallet hooks) when the node's configuration enables
/// them. PMR Chain's own off-chain work, the ingest worker, runs natively instead
/// ([`spawn_ingest_worker`]).
pub fn spawn_offchain_workers(
	config: &sc_service::Configuration,
	client: Arc<FullClient>,
	backend: &FullBackend,
	keystore: sp_keystore::KeystorePtr,
	pool: Arc<Pool>,
	network: Arc<dyn sc_network::service::traits::NetworkService>,
	task_manager: &sc_service::TaskManager,
) -> Result<(), sc_service::Error> {
	if !config.offchain_worker.enabled {
		return Ok(());
	}
	let offchain_workers = sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
		runtime_api_provider: client.clone(),
		is_validator: config.role.is_authority(),
		keystore: Some(keystore),
		offchain_db: backend.offchain_storage(),
		transaction_pool: Some(sc_transaction_pool_api::OffchainTransactionPoolFactory::new(pool)),
		network_provider: Arc::new(network),
		enable_http_requests: true,
		custom_extensions: |_| vec![],
	})?;
	task_manager.spawn_handle().spawn(
		"offchain-workers-runner",
		"offchain-worker",
		offchain_workers.run(client, task_manager.spawn_handle()).boxed(),
	);
	Ok(())
}

/// Starts following the regulator's node allowlist ([`crate::network_allowlist`]): while it is
/// enforced, this node peers only with the listed consortium nodes.
pub fn spawn_network_allowlist(
	config: &sc_service::Configuration,
	client: Arc<FullClient>,
	network: Arc<dyn sc_network::service::traits::NetworkService>,
	task_manager: &sc_service::TaskManager,
) {
	let peers = &config.network.default_peers_set;
	let command_line = (
		peers.reserved_nodes.iter().map(|node| node.peer_id).collect(),
		peers.non_reserved_mode.is_reserved_only(),
	);
	let local = network.local_peer_id();
	task_manager.spawn_handle().spawn(
		"pmr-network-allowlist",
		Some("networking"),
		crate::network_allowlist::follow(client, network, local, command_line),
	);
}

/// Starts the ingest worker (unless `--pmr-no-worker`): its queue lives in
/// `<base-path>/chains/<chain>/pmr-worker/`, its metrics on the node's Prometheus endpoint.
/// Shared by every service, so each runs the same worker and RPC.
pub fn spawn_ingest_worker(
	config: &sc_service::Configuration,
	cli: &pmr_worker::WorkerCli,
	client: std::sync::Arc<FullClient>,
	pool: std::sync::Arc<crate::ingest::Pool>,
	keystore: sp_keystore::KeystorePtr,
	task_manager: &sc_service::TaskManager,
) -> Result<Option<std::sync::Arc<IngestWorker>>, sc_service::Error> {
	if cli.disabled {
		return Ok(None);
	}
	let dir = config.base_path.config_dir(config.chain_spec.id()).join("pmr-worker");
	// Subscribed before the worker starts, so no block imported from here on is missed.
	let imports = sc_client_api::BlockchainEvents::every_import_notification_stream(&*client);
	let chain = std::sync::Arc::new(crate::ingest::NodeChain::new(client, pool, keystore));
	let worker = pmr_worker::Worker::new(pmr_worker::Config::from_cli(cli, dir), chain.clone(), config.prometheus_registry())
		.map_err(|e| sc_service::Error::Other(format!("ingest worker: {e}")))?;
	task_manager.spawn_handle().spawn(
		"pmr-ingest-worker",
		Some("pmr-worker"),
		worker.clone().run(std::time::Duration::from_secs(1)),
	);
	task_manager.spawn_handle().spawn("pmr-block-facts", Some("pmr-worker"), capture_block_facts(imports, chain, worker.clone()));
	if let Some(addr) = cli.upload_addr {
		let unsafe_allowed = matches!(config.rpc.methods, sc_service::config::RpcMethods::Unsafe);
		let cors = crate::upload::Cors(config.rpc.cors.clone());
		let upload =
			crate::upload::serve(addr, unsafe_allowed, cors, worker.clone()).map_err(sc_service::Error::Other)?;
		task_manager.spawn_handle().spawn("pmr-upload", Some("pmr-worker"), upload);
	}
	Ok(Some(worker))
}

/// Hands the worker the facts of every block the node imports (during sync too), read while
/// the notification pins the block's state: the worker's scan then never needs state that
/// the node's pruning (`--state-pruning`, 256 blocks by default) has discarded, however far
/// behind it fell (docs/worker.md, "Catching up").
async fn capture_block_facts(
	mut imports: sc_client_api::ImportNotifications<Block>,
	chain: std::sync::Arc<crate::ingest::NodeChain>,
	worker: std::sync::Arc<IngestWorker>,
) {
	use futures::StreamExt;
	while let Some(imported) = imports.next().await {
		let number = u64::from(imported.header.number);
		let captured = chain
			.facts_at(imported.hash)
			.map_err(|e| e.to_string())
			.and_then(|facts| worker.capture_block(number, &facts).map_err(|e| e.to_string()));
		if let Err(e) = captured {
			log::warn!(target: "pmr-worker", "block #{number}: facts not captured at import ({e}); the scan reads its state");
		}
	}
}
