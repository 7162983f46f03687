//! Node services. `standalone` runs PMR Chain as its own Proof-of-Authority chain
//! (Aura + GRANDPA). A `parachain` service (Cumulus collator) will sit beside it and share the
//! client types defined here.

pub mod standalone;

use pmr_runtime::{apis::RuntimeApi, opaque::Block};

/// The host functions the runtime may call.
#[cfg(not(feature = "runtime-benchmarks"))]
pub type HostFunctions = sp_io::SubstrateHostFunctions;
/// The host functions the runtime may call, plus those a benchmarking runtime imports.
#[cfg(feature = "runtime-benchmarks")]
pub type HostFunctions =
	(sp_io::SubstrateHostFunctions, frame_benchmarking::benchmarking::HostFunctions);

/// The executor: the node only ever runs the runtime as WASM (there is no native runtime).
pub type RuntimeExecutor = sc_executor::WasmExecutor<HostFunctions>;

/// The full client.
pub type FullClient = sc_service::TFullClient<Block, RuntimeApi, RuntimeExecutor>;

/// The full backend (ParityDB unless `--database` says otherwise).
pub type FullBackend = sc_service::TFullBackend<Block>;

/// The ingest worker of this node's chain.
pub type IngestWorker = pmr_worker::Worker<crate::ingest::NodeChain>;

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
	let worker = pmr_worker::Worker::new(
		pmr_worker::Config::from_cli(cli, dir),
		std::sync::Arc::new(crate::ingest::NodeChain::new(client, pool, keystore)),
		config.prometheus_registry(),
	)
	.map_err(|e| sc_service::Error::Other(format!("ingest worker: {e}")))?;
	task_manager.spawn_handle().spawn(
		"pmr-ingest-worker",
		Some("pmr-worker"),
		worker.clone().run(std::time::Duration::from_secs(1)),
	);
	Ok(Some(worker))
}
