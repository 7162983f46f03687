//! JSON-RPC extensions of `pmr-node`, on top of the standard Substrate RPCs
//! (`system_*`, `chain_*`, `state_*`, `author_*`): account nonces (`system_accountNextIndex`,
//! `system_dryRun`), fee queries (`payment_queryInfo`, `payment_queryFeeDetails`) and the
//! ingest worker's `pmr_*` methods (unsafe: see `docs/worker.md`).

use jsonrpsee::RpcModule;
use pmr_runtime::{opaque::Block, AccountId, Balance, Nonce};
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};
use std::sync::Arc;

/// What the RPC extensions need from the node.
pub struct FullDeps<C, P> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
	/// The ingest worker, unless the node runs without it.
	pub ingest: Option<Arc<crate::service::IngestWorker>>,
}

/// Builds the RPC extensions.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	P: TransactionPool + 'static,
{
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool, ingest } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client).into_rpc())?;
	if let Some(worker) = ingest {
		use pmr_worker::rpc::{PmrApiServer, PmrRpc};
		module.merge(PmrRpc::new(worker).into_rpc())?;
	}

	Ok(module)
}
