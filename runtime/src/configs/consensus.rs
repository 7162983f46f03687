//! Consensus configuration of the standalone Proof-of-Authority chain: Aura block production
//! and GRANDPA finality among the consortium's validators.
//!
//! This module is the seam for parachain mode: a `parachain` build replaces it (and the
//! pallets at indices 10-19) with Cumulus `parachain-system`, `aura-ext` and collator
//! selection. Nothing outside this module refers to Aura or GRANDPA except the runtime APIs
//! that expose them.

use crate::{AccountId, Runtime, RuntimeEvent, SLOT_DURATION};
use frame_support::{parameter_types, traits::ConstU32};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::ByteArray, ConstU64};

/// The most validators (consortium hospitals' nodes) the chain supports.
pub type MaxAuthorities = ConstU32<32>;

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = MaxAuthorities;
	type AllowMultipleBlocksPerSlot = frame_support::traits::ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

parameter_types! {
	/// PoA has no nominators.
	pub const MaxNominators: u32 = 0;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	// pallet-grandpa ships only its `()` weights (upstream's measured formula).
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = MaxNominators;
	type MaxSetIdSessionEntries = ConstU64<0>;
	// No session or staking pallet: equivocations are handled by consortium governance,
	// not by on-chain slashing.
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	/// A timestamp: milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = crate::Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = pallet_timestamp::weights::SubstrateWeight<Runtime>;
}

/// Whether `who` is a validator's account. In the standalone PoA chain a validator's account
/// is its Aura (sr25519) authority key: the same 32 bytes.
pub fn is_validator_account(who: &AccountId) -> bool {
	let who: &[u8] = who.as_ref();
	pallet_aura::Authorities::<Runtime>::get().iter().any(|a| a.as_slice() == who)
}
