use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::{HospitalId, HospitalStatus};
use sp_runtime::DispatchError;

#[test]
fn the_regulator_admits_a_verified_hospitals_admin_with_session_keys() {
	run(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), H1, ADMIN_1));
		assert_eq!(accounts(), vec![1, 2, 3, ADMIN_1]);
		assert!(ValidatorSet::is_validator(&ADMIN_1));
		assert_eq!(
			events().last(),
			Some(&Event::ValidatorAdded { account: ADMIN_1, hospital: H1 })
		);
		assert_eq!(plan(), Some(vec![1, 2, 3, ADMIN_1]));
	});
}

#[test]
fn only_the_regulator_admits() {
	run(|| {
		for who in [ADMIN_1, 1, OUTSIDER] {
			assert_noop!(
				ValidatorSet::add_validator(RuntimeOrigin::signed(who), H1, ADMIN_1),
				DispatchError::BadOrigin
			);
		}
	});
}

#[test]
fn a_hospital_that_is_not_verified_cannot_validate() {
	run(|| {
		for status in [HospitalStatus::Pending, HospitalStatus::Suspended, HospitalStatus::Revoked] {
			set_status(H1, status);
			assert_noop!(
				ValidatorSet::add_validator(RuntimeOrigin::root(), H1, ADMIN_1),
				Error::<Test>::HospitalNotVerified
			);
		}
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), HospitalId(77), ADMIN_1),
			Error::<Test>::HospitalNotVerified
		);
	});
}

#[test]
fn the_account_must_be_an_admin_of_that_hospital() {
	run(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), H1, ADMIN_2),
			Error::<Test>::NotHospitalAdmin
		);
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), H1, OUTSIDER),
			Error::<Test>::NotHospitalAdmin
		);
	});
}

#[test]
fn session_keys_come_first() {
	run(|| {
		set_keys(ADMIN_1, false);
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), H1, ADMIN_1),
			Error::<Test>::NoSessionKeys
		);
	});
}

#[test]
fn one_validator_per_hospital_and_no_duplicates() {
	run(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), H1, ADMIN_1));
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), H1, ADMIN_1),
			Error::<Test>::AlreadyValidator
		);
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), H1, ADMIN_1B),
			Error::<Test>::HospitalAlreadyValidates
		);
	});
}

#[test]
fn the_set_is_bounded() {
	run(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), H1, ADMIN_1));
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), H2, ADMIN_2));
		let h3 = HospitalId(3);
		set_status(h3, HospitalStatus::Verified);
		make_admin(40, h3);
		set_keys(40, true);
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), h3, 40),
			Error::<Test>::TooManyValidators
		);
	});
}
