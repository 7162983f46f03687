//! `verify_hospital`, `suspend_hospital`, `reinstate_hospital`, `revoke_hospital`.

use super::*;
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use pmr_primitives::HospitalStatus;
use sp_runtime::DispatchError;

fn status(h: HospitalId) -> HospitalStatus {
	Hospitals::<Test>::get(h).expect("exists").status
}

#[test]
fn full_lifecycle() {
	test(|| {
		assert_ok!(Registry::apply_for_registration(
			RuntimeOrigin::signed(50),
			hospital_details("GOV-50")
		));
		let h = HospitalId(0);
		assert_ok!(Registry::verify_hospital(RuntimeOrigin::signed(REGULATOR), h));
		assert_eq!(status(h), HospitalStatus::Verified);
		assert_eq!(last_event(), Event::HospitalVerified { hospital: h });
		assert_eq!(Balances::total_balance_on_hold(&50), 0, "deposit released on verification");

		assert_ok!(Registry::suspend_hospital(RuntimeOrigin::signed(REGULATOR), h));
		assert_eq!(status(h), HospitalStatus::Suspended);
		assert_eq!(last_event(), Event::HospitalSuspended { hospital: h });

		assert_ok!(Registry::reinstate_hospital(RuntimeOrigin::signed(REGULATOR), h));
		assert_eq!(status(h), HospitalStatus::Verified);
		assert_eq!(last_event(), Event::HospitalReinstated { hospital: h });

		assert_ok!(Registry::revoke_hospital(RuntimeOrigin::signed(REGULATOR), h));
		assert_eq!(status(h), HospitalStatus::Revoked);
		assert_eq!(last_event(), Event::HospitalRevoked { hospital: h });
	});
}

#[test]
fn rejecting_an_application_burns_its_deposit() {
	test(|| {
		use frame_support::traits::fungible::Inspect;
		assert_ok!(Registry::apply_for_registration(
			RuntimeOrigin::signed(50),
			hospital_details("GOV-50")
		));
		let (balance, issuance) = (Balances::total_balance(&50), Balances::total_issuance());
		assert_ok!(Registry::revoke_hospital(RuntimeOrigin::root(), HospitalId(0)));
		assert_eq!(Balances::total_balance_on_hold(&50), 0);
		assert!(!Hospitals::<Test>::get(HospitalId(0)).expect("kept").deposit_held);
		assert_eq!(Balances::total_balance(&50), balance - DEPOSIT, "the deposit is not returned");
		assert_eq!(Balances::total_issuance(), issuance - DEPOSIT, "it is burnt");
		System::assert_has_event(
			Event::ApplicationDepositBurned { hospital: HospitalId(0), applicant: 50, amount: DEPOSIT }.into(),
		);
		assert_eq!(last_event(), Event::HospitalRevoked { hospital: HospitalId(0) });
	});
}

#[test]
fn revoking_a_verified_hospital_burns_nothing() {
	test(|| {
		let w = World::new();
		let issuance = Balances::total_issuance();
		assert_ok!(Registry::revoke_hospital(RuntimeOrigin::signed(REGULATOR), w.hospital));
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

#[test]
fn transitions_from_the_wrong_status_fail() {
	test(|| {
		let w = World::new();
		let h = w.hospital;
		let r = || RuntimeOrigin::signed(REGULATOR);
		assert_noop!(Registry::verify_hospital(r(), h), Error::<Test>::HospitalNotPending);
		assert_noop!(Registry::reinstate_hospital(r(), h), Error::<Test>::HospitalNotSuspended);
		assert_ok!(Registry::suspend_hospital(r(), h));
		assert_noop!(Registry::suspend_hospital(r(), h), Error::<Test>::HospitalNotVerified);
		assert_ok!(Registry::revoke_hospital(r(), h));
		for result in [
			Registry::verify_hospital(r(), h),
			Registry::suspend_hospital(r(), h),
			Registry::reinstate_hospital(r(), h),
			Registry::revoke_hospital(r(), h),
		] {
			assert_eq!(result, Err(Error::<Test>::HospitalRevoked.into()));
		}
		assert_noop!(Registry::verify_hospital(r(), HospitalId(9)), Error::<Test>::UnknownHospital);
	});
}

#[test]
fn a_hospital_cannot_verify_itself_and_no_other_role_can_regulate() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::apply_for_registration(
			RuntimeOrigin::signed(50),
			hospital_details("GOV-50")
		));
		let pending = HospitalId(2);
		assert_noop!(
			Registry::verify_hospital(RuntimeOrigin::signed(50), pending),
			DispatchError::BadOrigin
		);
		assert_wrong_roles_fail(&[REGULATOR], DispatchError::BadOrigin, |o| {
			Registry::verify_hospital(o, pending)
		});
		assert_wrong_roles_fail(&[REGULATOR], DispatchError::BadOrigin, |o| {
			Registry::suspend_hospital(o, w.hospital)
		});
		assert_wrong_roles_fail(&[REGULATOR], DispatchError::BadOrigin, |o| {
			Registry::reinstate_hospital(o, w.hospital)
		});
		assert_wrong_roles_fail(&[REGULATOR], DispatchError::BadOrigin, |o| {
			Registry::revoke_hospital(o, w.hospital)
		});
		assert_wrong_roles_fail(&[REGULATOR], DispatchError::BadOrigin, |o| {
			Registry::confirm_doctor_licence(o, w.doctor)
		});
		assert_wrong_roles_fail(&[REGULATOR], DispatchError::BadOrigin, |o| {
			Registry::revoke_doctor_licence(o, w.doctor)
		});
	});
}
