//! `revoke_grant` (the patient's side) and `end_session` (the grantee).

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::{AccessDenied, AccessTarget, Purpose};

#[test]
fn a_revoked_grant_is_denied_at_once() {
	test(|| {
		let g = grant(doc(DOCTOR), all(), Purpose::SecondOpinion, 50);
		assert!(check(DOCTOR, AccessTarget::AllRecords, Purpose::SecondOpinion).is_ok());
		assert_ok!(Consent::revoke_grant(RuntimeOrigin::signed(PATIENT), g));
		assert_eq!(last_event(), Event::GrantRevoked { grant: g, patient: P, by: PATIENT });
		// The refusal says the consent was revoked, not that there never was one.
		assert_eq!(
			check(DOCTOR, AccessTarget::AllRecords, Purpose::SecondOpinion),
			Err(AccessDenied::Revoked)
		);
		assert!(!Grants::<Test>::contains_key(g));
		assert!(!PairGrants::<Test>::contains_key(P, doc(DOCTOR)));
		// Revoking twice is an error, not a silent success.
		assert_noop!(
			Consent::revoke_grant(RuntimeOrigin::signed(PATIENT), g),
			Error::<Test>::UnknownGrant
		);
	});
}

#[test]
fn only_the_patient_side_may_revoke() {
	test(|| {
		let g = grant(doc(DOCTOR), all(), Purpose::SecondOpinion, 50);
		for who in [DOCTOR, OTHER_DOCTOR, HOME_DOCTOR, LAB, OTHER_PATIENT, GUARDIAN, REGULATOR] {
			assert_noop!(
				Consent::revoke_grant(RuntimeOrigin::signed(who), g),
				Error::<Test>::NotPatientOrGuardian
			);
		}
	});
}

#[test]
fn the_grantee_ends_the_session_early() {
	test(|| {
		let g = grant(doc(DOCTOR), all(), Purpose::SecondOpinion, 50);
		assert_ok!(Consent::end_session(RuntimeOrigin::signed(DOCTOR), g));
		assert_eq!(last_event(), Event::SessionEnded { grant: g, patient: P, by: DOCTOR });
		assert_eq!(
			check(DOCTOR, AccessTarget::AllRecords, Purpose::SecondOpinion),
			Err(AccessDenied::SessionEnded)
		);
	});
}

#[test]
fn only_the_grantee_may_end_the_session() {
	test(|| {
		let g = grant(doc(DOCTOR), all(), Purpose::SecondOpinion, 50);
		for who in [OTHER_DOCTOR, HOME_DOCTOR, LAB, PATIENT, OTHER_PATIENT, GUARDIAN, OUTSIDER] {
			assert_noop!(
				Consent::end_session(RuntimeOrigin::signed(who), g),
				Error::<Test>::NotGrantee
			);
		}
		assert_noop!(
			Consent::end_session(RuntimeOrigin::signed(DOCTOR), GrantId(9)),
			Error::<Test>::UnknownGrant
		);
	});
}

#[test]
fn closures_are_in_the_audit_trail() {
	test(|| {
		let g = grant(doc(DOCTOR), all(), Purpose::SecondOpinion, 50);
		assert_ok!(Consent::end_session(RuntimeOrigin::signed(DOCTOR), g));
		let trail = Consent::audit_page(P, 0, 10);
		assert_eq!(trail.len(), 2);
		assert_eq!(trail[0].event, AuditEvent::GrantClosed { grant: g });
		assert_eq!(trail[0].actor, Some(DOCTOR));
		assert_eq!(trail[1].event, AuditEvent::GrantIssued { grant: g, accessor: doc(DOCTOR) });
	});
}

#[test]
fn an_expired_grant_is_already_over() {
	test(|| {
		let g = grant(doc(DOCTOR), all(), Purpose::SecondOpinion, 5);
		go_to(6);
		// Not swept yet, but neither side can close what has ended.
		assert!(Grants::<Test>::contains_key(g));
		assert_noop!(Consent::revoke_grant(RuntimeOrigin::signed(PATIENT), g), Error::<Test>::UnknownGrant);
		assert_noop!(Consent::end_session(RuntimeOrigin::signed(DOCTOR), g), Error::<Test>::UnknownGrant);
	});
}
