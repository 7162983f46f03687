//! `release_essential_share`: the patient's side hands the essential share over, once, while
//! the request is answerable and its decision holds.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::KeyAuditEvent;

#[test]
fn the_patient_or_a_guardian_hands_the_essential_share_over_once() {
	test(|| {
		let id = requested(None);
		assert_ok!(KeyRelease::release_essential_share(RuntimeOrigin::signed(GUARDIAN), id, cid(50)));
		assert_eq!(KeyRequests::<Test>::get(id).unwrap().essential, Some(cid(50)));
		assert_noop!(
			KeyRelease::release_essential_share(RuntimeOrigin::signed(PATIENT), id, cid(51)),
			Error::<Test>::EssentialAlreadyReleased
		);
		assert_eq!(
			events().last(),
			Some(&Event::EssentialShareReleased { request: id, patient: P, envelope: cid(50), by: GUARDIAN })
		);
		assert_eq!(audit().last(), Some(&(P, GUARDIAN, KeyAuditEvent::EssentialShareReleased { request: id })));
	});
}

#[test]
fn nobody_else_and_not_after_the_consent() {
	test(|| {
		let id = requested(Some(4));
		for who in [DOCTOR, CUSTODIAN_1, OUTSIDER] {
			assert_noop!(
				KeyRelease::release_essential_share(RuntimeOrigin::signed(who), id, cid(50)),
				Error::<Test>::NotPatientOrGuardian
			);
		}
		go_to(4);
		assert_noop!(
			KeyRelease::release_essential_share(RuntimeOrigin::signed(PATIENT), id, cid(50)),
			Error::<Test>::RequestExpired
		);
		let id = requested(None);
		revoke(DOCTOR);
		assert_noop!(
			KeyRelease::release_essential_share(RuntimeOrigin::signed(PATIENT), id, cid(50)),
			Error::<Test>::DecisionNoLongerHolds
		);
		assert_noop!(
			KeyRelease::release_essential_share(RuntimeOrigin::signed(PATIENT), KeyRequestId(7), cid(50)),
			Error::<Test>::UnknownRequest
		);
	});
}
