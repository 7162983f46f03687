//! `request_key`: the runtime decides, stores an allowed request and logs every decision.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::{
	AccessDenied, AccessTarget, Accessor, DoctorId, EncryptedContent, KeyAuditEvent, KeyRequester,
	LabId, SealedTarget,
};

#[test]
fn an_allowed_request_is_stored_with_what_the_chain_anchored() {
	test(|| {
		let id = requested(None);
		let r = KeyRequests::<Test>::get(id).expect("stored");
		assert_eq!(r.requester, DOCTOR);
		let accessor = Accessor::Doctor(DoctorId(DOCTOR as u32));
		let requester = KeyRequester::Staff { accessor, purpose: Purpose::SecondOpinion };
		assert_eq!(r.by, requester);
		assert_eq!(r.patient, P);
		assert_eq!(r.access, AccessTarget::Record { item: 7, category: CATEGORY });
		assert_eq!(r.reader_key, DOCTOR_KEY);
		assert_eq!(r.content, content());
		assert_eq!(Some(r.manifest.clone()), content().manifest);
		assert_eq!((r.requested_at, r.valid_until), (1, 1 + LIFETIME));
		assert!(r.answers.is_empty() && r.essential.is_none());
		assert_eq!(NextKeyRequestId::<Test>::get(), KeyRequestId(1));
		assert_eq!(
			events(),
			vec![Event::KeyRequested {
				request: id,
				patient: P,
				requester,
				target: RECORD,
				ground: AccessGround::Grant(GRANT),
				custodian_set: r.manifest.custodian_set,
				valid_until: 1 + LIFETIME,
				audit_index: 0,
			}]
		);
		assert_eq!(
			audit(),
			vec![(
				P,
				DOCTOR,
				KeyAuditEvent::KeyRequested {
					request: id,
					requester,
					target: RECORD,
					ground: AccessGround::Grant(GRANT),
				}
			)]
		);
	});
}

#[test]
fn a_request_cannot_outlive_its_consent() {
	test(|| {
		// The grant no longer applies from block 6: the request is answerable up to block 5.
		let id = requested(Some(6));
		assert_eq!(KeyRequests::<Test>::get(id).unwrap().valid_until, 5);
	});
}

#[test]
fn a_refusal_is_logged_and_stores_nothing() {
	test(|| {
		assert_ok!(KeyRelease::request_key(
			RuntimeOrigin::signed(DOCTOR),
			RECORD,
			Purpose::SecondOpinion
		));
		assert_eq!(KeyRequests::<Test>::iter().count(), 0);
		let accessor = Accessor::Doctor(DoctorId(DOCTOR as u32));
		assert_eq!(
			events(),
			vec![Event::KeyRequestRefused {
				patient: P,
				requester: accessor,
				target: RECORD,
				reason: AccessDenied::NoConsent,
				audit_index: 0,
			}]
		);
		assert_eq!(
			audit(),
			vec![(
				P,
				DOCTOR,
				KeyAuditEvent::KeyRefused {
					accessor,
					target: RECORD,
					purpose: Purpose::SecondOpinion,
					reason: AccessDenied::NoConsent,
				}
			)]
		);
		// The same refusal again is not logged (the trail cannot be flooded).
		assert_noop!(
			KeyRelease::request_key(RuntimeOrigin::signed(DOCTOR), RECORD, Purpose::SecondOpinion),
			Error::<Test>::RefusalNotLogged
		);
	});
}

#[test]
fn an_expired_consent_is_refused() {
	test(|| {
		allow(DOCTOR, AccessGround::Grant(GRANT), Some(3));
		go_to(3);
		assert_ok!(KeyRelease::request_key(
			RuntimeOrigin::signed(DOCTOR),
			RECORD,
			Purpose::SecondOpinion
		));
		assert_eq!(KeyRequests::<Test>::iter().count(), 0);
		assert!(matches!(
			events()[..],
			[Event::KeyRequestRefused { reason: AccessDenied::Expired, .. }]
		));
	});
}

#[test]
fn an_erased_record_is_refused_as_no_such_record() {
	test(|| {
		allow(DOCTOR, AccessGround::Grant(GRANT), None);
		erase(7);
		assert_ok!(KeyRelease::request_key(
			RuntimeOrigin::signed(DOCTOR),
			RECORD,
			Purpose::SecondOpinion
		));
		assert_eq!(KeyRequests::<Test>::iter().count(), 0);
		assert!(matches!(
			events()[..],
			[Event::KeyRequestRefused { reason: AccessDenied::NoSuchRecord, .. }]
		));
	});
}

#[test]
fn a_lab_may_request_too() {
	test(|| {
		allow(LAB, AccessGround::Grant(GRANT), None);
		assert_ok!(KeyRelease::request_key(RuntimeOrigin::signed(LAB), RECORD, Purpose::LabWork));
		let r = KeyRequests::<Test>::get(KeyRequestId(0)).expect("stored");
		assert_eq!(r.by, KeyRequester::Staff { accessor: Accessor::Lab(LabId(1)), purpose: Purpose::LabWork });
		assert_eq!(r.reader_key, [0x1a; 32]);
	});
}

#[test]
fn bad_requests_fail_with_typed_errors_and_log_nothing() {
	test(|| {
		let second = Purpose::SecondOpinion;
		assert_noop!(
			KeyRelease::request_key(RuntimeOrigin::signed(OUTSIDER), RECORD, second),
			Error::<Test>::NotDoctorOrLab
		);
		assert_noop!(
			KeyRelease::request_key(RuntimeOrigin::signed(PATIENT), RECORD, second),
			Error::<Test>::NotDoctorOrLab
		);
		deactivate(LAB);
		assert_noop!(
			KeyRelease::request_key(RuntimeOrigin::signed(LAB), RECORD, second),
			Error::<Test>::NotDoctorOrLab
		);
		assert_noop!(
			KeyRelease::request_key(RuntimeOrigin::signed(KEYLESS_DOCTOR), RECORD, second),
			Error::<Test>::NoEncryptionKey
		);
		let unknown = SealedTarget::RecordVersion { item: 8, version: 0 };
		assert_noop!(
			KeyRelease::request_key(RuntimeOrigin::signed(DOCTOR), unknown, second),
			Error::<Test>::UnknownContent
		);
		// Allowed, but the content has no manifest on chain yet.
		seal(9, EncryptedContent { manifest: None, ..content() });
		allow(DOCTOR, AccessGround::Grant(GRANT), None);
		let unsealed = SealedTarget::RecordVersion { item: 9, version: 0 };
		assert_noop!(
			KeyRelease::request_key(RuntimeOrigin::signed(DOCTOR), unsealed, second),
			Error::<Test>::NotSealed
		);
		assert!(audit().is_empty());
	});
}
