//! A mock runtime for the validator-set pallet's tests, with a stub registry (hospital
//! statuses and admin accounts) and a stub for the session keys.

use crate as pallet_validator_set;
use crate::*;
use core::cell::RefCell;
use frame_support::{
	derive_impl,
	traits::{ConstU32, ConstU64, Contains},
};
use frame_system::EnsureRoot;
use pmr_pallet_test_support::registry;
use pmr_primitives::{HospitalId, HospitalStatus};
use sp_runtime::BuildStorage;
use std::collections::BTreeSet;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		ValidatorSet: pallet_validator_set,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// Founding validators in the genesis config.
pub const FOUNDING: [u64; 3] = [1, 2, 3];
/// The admin account of hospital [`H1`].
pub const ADMIN_1: u64 = 11;
/// The admin account of hospital [`H2`].
pub const ADMIN_2: u64 = 12;
/// A second admin account of hospital [`H1`].
pub const ADMIN_1B: u64 = 13;
/// An account with no role.
pub const OUTSIDER: u64 = 99;
/// A verified hospital.
pub const H1: HospitalId = HospitalId(1);
/// Another verified hospital.
pub const H2: HospitalId = HospitalId(2);
/// Sessions are this many blocks long in the mock.
pub const SESSION: u64 = 5;

thread_local! {
	static KEYS: RefCell<BTreeSet<u64>> = RefCell::new(BTreeSet::new());
}

/// Sets a hospital's status in the stub registry.
pub fn set_status(hospital: HospitalId, status: HospitalStatus) {
	registry::set_hospital(hospital, status);
}

/// Makes `who` an admin of `hospital` in the stub registry.
pub fn make_admin(who: u64, hospital: HospitalId) {
	registry::add_admin(&who, hospital);
}

/// Registers (or, with `false`, purges) `who`'s session keys.
pub fn set_keys(who: u64, present: bool) {
	KEYS.with(|k| {
		if present {
			k.borrow_mut().insert(who);
		} else {
			k.borrow_mut().remove(&who);
		}
	});
}

/// The stub registry: hospital statuses and admins only ([`set_status`], [`make_admin`]).
pub type StubRegistry = pmr_pallet_test_support::StubRegistry<u64>;

/// The accounts with session keys.
pub struct StubSessionKeys;
impl Contains<u64> for StubSessionKeys {
	fn contains(who: &u64) -> bool {
		KEYS.with(|k| k.borrow().contains(who))
	}
}

impl pallet_validator_set::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RegulatorOrigin = EnsureRoot<u64>;
	type Registry = StubRegistry;
	type HasSessionKeys = StubSessionKeys;
	type MaxValidators = ConstU32<5>;
	type DefaultSlotDuration = ConstU64<6000>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Sets up a verified hospital with an admin that has session keys.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper<u64> for MockBenchmarkHelper {
	fn eligible_validator(seed: u32) -> (HospitalId, u64) {
		let hospital = HospitalId(1_000 + seed);
		let who = 1_000 + u64::from(seed);
		set_status(hospital, HospitalStatus::Verified);
		make_admin(who, hospital);
		set_keys(who, true);
		(hospital, who)
	}
}

/// Three founding validators, a minimum of 3, [`SESSION`]-block sessions; hospitals [`H1`]
/// (admins [`ADMIN_1`], [`ADMIN_1B`]) and [`H2`] (admin [`ADMIN_2`]) verified; every admin and
/// founding validator has session keys.
pub fn new_test_ext() -> sp_io::TestExternalities {
	registry::reset();
	KEYS.with(|k| k.borrow_mut().clear());
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		validator_set: pallet_validator_set::GenesisConfig {
			founding_validators: FOUNDING.to_vec(),
			min_validators: 3,
			session_length: SESSION,
			slot_duration: 6000,
		},
	}
	.build_storage()
	.expect("genesis builds");
	set_status(H1, HospitalStatus::Verified);
	set_status(H2, HospitalStatus::Verified);
	make_admin(ADMIN_1, H1);
	make_admin(ADMIN_1B, H1);
	make_admin(ADMIN_2, H2);
	for who in FOUNDING.into_iter().chain([ADMIN_1, ADMIN_1B, ADMIN_2]) {
		set_keys(who, true);
	}
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` in [`new_test_ext`] and checks the invariants after it.
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		ValidatorSet::do_try_state().expect("invariants hold");
	});
}

/// The events this pallet emitted, oldest first.
pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::ValidatorSet(e) => Some(e),
			_ => None,
		})
		.collect()
}
