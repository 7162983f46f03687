//! A mock runtime for the lab-reports tests: a stub registry, consent policy and records
//! index, and a settable clock.

use crate as pallet_lab_reports;
use crate::*;
use core::{cell::RefCell, time::Duration};
use frame_support::{
	derive_impl,
	traits::{ConstU32, ConstU64, UnixTime},
	weights::Weight,
};
use pmr_primitives::{
	AccessDenied, AccessGround, AccessPolicy, AccessTarget, DoctorId, HospitalId, HospitalStatus, LabId, PatientId, PmrItemId, Purpose, RecordsInspect,
	RegistryInspect,
};
use pmr_pallet_test_support::registry;
use sp_runtime::BuildStorage;
use std::collections::{BTreeMap, BTreeSet};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Labs: pallet_lab_reports,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// A desk of hospital 1 (the patients' hospital).
pub const DESK: u64 = 5;
/// A desk of hospital 2.
pub const OTHER_DESK: u64 = 6;
/// Doctor at hospital 1, where the patients are registered.
pub const HOME_DOCTOR: u64 = 10;
/// Doctor at hospital 2 (needs consent).
pub const DOCTOR: u64 = 11;
/// Lab 1, at hospital 2.
pub const LAB: u64 = 20;
/// Lab 2, at hospital 2.
pub const OTHER_LAB: u64 = 21;
/// A patient registered at hospital 1.
pub const PATIENT: u64 = 30;
/// Another patient registered at hospital 1.
pub const OTHER_PATIENT: u64 = 31;
/// A device's account.
pub const DEVICE: u64 = 50;
/// Another device's account.
pub const OTHER_DEVICE: u64 = 51;
/// An account that takes no part in anything.
pub const OUTSIDER: u64 = 99;

/// Hospital 1.
pub const H1: HospitalId = HospitalId(1);
/// Hospital 2.
pub const H2: HospitalId = HospitalId(2);
/// Patient-ID of [`PATIENT`].
pub const P: PatientId = PatientId(1);
/// Patient-ID of [`OTHER_PATIENT`].
pub const P2: PatientId = PatientId(2);
/// Lab-ID of [`LAB`].
pub const L1: LabId = LabId(1);
/// Lab-ID of [`OTHER_LAB`].
pub const L2: LabId = LabId(2);

thread_local! {
	static CONSENTS: RefCell<BTreeSet<(u64, PatientId)>> = RefCell::new(BTreeSet::new());
	static RECORDS: RefCell<BTreeMap<PmrItemId, PatientId>> = RefCell::new(BTreeMap::new());
	static NOW_MS: RefCell<u64> = RefCell::new(0);
	static WITHDRAWN: RefCell<BTreeSet<PatientId>> = RefCell::new(BTreeSet::new());
}

/// The stub consent pallet: the patient withdraws the registering hospital's standing access.
pub fn withdraw_standing_access(patient: PatientId) {
	WITHDRAWN.with(|w| w.borrow_mut().insert(patient));
}

/// Switches a doctor or lab account off.
pub fn deactivate(account: u64) {
	registry::deactivate(&account);
}

/// Switches a doctor or lab account back on.
pub fn reactivate(account: u64) {
	registry::reactivate(&account);
}

/// The stub consent pallet: `who` may treat `patient`.
pub fn consent(who: u64, patient: PatientId) {
	CONSENTS.with(|c| c.borrow_mut().insert((who, patient)));
}

/// The stub records pallet: a live record of `patient`.
pub fn add_record(item: PmrItemId, patient: PatientId) {
	RECORDS.with(|r| r.borrow_mut().insert(item, patient));
}

/// The stub records pallet: the record is erased (no longer live).
pub fn remove_record(item: PmrItemId) {
	RECORDS.with(|r| r.borrow_mut().remove(&item));
}

/// Sets the chain's clock (Unix milliseconds).
pub fn set_now(millis: u64) {
	NOW_MS.with(|n| *n.borrow_mut() = millis);
}

/// 26 January 2021, noon UTC.
pub const JAN_26_2021_NOON: u64 = 1_611_662_400_000;

/// The chain's clock.
pub struct MockTime;
impl UnixTime for MockTime {
	fn now() -> Duration {
		Duration::from_millis(NOW_MS.with(|n| *n.borrow()))
	}
}

/// The stub registry ([`registry_cast`]).
pub type StubRegistry = pmr_pallet_test_support::StubRegistry<u64>;

/// The stub registry's cast, as the constants say: hospitals 1 and 2 (verified) with their
/// desks; [`HOME_DOCTOR`] at hospital 1, [`DOCTOR`] and both labs at hospital 2; both patients
/// registered at hospital 1.
fn registry_cast() {
	registry::reset();
	for (hospital, desk) in [(H1, DESK), (H2, OTHER_DESK)] {
		registry::set_hospital(hospital, HospitalStatus::Verified);
		registry::add_desk(&desk, hospital);
	}
	registry::add_doctor(&HOME_DOCTOR, DoctorId(HOME_DOCTOR as u32), H1);
	registry::add_doctor(&DOCTOR, DoctorId(DOCTOR as u32), H2);
	registry::add_lab(&LAB, L1, H2);
	registry::add_lab(&OTHER_LAB, L2, H2);
	registry::add_patient(&PATIENT, P, H1, [7; 32]);
	registry::add_patient(&OTHER_PATIENT, P2, H1, [7; 32]);
}

/// The registry's accounts the benchmarks use.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pmr_primitives::RegistryBenchmarkHelper<u64> for MockBenchmarkHelper {
	fn doctor(_: u32) -> (u64, DoctorId) {
		(DOCTOR, DoctorId(DOCTOR as u32))
	}
	fn lab(_: u32) -> (u64, LabId) {
		(LAB, L1)
	}
	fn patient(_: u32) -> (u64, PatientId) {
		(PATIENT, P)
	}
	fn treating_doctor(_: u32) -> (u64, DoctorId, HospitalId, u64, PatientId) {
		(HOME_DOCTOR, DoctorId(HOME_DOCTOR as u32), H1, PATIENT, P)
	}
	fn hospital_admin(_: HospitalId) -> u64 {
		DESK
	}
}

/// The stub consent policy: the registering hospital's doctors treat; others need
/// [`consent`].
pub struct StubAccess;
impl AccessPolicy<u64> for StubAccess {
	fn can_access(
		who: &u64,
		patient: PatientId,
		_: AccessTarget,
		purpose: Purpose,
	) -> Result<AccessGround, AccessDenied> {
		let hospital =
			StubRegistry::registering_hospital(patient).ok_or(AccessDenied::UnknownPatient)?;
		if purpose != Purpose::Treatment {
			return Err(AccessDenied::PurposeMismatch);
		}
		if StubRegistry::active_doctor_of(who, hospital).is_some() {
			return Ok(AccessGround::RegisteringHospital(hospital));
		}
		CONSENTS
			.with(|c| c.borrow().contains(&(*who, patient)))
			.then_some(AccessGround::Grant(pmr_primitives::GrantId(0)))
			.ok_or(AccessDenied::NoConsent)
	}
	fn can_access_weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}
	fn standing_access_allowed(patient: PatientId) -> bool {
		!WITHDRAWN.with(|w| w.borrow().contains(&patient))
	}
}

/// The stub records index.
pub struct StubRecords;
impl RecordsInspect for StubRecords {
	fn live_record(item: PmrItemId) -> Option<(PatientId, pmr_primitives::RecordCategory)> {
		RECORDS.with(|r| r.borrow().get(&item).copied())
			.map(|p| (p, pmr_primitives::RecordCategory::LabDiagnostics))
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_record(patient: PatientId, _: pmr_primitives::RecordCategory) -> PmrItemId {
		RECORDS.with(|r| {
			let mut r = r.borrow_mut();
			let item = r.last_key_value().map_or(9_000_000, |(last, _)| last + 1);
			r.insert(item, patient);
			item
		})
	}
}

impl Config for Test {
	type Registry = StubRegistry;
	type Access = StubAccess;
	type Records = StubRecords;
	type Content = pmr_pallet_test_support::StubContent;
	type UnixTime = MockTime;
	type ErasureOrigin = frame_system::EnsureRoot<u64>;
	type Audit = pmr_pallet_test_support::StubAudit;
	type MaxOrdersPerRecord = ConstU32<3>;
	type MaxDevicesPerPatient = ConstU32<2>;
	type MaxClockSkew = ConstU64<60_000>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Externalities at block 1, clock unset.
pub fn new_test_ext() -> sp_io::TestExternalities {
	registry_cast();
	CONSENTS.with(|c| c.borrow_mut().clear());
	WITHDRAWN.with(|w| w.borrow_mut().clear());
	RECORDS.with(|r| r.borrow_mut().clear());
	set_now(0);
	let t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` on 26 Jan 2021 and then checks the pallet's invariants.
pub fn test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		set_now(JAN_26_2021_NOON);
		test();
		Labs::do_try_state().expect("lab-reports invariants hold");
	});
}
