use super::*;
use frame_support::assert_ok;
use pmr_primitives::HospitalStatus;

#[test]
fn an_open_network_has_no_allowlist() {
	run(|| {
		assert_ok!(NodeAllowlist::add_node(RuntimeOrigin::root(), peer(2), Some(H1)));
		assert_eq!(NodeAllowlist::authorized_nodes(), None);
	});
}

#[test]
fn a_hospitals_nodes_peer_only_while_it_is_verified() {
	run(|| {
		assert_ok!(NodeAllowlist::add_node(RuntimeOrigin::root(), peer(2), Some(H1)));
		assert_ok!(NodeAllowlist::set_enforced(RuntimeOrigin::root(), true));
		let sorted = || {
			let mut nodes = NodeAllowlist::authorized_nodes().expect("enforced");
			nodes.sort();
			nodes
		};
		assert_eq!(sorted(), vec![peer(1), peer(2)]);
		// Checked at every read: no call, no sweep.
		for status in [HospitalStatus::Suspended, HospitalStatus::Pending, HospitalStatus::Revoked] {
			set_status(H1, status);
			assert_eq!(sorted(), vec![peer(1)], "{status:?}");
		}
		set_status(H1, HospitalStatus::Verified);
		assert_eq!(sorted(), vec![peer(1), peer(2)]);
		// The entry itself stays listed throughout.
		assert_eq!(listed(), vec![peer(1), peer(2)]);
	});
}
