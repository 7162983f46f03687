//! `request_own_key`: the patient's side asks for the patient's own content (an export); the
//! shares are wrapped to the patient's key and the decision follows the patient's standing
//! and the content's erasure.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::{AccessDenied, AccessGround, KeyAuditEvent, KeyRequester, SealedTarget, ShareRefusal};

#[test]
fn the_patient_or_a_guardian_asks_for_the_patients_own_content() {
	test(|| {
		assert_ok!(KeyRelease::request_own_key(RuntimeOrigin::signed(GUARDIAN), RECORD));
		let id = KeyRequestId(0);
		let r = KeyRequests::<Test>::get(id).expect("stored");
		assert_eq!((r.by, r.ground, r.reader_key), (KeyRequester::PatientSide, AccessGround::PatientSide, PATIENT_KEY));
		assert_eq!(r.valid_until, 1 + LIFETIME);
		assert_eq!(
			audit(),
			vec![(
				P,
				GUARDIAN,
				KeyAuditEvent::KeyRequested {
					request: id,
					requester: KeyRequester::PatientSide,
					target: RECORD,
					ground: AccessGround::PatientSide,
				}
			)]
		);
		// Custodians release to it like to any request.
		assert_ok!(KeyRelease::release_share(RuntimeOrigin::signed(CUSTODIAN_1), id, cid(11)));
		assert_ok!(KeyRelease::request_own_key(RuntimeOrigin::signed(PATIENT), RECORD));
	});
}

#[test]
fn nobody_else_asks_and_erasure_ends_it() {
	test(|| {
		for who in [DOCTOR, CUSTODIAN_1, OUTSIDER] {
			assert_noop!(
				KeyRelease::request_own_key(RuntimeOrigin::signed(who), RECORD),
				Error::<Test>::NotPatientOrGuardian
			);
		}
		assert_noop!(
			KeyRelease::request_own_key(RuntimeOrigin::signed(PATIENT), SealedTarget::LabStudy(pmr_primitives::LabReportId(1))),
			Error::<Test>::UnknownContent
		);
		assert_ok!(KeyRelease::request_own_key(RuntimeOrigin::signed(PATIENT), RECORD));
		erase(7);
		assert_eq!(
			KeyRelease::release_check(KeyRequestId(0)),
			Some(Err(ShareRefusal::Denied(AccessDenied::NoSuchRecord)))
		);
		assert_noop!(
			KeyRelease::release_share(RuntimeOrigin::signed(CUSTODIAN_1), KeyRequestId(0), cid(11)),
			Error::<Test>::DecisionNoLongerHolds
		);
		assert_noop!(
			KeyRelease::request_own_key(RuntimeOrigin::signed(PATIENT), RECORD),
			Error::<Test>::Erased
		);
	});
}

#[test]
fn a_request_whose_ground_ends_in_this_block_is_refused_and_nothing_is_stored() {
	test(|| {
		// The stub consent pallet reports the ground's end through `ground_expires_at`, here
		// the current block (found by the fuzzer: a request stored with `valid_until` before
		// `requested_at`).
		go_to(5);
		allow(DOCTOR, AccessGround::PatientSide, Some(5));
		assert_noop!(
			KeyRelease::request_own_key(RuntimeOrigin::signed(PATIENT), RECORD),
			Error::<Test>::DecisionNoLongerHolds
		);
		assert_eq!(NextKeyRequestId::<Test>::get(), KeyRequestId(0));
		// One block of validity left is enough.
		allow(DOCTOR, AccessGround::PatientSide, Some(6));
		assert_ok!(KeyRelease::request_own_key(RuntimeOrigin::signed(PATIENT), RECORD));
		assert_eq!(KeyRequests::<Test>::get(KeyRequestId(0)).map(|r| r.valid_until), Some(5));
	});
}
