use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::HospitalId;
use sp_runtime::DispatchError;

#[test]
fn the_regulator_lists_a_consortium_node_and_a_verified_hospitals_node() {
	run(|| {
		assert_ok!(NodeAllowlist::add_node(RuntimeOrigin::root(), peer(2), None));
		assert_ok!(NodeAllowlist::add_node(RuntimeOrigin::root(), peer(3), Some(H1)));
		assert_eq!(listed(), vec![peer(1), peer(2), peer(3)]);
		assert_eq!(Nodes::<Test>::get(peer(3)), Some(NodeEntry { hospital: Some(H1), listed_at: 1 }));
		assert_eq!(
			events(),
			vec![
				Event::NodeAdded { peer_id: peer(2), hospital: None },
				Event::NodeAdded { peer_id: peer(3), hospital: Some(H1) },
			]
		);
	});
}

#[test]
fn only_the_regulator_lists_nodes() {
	run(|| {
		for who in [1, 2, 99] {
			assert_noop!(
				NodeAllowlist::add_node(RuntimeOrigin::signed(who), peer(2), None),
				DispatchError::BadOrigin
			);
		}
		assert_noop!(NodeAllowlist::add_node(RuntimeOrigin::none(), peer(2), None), DispatchError::BadOrigin);
	});
}

#[test]
fn an_invalid_peer_id_is_refused() {
	run(|| {
		assert_noop!(
			NodeAllowlist::add_node(RuntimeOrigin::root(), text("/ip4/10.0.0.1/tcp/30333"), None),
			Error::<Test>::InvalidPeerId
		);
	});
}

#[test]
fn a_node_of_an_unverified_or_unknown_hospital_is_refused() {
	run(|| {
		for hospital in [PENDING, HospitalId(77)] {
			assert_noop!(
				NodeAllowlist::add_node(RuntimeOrigin::root(), peer(2), Some(hospital)),
				Error::<Test>::HospitalNotVerified
			);
		}
		set_status(H1, pmr_primitives::HospitalStatus::Suspended);
		assert_noop!(
			NodeAllowlist::add_node(RuntimeOrigin::root(), peer(2), Some(H1)),
			Error::<Test>::HospitalNotVerified
		);
	});
}

#[test]
fn a_node_is_listed_once_and_the_list_is_bounded() {
	run(|| {
		assert_noop!(
			NodeAllowlist::add_node(RuntimeOrigin::root(), peer(1), Some(H1)),
			Error::<Test>::AlreadyListed
		);
		for n in 2..=MAX_NODES as u8 {
			assert_ok!(NodeAllowlist::add_node(RuntimeOrigin::root(), peer(n), None));
		}
		assert_noop!(
			NodeAllowlist::add_node(RuntimeOrigin::root(), peer(100), None),
			Error::<Test>::TooManyNodes
		);
		assert_eq!(Nodes::<Test>::count(), MAX_NODES);
	});
}
