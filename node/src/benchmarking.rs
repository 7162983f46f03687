//! Building signed transactions in the node: for `benchmark overhead` / `benchmark extrinsic`,
//! and for tools and integration tests that submit transactions over JSON-RPC.

use crate::service::FullClient;
use frame_benchmarking_cli::ExtrinsicBuilder;
use pmr_runtime::{AccountId, Balance, BalancesCall, Nonce, RuntimeCall, SystemCall, VERSION};
use sc_client_api::UsageProvider;
use sp_core::{sr25519, Pair, H256};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{codec::Encode, generic::Era, OpaqueExtrinsic, SaturatedConversion};
use std::sync::Arc;

/// The transaction extensions of a signed transaction (with tip 0 and no metadata hash).
pub fn tx_extension(nonce: Nonce, era: Era) -> pmr_runtime::TxExtension {
	(
		frame_system::AuthorizeCall::<pmr_runtime::Runtime>::new(),
		frame_system::CheckNonZeroSender::<pmr_runtime::Runtime>::new(),
		frame_system::CheckSpecVersion::<pmr_runtime::Runtime>::new(),
		frame_system::CheckTxVersion::<pmr_runtime::Runtime>::new(),
		frame_system::CheckGenesis::<pmr_runtime::Runtime>::new(),
		frame_system::CheckEra::<pmr_runtime::Runtime>::from(era),
		frame_system::CheckNonce::<pmr_runtime::Runtime>::from(nonce),
		frame_system::CheckWeight::<pmr_runtime::Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<pmr_runtime::Runtime>::from(0),
		frame_metadata_hash_extension::CheckMetadataHash::<pmr_runtime::Runtime>::new(false),
		pallet_registry::CheckPermissioned::<pmr_runtime::Runtime>::new(),
		frame_system::WeightReclaim::<pmr_runtime::Runtime>::new(),
	)
}

/// Signs `call` by `signer` for the chain with `genesis_hash`.
///
/// `era` and `era_block_hash` set the transaction's lifetime: `Era::Immortal` with the genesis
/// hash, or a mortal era with the hash of the block it starts at.
pub fn create_extrinsic(
	signer: &sr25519::Pair,
	call: RuntimeCall,
	nonce: Nonce,
	genesis_hash: H256,
	era: Era,
	era_block_hash: H256,
) -> pmr_runtime::UncheckedExtrinsic {
	let signed = sign_extrinsic(signer.public(), call, nonce, genesis_hash, era, era_block_hash, |payload| {
		Ok::<_, core::convert::Infallible>(signer.sign(payload))
	});
	match signed {
		Ok(xt) => xt,
		Err(never) => match never {},
	}
}

/// Builds the signed transaction of `call` by `account`, with the signature `sign` makes over
/// the signing payload: a key pair in tools and tests, the node's keystore for node-signed
/// anchors ([`crate::ingest`]).
pub fn sign_extrinsic<E>(
	account: sr25519::Public,
	call: RuntimeCall,
	nonce: Nonce,
	genesis_hash: H256,
	era: Era,
	era_block_hash: H256,
	sign: impl FnOnce(&[u8]) -> Result<sr25519::Signature, E>,
) -> Result<pmr_runtime::UncheckedExtrinsic, E> {
	let tx_ext = tx_extension(nonce, era);
	let raw_payload = pmr_runtime::SignedPayload::from_raw(
		call.clone(),
		tx_ext.clone(),
		(
			(),
			(),
			VERSION.spec_version,
			VERSION.transaction_version,
			genesis_hash,
			era_block_hash,
			(),
			(),
			(),
			None,
			(),
			(),
		),
	);
	let signature = raw_payload.using_encoded(sign)?;
	let account: AccountId = account.into();
	Ok(pmr_runtime::UncheckedExtrinsic::new_signed(
		call,
		sp_runtime::MultiAddress::Id(account),
		pmr_runtime::Signature::Sr25519(signature),
		tx_ext,
	))
}

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
