//! `propose_recovery`, `object_recovery`, `approve_recovery`, `cancel_recovery`: a lost
//! account is moved by its hospital's proposal, announced, open to objection for
//! `RecoveryDelay` blocks, and confirmed by the regulator council (root in the mock).

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::{Accessor, RecoveryStep, RegistryInspect};
use sp_runtime::DispatchError;

const NEW: u64 = 70;
const OTHER_NEW: u64 = 71;

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// The regulator council as a body.
fn council() -> RuntimeOrigin {
	RuntimeOrigin::root()
}

/// Moves to the first block the pending recovery of `lost` may be confirmed in.
fn wait_out_delay(lost: u64) {
	let at = PendingRecoveries::<Test>::get(lost).expect("pending").executable_at;
	System::set_block_number(at);
}

/// Waits out the delay of `lost`'s pending recovery, and the council confirms it.
fn confirm_after_delay(lost: u64) {
	wait_out_delay(lost);
	assert_ok!(Registry::approve_recovery(council(), lost));
}

#[test]
fn a_recovery_is_announced_waits_its_delay_and_is_confirmed_by_the_council() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::set_encryption_key(signed(DOCTOR), [5; 32]));
		assert_ok!(Registry::propose_recovery(signed(ADMIN), w.hospital, DOCTOR, NEW));
		let executable_at = 1 + RECOVERY_DELAY;
		assert_eq!(
			last_event(),
			Event::RecoveryProposed { lost: DOCTOR, new: NEW, hospital: w.hospital, executable_at }
		);
		// Nothing moves before the delay is over, whoever asks.
		System::set_block_number(executable_at - 1);
		assert_noop!(Registry::approve_recovery(council(), DOCTOR), Error::<Test>::RecoveryDelayNotOver);
		assert_eq!(DoctorByAccount::<Test>::get(DOCTOR), Some(w.doctor));
		System::set_block_number(executable_at);
		// One regulator alone does not confirm, nor does the hospital.
		for who in [REGULATOR, ADMIN] {
			assert_noop!(Registry::approve_recovery(signed(who), DOCTOR), DispatchError::BadOrigin);
		}
		assert_ok!(Registry::approve_recovery(council(), DOCTOR));
		let roles = AccountRoles { doctor: Some(w.doctor), ..Default::default() };
		assert_eq!(
			last_event(),
			Event::AccountRotated { old: DOCTOR, new: NEW, roles, recovered_by: Some(w.hospital) }
		);
		assert_eq!(DoctorByAccount::<Test>::get(NEW), Some(w.doctor));
		// The lost account's encryption key is not trusted: the holder registers a new one.
		assert!(!StaffEncryptionKeys::<Test>::contains_key(NEW));
		assert!(!StaffEncryptionKeys::<Test>::contains_key(DOCTOR));
		assert!(!PendingRecoveries::<Test>::contains_key(DOCTOR));
		// The doctor's grants wait for their patients to confirm them again.
		assert_eq!(told(), vec![Told::StaffRecovered(Accessor::Doctor(w.doctor))]);
	});
}

#[test]
fn a_lab_recovery_suspends_the_labs_grants_too() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::propose_recovery(signed(ADMIN), w.hospital, LAB, NEW));
		confirm_after_delay(LAB);
		assert_eq!(told(), vec![Told::StaffRecovered(Accessor::Lab(w.lab))]);
	});
}

#[test]
fn every_step_of_a_patients_recovery_is_in_the_patients_trail() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::propose_recovery(signed(ADMIN), w.hospital, PATIENT, NEW));
		assert_ok!(Registry::object_recovery(signed(GUARDIAN), PATIENT));
		assert_ok!(Registry::cancel_recovery(signed(ADMIN), PATIENT));
		assert_ok!(Registry::propose_recovery(signed(ADMIN), w.hospital, PATIENT, OTHER_NEW));
		confirm_after_delay(PATIENT);
		let p = w.patient;
		assert_eq!(
			told(),
			vec![
				Told::Logged(p, Some(ADMIN), RecoveryStep::Proposed { hospital: w.hospital, new: NEW }),
				Told::Logged(p, Some(GUARDIAN), RecoveryStep::Objected),
				Told::Logged(p, Some(ADMIN), RecoveryStep::Cancelled),
				Told::Logged(p, Some(ADMIN), RecoveryStep::Proposed { hospital: w.hospital, new: OTHER_NEW }),
				// The council as a body, not an account.
				Told::Logged(p, None, RecoveryStep::Confirmed { new: OTHER_NEW }),
			]
		);
		assert_eq!(Registry::patient_account(w.patient), Some(OTHER_NEW));
	});
}

#[test]
fn only_a_hospital_responsible_for_every_role_proposes_a_recovery() {
	test(|| {
		let w = World::new();
		// Another hospital has nothing to do with this doctor, lab or patient.
		for lost in [DOCTOR, LAB, PATIENT, DESK] {
			assert_noop!(
				Registry::propose_recovery(signed(OTHER_ADMIN), w.other_hospital, lost, NEW),
				Error::<Test>::NotResponsibleHospital
			);
		}
		// Nor can it claim the hospital it does not administer.
		assert_noop!(
			Registry::propose_recovery(signed(OTHER_ADMIN), w.hospital, DOCTOR, NEW),
			Error::<Test>::NotHospitalAdmin
		);
		// A patient of the other hospital who is also this hospital's doctor: this hospital
		// alone cannot move the patient identity.
		assert_ok!(Registry::register_patient(
			signed(OTHER_DESK),
			w.other_hospital,
			DOCTOR,
			COMMITMENT,
			PATIENT_KEY
		));
		assert_noop!(
			Registry::propose_recovery(signed(ADMIN), w.hospital, DOCTOR, NEW),
			Error::<Test>::NotResponsibleHospital
		);
		assert_noop!(
			Registry::propose_recovery(signed(ADMIN), w.hospital, OUTSIDER, NEW),
			Error::<Test>::NoRoleToMove
		);
		assert_noop!(
			Registry::propose_recovery(signed(ADMIN), w.hospital, ADMIN, NEW),
			Error::<Test>::CannotRecoverOwnAccount
		);
		assert_noop!(
			Registry::propose_recovery(signed(ADMIN), w.hospital, LAB, PATIENT),
			Error::<Test>::AccountHasAnotherRole
		);
	});
}

#[test]
fn the_holder_and_guardians_object_but_cannot_cancel_and_the_holder_cannot_rotate_away() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::propose_recovery(signed(ADMIN), w.hospital, LAB, NEW));
		assert_noop!(
			Registry::propose_recovery(signed(ADMIN), w.hospital, LAB, OTHER_NEW),
			Error::<Test>::RecoveryPending
		);
		// A stolen key's own rotation cannot run away from a recovery already proposed.
		assert_noop!(Registry::rotate_account(signed(LAB), OTHER_NEW), Error::<Test>::RecoveryPending);
		// Whoever holds the key may be the thief: the holder objects, it does not cancel.
		for who in [LAB, DOCTOR, OTHER_ADMIN, OUTSIDER] {
			assert_noop!(
				Registry::cancel_recovery(signed(who), LAB),
				Error::<Test>::NotAllowedToCancelRecovery
			);
		}
		// Only the holder objects to a lab's recovery (a lab has no guardians).
		for who in [GUARDIAN, DOCTOR, ADMIN, OUTSIDER] {
			assert_noop!(Registry::object_recovery(signed(who), LAB), Error::<Test>::NotAllowedToObject);
		}
		assert_ok!(Registry::object_recovery(signed(LAB), LAB));
		assert_eq!(last_event(), Event::RecoveryObjected { lost: LAB, by: LAB });
		assert_noop!(Registry::object_recovery(signed(LAB), LAB), Error::<Test>::AlreadyObjected);
		assert_eq!(PendingRecoveries::<Test>::get(LAB).expect("still pending").objected_by, Some(LAB));
		// The objection is on record; the council still decides after the delay.
		confirm_after_delay(LAB);
		assert_eq!(LabByAccount::<Test>::get(NEW), Some(w.lab));
		assert_noop!(Registry::object_recovery(signed(LAB), LAB), Error::<Test>::NoRecoveryPending);
	});
}

#[test]
fn a_thief_who_rotated_first_cannot_cancel_the_recovery_of_the_rotated_account() {
	test(|| {
		let w = World::new();
		// The thief moves the stolen patient account to a key of their own.
		assert_ok!(Registry::rotate_account(signed(PATIENT), OTHER_NEW));
		// The hospital recovers that account for the real patient.
		assert_ok!(Registry::propose_recovery(signed(ADMIN), w.hospital, OTHER_NEW, NEW));
		assert_noop!(
			Registry::cancel_recovery(signed(OTHER_NEW), OTHER_NEW),
			Error::<Test>::NotAllowedToCancelRecovery
		);
		assert_noop!(Registry::rotate_account(signed(OTHER_NEW), 72), Error::<Test>::RecoveryPending);
		assert_ok!(Registry::object_recovery(signed(OTHER_NEW), OTHER_NEW));
		confirm_after_delay(OTHER_NEW);
		assert_eq!(Registry::patient_account(w.patient), Some(NEW));
	});
}

#[test]
fn the_hospital_or_a_regulator_cancels() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::propose_recovery(signed(ADMIN), w.hospital, LAB, NEW));
		assert_ok!(Registry::cancel_recovery(signed(ADMIN), LAB));
		assert_eq!(last_event(), Event::RecoveryCancelled { lost: LAB, hospital: w.hospital });
		assert_noop!(Registry::approve_recovery(council(), LAB), Error::<Test>::NoRecoveryPending);
		assert_ok!(Registry::propose_recovery(signed(ADMIN), w.hospital, LAB, NEW));
		assert_ok!(Registry::cancel_recovery(signed(REGULATOR), LAB));
		assert_eq!(LabByAccount::<Test>::get(LAB), Some(w.lab));
		assert!(told().is_empty(), "a lab's recovery is no patient's trail");
	});
}

#[test]
fn a_confirmation_checks_again_that_the_new_account_is_free_and_the_hospital_verified() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::propose_recovery(signed(ADMIN), w.hospital, LAB, NEW));
		assert_ok!(Registry::register_patient(signed(DESK), w.hospital, NEW, COMMITMENT, PATIENT_KEY));
		wait_out_delay(LAB);
		assert_noop!(Registry::approve_recovery(council(), LAB), Error::<Test>::AccountHasAnotherRole);
		assert_ok!(Registry::cancel_recovery(signed(ADMIN), LAB));
		assert_ok!(Registry::propose_recovery(signed(ADMIN), w.hospital, LAB, OTHER_NEW));
		wait_out_delay(LAB);
		assert_ok!(Registry::suspend_hospital(signed(REGULATOR), w.hospital));
		assert_noop!(Registry::approve_recovery(council(), LAB), Error::<Test>::HospitalNotVerified);
	});
}
