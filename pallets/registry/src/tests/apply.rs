//! `apply_for_registration`.

use super::*;
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use pmr_primitives::HospitalStatus;

#[test]
fn applying_creates_a_pending_hospital_and_holds_the_deposit() {
	test(|| {
		assert_ok!(Registry::apply_for_registration(
			RuntimeOrigin::signed(50),
			hospital_details("GOV-50")
		));
		let id = HospitalId(0);
		let info = Hospitals::<Test>::get(id).expect("stored");
		assert_eq!(info.status, HospitalStatus::Pending);
		assert_eq!((info.members, info.admins, info.staff, info.patients), (1, 1, 0, 0));
		assert_eq!(HospitalMembers::<Test>::get(id, 50), Some(HospitalRole::Admin));
		assert_eq!(MemberOf::<Test>::get(50), Some(id));
		assert_eq!(HospitalByRegistrationId::<Test>::get(text("GOV-50")), Some(id));
		assert_eq!(NextHospitalId::<Test>::get(), HospitalId(1));
		assert_eq!(Balances::total_balance_on_hold(&50), DEPOSIT);
		assert_eq!(last_event(), Event::HospitalApplied { hospital: id, applicant: 50 });
	});
}

#[test]
fn registration_ids_are_unique() {
	test(|| {
		assert_ok!(Registry::apply_for_registration(
			RuntimeOrigin::signed(50),
			hospital_details("GOV-50")
		));
		assert_noop!(
			Registry::apply_for_registration(RuntimeOrigin::signed(51), hospital_details("GOV-50")),
			Error::<Test>::RegistrationIdTaken
		);
	});
}

#[test]
fn members_of_a_hospital_cannot_apply_again() {
	test(|| {
		World::new();
		for who in [ADMIN, DESK, OTHER_ADMIN, OTHER_DESK] {
			assert_noop!(
				Registry::apply_for_registration(
					RuntimeOrigin::signed(who),
					hospital_details("GOV-NEW")
				),
				Error::<Test>::AlreadyMember
			);
		}
	});
}

#[test]
fn applying_without_the_deposit_fails_and_stores_nothing() {
	test(|| {
		// account 200 has no funds
		assert!(Registry::apply_for_registration(
			RuntimeOrigin::signed(200),
			hospital_details("GOV-200")
		)
		.is_err());
		assert_eq!(NextHospitalId::<Test>::get(), HospitalId(0));
		assert!(!HospitalByRegistrationId::<Test>::contains_key(text("GOV-200")));
	});
}

#[test]
fn unsigned_origin_is_rejected() {
	test(|| {
		assert_noop!(
			Registry::apply_for_registration(RuntimeOrigin::none(), hospital_details("GOV-1")),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn entries_need_a_registration_number_and_a_name() {
	test(|| {
		let w = World::new();
		let mut nameless = hospital_details("GOV-9");
		nameless.name = text("");
		assert_noop!(
			Registry::apply_for_registration(RuntimeOrigin::signed(OUTSIDER), nameless.clone()),
			Error::<Test>::MissingDetails
		);
		assert_noop!(
			Registry::apply_for_registration(RuntimeOrigin::signed(OUTSIDER), hospital_details("")),
			Error::<Test>::MissingDetails
		);
		assert_noop!(
			Registry::update_hospital_details(RuntimeOrigin::signed(ADMIN), w.hospital, nameless),
			Error::<Test>::MissingDetails
		);
		assert_noop!(
			Registry::onboard_doctor(RuntimeOrigin::signed(ADMIN), w.hospital, 60, doctor_details("")),
			Error::<Test>::MissingDetails
		);
		assert_noop!(
			Registry::onboard_lab(RuntimeOrigin::signed(ADMIN), w.hospital, 61, lab_details("")),
			Error::<Test>::MissingDetails
		);
	});
}
