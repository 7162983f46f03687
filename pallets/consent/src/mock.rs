//! A mock runtime for the consent pallet's tests, with a stub registry.
//!
//! The stub knows two hospitals, three doctors, a lab and two patients (see the constants);
//! tests can switch a doctor or lab off to model suspension or offboarding.

use crate as pallet_consent;
use crate::*;
use core::cell::RefCell;
use frame_support::{
	derive_impl, ord_parameter_types, parameter_types,
	traits::{ConstU32, ConstU64, EitherOfDiverse, Hooks},
	weights::Weight,
};
use frame_system::{EnsureRoot, EnsureSignedBy};
use pmr_primitives::{
	DoctorId, HospitalId, HospitalStatus, LabId, PatientId, PmrItemId, RecordCategory,
};
use pmr_pallet_test_support::registry;
use sp_runtime::BuildStorage;
use std::collections::BTreeSet;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Consent: pallet_consent,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The regulator.
pub const REGULATOR: u64 = 1;
/// Doctor at hospital 1, where the patients are registered.
pub const HOME_DOCTOR: u64 = 10;
/// Doctor at hospital 2 (needs consent).
pub const DOCTOR: u64 = 11;
/// Another doctor at hospital 2.
pub const OTHER_DOCTOR: u64 = 12;
/// Lab at hospital 2.
pub const LAB: u64 = 20;
/// Another lab at hospital 2.
pub const OTHER_LAB: u64 = 21;
/// A patient registered at hospital 1.
pub const PATIENT: u64 = 30;
/// Another patient registered at hospital 1.
pub const OTHER_PATIENT: u64 = 31;
/// An account with no role, to be appointed guardian.
pub const GUARDIAN: u64 = 40;
/// An account that takes no part in anything.
pub const OUTSIDER: u64 = 99;

/// Hospital 1 (registers the patients).
pub const H1: HospitalId = HospitalId(1);
/// Hospital 2.
pub const H2: HospitalId = HospitalId(2);
/// Patient-ID of [`PATIENT`].
pub const P: PatientId = PatientId(1);
/// Patient-ID of [`OTHER_PATIENT`].
pub const P2: PatientId = PatientId(2);

/// The Doctor-ID of a doctor account of the stub.
pub fn doctor_id(account: u64) -> DoctorId {
	DoctorId(account as u32)
}

/// The Lab-ID of [`LAB`].
pub const LAB_ID: LabId = LabId(1);
/// The Lab-ID of [`OTHER_LAB`].
pub const OTHER_LAB_ID: LabId = LabId(2);

thread_local! {
	static ERASED: RefCell<BTreeSet<PmrItemId>> = RefCell::new(BTreeSet::new());
	static BENCHMARK_RECORDS: RefCell<Vec<(PatientId, RecordCategory)>> = const { RefCell::new(Vec::new()) };
}

/// Records made by `RecordsInspect::benchmark_record` start here.
const BENCHMARK_RECORD_BASE: PmrItemId = 5_000_000;

/// Records 1 000 000 ..= 1 999 999 are [`P2`]'s, every other record is [`P`]'s. A record's
/// category is given by its last digit: 0 present illness, 1 past illness, 2 provisional
/// diagnosis, 3 treatment summary, 4 lab diagnostics, 5 IoMT data, 6 insurance, 7-9
/// prescription.
pub const P2_RECORDS: core::ops::RangeInclusive<PmrItemId> = 1_000_000..=1_999_999;

/// Marks a record erased in the stub records pallet.
pub fn erase(item: PmrItemId) {
	ERASED.with(|e| e.borrow_mut().insert(item));
}

/// The stub records pallet: see [`P2_RECORDS`] and [`erase`].
pub struct StubRecords;
impl pmr_primitives::RecordsInspect for StubRecords {
	fn live_record(item: PmrItemId) -> Option<(PatientId, RecordCategory)> {
		use RecordCategory::*;
		if ERASED.with(|e| e.borrow().contains(&item)) {
			return None;
		}
		if let Some(record) = item
			.checked_sub(BENCHMARK_RECORD_BASE)
			.and_then(|i| BENCHMARK_RECORDS.with(|r| r.borrow().get(i as usize).copied()))
		{
			return Some(record);
		}
		let patient = if P2_RECORDS.contains(&item) { P2 } else { P };
		let category = match item % 10 {
			0 => PresentIllness,
			1 => PastIllness,
			2 => ProvisionalDiagnosis,
			3 => TreatmentSummary,
			4 => LabDiagnostics,
			5 => IomtData,
			6 => Insurance,
			_ => Prescription,
		};
		Some((patient, category))
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_record(patient: PatientId, category: RecordCategory) -> PmrItemId {
		BENCHMARK_RECORDS.with(|r| {
			let mut r = r.borrow_mut();
			r.push((patient, category));
			BENCHMARK_RECORD_BASE + r.len() as PmrItemId - 1
		})
	}
}

/// Switches a doctor or lab account off (suspended hospital, revoked licence, offboarded).
pub fn deactivate(account: u64) {
	registry::deactivate(&account);
}

/// The stub registry ([`registry_cast`]).
pub type StubRegistry = pmr_pallet_test_support::StubRegistry<u64>;

/// The stub registry's cast, as the constants say: hospitals 1 and 2 (verified);
/// [`HOME_DOCTOR`] at hospital 1, [`DOCTOR`], [`OTHER_DOCTOR`] and both labs at hospital 2;
/// both patients registered at hospital 1.
fn registry_cast() {
	registry::reset();
	registry::set_hospital(H1, HospitalStatus::Verified);
	registry::set_hospital(H2, HospitalStatus::Verified);
	for (doctor, hospital) in [(HOME_DOCTOR, H1), (DOCTOR, H2), (OTHER_DOCTOR, H2)] {
		registry::add_doctor(&doctor, doctor_id(doctor), hospital);
	}
	registry::add_lab(&LAB, LAB_ID, H2);
	registry::add_lab(&OTHER_LAB, OTHER_LAB_ID, H2);
	registry::add_patient(&PATIENT, P, H1, [7; 32]);
	registry::add_patient(&OTHER_PATIENT, P2, H1, [7; 32]);
}

/// The registry's accounts the benchmarks use.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pmr_primitives::RegistryBenchmarkHelper<u64> for MockBenchmarkHelper {
	fn doctor(seed: u32) -> (u64, DoctorId) {
		let who = if seed % 2 == 0 { DOCTOR } else { OTHER_DOCTOR };
		(who, doctor_id(who))
	}
	fn lab(seed: u32) -> (u64, LabId) {
		if seed % 2 == 0 {
			(LAB, LAB_ID)
		} else {
			(OTHER_LAB, OTHER_LAB_ID)
		}
	}
	fn patient(seed: u32) -> (u64, PatientId) {
		if seed % 2 == 0 {
			(PATIENT, P)
		} else {
			(OTHER_PATIENT, P2)
		}
	}
	fn treating_doctor(_: u32) -> (u64, DoctorId, HospitalId, u64, PatientId) {
		(HOME_DOCTOR, doctor_id(HOME_DOCTOR), H1, PATIENT, P)
	}
	fn hospital_admin(_: HospitalId) -> u64 {
		REGULATOR
	}
}

ord_parameter_types! {
	pub const Regulator: u64 = REGULATOR;
}

parameter_types! {
	/// Blocks a grant may last at most.
	pub const MaxGrantDuration: u64 = 100;
}

/// Blocks a request waits for an answer.
pub const REQUEST_TIMEOUT: u64 = 10;
/// Blocks a break-glass window lasts.
pub const BREAK_GLASS: u64 = 5;
/// Break-glass rate-limit window.
pub const BREAK_GLASS_WINDOW: u64 = 20;
/// Audit ring size.
pub const AUDIT_RING: u32 = 4;
/// Refusal log interval.
pub const REFUSAL_INTERVAL: u64 = 10;

/// An audit day: 20 blocks.
pub const AUDIT_DAY: u64 = 20;

impl Config for Test {
	type Registry = StubRegistry;
	type Records = StubRecords;
	type RegulatorOrigin = EitherOfDiverse<EnsureRoot<u64>, EnsureSignedBy<Regulator, u64>>;
	// Root stands in for the regulator council's majority; one regulator alone is not enough.
	type GuardianOrigin = EnsureRoot<u64>;
	type MaxGrantDuration = MaxGrantDuration;
	type RequestTimeout = ConstU64<REQUEST_TIMEOUT>;
	type BreakGlassDuration = ConstU64<BREAK_GLASS>;
	type BreakGlassWindow = ConstU64<BREAK_GLASS_WINDOW>;
	type MaxBreakGlassPerWindow = ConstU32<2>;
	type MaxScopeItems = ConstU32<4>;
	type MaxGrantsPerPair = ConstU32<3>;
	type MaxPendingRequests = ConstU32<2>;
	type MaxGuardians = ConstU32<2>;
	type MaxAuditEntries = ConstU32<AUDIT_RING>;
	type RefusalLogInterval = ConstU64<REFUSAL_INTERVAL>;
	type AuditDay = ConstU64<AUDIT_DAY>;
	type MaxSweepPerBlock = ConstU32<2>;
	type MaxKeysPerApproval = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Externalities at block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	registry_cast();
	let t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` and then checks the pallet's invariants.
pub fn test(test: impl FnOnce()) {
	ERASED.with(|e| e.borrow_mut().clear());
	BENCHMARK_RECORDS.with(|r| r.borrow_mut().clear());
	new_test_ext().execute_with(|| {
		test();
		Consent::do_try_state().expect("consent invariants hold");
	});
}

/// Moves to block `n` (without running the sweep).
pub fn go_to(n: u64) {
	System::set_block_number(n);
}

/// Runs the `on_idle` sweep of the current block with plenty of weight.
pub fn sweep() -> Weight {
	Consent::on_idle(System::block_number(), Weight::MAX)
}
