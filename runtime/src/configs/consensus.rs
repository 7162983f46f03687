//! Consensus configuration of the standalone Proof-of-Authority chain: Aura block production
//! and GRANDPA finality among the consortium's validators.
//!
//! This module is the seam for parachain mode: a `parachain` build replaces it (and the
//! pallets at indices 10-19) with Cumulus `parachain-system`, `aura-ext` and collator
//! selection. Nothing outside this module refers to Aura or GRANDPA except the runtime APIs
//! that expose them.

use crate::{Runtime, RuntimeEvent, SLOT_DURATION};
use frame_support::{parameter_types, traits::ConstU32};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::ConstU64;

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
	type WeightInfo = ();
}
