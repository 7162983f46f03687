//! `update_hospital_details`.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::HospitalStatus;

#[test]
fn editing_a_verified_hospital_requires_reverification() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::update_hospital_details(
			RuntimeOrigin::signed(ADMIN),
			w.hospital,
			hospital_details("GOV-0-NEW")
		));
		let info = Hospitals::<Test>::get(w.hospital).expect("exists");
		assert_eq!(info.status, HospitalStatus::Pending);
		assert_eq!(info.details.registration_id, text("GOV-0-NEW"));
		assert!(!HospitalByRegistrationId::<Test>::contains_key(text("GOV-0")));
		assert_eq!(
			last_event(),
			Event::HospitalDetailsUpdated { hospital: w.hospital, reverification_required: true }
		);
		// staff can no longer onboard until a regulator verifies again
		assert_noop!(
			Registry::onboard_lab(RuntimeOrigin::signed(ADMIN), w.hospital, 77, lab_details("L77")),
			Error::<Test>::HospitalNotVerified
		);
		assert_ok!(Registry::verify_hospital(RuntimeOrigin::signed(REGULATOR), w.hospital));
	});
}

#[test]
fn editing_a_pending_hospital_keeps_it_pending() {
	test(|| {
		assert_ok!(Registry::apply_for_registration(
			RuntimeOrigin::signed(50),
			hospital_details("GOV-50")
		));
		assert_ok!(Registry::update_hospital_details(
			RuntimeOrigin::signed(50),
			HospitalId(0),
			hospital_details("GOV-50")
		));
		assert_eq!(
			last_event(),
			Event::HospitalDetailsUpdated { hospital: HospitalId(0), reverification_required: false }
		);
	});
}

#[test]
fn cannot_take_another_hospitals_registration_id() {
	test(|| {
		let w = World::new();
		assert_noop!(
			Registry::update_hospital_details(
				RuntimeOrigin::signed(ADMIN),
				w.hospital,
				hospital_details("GOV-1")
			),
			Error::<Test>::RegistrationIdTaken
		);
	});
}

#[test]
fn revoked_hospitals_cannot_be_edited() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::revoke_hospital(RuntimeOrigin::signed(REGULATOR), w.hospital));
		assert_noop!(
			Registry::update_hospital_details(
				RuntimeOrigin::signed(ADMIN),
				w.hospital,
				hospital_details("GOV-0")
			),
			Error::<Test>::HospitalRevoked
		);
	});
}

#[test]
fn only_the_hospitals_admin_may_edit() {
	test(|| {
		let w = World::new();
		assert_wrong_roles_fail(&[ADMIN], Error::<Test>::NotHospitalAdmin, |o| {
			Registry::update_hospital_details(o, w.hospital, hospital_details("GOV-X"))
		});
		assert_noop!(
			Registry::update_hospital_details(
				RuntimeOrigin::signed(ADMIN),
				HospitalId(9),
				hospital_details("GOV-X")
			),
			Error::<Test>::UnknownHospital
		);
	});
}
