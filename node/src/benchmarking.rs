//! The transactions of `benchmark overhead` / `benchmark extrinsic` (signed with the node's
//! own [`crate::signing`]).

use crate::{service::FullClient, signing::create_extrinsic};
use frame_benchmarking_cli::ExtrinsicBuilder;
use pmr_runtime::{AccountId, Balance, BalancesCall, Nonce, RuntimeCall, SystemCall};
use sc_client_api::UsageProvider;
use sp_core::sr25519;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{generic::Era, OpaqueExtrinsic, SaturatedConversion};
use std::sync::Arc;

/// Signs a call against the client's current best block, valid for 256 blocks.
fn create_benchmark_extrinsic(
	client: &FullClient,
	signer: &sr25519::Pair,
	call: RuntimeCall,
	nonce: Nonce,
) -> pmr_runtime::UncheckedExtrinsic {
	let info = client.usage_info().chain;
	let best_block = info.best_number.saturated_into::<u64>();
	let era = Era::mortal(256, best_block);
	create_extrinsic(signer, call, nonce, info.genesis_hash, era, info.best_hash)
}

/// Builds `System::remark` transactions for `benchmark overhead`.
pub struct RemarkBuilder {
	client: Arc<FullClient>,
}

impl RemarkBuilder {
	/// A builder using `client`'s best block.
	pub fn new(client: Arc<FullClient>) -> Self {
		Self { client }
	}
}

impl ExtrinsicBuilder for RemarkBuilder {
	fn pallet(&self) -> &str {
		"system"
	}

	fn extrinsic(&self) -> &str {
		"remark"
	}

	fn build(&self, nonce: u32) -> Result<OpaqueExtrinsic, &'static str> {
		let xt = create_benchmark_extrinsic(
			&self.client,
			&Sr25519Keyring::Bob.pair(),
			SystemCall::remark { remark: vec![] }.into(),
			nonce,
		);
		Ok(xt.into())
	}
}

/// Builds `Balances::transfer_keep_alive` transactions for `benchmark extrinsic`.
pub struct TransferKeepAliveBuilder {
	client: Arc<FullClient>,
	dest: AccountId,
	value: Balance,
}

impl TransferKeepAliveBuilder {
	/// A builder sending `value` to `dest` on every transaction.
	pub fn new(client: Arc<FullClient>, dest: AccountId, value: Balance) -> Self {
		Self { client, dest, value }
	}
}

impl ExtrinsicBuilder for TransferKeepAliveBuilder {
	fn pallet(&self) -> &str {
		"balances"
	}

	fn extrinsic(&self) -> &str {
		"transfer_keep_alive"
	}

	fn build(&self, nonce: u32) -> Result<OpaqueExtrinsic, &'static str> {
		let xt = create_benchmark_extrinsic(
			&self.client,
			&Sr25519Keyring::Bob.pair(),
			BalancesCall::transfer_keep_alive { dest: self.dest.clone().into(), value: self.value }
				.into(),
			nonce,
		);
		Ok(xt.into())
	}
}

/// The inherent data a benchmarked block needs (a timestamp).
pub fn inherent_benchmark_data() -> Result<sp_inherents::InherentData, String> {
	use sp_inherents::InherentDataProvider;
	let mut inherent_data = sp_inherents::InherentData::new();
	let timestamp = sp_timestamp::InherentDataProvider::new(std::time::Duration::ZERO.into());
	futures::executor::block_on(timestamp.provide_inherent_data(&mut inherent_data))
		.map_err(|e| format!("creating inherent data: {e:?}"))?;
	Ok(inherent_data)
}
