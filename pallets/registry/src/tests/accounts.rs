//! `rotate_account` (recovery of a lost account: `recovery.rs`).

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::RegistryInspect;

const NEW: u64 = 70;
const OTHER_NEW: u64 = 71;

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

#[test]
fn a_doctor_rotates_their_key_and_keeps_their_identity_and_encryption_key() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::set_encryption_key(signed(DOCTOR), [5; 32]));
		assert_ok!(Registry::rotate_account(signed(DOCTOR), NEW));
		let roles = AccountRoles { doctor: Some(w.doctor), ..Default::default() };
		assert_eq!(
			last_event(),
			Event::AccountRotated { old: DOCTOR, new: NEW, roles, recovered_by: None }
		);
		assert_eq!(DoctorByAccount::<Test>::get(NEW), Some(w.doctor));
		assert_eq!(Doctors::<Test>::get(w.doctor).expect("kept").account, NEW);
		assert!(Registry::roles_of(&DOCTOR).is_empty());
		assert_eq!(Registry::active_doctor_of(&NEW, w.hospital), Some(w.doctor));
		assert_eq!(Registry::active_doctor_of(&DOCTOR, w.hospital), None);
		assert_eq!(StaffEncryptionKeys::<Test>::get(NEW), Some([5; 32]));
		assert!(!StaffEncryptionKeys::<Test>::contains_key(DOCTOR));
	});
}

#[test]
fn labs_patients_and_hospital_members_rotate_too() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::rotate_account(signed(LAB), NEW));
		assert_eq!(LabByAccount::<Test>::get(NEW), Some(w.lab));
		assert_ok!(Registry::rotate_account(signed(PATIENT), OTHER_NEW));
		assert_eq!(Registry::patient_account(w.patient), Some(OTHER_NEW));
		assert_eq!(PatientByAccount::<Test>::get(OTHER_NEW), Some(w.patient));
		assert!(!PatientByAccount::<Test>::contains_key(PATIENT));
		assert_ok!(Registry::rotate_account(signed(ADMIN), 72));
		assert_eq!(HospitalMembers::<Test>::get(w.hospital, 72), Some(HospitalRole::Admin));
		assert_eq!(MemberOf::<Test>::get(72), Some(w.hospital));
		assert!(!HospitalMembers::<Test>::contains_key(w.hospital, ADMIN));
		// The new admin key administers the hospital; the old one no longer does.
		assert_ok!(Registry::add_member(signed(72), w.hospital, 73, HospitalRole::Desk));
		assert_noop!(
			Registry::add_member(signed(ADMIN), w.hospital, 74, HospitalRole::Desk),
			Error::<Test>::NotHospitalAdmin
		);
	});
}

#[test]
fn every_role_of_an_account_moves_together() {
	test(|| {
		let w = World::new();
		// The doctor is also a patient of the hospital and one of its desks.
		assert_ok!(Registry::register_patient(signed(DESK), w.hospital, DOCTOR, COMMITMENT, PATIENT_KEY));
		assert_ok!(Registry::add_member(signed(ADMIN), w.hospital, DOCTOR, HospitalRole::Desk));
		let before = Registry::roles_of(&DOCTOR);
		assert!(before.doctor.is_some() && before.patient.is_some() && before.member_of.is_some());
		assert_ok!(Registry::rotate_account(signed(DOCTOR), NEW));
		assert_eq!(Registry::roles_of(&NEW), before);
		assert!(Registry::roles_of(&DOCTOR).is_empty());
	});
}

#[test]
fn rotation_needs_a_role_and_a_fresh_account() {
	test(|| {
		World::new();
		assert_noop!(Registry::rotate_account(signed(OUTSIDER), NEW), Error::<Test>::NoRoleToMove);
		assert_noop!(Registry::rotate_account(signed(DOCTOR), DOCTOR), Error::<Test>::SameAccount);
		for taken in [LAB, PATIENT, DESK, OTHER_ADMIN] {
			assert_noop!(
				Registry::rotate_account(signed(DOCTOR), taken),
				Error::<Test>::AccountHasAnotherRole
			);
		}
	});
}

#[test]
fn a_pending_applicants_deposit_moves_with_their_key_and_is_released_to_the_new_one() {
	test(|| {
		use frame_support::traits::fungible::{Inspect, InspectHold};
		assert_ok!(Registry::apply_for_registration(signed(50), hospital_details("GOV-50")));
		let h = HospitalId(0);
		let (old_free, new_free) = (Balances::balance(&50), Balances::balance(&51));
		assert_ok!(Registry::rotate_account(signed(50), 51));
		assert_eq!(Balances::total_balance_on_hold(&50), 0, "nothing stays on the old key");
		assert_eq!(Balances::total_balance_on_hold(&51), DEPOSIT);
		assert_eq!(Balances::balance(&50), old_free, "the old key's free balance is untouched");
		assert_eq!(Hospitals::<Test>::get(h).expect("kept").applicant, 51);

		assert_ok!(Registry::verify_hospital(RuntimeOrigin::signed(REGULATOR), h));
		assert_eq!(Balances::total_balance_on_hold(&51), 0);
		assert_eq!(Balances::balance(&51), new_free + DEPOSIT, "released to the new key");
	});
}

#[test]
fn a_rejected_application_burns_the_deposit_from_the_rotated_key() {
	test(|| {
		use frame_support::traits::fungible::{Inspect, InspectHold};
		assert_ok!(Registry::apply_for_registration(signed(50), hospital_details("GOV-50")));
		assert_ok!(Registry::rotate_account(signed(50), 51));
		let (old, new) = (Balances::total_balance(&50), Balances::total_balance(&51));
		assert_ok!(Registry::revoke_hospital(RuntimeOrigin::root(), HospitalId(0)));
		assert_eq!(Balances::total_balance_on_hold(&51), 0);
		assert_eq!(Balances::total_balance(&51), new - DEPOSIT, "burnt from the new key");
		assert_eq!(Balances::total_balance(&50), old, "the old key loses nothing more");
	});
}

#[test]
fn an_applicant_cannot_rotate_to_an_account_that_cannot_hold_the_deposit() {
	test(|| {
		use frame_support::traits::fungible::InspectHold;
		assert_ok!(Registry::apply_for_registration(signed(50), hospital_details("GOV-50")));
		// Account 500 was never funded: it does not exist and cannot hold anything.
		assert_noop!(
			Registry::rotate_account(signed(50), 500),
			Error::<Test>::NewAccountCannotHoldDeposit
		);
		assert_eq!(Balances::total_balance_on_hold(&50), DEPOSIT);
		assert_eq!(MemberOf::<Test>::get(50), Some(HospitalId(0)), "nothing moved");
	});
}

#[test]
fn a_second_admin_of_a_pending_hospital_rotates_without_touching_the_deposit() {
	test(|| {
		use frame_support::traits::fungible::InspectHold;
		assert_ok!(Registry::apply_for_registration(signed(50), hospital_details("GOV-50")));
		assert_ok!(Registry::add_member(signed(50), HospitalId(0), 52, HospitalRole::Admin));
		assert_ok!(Registry::rotate_account(signed(52), 500));
		assert_eq!(Balances::total_balance_on_hold(&50), DEPOSIT);
		assert_eq!(Hospitals::<Test>::get(HospitalId(0)).expect("kept").applicant, 50);
	});
}
