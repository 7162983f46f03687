use super::*;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

#[test]
fn the_regulator_removes_a_node() {
	run(|| {
		assert_ok!(NodeAllowlist::add_node(RuntimeOrigin::root(), peer(2), Some(H1)));
		assert_ok!(NodeAllowlist::set_enforced(RuntimeOrigin::root(), true));
		assert_ok!(NodeAllowlist::remove_node(RuntimeOrigin::root(), peer(2)));
		assert_eq!(listed(), vec![peer(1)]);
		assert_eq!(events().last(), Some(&Event::NodeRemoved { peer_id: peer(2), hospital: Some(H1) }));
		assert_eq!(NodeAllowlist::authorized_nodes(), Some(vec![peer(1)]));
	});
}

#[test]
fn only_the_regulator_removes_and_only_listed_nodes() {
	run(|| {
		assert_noop!(
			NodeAllowlist::remove_node(RuntimeOrigin::signed(1), peer(1)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			NodeAllowlist::remove_node(RuntimeOrigin::root(), peer(9)),
			Error::<Test>::NotListed
		);
	});
}

#[test]
fn the_last_node_stays_while_enforced() {
	run(|| {
		assert_ok!(NodeAllowlist::set_enforced(RuntimeOrigin::root(), true));
		assert_noop!(
			NodeAllowlist::remove_node(RuntimeOrigin::root(), peer(1)),
			Error::<Test>::LastNode
		);
		// With enforcement off the list may be emptied.
		assert_ok!(NodeAllowlist::set_enforced(RuntimeOrigin::root(), false));
		assert_ok!(NodeAllowlist::remove_node(RuntimeOrigin::root(), peer(1)));
		assert!(listed().is_empty());
	});
}
