//! Signed transactions built in the node: node-signed anchors and custodian answers
//! ([`crate::ingest`], through the keystore), the benchmarks' transactions
//! ([`crate::benchmarking`]), and tools and integration tests that submit over JSON-RPC.

use pmr_runtime::{AccountId, Nonce, RuntimeCall, VERSION};
use sp_core::{sr25519, Pair, H256};
use sp_runtime::{codec::Encode, generic::Era};

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

