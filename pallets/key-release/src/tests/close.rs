//! `close_key_request`: the requester at any time, anyone after the deadline.

use super::*;
use frame_support::{assert_noop, assert_ok};

#[test]
fn the_requester_closes_at_any_time() {
	test(|| {
		let id = requested(None);
		assert_ok!(KeyRelease::close_key_request(RuntimeOrigin::signed(DOCTOR), id));
		assert!(KeyRequests::<Test>::get(id).is_none());
		assert_eq!(events().last(), Some(&Event::KeyRequestClosed { request: id, patient: P }));
		assert_noop!(
			KeyRelease::close_key_request(RuntimeOrigin::signed(DOCTOR), id),
			Error::<Test>::UnknownRequest
		);
	});
}

#[test]
fn anyone_closes_once_it_cannot_be_answered() {
	test(|| {
		let id = requested(Some(5));
		assert_noop!(
			KeyRelease::close_key_request(RuntimeOrigin::signed(OUTSIDER), id),
			Error::<Test>::NotRequester
		);
		go_to(5);
		assert_ok!(KeyRelease::close_key_request(RuntimeOrigin::signed(OUTSIDER), id));
		assert!(KeyRequests::<Test>::get(id).is_none());
	});
}
