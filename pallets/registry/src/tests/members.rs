//! `add_member` and `remove_member`.

use super::*;
use frame_support::{assert_noop, assert_ok};

#[test]
fn admins_add_and_remove_desks_and_admins() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::add_member(
			RuntimeOrigin::signed(ADMIN),
			w.hospital,
			60,
			HospitalRole::Admin
		));
		assert_eq!(last_event(), Event::MemberAdded { hospital: w.hospital, who: 60, role: HospitalRole::Admin });
		let info = Hospitals::<Test>::get(w.hospital).expect("exists");
		assert_eq!((info.members, info.admins), (3, 2));
		// the new admin can remove the founder
		assert_ok!(Registry::remove_member(RuntimeOrigin::signed(60), w.hospital, ADMIN));
		assert_eq!(last_event(), Event::MemberRemoved { hospital: w.hospital, who: ADMIN });
		assert_eq!(MemberOf::<Test>::get(ADMIN), None);
		assert_ok!(Registry::remove_member(RuntimeOrigin::signed(60), w.hospital, DESK));
		let info = Hospitals::<Test>::get(w.hospital).expect("exists");
		assert_eq!((info.members, info.admins), (1, 1));
	});
}

#[test]
fn the_last_admin_cannot_be_removed() {
	test(|| {
		let w = World::new();
		assert_noop!(
			Registry::remove_member(RuntimeOrigin::signed(ADMIN), w.hospital, ADMIN),
			Error::<Test>::LastAdmin
		);
	});
}

#[test]
fn an_account_serves_one_hospital() {
	test(|| {
		let w = World::new();
		assert_noop!(
			Registry::add_member(RuntimeOrigin::signed(ADMIN), w.hospital, OTHER_DESK, HospitalRole::Desk),
			Error::<Test>::AlreadyMember
		);
	});
}

#[test]
fn member_count_is_bounded() {
	test(|| {
		let w = World::new();
		// MaxMembersPerHospital = 4; the world has admin + desk
		for who in [61, 62] {
			assert_ok!(Registry::add_member(
				RuntimeOrigin::signed(ADMIN),
				w.hospital,
				who,
				HospitalRole::Desk
			));
		}
		assert_noop!(
			Registry::add_member(RuntimeOrigin::signed(ADMIN), w.hospital, 63, HospitalRole::Desk),
			Error::<Test>::TooManyMembers
		);
	});
}

#[test]
fn removing_a_non_member_fails() {
	test(|| {
		let w = World::new();
		assert_noop!(
			Registry::remove_member(RuntimeOrigin::signed(ADMIN), w.hospital, OTHER_DESK),
			Error::<Test>::NotMember
		);
	});
}

#[test]
fn revoked_hospitals_take_no_new_members() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::revoke_hospital(RuntimeOrigin::signed(REGULATOR), w.hospital));
		assert_noop!(
			Registry::add_member(RuntimeOrigin::signed(ADMIN), w.hospital, 64, HospitalRole::Desk),
			Error::<Test>::HospitalRevoked
		);
	});
}

#[test]
fn only_admins_manage_members() {
	test(|| {
		let w = World::new();
		assert_wrong_roles_fail(&[ADMIN], Error::<Test>::NotHospitalAdmin, |o| {
			Registry::add_member(o, w.hospital, 65, HospitalRole::Admin)
		});
		assert_wrong_roles_fail(&[ADMIN], Error::<Test>::NotHospitalAdmin, |o| {
			Registry::remove_member(o, w.hospital, DESK)
		});
	});
}

#[test]
fn the_applicant_of_a_pending_application_cannot_be_removed_until_it_is_decided() {
	test(|| {
		assert_ok!(Registry::apply_for_registration(RuntimeOrigin::signed(50), hospital_details("GOV-50")));
		let h = HospitalId(0);
		assert_ok!(Registry::add_member(RuntimeOrigin::signed(50), h, 52, HospitalRole::Admin));
		assert_noop!(
			Registry::remove_member(RuntimeOrigin::signed(52), h, 50),
			Error::<Test>::ApplicantCannotLeave
		);
		// Once verified (the deposit released), the applicant is a member like any other.
		assert_ok!(Registry::verify_hospital(RuntimeOrigin::signed(REGULATOR), h));
		assert_ok!(Registry::remove_member(RuntimeOrigin::signed(52), h, 50));
	});
}
