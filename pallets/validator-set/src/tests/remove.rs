use super::*;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

#[test]
fn the_regulator_removes_a_validator_above_the_minimum() {
	run(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), H1, ADMIN_1));
		plan();
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 2));
		assert_eq!(accounts(), vec![1, 3, ADMIN_1]);
		assert_eq!(
			events().last(),
			Some(&Event::ValidatorRemoved { account: 2, hospital: None, reason: RemovalReason::Regulator })
		);
		assert_eq!(plan(), Some(vec![1, 3, ADMIN_1]));
	});
}

#[test]
fn a_removal_below_the_minimum_is_refused() {
	run(|| {
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 1),
			Error::<Test>::TooFewValidators
		);
		assert_eq!(accounts(), FOUNDING.to_vec());
	});
}

#[test]
fn only_the_regulator_removes_and_only_validators() {
	run(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), H1, ADMIN_1));
		for who in [ADMIN_1, 1, OUTSIDER] {
			assert_noop!(
				ValidatorSet::remove_validator(RuntimeOrigin::signed(who), ADMIN_1),
				DispatchError::BadOrigin
			);
		}
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), OUTSIDER),
			Error::<Test>::NotValidator
		);
	});
}
