//! The parachain service (the `parachain` feature): PMR Chain as a Cumulus parachain.
//!
//! - [`new_full`]: a collator (`--collator`, with its Aura key in the keystore) or a full node
//!   of the parachain, next to a relay chain node — embedded in this process (relay chain
//!   arguments after `--`) or reached over RPC (`--relay-chain-rpc-url`). Blocks are authored
//!   with Aura's lookahead collator (asynchronous backing) and finalized by the relay chain.
//! - [`new_dev`]: the same runtime on one node without a relay chain, for development and CI:
//!   a block every `--dev-block-time` milliseconds (manual seal, each block finalized at once),
//!   with mocked relay chain validation data, as `polkadot-omni-node --dev-block-time` does.
//!
//! Both run the ingest worker, the RPC extensions and the off-chain workers of the standalone
//! service, from the same functions in [`super`].

use super::{FullBackend, FullClient, Pool};
use codec::Encode;
use cumulus_client_collator::service::CollatorService;
use cumulus_client_consensus_aura::collators::lookahead::{self as aura, Params as AuraParams};
use cumulus_client_consensus_common::ParachainBlockImport as TParachainBlockImport;
use cumulus_client_parachain_inherent::MockValidationDataInherentDataProvider;
use cumulus_client_service::{
	build_network, build_relay_chain_interface, prepare_node_config, start_relay_chain_tasks,
	BuildNetworkParams, DARecoveryProfile, StartRelayChainTasksParams,
};
use cumulus_primitives_core::{
	relay_chain::ValidationCode, CollectCollationInfo, GetParachainInfo, ParaId,
	RelayParentOffsetApi,
};
use cumulus_relay_chain_interface::RelayChainInterface;
use pmr_runtime::opaque::Block;
use sc_client_api::HeaderBackend;
use sc_consensus::{DefaultImportQueue, ImportQueue};
use sc_network::NetworkBlock;
use sc_service::{error::Error as ServiceError, Configuration, TaskManager};
use sc_telemetry::{Telemetry, TelemetryWorkerHandle};
use sp_api::ProvideRuntimeApi;
use sp_consensus_aura::sr25519::AuthorityPair as AuraPair;
use sp_runtime::traits::{Block as BlockT, Header as HeaderT};
use std::{sync::Arc, time::Duration};

/// The relay chain's slot duration.
const RELAY_CHAIN_SLOT_DURATION: Duration = Duration::from_secs(6);

/// Block import of a parachain node: it sets the best block by what the relay chain included.
type ParachainBlockImport = TParachainBlockImport<Block, Arc<FullClient>, FullBackend>;

/// The parts of the node that subcommands (import, export, revert, benchmarks) need too.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	(),
	DefaultImportQueue<Block>,
	Pool,
	(ParachainBlockImport, Option<Telemetry>, Option<TelemetryWorkerHandle>),
>;

/// Builds the client, backend, transaction pool and the import queue (Aura, with equivocation
/// checks).
pub fn new_partial(config: &Configuration) -> Result<Service, ServiceError> {
	let telemetry = super::telemetry(config)?;

	let executor = sc_service::new_wasm_executor::<super::HostFunctions>(&config.executor);
	// Collators record the proof of every block they import: it is what they send the relay
	// chain's validators.
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts_record_import::<Block, pmr_runtime::apis::RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			true,
			Vec::new(),
		)?;
	let client = Arc::new(client);

	let telemetry_worker_handle = telemetry.as_ref().map(|(worker, _)| worker.handle());
	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let transaction_pool = super::transaction_pool(config, client.clone(), &task_manager);

	let block_import = ParachainBlockImport::new(client.clone(), backend.clone());
	let import_queue =
		cumulus_client_consensus_aura::equivocation_import_queue::fully_verifying_import_queue::<
			AuraPair,
			_,
			_,
			_,
			_,
		>(
			client.clone(),
			block_import.clone(),
			move |_, _| async move {
				Ok(sp_timestamp::InherentDataProvider::from_system_time())
			},
			&task_manager.spawn_essential_handle(),
			config.prometheus_registry(),
			telemetry.as_ref().map(|x| x.handle()),
		);

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain: (),
		transaction_pool,
		other: (block_import, telemetry, telemetry_worker_handle),
	})
}

/// The para id the runtime was given at genesis.
fn para_id(client: &FullClient) -> Result<ParaId, ServiceError> {
	client
		.runtime_api()
		.parachain_id(client.info().best_hash)
		.map_err(|e| ServiceError::Other(format!("reading the para id from the runtime: {e}")))
}

/// Builds and starts a parachain node (a collator if `--collator` is given): the relay chain
/// interface, networking, RPC, off-chain workers, the ingest worker, the relay chain tasks
/// (following inclusion, recovering withheld blocks) and, for collators, Aura's lookahead
/// collator.
pub async fn new_full<N: sc_network::NetworkBackend<Block, <Block as BlockT>::Hash>>(
	parachain_config: Configuration,
	polkadot_config: Configuration,
	collator_options: cumulus_client_cli::CollatorOptions,
	worker: pmr_worker::WorkerCli,
) -> Result<TaskManager, ServiceError> {
	let parachain_config = prepare_node_config(parachain_config);
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain: (),
		transaction_pool,
		other: (block_import, mut telemetry, telemetry_worker_handle),
	} = new_partial(&parachain_config)?;

	let para_id = para_id(&client)?;
	let (relay_chain_interface, collator_key, relay_chain_network, _paranode_requests) =
		build_relay_chain_interface(
			polkadot_config,
			&parachain_config,
			telemetry_worker_handle,
			&mut task_manager,
			collator_options,
			None,
		)
		.await
		.map_err(|e| ServiceError::Application(Box::new(e)))?;

	let collator = parachain_config.role.is_authority();
	let prometheus_registry = parachain_config.prometheus_registry().cloned();
	let import_queue_service = import_queue.service();
	let net_config = sc_network::config::FullNetworkConfiguration::<_, _, N>::new(
		&parachain_config.network,
		prometheus_registry.clone(),
	);
	let metrics = N::register_notification_metrics(prometheus_registry.as_ref());

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		build_network(BuildNetworkParams {
			parachain_config: &parachain_config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			para_id,
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			relay_chain_interface: relay_chain_interface.clone(),
			import_queue,
			metrics,
			gap_sync_body_policy: None,
		})
		.await?;

	super::spawn_offchain_workers(
		&parachain_config,
		client.clone(),
		&backend,
		keystore_container.keystore(),
		transaction_pool.clone(),
		network.clone(),
		&task_manager,
	)?;
	super::spawn_network_allowlist(&parachain_config, client.clone(), network.clone(), &task_manager);
	let ingest = super::spawn_ingest_worker(
		&parachain_config,
		&worker,
		client.clone(),
		transaction_pool.clone(),
		keystore_container.keystore(),
		&task_manager,
	)?;

	sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		rpc_builder: super::rpc_builder(client.clone(), transaction_pool.clone(), ingest),
		client: client.clone(),
		transaction_pool: transaction_pool.clone(),
		task_manager: &mut task_manager,
		config: parachain_config,
		keystore: keystore_container.keystore(),
		backend: backend.clone(),
		network,
		sync_service: sync_service.clone(),
		system_rpc_tx,
		tx_handler_controller,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	let announce_block = {
		let sync_service = sync_service.clone();
		Arc::new(move |hash, data| sync_service.announce_block(hash, data))
	};
	let overseer_handle = relay_chain_interface
		.overseer_handle()
		.map_err(|e| ServiceError::Application(Box::new(e)))?;

	start_relay_chain_tasks(StartRelayChainTasksParams {
		client: client.clone(),
		announce_block: announce_block.clone(),
		para_id,
		relay_chain_interface: relay_chain_interface.clone(),
		task_manager: &mut task_manager,
		da_recovery_profile: if collator {
			DARecoveryProfile::Collator
		} else {
			DARecoveryProfile::FullNode
		},
		import_queue: import_queue_service,
		relay_chain_slot_duration: RELAY_CHAIN_SLOT_DURATION,
		recovery_handle: Box::new(overseer_handle.clone()),
		sync_service,
		prometheus_registry: prometheus_registry.as_ref(),
	})?;

	if collator {
		let collator_key = collator_key.ok_or_else(|| {
			ServiceError::Other("a collator needs the relay chain's collator key".into())
		})?;
		let proposer = sc_basic_authorship::ProposerFactory::new(
			task_manager.spawn_handle(),
			client.clone(),
			transaction_pool,
			prometheus_registry.as_ref(),
			telemetry.as_ref().map(|x| x.handle()),
		);
		let collator_service =
			CollatorService::new(client.clone(), announce_block, client.clone());
		let code_client = client.clone();
		let params = AuraParams {
			create_inherent_data_providers: move |_, ()| async move { Ok(()) },
			block_import,
			para_client: client.clone(),
			para_backend: backend,
			relay_client: relay_chain_interface,
			code_hash_provider: move |block_hash| {
				code_client.code_at(block_hash).ok().map(|c| ValidationCode::from(c).hash())
			},
			keystore: keystore_container.keystore(),
			collator_key,
			collator_peer_id: relay_chain_network.local_peer_id(),
			para_id,
			overseer_handle,
			relay_chain_slot_duration: RELAY_CHAIN_SLOT_DURATION,
			proposer,
			collator_service,
			// Three quarters of the 2 s of execution the relay chain's validators allow a
			// parachain block (`RuntimeBlockWeights`), the rest left for the proof.
			authoring_duration: Duration::from_millis(1500),
			reinitialize: false,
			max_pov_percentage: None,
		};
		let collation = aura::run::<Block, AuraPair, _, _, _, _, _, _, _, _>(params);
		// Collating is essential: if it fails, the node stops.
		task_manager.spawn_essential_handle().spawn("aura", None, collation);
	}

	Ok(task_manager)
}

/// Starts the parachain runtime on this node alone, without a relay chain: a block every
/// `block_time` (manual seal, finalized at once), with mocked relay chain validation data.
/// The node does not connect to peers.
pub fn new_dev(
	mut config: Configuration,
	block_time: Duration,
	worker: pmr_worker::WorkerCli,
) -> Result<TaskManager, ServiceError> {
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain: (),
		transaction_pool,
		other: (_, mut telemetry, _),
	} = new_partial(&config)?;

	config.network.default_peers_set.in_peers = 0;
	config.network.default_peers_set.out_peers = 0;
	let net_config = sc_network::config::FullNetworkConfiguration::<
		_,
		_,
		sc_network::Litep2pNetworkBackend,
	>::new(&config.network, None);
	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			net_config,
			block_announce_validator_builder: None,
			warp_sync_config: None,
			block_relay: None,
			metrics: sc_network::NotificationMetrics::new(None),
			gap_sync_body_policy: None,
		})?;

	super::spawn_offchain_workers(
		&config,
		client.clone(),
		&backend,
		keystore_container.keystore(),
		transaction_pool.clone(),
		network.clone(),
		&task_manager,
	)?;
	super::spawn_network_allowlist(&config, client.clone(), network.clone(), &task_manager);
	let ingest = super::spawn_ingest_worker(
		&config,
		&worker,
		client.clone(),
		transaction_pool.clone(),
		keystore_container.keystore(),
		&task_manager,
	)?;

	let slot_duration = sc_consensus_aura::slot_duration(&*client)?;
	let para_id = para_id(&client)?;
	let (seal_sink, seal_stream) = futures::channel::mpsc::channel(1024);
	task_manager.spawn_essential_handle().spawn("dev-block-timer", None, {
		let mut seal_sink = seal_sink;
		async move {
			loop {
				tokio::time::sleep(block_time).await;
				let command = sc_consensus_manual_seal::EngineCommand::SealNewBlock {
					create_empty: true,
					finalize: true,
					parent_hash: None,
					sender: None,
				};
				if seal_sink.try_send(command).is_err() {
					log::warn!(target: "pmr-node", "dev block timer: the sealing queue is full");
				}
			}
		}
	});
	let proposer = sc_basic_authorship::ProposerFactory::new(
		task_manager.spawn_handle(),
		client.clone(),
		transaction_pool.clone(),
		None,
		telemetry.as_ref().map(|x| x.handle()),
	);
	let sealing = sc_consensus_manual_seal::run_manual_seal(
		sc_consensus_manual_seal::ManualSealParams {
			block_import: client.clone(),
			env: proposer,
			client: client.clone(),
			pool: transaction_pool.clone(),
			select_chain: sc_consensus::LongestChain::new(backend.clone()),
			commands_stream: Box::pin(seal_stream),
			consensus_data_provider: Some(Box::new(
				sc_consensus_manual_seal::consensus::aura::AuraConsensusDataProvider::new_with_slot_duration(
					slot_duration,
				),
			)),
			create_inherent_data_providers: dev_inherent_data_providers(
				client.clone(),
				para_id,
				slot_duration,
			),
		},
	);
	task_manager.spawn_essential_handle().spawn_blocking("manual-seal", None, sealing);

	sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		rpc_builder: super::rpc_builder(client.clone(), transaction_pool.clone(), ingest),
		client,
		transaction_pool,
		task_manager: &mut task_manager,
		config,
		keystore: keystore_container.keystore(),
		backend,
		network,
		sync_service,
		system_rpc_tx,
		tx_handler_controller,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;
	Ok(task_manager)
}

/// The inherent data of a dev block: validation data of a mocked relay chain that moves
/// `slot_duration / 6 s` relay blocks (at least one) per parachain block, and a timestamp in
/// that relay block's slot, as aura-ext requires. The mocked relay chain is placed so that the
/// next block's slot is the wall clock's when the node starts (and after a restart), so the
/// chain's time is the hospital's: clinical timestamps (IoMT readings, visit dates) are not in
/// the chain's future. With `--dev-block-time` under 6 s the chain's clock runs ahead of the
/// wall clock. A pending runtime upgrade gets its go-ahead at once.
fn dev_inherent_data_providers(
	client: Arc<FullClient>,
	para_id: ParaId,
	slot_duration: sp_consensus_aura::SlotDuration,
) -> impl Fn(
	<Block as BlockT>::Hash,
	(),
) -> futures::future::Ready<
	Result<
		(sp_timestamp::InherentDataProvider, MockValidationDataInherentDataProvider<()>),
		Box<dyn std::error::Error + Send + Sync>,
	>,
> + Send
       + Sync {
	let relay_slot_millis = RELAY_CHAIN_SLOT_DURATION.as_millis() as u64;
	let relay_blocks_per_para_block =
		(slot_duration.as_millis() / relay_slot_millis).max(1) as u32;
	let wall_slot = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.unwrap_or_default()
		.as_millis() as u64 /
		relay_slot_millis;
	// The best block's (parachain) slot, when the chain ran ahead of the wall clock (`--dev-block-time`
	// under 6 s) and the node restarted at once: slots must keep increasing.
	let best_slot = client
		.header(client.info().best_hash)
		.ok()
		.flatten()
		.and_then(|header| {
			use sp_consensus_aura::digests::CompatibleDigestItem;
			header.digest().logs().iter().find_map(|item| {
				CompatibleDigestItem::<sp_consensus_aura::sr25519::AuthoritySignature>::as_aura_pre_digest(item)
			})
		})
		.map(u64::from);
	let now_slot = best_slot.map_or(wall_slot, |slot| {
		wall_slot.max((slot + 1) * u64::from(relay_blocks_per_para_block))
	});
	// Block n sits in relay slot `first_relay_slot + n * relay_blocks_per_para_block`; the next
	// block (best + 1) in the current one. After a restart the mocked relay chain moves on by
	// the time the node was down, so relay numbers and slots only ever increase.
	let best = u64::from(client.info().best_number);
	let first_relay_slot =
		now_slot.saturating_sub((best + 1) * u64::from(relay_blocks_per_para_block));

	move |parent, ()| {
		let inherents = || -> Result<_, Box<dyn std::error::Error + Send + Sync>> {
			let head = client
				.header(parent)?
				.ok_or_else(|| format!("the parent block {parent} is not in the database"))?;
			let go_ahead = client
				.runtime_api()
				.collect_collation_info(parent, &head)
				.map(|info| info.new_validation_code.is_some())
				.unwrap_or_default();
			let number = (*head.number()).saturating_add(1);
			let relay_slot =
				first_relay_slot + u64::from(number) * u64::from(relay_blocks_per_para_block);
			let validation = MockValidationDataInherentDataProvider::<()> {
				current_para_block: number,
				para_id,
				current_para_block_head: Some(polkadot_primitives::HeadData(head.encode())),
				relay_blocks_per_para_block,
				relay_offset: (relay_slot as u32)
					.saturating_sub(relay_blocks_per_para_block.saturating_mul(number)),
				relay_parent_offset: client
					.runtime_api()
					.relay_parent_offset(parent)
					.unwrap_or_default(),
				para_blocks_per_relay_epoch: 10,
				upgrade_go_ahead: go_ahead.then_some(polkadot_primitives::UpgradeGoAhead::GoAhead),
				..Default::default()
			};
			let timestamp =
				sp_timestamp::InherentDataProvider::new((relay_slot * relay_slot_millis).into());
			Ok((timestamp, validation))
		};
		futures::future::ready(inherents())
	}
}
