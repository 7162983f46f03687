//! `CheckPermissioned`: who may submit signed transactions at all.

use super::*;
use crate::extension::NOT_A_PARTICIPANT;
use frame_support::{assert_ok, dispatch::DispatchInfo};
use sp_runtime::{
	traits::{DispatchTransaction, TransactionExtension, TxBaseImplication},
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
};

fn remark() -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: vec![] })
}

/// A registry call (the calls check the caller's role themselves).
fn registry_call() -> RuntimeCall {
	RuntimeCall::Registry(crate::Call::set_encryption_key { key: [2; 32] })
}

fn apply() -> RuntimeCall {
	RuntimeCall::Registry(crate::Call::apply_for_registration { details: hospital_details("GOV-N") })
}

fn validate(who: u64, call: &RuntimeCall) -> Result<(), TransactionValidityError> {
	CheckPermissioned::<Test>::new()
		.validate_only(
			RuntimeOrigin::signed(who),
			call,
			&DispatchInfo::default(),
			0,
			TransactionSource::External,
			0,
		)
		.map(|_| ())
}

const DENIED: TransactionValidityError =
	TransactionValidityError::Invalid(InvalidTransaction::Custom(NOT_A_PARTICIPANT));

#[test]
fn outsiders_are_rejected_except_for_applying() {
	test(|| {
		World::new();
		assert_eq!(validate(OUTSIDER, &remark()), Err(DENIED));
		assert_ok!(validate(OUTSIDER, &apply()));
	});
}

#[test]
fn every_participant_operator_and_regulator_may_transact() {
	test(|| {
		World::new();
		for (who, role) in World::all_but(&[OUTSIDER]) {
			assert_eq!(validate(who, &registry_call()), Ok(()), "{role} may transact");
		}
		// An account another pallet admits (a guardian) may transact too.
		assert_eq!(validate(GUARDIAN, &remark()), Ok(()));
	});
}

#[test]
fn revoked_hospitals_members_and_offboarded_labs_are_rejected() {
	test(|| {
		let w = World::new();
		assert_ok!(validate(LAB, &registry_call()));
		assert_ok!(Registry::offboard_lab(RuntimeOrigin::signed(ADMIN), w.hospital, w.lab));
		assert_eq!(validate(LAB, &registry_call()), Err(DENIED));
		assert_ok!(Registry::revoke_hospital(RuntimeOrigin::signed(REGULATOR), w.other_hospital));
		assert_eq!(validate(OTHER_ADMIN, &registry_call()), Err(DENIED));
		assert_eq!(validate(OTHER_DESK, &registry_call()), Err(DENIED));
		// a suspended hospital's admin may still transact (e.g. to fix its details)
		assert_ok!(Registry::suspend_hospital(RuntimeOrigin::signed(REGULATOR), w.hospital));
		assert_ok!(validate(ADMIN, &registry_call()));
	});
}

#[test]
fn admins_propose_custodian_keys_and_doctors_and_labs_register_keys() {
	test(|| {
		let w = World::new();
		let propose = RuntimeCall::Registry(crate::Call::propose_custodian_key {
			hospital: w.hospital,
			key: [1; 32],
		});
		let staff_key = RuntimeCall::Registry(crate::Call::set_encryption_key { key: [2; 32] });
		assert_ok!(validate(ADMIN, &propose));
		assert_ok!(validate(DOCTOR, &staff_key));
		assert_ok!(validate(LAB, &staff_key));
		// Outsiders still may not; only applying is open to them.
		assert_eq!(validate(OUTSIDER, &propose), Err(DENIED));
		assert_eq!(validate(OUTSIDER, &staff_key), Err(DENIED));
	});
}

#[test]
fn participants_reach_only_the_calls_of_their_role() {
	test(|| {
		World::new();
		// The mock gives `System` calls to hospital admins and active doctors only: patients,
		// labs and desks cannot write a remark to the ledger.
		for who in [PATIENT, LAB, DESK] {
			assert_eq!(validate(who, &remark()), Err(DENIED), "{who}");
			assert_ok!(validate(who, &registry_call()));
		}
		assert_ok!(validate(ADMIN, &remark()));
		assert_ok!(validate(DOCTOR, &remark()));
		// A key-custodian account has no registry call at all.
		assert_ok!(Registry::add_member(
			RuntimeOrigin::signed(ADMIN),
			HospitalId(0),
			CUSTODIAN_NODE,
			HospitalRole::KeyCustodian
		));
		assert_eq!(validate(CUSTODIAN_NODE, &registry_call()), Err(DENIED));
	});
}

#[test]
fn a_doctor_who_is_not_active_acts_in_that_role_only() {
	test(|| {
		let w = World::new();
		// Active: the mock's `Doctor` role reaches `System`.
		assert_ok!(validate(DOCTOR, &remark()));
		assert_ok!(Registry::revoke_doctor_licence(RuntimeOrigin::signed(REGULATOR), w.doctor));
		// Still in the registry, now as an inactive doctor: the registry's calls only.
		assert_ok!(validate(DOCTOR, &registry_call()));
		assert_eq!(validate(DOCTOR, &remark()), Err(DENIED));
	});
}

#[test]
fn unsigned_transactions_are_not_affected() {
	test(|| {
		let result = TransactionExtension::<RuntimeCall>::validate(
			&CheckPermissioned::<Test>::new(),
			RuntimeOrigin::none(),
			&remark(),
			&DispatchInfo::default(),
			0,
			(),
			&TxBaseImplication(()),
			TransactionSource::External,
		);
		assert!(result.is_ok(), "the extension leaves unsigned transactions to other checks");
	});
}
