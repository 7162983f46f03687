//! `set_encryption_key`: the X25519 keys doctors and labs receive released key shares under.

use super::*;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

const KEY: [u8; 32] = [0xd4; 32];

#[test]
fn doctors_and_labs_register_their_key() {
	test(|| {
		World::new();
		assert_ok!(Registry::set_encryption_key(RuntimeOrigin::signed(DOCTOR), KEY));
		assert_eq!(last_event(), Event::EncryptionKeySet { who: DOCTOR });
		assert_eq!(StaffEncryptionKeys::<Test>::get(DOCTOR), Some(KEY));
		assert_ok!(Registry::set_encryption_key(RuntimeOrigin::signed(LAB), [0xd5; 32]));
		assert_eq!(last_event(), Event::EncryptionKeySet { who: LAB });
		assert_eq!(Registry::staff_encryption_key(&LAB), Some([0xd5; 32]));
		// A new key replaces the old one.
		assert_ok!(Registry::set_encryption_key(RuntimeOrigin::signed(DOCTOR), [0xd6; 32]));
		assert_eq!(Registry::staff_encryption_key(&DOCTOR), Some([0xd6; 32]));
	});
}

#[test]
fn a_key_of_small_order_is_refused_and_the_old_key_stays() {
	test(|| {
		World::new();
		assert_ok!(Registry::set_encryption_key(RuntimeOrigin::signed(DOCTOR), KEY));
		for weak in SMALL_ORDER_KEYS {
			assert_noop!(
				Registry::set_encryption_key(RuntimeOrigin::signed(DOCTOR), weak),
				Error::<Test>::UnusableEncryptionKey
			);
			assert_noop!(
				Registry::set_encryption_key(RuntimeOrigin::signed(LAB), weak),
				Error::<Test>::UnusableEncryptionKey
			);
		}
		assert_eq!(StaffEncryptionKeys::<Test>::get(DOCTOR), Some(KEY));
		assert_eq!(StaffEncryptionKeys::<Test>::get(LAB), None);
	});
}

#[test]
fn nobody_else_registers_a_staff_key() {
	test(|| {
		World::new();
		assert_wrong_roles_fail(&[DOCTOR, LAB], Error::<Test>::NotDoctorOrLab, |o| {
			Registry::set_encryption_key(o, KEY)
		});
		assert_noop!(
			Registry::set_encryption_key(RuntimeOrigin::root(), KEY),
			DispatchError::BadOrigin
		);
		assert_eq!(StaffEncryptionKeys::<Test>::iter().count(), 0);
		// A patient's key is the one registered with the patient (`update_patient`).
		assert_eq!(Registry::staff_encryption_key(&PATIENT), None);
	});
}

#[test]
fn an_offboarded_lab_cannot_register_a_key() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::offboard_lab(RuntimeOrigin::signed(ADMIN), w.hospital, w.lab));
		assert_noop!(
			Registry::set_encryption_key(RuntimeOrigin::signed(LAB), KEY),
			Error::<Test>::NotDoctorOrLab
		);
	});
}

#[test]
fn a_staff_key_is_not_a_custodian_key() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::set_encryption_key(RuntimeOrigin::signed(DOCTOR), KEY));
		assert!(Registry::custodian_set().custodians.is_empty());
		assert_eq!(PendingCustodianKeys::<Test>::get(w.hospital), None);
	});
}
