//! `release_share` and `refuse_share`: custodians answer once each, and a release is accepted
//! only while the request is answerable and its decision still holds.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::{AccessDenied, Cid, HospitalId, KeyAuditEvent, ShareRefusal};

#[test]
fn custodians_release_once_each_and_every_release_is_logged() {
	test(|| {
		let id = requested(None);
		assert_ok!(KeyRelease::release_share(RuntimeOrigin::signed(CUSTODIAN_1), id, cid(11)));
		assert_ok!(KeyRelease::release_share(RuntimeOrigin::signed(CUSTODIAN_3), id, cid(13)));
		assert_noop!(
			KeyRelease::release_share(RuntimeOrigin::signed(CUSTODIAN_1), id, cid(12)),
			Error::<Test>::AlreadyAnswered
		);
		let r = KeyRequests::<Test>::get(id).unwrap();
		let released: Vec<_> = r.released().map(|(h, c)| (h, c.clone())).collect();
		assert_eq!(released, vec![(HospitalId(1), cid(11)), (HospitalId(3), cid(13))]);
		assert_eq!(
			events().last(),
			Some(&Event::ShareReleased {
				request: id,
				patient: P,
				custodian: HospitalId(3),
				envelope: cid(13),
			})
		);
		assert_eq!(
			audit()[1..],
			[
				(P, CUSTODIAN_1, KeyAuditEvent::ShareReleased { request: id, custodian: HospitalId(1) }),
				(P, CUSTODIAN_3, KeyAuditEvent::ShareReleased { request: id, custodian: HospitalId(3) }),
			]
		);
	});
}

#[test]
fn no_release_after_the_deadline_or_the_consent() {
	test(|| {
		let id = requested(Some(6));
		go_to(5);
		assert_ok!(KeyRelease::release_share(RuntimeOrigin::signed(CUSTODIAN_1), id, cid(11)));
		go_to(6);
		assert_noop!(
			KeyRelease::release_share(RuntimeOrigin::signed(CUSTODIAN_2), id, cid(12)),
			Error::<Test>::RequestExpired
		);
	});
}

#[test]
fn no_release_after_revocation_erasure_or_suspension() {
	test(|| {
		let id = requested(None);
		revoke(DOCTOR);
		assert_noop!(
			KeyRelease::release_share(RuntimeOrigin::signed(CUSTODIAN_1), id, cid(11)),
			Error::<Test>::DecisionNoLongerHolds
		);
		allow(DOCTOR, AccessGround::Grant(GRANT), None);
		erase(7);
		assert_noop!(
			KeyRelease::release_share(RuntimeOrigin::signed(CUSTODIAN_1), id, cid(11)),
			Error::<Test>::DecisionNoLongerHolds
		);
		let id = {
			seal(17, content());
			let id = NextKeyRequestId::<Test>::get();
			assert_ok!(KeyRelease::request_key(
				RuntimeOrigin::signed(DOCTOR),
				pmr_primitives::SealedTarget::RecordVersion { item: 17, version: 0 },
				Purpose::SecondOpinion
			));
			id
		};
		deactivate(DOCTOR);
		assert_noop!(
			KeyRelease::release_share(RuntimeOrigin::signed(CUSTODIAN_1), id, cid(11)),
			Error::<Test>::DecisionNoLongerHolds
		);
	});
}

#[test]
fn only_current_custodians_answer() {
	test(|| {
		let id = requested(None);
		for who in [OUTSIDER, DOCTOR, PATIENT] {
			assert_noop!(
				KeyRelease::release_share(RuntimeOrigin::signed(who), id, cid(11)),
				Error::<Test>::NotCustodian
			);
			assert_noop!(
				KeyRelease::refuse_share(RuntimeOrigin::signed(who), id, ShareRefusal::ManifestMismatch),
				Error::<Test>::NotCustodian
			);
		}
		deactivate(CUSTODIAN_2);
		assert_noop!(
			KeyRelease::release_share(RuntimeOrigin::signed(CUSTODIAN_2), id, cid(12)),
			Error::<Test>::NotCustodian
		);
		assert_noop!(
			KeyRelease::release_share(RuntimeOrigin::signed(CUSTODIAN_1), KeyRequestId(9), cid(11)),
			Error::<Test>::UnknownRequest
		);
	});
}

#[test]
fn a_refusal_is_recorded_once_and_even_after_the_deadline() {
	test(|| {
		let id = requested(None);
		let reason = ShareRefusal::Denied(AccessDenied::Expired);
		go_to(1 + LIFETIME + 1);
		assert_ok!(KeyRelease::refuse_share(RuntimeOrigin::signed(CUSTODIAN_2), id, reason));
		assert_noop!(
			KeyRelease::refuse_share(RuntimeOrigin::signed(CUSTODIAN_2), id, reason),
			Error::<Test>::AlreadyAnswered
		);
		assert_noop!(
			KeyRelease::release_share(RuntimeOrigin::signed(CUSTODIAN_2), id, cid(12)),
			Error::<Test>::RequestExpired
		);
		let r = KeyRequests::<Test>::get(id).unwrap();
		assert_eq!(r.answers.to_vec(), vec![(HospitalId(2), Answer::Refused(reason))]);
		assert_eq!(r.released().count(), 0);
		assert_eq!(
			events().last(),
			Some(&Event::ShareRefused { request: id, patient: P, custodian: HospitalId(2), reason })
		);
		assert_eq!(
			audit().last(),
			Some(&(P, CUSTODIAN_2, KeyAuditEvent::ShareRefused { request: id, custodian: HospitalId(2), reason }))
		);
	});
}

#[test]
fn an_envelope_is_named_by_a_binary_cid_and_nothing_else() {
	test(|| {
		let id = requested(None);
		// The text form, and free text, are refused; nothing is recorded.
		let text = |s: &str| Cid::truncate_from(s.as_bytes().to_vec());
		for envelope in [text(&pmr_primitives::cid::to_text(&cid(11))), text("John Smith, born 1970"), text("")] {
			assert_noop!(
				KeyRelease::release_share(RuntimeOrigin::signed(CUSTODIAN_1), id, envelope.clone()),
				Error::<Test>::InvalidCid
			);
			assert_noop!(
				KeyRelease::release_essential_share(RuntimeOrigin::signed(PATIENT), id, envelope),
				Error::<Test>::InvalidCid
			);
		}
		assert_ok!(KeyRelease::release_share(RuntimeOrigin::signed(CUSTODIAN_1), id, cid(11)));
		assert_ok!(KeyRelease::release_essential_share(RuntimeOrigin::signed(PATIENT), id, cid(50)));
	});
}
