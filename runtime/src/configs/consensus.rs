//! Consensus configuration of the standalone Proof-of-Authority chain: Aura block production
//! and GRANDPA finality among the consortium's validators, whose set the regulator governs
//! (`pallet-validator-set`) and `pallet-session` rotates into both, every session.
//!
//! This module is the seam for parachain mode: a `parachain` build replaces it (and the
//! pallets at indices 10-19) with `consensus_parachain.rs` — Cumulus `parachain-system`,
//! `aura-ext` and collator selection — which exports the same names.
//! Nothing outside this module refers to Aura or GRANDPA except the runtime APIs that expose
//! them.

use crate::{
	configs::registry::RegulatorOrigin, AccountId, Balances, Registry, Runtime, RuntimeEvent,
	SessionKeys, ValidatorSet, SLOT_DURATION,
};
use frame_support::{
	parameter_types,
	traits::{ConstU128, ConstU32, Contains},
};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::ConstU64;
use sp_runtime::traits::OpaqueKeys;

/// The most validators (consortium hospitals' nodes) the chain supports.
pub type MaxAuthorities = ConstU32<32>;

/// What `frame_system` runs on `set_code`: nothing more than writing the code.
pub type OnSetCode = ();

/// The proof-size part of a block's weight: unlimited, nobody checks a proof of validity.
pub const MAX_BLOCK_PROOF_SIZE: u64 = u64::MAX;

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
	// No staking: equivocations are handled by consortium governance (the regulator removes
	// the validator), not by on-chain slashing, so no key-ownership proofs are kept.
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	/// A timestamp: milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = crate::Aura;
	/// Half the slot duration of the chain's genesis (`validatorSet.slotDuration`: 6 s on `dev`
	/// and `local`, 1 s on the test chains), which Aura reads back as its slot duration
	/// (`MinimumPeriodTimesTwo`), so the two always agree.
	type MinimumPeriod = pallet_validator_set::MinimumPeriodGet<Runtime>;
	type WeightInfo = pallet_timestamp::weights::SubstrateWeight<Runtime>;
}

/// The accounts that have registered session keys with `session.set_keys`.
pub struct HasSessionKeys;
impl Contains<AccountId> for HasSessionKeys {
	fn contains(who: &AccountId) -> bool {
		pallet_session::NextKeys::<Runtime>::contains_key(who)
	}
}

impl pallet_validator_set::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RegulatorOrigin = RegulatorOrigin;
	type Registry = Registry;
	type HasSessionKeys = HasSessionKeys;
	type MaxValidators = MaxAuthorities;
	type DefaultSlotDuration = ConstU64<SLOT_DURATION>;
	type WeightInfo = pallet_validator_set::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::ValidatorSetBench;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// A validator is identified by its account (a hospital admin account, or a founding
	/// validator's).
	type ValidatorId = AccountId;
	type ValidatorIdOf = sp_runtime::traits::ConvertInto;
	type ShouldEndSession = ValidatorSet;
	type NextSessionRotation = ValidatorSet;
	type SessionManager = ValidatorSet;
	/// Aura and GRANDPA, in the order of [`SessionKeys`]' fields.
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	/// No offences pallet reports misbehaviour; the regulator removes validators.
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	/// Setting keys holds nothing: only consortium accounts may transact at all.
	type KeyDeposit = ConstU128<0>;
}

/// Whether `who` is a validator's account (admitted, or validating now).
pub fn is_validator_account(who: &AccountId) -> bool {
	ValidatorSet::is_validator(who) || pallet_session::Validators::<Runtime>::get().contains(who)
}
