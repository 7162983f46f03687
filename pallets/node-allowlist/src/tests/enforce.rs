use super::*;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

#[test]
fn the_regulator_switches_enforcement_on_and_off() {
	run(|| {
		assert!(!Enforced::<Test>::get());
		assert_ok!(NodeAllowlist::set_enforced(RuntimeOrigin::root(), true));
		assert!(Enforced::<Test>::get());
		assert_ok!(NodeAllowlist::set_enforced(RuntimeOrigin::root(), false));
		assert!(!Enforced::<Test>::get());
		assert_eq!(
			events(),
			vec![Event::EnforcementSet { enforced: true }, Event::EnforcementSet { enforced: false }]
		);
	});
}

#[test]
fn only_the_regulator_switches_enforcement() {
	run(|| {
		assert_noop!(
			NodeAllowlist::set_enforced(RuntimeOrigin::signed(1), true),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn enforcement_needs_a_listed_node() {
	run(|| {
		assert_ok!(NodeAllowlist::remove_node(RuntimeOrigin::root(), peer(1)));
		assert_noop!(NodeAllowlist::set_enforced(RuntimeOrigin::root(), true), Error::<Test>::NoNodes);
		// Switching off is always possible.
		assert_ok!(NodeAllowlist::set_enforced(RuntimeOrigin::root(), false));
	});
}
