//! Consensus configuration of the `parachain` build: PMR Chain as a parachain whose collators
//! are the consortium hospitals' nodes.
//!
//! - Cumulus `parachain-system` takes the relay chain's validation data every block, and
//!   `parachain-info` holds the para id (genesis).
//! - Aura authors blocks among the collators, with asynchronous backing: a 6-second block time,
//!   up to [`UNINCLUDED_SEGMENT_CAPACITY`] blocks ahead of what the relay chain has included
//!   (`aura-ext`'s consensus hook). Finality comes from the relay chain; there is no GRANDPA.
//! - Proof of Authority: `collator-selection` keeps the collators as **invulnerables** that
//!   the regulator adds and removes (the same origin that governs the standalone chain's
//!   validators); there is no open candidacy (`MaxCandidates` = 0, and the regulator leaves
//!   `desired_candidates` at 0), so no one else can become a collator by bonding.
//! - `pallet-session` rotates the invulnerables' Aura keys in, every session.
//!
//! This module exports the same names as the standalone [`super::consensus`] module it replaces,
//! so nothing outside it knows which build it is part of.

use crate::{
	configs::registry::RegulatorOrigin, AccountId, Aura, Balances, BlockNumber, CollatorSelection,
	ParachainInfo, Runtime, RuntimeEvent, Session, SessionKeys, HOURS, SLOT_DURATION,
};
use cumulus_pallet_parachain_system::RelayNumberMonotonicallyIncreases;
use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64},
	weights::Weight,
	PalletId,
};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::traits::OpaqueKeys;

/// The most collators (consortium hospitals' nodes) the chain supports.
pub type MaxAuthorities = ConstU32<32>;

/// What `frame_system` runs on `set_code`: Cumulus schedules the upgrade with the relay chain.
pub type OnSetCode = cumulus_pallet_parachain_system::ParachainSetCode<Runtime>;

/// The proof-size part of a block's weight: what the relay chain's validators accept as a
/// parachain block's proof of validity.
pub const MAX_BLOCK_PROOF_SIZE: u64 =
	cumulus_primitives_core::relay_chain::MAX_POV_SIZE as u64;

/// The relay chain's slot duration.
pub const RELAY_CHAIN_SLOT_DURATION_MILLIS: u32 = 6000;
/// Parachain blocks per relay chain block.
pub const BLOCK_PROCESSING_VELOCITY: u32 = 1;
/// Parachain blocks authored ahead of the last one the relay chain included.
pub const UNINCLUDED_SEGMENT_CAPACITY: u32 = 3;

/// The consensus hook: at most [`BLOCK_PROCESSING_VELOCITY`] blocks per relay chain slot and
/// [`UNINCLUDED_SEGMENT_CAPACITY`] blocks not yet included.
pub type ConsensusHook = cumulus_pallet_aura_ext::FixedVelocityConsensusHook<
	Runtime,
	RELAY_CHAIN_SLOT_DURATION_MILLIS,
	BLOCK_PROCESSING_VELOCITY,
	UNINCLUDED_SEGMENT_CAPACITY,
>;

parameter_types! {
	/// Weight kept for messages from the relay chain: none are handled (no XCM), so none.
	pub const ReservedDmpWeight: Weight = Weight::zero();
	/// Weight kept for messages from other parachains: none are handled, so none.
	pub const ReservedXcmpWeight: Weight = Weight::zero();
}

impl cumulus_pallet_parachain_system::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnSystemEvent = ();
	type SelfParaId = staging_parachain_info::Pallet<Runtime>;
	// PMR Chain exchanges no messages with the relay chain or other parachains: records never
	// leave the consortium's chain. Messages sent to it are dropped.
	type OutboundXcmpMessageSource = ();
	type DmpQueue = ();
	type ReservedDmpWeight = ReservedDmpWeight;
	type XcmpMessageHandler = ();
	type ReservedXcmpWeight = ReservedXcmpWeight;
	type CheckAssociatedRelayNumber = RelayNumberMonotonicallyIncreases;
	type WeightInfo = cumulus_pallet_parachain_system::weights::SubstrateWeight<Runtime>;
	type ConsensusHook = ConsensusHook;
	type RelayParentOffset = ConstU32<0>;
	type SchedulingSignatureVerifier = ();
}

impl staging_parachain_info::Config for Runtime {}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = MaxAuthorities;
	// Asynchronous backing may build more than one block in a slot of the relay chain.
	type AllowMultipleBlocksPerSlot = ConstBool<true>;
	type SlotDuration = ConstU64<SLOT_DURATION>;
}

impl cumulus_pallet_aura_ext::Config for Runtime {}

impl pallet_timestamp::Config for Runtime {
	/// A timestamp: milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	// Several blocks may share a slot (asynchronous backing).
	type MinimumPeriod = ConstU64<0>;
	type WeightInfo = pallet_timestamp::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// The collators' fee pot (collator-selection requires one; fees go nowhere else).
	pub const PotId: PalletId = PalletId(*b"PotStake");
	/// Sessions of an hour.
	pub const Period: BlockNumber = HOURS;
	/// Sessions start at block 0.
	pub const Offset: BlockNumber = 0;
}

impl pallet_collator_selection::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	/// The regulator adds and removes collators (invulnerables), as it admits validators to
	/// the standalone chain.
	type UpdateOrigin = RegulatorOrigin;
	type PotId = PotId;
	/// No open candidacy: only the regulator's invulnerables collate.
	type MaxCandidates = ConstU32<0>;
	type MinEligibleCollators = ConstU32<1>;
	type MaxInvulnerables = MaxAuthorities;
	type KickThreshold = Period;
	type ValidatorId = AccountId;
	type ValidatorIdOf = pallet_collator_selection::IdentityCollator;
	type ValidatorRegistration = Session;
	type WeightInfo = pallet_collator_selection::weights::SubstrateWeight<Runtime>;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// A collator is identified by its account (a hospital admin account, or a founding
	/// collator's).
	type ValidatorId = AccountId;
	type ValidatorIdOf = pallet_collator_selection::IdentityCollator;
	type ShouldEndSession = pallet_session::PeriodicSessions<Period, Offset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<Period, Offset>;
	type SessionManager = CollatorSelection;
	/// Aura only, in the order of [`SessionKeys`]' fields.
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	/// Setting keys holds nothing: only consortium accounts may transact at all.
	type KeyDeposit = ConstU128<0>;
}

/// Whether `who` is a collator's account (an invulnerable, or collating this session).
pub fn is_validator_account(who: &AccountId) -> bool {
	pallet_collator_selection::Invulnerables::<Runtime>::get().contains(who) ||
		pallet_session::Validators::<Runtime>::get().contains(who)
}

/// The para id this runtime was given at genesis.
pub fn para_id() -> cumulus_primitives_core::ParaId {
	ParachainInfo::parachain_id()
}
