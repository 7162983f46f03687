//! Consent: patient-controlled, time-limited access grants.
//!
//! Durations are in blocks of [`crate::MILLI_SECS_PER_BLOCK`]; see `docs/architecture.md` for
//! why each bound has the value it has.

use crate::{BlockNumber, MedicalRecords, Registry, Runtime, DAYS, HOURS};
use frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
	/// A consent lasts at most 90 days; a longer relationship renews it.
	pub const MaxGrantDuration: BlockNumber = 90 * DAYS;
	/// A request waits a week for the patient's answer.
	pub const RequestTimeout: BlockNumber = 7 * DAYS;
	/// A break-glass window lasts 4 hours.
	pub const BreakGlassDuration: BlockNumber = 4 * HOURS;
	/// One break-glass per doctor and patient per day, and at most
	/// `MaxBreakGlassPerWindow` per doctor per day.
	pub const BreakGlassWindow: BlockNumber = DAYS;
	/// A repeated refusal is logged at most once an hour per accessor and patient.
	pub const RefusalLogInterval: BlockNumber = HOURS;
}

impl pallet_consent::Config for Runtime {
	type Registry = Registry;
	type Records = MedicalRecords;
	type RegulatorOrigin = super::registry::RegulatorOrigin;
	type GuardianOrigin = super::registry::CouncilOrigin;
	type MaxGrantDuration = MaxGrantDuration;
	type RequestTimeout = RequestTimeout;
	type BreakGlassDuration = BreakGlassDuration;
	type BreakGlassWindow = BreakGlassWindow;
	type MaxBreakGlassPerWindow = ConstU32<5>;
	type MaxScopeItems = ConstU32<32>;
	type MaxGrantsPerPair = ConstU32<8>;
	type MaxPendingRequests = ConstU32<32>;
	type MaxGuardians = ConstU32<4>;
	type MaxAuditEntries = ConstU32<1024>;
	type RefusalLogInterval = RefusalLogInterval;
	type AuditDay = ConstU32<DAYS>;
	type MaxSweepPerBlock = ConstU32<32>;
	type MaxKeysPerApproval = ConstU32<64>;
	type WeightInfo = pallet_consent::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Registry;
}
