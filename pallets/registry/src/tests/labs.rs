//! `onboard_lab` and `offboard_lab`.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::RegistryInspect;

#[test]
fn onboarding_and_offboarding_a_lab() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::onboard_lab(
			RuntimeOrigin::signed(ADMIN),
			w.hospital,
			31,
			lab_details("LAB-31")
		));
		let lab = LabByAccount::<Test>::get(31).expect("registered");
		assert_eq!(last_event(), Event::LabOnboarded { hospital: w.hospital, lab });
		assert_eq!(Registry::active_lab_of(&31, w.hospital), Some(lab));

		assert_ok!(Registry::offboard_lab(RuntimeOrigin::signed(ADMIN), w.hospital, lab));
		assert_eq!(last_event(), Event::LabOffboarded { hospital: w.hospital, lab });
		let info = Labs::<Test>::get(lab).expect("kept for provenance");
		assert!(!info.active);
		assert_eq!(Registry::active_lab_of(&31, w.hospital), None);
		assert_noop!(
			Registry::offboard_lab(RuntimeOrigin::signed(ADMIN), w.hospital, lab),
			Error::<Test>::LabInactive
		);
	});
}

#[test]
fn lab_accounts_and_registration_numbers_are_unique() {
	test(|| {
		let w = World::new();
		assert_noop!(
			Registry::onboard_lab(RuntimeOrigin::signed(ADMIN), w.hospital, LAB, lab_details("LAB-NEW")),
			Error::<Test>::LabAccountTaken
		);
		assert_noop!(
			Registry::onboard_lab(RuntimeOrigin::signed(ADMIN), w.hospital, 32, lab_details("LAB-30")),
			Error::<Test>::RegistrationNumberTaken
		);
	});
}

#[test]
fn a_lab_is_offboarded_only_by_its_own_hospital() {
	test(|| {
		let w = World::new();
		assert_noop!(
			Registry::offboard_lab(RuntimeOrigin::signed(OTHER_ADMIN), w.other_hospital, w.lab),
			Error::<Test>::NotStaffOfHospital
		);
		assert_noop!(
			Registry::offboard_lab(RuntimeOrigin::signed(ADMIN), w.hospital, LabId(9)),
			Error::<Test>::UnknownLab
		);
	});
}

#[test]
fn only_verified_hospitals_onboard_labs() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::suspend_hospital(RuntimeOrigin::signed(REGULATOR), w.hospital));
		assert_noop!(
			Registry::onboard_lab(RuntimeOrigin::signed(ADMIN), w.hospital, 33, lab_details("L33")),
			Error::<Test>::HospitalNotVerified
		);
	});
}

#[test]
fn only_the_hospitals_admin_manages_labs() {
	test(|| {
		let w = World::new();
		assert_wrong_roles_fail(&[ADMIN], Error::<Test>::NotHospitalAdmin, |o| {
			Registry::onboard_lab(o, w.hospital, 34, lab_details("L34"))
		});
		assert_wrong_roles_fail(&[ADMIN], Error::<Test>::NotHospitalAdmin, |o| {
			Registry::offboard_lab(o, w.hospital, w.lab)
		});
	});
}

#[test]
fn one_account_is_a_doctor_or_a_lab_never_both() {
	test(|| {
		let w = World::new();
		// The doctor's account cannot also become a lab (its lab grants could never be used:
		// access decisions resolve it as the doctor) ...
		assert_noop!(
			Registry::onboard_lab(RuntimeOrigin::signed(ADMIN), w.hospital, DOCTOR, lab_details("LAB-99")),
			Error::<Test>::AccountHasAnotherRole
		);
		// ... nor the lab's account a doctor, at this hospital or another.
		assert_noop!(
			Registry::onboard_doctor(RuntimeOrigin::signed(ADMIN), w.hospital, LAB, doctor_details("UPRN-99")),
			Error::<Test>::AccountHasAnotherRole
		);
		assert_noop!(
			Registry::onboard_doctor(
				RuntimeOrigin::signed(OTHER_ADMIN),
				w.other_hospital,
				LAB,
				doctor_details("UPRN-98")
			),
			Error::<Test>::AccountHasAnotherRole
		);
	});
}
