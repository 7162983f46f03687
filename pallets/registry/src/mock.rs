//! A mock runtime for the registry's tests.

use crate as pallet_registry;
use crate::*;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, Contains, EitherOfDiverse, SortedMembers},
};
use frame_system::{EnsureRoot, EnsureSignedBy};
use pmr_primitives::{Accessor, AccountRecoveryHooks, PatientId, RecoveryStep};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Registry: pallet_registry,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

/// The regulator.
pub const REGULATOR: u64 = 1;
/// A chain operator (validator / governance).
pub const OPERATOR: u64 = 2;
/// An account that takes no part in anything.
pub const OUTSIDER: u64 = 99;

/// A hospital's custodian-node account (added as a `KeyCustodian` member by a test).
pub const CUSTODIAN_NODE: u64 = 97;
/// The application deposit.
pub const DEPOSIT: u64 = 100;
/// What every test account starts with.
pub const ENDOWMENT: u64 = 1_000;

/// The regulator body of the mock.
pub struct Regulators;
impl SortedMembers<u64> for Regulators {
	fn sorted_members() -> Vec<u64> {
		vec![REGULATOR]
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn add(_: &u64) {}
}
impl Contains<u64> for Regulators {
	fn contains(who: &u64) -> bool {
		*who == REGULATOR
	}
}

/// Chain operators of the mock.
pub struct Operators;
impl Contains<u64> for Operators {
	fn contains(who: &u64) -> bool {
		*who == OPERATOR
	}
}

/// An account another pallet admits (a guardian, in the runtime).
pub const GUARDIAN: u64 = 98;

/// The accounts other pallets admit in the mock (for any call).
pub struct Guardians;
impl frame_support::traits::ContainsPair<u64, RuntimeCall> for Guardians {
	fn contains(who: &u64, _: &RuntimeCall) -> bool {
		*who == GUARDIAN
	}
}

/// How long a recovery waits before the council may confirm it, in the mock.
pub const RECOVERY_DELAY: u64 = 10;

/// What the registry told the recovery hooks, in the order it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Told {
	/// A step of a patient's recovery, with its actor, for the patient's trail.
	Logged(PatientId, Option<u64>, RecoveryStep<u64>),
	/// A doctor's or lab's account was recovered.
	StaffRecovered(Accessor),
}

std::thread_local! {
	static TOLD: core::cell::RefCell<Vec<Told>> = const { core::cell::RefCell::new(Vec::new()) };
}

/// Everything the recovery hooks were told so far in this test.
pub fn told() -> Vec<Told> {
	TOLD.with(|t| t.borrow().clone())
}

/// Recovery hooks that remember what they were told; [`GUARDIAN`] is every patient's guardian.
pub struct RecoveryHooks;
impl AccountRecoveryHooks<u64> for RecoveryHooks {
	fn log_recovery(patient: PatientId, actor: Option<&u64>, step: RecoveryStep<u64>) {
		TOLD.with(|t| t.borrow_mut().push(Told::Logged(patient, actor.copied(), step)));
	}
	fn is_guardian(who: &u64, _: PatientId) -> bool {
		*who == GUARDIAN
	}
	fn staff_recovered(accessor: Accessor) {
		TOLD.with(|t| t.borrow_mut().push(Told::StaffRecovered(accessor)));
	}
}

/// Newcomers may only apply for registration.
pub struct NewcomerCalls;
impl Contains<RuntimeCall> for NewcomerCalls {
	fn contains(call: &RuntimeCall) -> bool {
		matches!(call, RuntimeCall::Registry(crate::Call::apply_for_registration { .. }))
	}
}

/// The calls each role may submit: the registry's for every role but a key custodian (which
/// has none here), `System` calls for hospital admins and active doctors only (so the tests
/// can tell an active doctor from an inactive one).
pub struct RoleCalls;
impl frame_support::traits::ContainsPair<ParticipantRole, RuntimeCall> for RoleCalls {
	fn contains(role: &ParticipantRole, call: &RuntimeCall) -> bool {
		match call {
			RuntimeCall::Registry(_) => *role != ParticipantRole::KeyCustodian,
			RuntimeCall::System(_) =>
				matches!(role, ParticipantRole::HospitalAdmin | ParticipantRole::Doctor),
			_ => false,
		}
	}
}

parameter_types! {
	pub static LicenceRequired: bool = true;
}

impl Config for Test {
	type RegulatorOrigin = EitherOfDiverse<EnsureRoot<u64>, EnsureSignedBy<Regulators, u64>>;
	type Regulators = Regulators;
	type OnPatientAccountChanged = ();
	// The regulator council as a body: root in the mock (one regulator alone is not enough).
	type RecoveryOrigin = EnsureRoot<u64>;
	type RecoveryHooks = RecoveryHooks;
	type RecoveryDelay = ConstU64<RECOVERY_DELAY>;
	type Operators = Operators;
	type OtherParticipants = Guardians;
	type NewcomerCalls = NewcomerCalls;
	type RoleCalls = RoleCalls;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ApplicationDeposit = ConstU64<DEPOSIT>;
	type LicenceConfirmationRequired = LicenceRequired;
	type MaxTextLen = ConstU32<32>;
	type MaxSpecializations = ConstU32<3>;
	type MaxMembersPerHospital = ConstU32<4>;
	type MaxStaffPerHospital = ConstU32<4>;
	type MaxHospitalsPerDoctor = ConstU32<2>;
	type MaxCustodians = ConstU32<16>;
	type WeightInfo = ();
}

/// Externalities with endowed accounts 1..=100, at block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=100).map(|a| (a, ENDOWMENT)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` and then checks the registry's invariants.
pub fn test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Registry::do_try_state().expect("registry invariants hold");
	});
}
