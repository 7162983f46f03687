//! `register_patient` and `update_patient`.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::RegistryInspect;

#[test]
fn desks_and_admins_register_patients_without_personal_data() {
	test(|| {
		let w = World::new();
		assert_eq!(last_event_or_none(), None);
		assert_ok!(Registry::register_patient(
			RuntimeOrigin::signed(ADMIN),
			w.hospital,
			41,
			[1; 32],
			[2; 32]
		));
		let p = PatientByAccount::<Test>::get(41).expect("registered");
		assert_eq!(last_event(), Event::PatientRegistered { patient: p, hospital: w.hospital });
		let info = Patients::<Test>::get(p).expect("stored");
		assert_eq!((info.commitment, info.encryption_key), ([1; 32], [2; 32]));
		assert_eq!(info.registered_by, w.hospital);
		assert_eq!(Registry::patient_account(p), Some(41));
		assert_eq!(Registry::patient_encryption_key(p), Some([2; 32]));
		assert_eq!(Registry::registering_hospital(p), Some(w.hospital));
		assert_eq!(Hospitals::<Test>::get(w.hospital).map(|h| h.patients), Some(2));
		// the world's patient was registered by the desk
		assert_eq!(Registry::registering_hospital(w.patient), Some(w.hospital));
	});
}

#[test]
fn a_patient_key_of_small_order_is_refused() {
	test(|| {
		let w = World::new();
		let before = Registry::patient_encryption_key(w.patient);
		for weak in SMALL_ORDER_KEYS {
			assert_noop!(
				Registry::register_patient(RuntimeOrigin::signed(ADMIN), w.hospital, 41, [1; 32], weak),
				Error::<Test>::UnusableEncryptionKey
			);
			assert_noop!(
				Registry::update_patient(RuntimeOrigin::signed(PATIENT), [5; 32], weak),
				Error::<Test>::UnusableEncryptionKey
			);
		}
		assert_eq!(PatientByAccount::<Test>::get(41), None);
		assert_eq!(Registry::patient_encryption_key(w.patient), before);
	});
}

#[test]
fn a_patient_is_registered_once() {
	test(|| {
		let w = World::new();
		assert_noop!(
			Registry::register_patient(
				RuntimeOrigin::signed(OTHER_DESK),
				w.other_hospital,
				PATIENT,
				[1; 32],
				[2; 32]
			),
			Error::<Test>::PatientAccountTaken
		);
	});
}

#[test]
fn suspended_hospitals_register_nobody() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::suspend_hospital(RuntimeOrigin::signed(REGULATOR), w.hospital));
		assert_noop!(
			Registry::register_patient(RuntimeOrigin::signed(DESK), w.hospital, 42, [1; 32], [2; 32]),
			Error::<Test>::HospitalNotVerified
		);
	});
}

#[test]
fn only_the_hospitals_desk_or_admin_registers() {
	test(|| {
		let w = World::new();
		assert_wrong_roles_fail(&[ADMIN, DESK], Error::<Test>::NotHospitalDesk, |o| {
			Registry::register_patient(o, w.hospital, 43, [1; 32], [2; 32])
		});
	});
}

#[test]
fn patients_update_only_their_own_commitment_and_key() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::register_patient(
			RuntimeOrigin::signed(DESK),
			w.hospital,
			44,
			[4; 32],
			[4; 32]
		));
		let other = PatientByAccount::<Test>::get(44).expect("registered");
		assert_ok!(Registry::update_patient(RuntimeOrigin::signed(PATIENT), [5; 32], [6; 32]));
		assert_eq!(last_event(), Event::PatientUpdated { patient: w.patient });
		let mine = Patients::<Test>::get(w.patient).expect("stored");
		assert_eq!((mine.commitment, mine.encryption_key), ([5; 32], [6; 32]));
		// the other patient's entry is untouched: the call has no way to name another patient
		let theirs = Patients::<Test>::get(other).expect("stored");
		assert_eq!((theirs.commitment, theirs.encryption_key), ([4; 32], [4; 32]));
	});
}

#[test]
fn non_patients_cannot_update_patient_data() {
	test(|| {
		World::new();
		assert_wrong_roles_fail(&[PATIENT], Error::<Test>::NotPatient, |o| {
			Registry::update_patient(o, [0; 32], [0; 32])
		});
	});
}

fn last_event_or_none() -> Option<Event<Test>> {
	System::events().into_iter().rev().find_map(|r| match r.event {
		RuntimeEvent::Registry(e) => Some(e),
		_ => None,
	})
}
