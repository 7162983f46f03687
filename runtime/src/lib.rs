//! # PMR Chain runtime
//!
//! The state transition function of PMR Chain, compiled to WASM and executed by `pmr-node`.
//!
//! Layout:
//! - [`configs`]: one `Config` implementation per pallet; consensus pallets live apart in
//!   [`configs::consensus`] so a `parachain` build can swap Aura + GRANDPA for Cumulus
//!   without touching the domain pallets;
//! - [`apis`]: the runtime APIs the node and clients (Polkadot.js Apps, RPC integrators) call;
//! - [`genesis_config_presets`]: the `development` and `local_testnet` genesis presets.
//!
//! The `parachain` feature builds the same runtime as a Cumulus parachain (see
//! `configs/consensus_parachain.rs`): the domain pallets, their indices and their storage do
//! not change.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime`-generated code is not ours to document.
#![allow(missing_docs)]
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

// The parachain's `validate_block`, which relay chain validators run on a block's proof.
#[cfg(feature = "parachain")]
cumulus_pallet_parachain_system::register_validate_block! {
	Runtime = Runtime,
	BlockExecutor = cumulus_pallet_aura_ext::BlockExecutor::<Runtime, Executive>,
}

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
// The runtime's tests run on the standalone build (CI's); the parachain build is tested by its
// genesis presets' test and the node's parachain tests.
#[cfg(all(test, not(feature = "parachain")))]
mod origin_matrix;
#[cfg(all(test, not(feature = "parachain")))]
mod tests;
pub mod weights;
#[cfg(all(test, feature = "runtime-benchmarks", not(feature = "parachain")))]
mod weights_check;

extern crate alloc;

use alloc::vec::Vec;
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Types the node needs without knowing the runtime's extrinsic format.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::Hash as HashT;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

#[cfg(not(feature = "parachain"))]
impl_opaque_keys! {
	/// The session keys of a PoA validator: an Aura key to author blocks and a GRANDPA key to
	/// vote on finality.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

#[cfg(feature = "parachain")]
impl_opaque_keys! {
	/// The session keys of a PoA collator: an Aura key to author blocks (the relay chain
	/// finalizes them).
	pub struct SessionKeys {
		pub aura: Aura,
	}
}

/// The runtime version. Bump `spec_version` with every runtime change that reaches a network.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("pmr-chain"),
	impl_name: alloc::borrow::Cow::Borrowed("pmr-chain"),
	authoring_version: 1,
	spec_version: 100,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// Block time and the units derived from it.
///
/// The standalone chain's slot duration is a genesis setting (`validatorSet.slotDuration`,
/// default [`SLOT_DURATION`]): the test chains `dev-fast` and `local-fast` run
/// [`FAST_SLOT_DURATION`] on the same runtime code. Durations below stay in blocks of
/// [`MILLI_SECS_PER_BLOCK`], so they pass faster on a test chain (docs/build.md).
mod block_times {
	/// Target block time: a block every 6 seconds.
	pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
	/// Aura slot duration; equal to the block time.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
	/// The slot duration of the test chains (`dev-fast`, `local-fast`): 1 second.
	pub const FAST_SLOT_DURATION: u64 = 1000;
}
pub use block_times::*;

/// Blocks per minute, hour and day, for durations written in wall-clock terms
/// (e.g. a 7-day second-opinion consent).
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;

/// The smallest unit of the PMR token is 10^-12 PMR.
pub const UNIT: Balance = 1_000_000_000_000;
/// One thousandth of a PMR.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// One millionth of a PMR.
pub const MICRO_UNIT: Balance = 1_000_000;
/// The existential deposit.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Chain properties clients show: token symbol, decimals and address format.
pub mod chain_properties {
	/// Token symbol.
	pub const TOKEN_SYMBOL: &str = "PMR";
	/// Token decimals.
	pub const TOKEN_DECIMALS: u8 = 12;
	/// SS58 address prefix (42, the generic Substrate prefix; see `docs/architecture.md`).
	pub const SS58_PREFIX: u16 = 42;
}

/// Signature type of extrinsics.
pub type Signature = MultiSignature;
/// An account on chain: the public key behind a [`Signature`].
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account.
pub type Balance = u128;
/// Index of a transaction of an account.
pub type Nonce = u32;
/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;
/// Block number.
pub type BlockNumber = u32;
/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A block with justifications.
pub type SignedBlock = generic::SignedBlock<Block>;
/// Block identifier.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions every signed transaction carries, in order.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	pallet_registry::CheckPermissioned<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations to run on the next runtime upgrade.
type Migrations = ();

/// Executive: dispatches calls to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

/// Declares the runtime: the consensus pallets of this build (indices 0-19) and the domain
/// pallets both builds share (indices 20-69). `#[frame_support::runtime]` expands every pallet's
/// crate even for a pallet under `#[cfg]`, and the standalone build has no Cumulus crate, so
/// each build passes its whole consensus block instead.
macro_rules! construct_pmr_runtime {
	($($consensus:tt)*) => {
		#[frame_support::runtime]
		mod runtime {
			#[runtime::runtime]
			#[runtime::derive(
				RuntimeCall,
				RuntimeEvent,
				RuntimeError,
				RuntimeOrigin,
				RuntimeFreezeReason,
				RuntimeHoldReason,
				RuntimeSlashReason,
				RuntimeLockId,
				RuntimeTask,
				RuntimeViewFunction
			)]
			pub struct Runtime;

			$($consensus)*

			// Monetary (indices 20-29).
			#[runtime::pallet_index(20)]
			pub type Balances = pallet_balances;
			#[runtime::pallet_index(21)]
			pub type TransactionPayment = pallet_transaction_payment;

			// Governance (indices 30-39): sudo (root) manages the regulator body, whose members form
			// the regulator council.
			#[runtime::pallet_index(30)]
			pub type Sudo = pallet_sudo;
			#[runtime::pallet_index(31)]
			pub type RegulatorBody = pallet_membership<Instance1>;
			#[runtime::pallet_index(32)]
			pub type Council = pallet_collective<Instance1>;
			// The regulator's list of the consortium's nodes (network-layer permissioning).
			#[runtime::pallet_index(33)]
			pub type NodeAllowlist = pallet_node_allowlist;

			// Registry and consent (indices 40-49).
			#[runtime::pallet_index(40)]
			pub type Registry = pallet_registry;
			#[runtime::pallet_index(41)]
			pub type Consent = pallet_consent;
			#[runtime::pallet_index(42)]
			pub type KeyRelease = pallet_key_release;

			// Medical records (indices 50-69).
			#[runtime::pallet_index(50)]
			pub type Nfts = pallet_nfts;
			#[runtime::pallet_index(51)]
			pub type MedicalRecords = pallet_medical_records;
			#[runtime::pallet_index(52)]
			pub type LabReports = pallet_lab_reports;
		}
	};
}

#[cfg(not(feature = "parachain"))]
construct_pmr_runtime! {
	// Core (indices 0-9).
	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	// Consensus (indices 10-19): the only pallets the parachain build swaps out. Aura, GRANDPA
	// and the regulator's validator set.
	#[runtime::pallet_index(10)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(11)]
	pub type Grandpa = pallet_grandpa;
	// Below `Session`'s index (`#[frame_support::runtime]` builds genesis in index order): its
	// genesis set is what the session genesis starts with.
	#[runtime::pallet_index(12)]
	pub type ValidatorSet = pallet_validator_set;
	#[runtime::pallet_index(13)]
	pub type Session = pallet_session;
}

#[cfg(feature = "parachain")]
construct_pmr_runtime! {
	// Core (indices 0-9). The relay chain's validation data comes first in every block.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(14)]
	pub type ParachainSystem = cumulus_pallet_parachain_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(15)]
	pub type ParachainInfo = staging_parachain_info;

	// Consensus (indices 10-19): Aura with aura-ext and the regulator's invulnerable
	// collators. `#[frame_support::runtime]` builds genesis and runs hooks in index order, not
	// in the order written here.
	#[runtime::pallet_index(10)]
	pub type Aura = pallet_aura;
	// Below `Session`'s index: its invulnerables are what the session genesis starts with, and
	// so the Aura authorities of block 1. (At index 17 the session genesis found no collator
	// and the parachain never authored a block; index 12 is the standalone build's validator
	// set, which plays the same part there.)
	#[runtime::pallet_index(12)]
	pub type CollatorSelection = pallet_collator_selection;
	#[runtime::pallet_index(13)]
	pub type Session = pallet_session;
	// After `Session`: its genesis copies the Aura authorities the session genesis set.
	#[runtime::pallet_index(16)]
	pub type AuraExt = cumulus_pallet_aura_ext;
}
