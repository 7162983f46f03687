//! What an account recovery does to consent (`AccountRecoveryHooks`, told by the registry):
//! a recovered doctor's or lab's grants are suspended until the patient's side confirms them
//! again (`confirm_grant`); every step of a patient's own recovery is in the audit trail.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::{
	AccessDenied, AccessGround, AccessTarget, AccountRecoveryHooks, HospitalId, RecoveryStep,
	SealedTarget,
};

fn recovered(accessor: Accessor) {
	<Consent as AccountRecoveryHooks<u64>>::staff_recovered(accessor);
}

fn envelope(b: u8) -> pmr_primitives::EssentialEnvelope {
	pmr_primitives::EssentialEnvelope::truncate_from(vec![b; 92])
}

#[test]
fn a_recovered_doctors_grants_open_nothing_until_the_patient_confirms_them() {
	test(|| {
		let g = grant(doc(DOCTOR), all(), Purpose::SecondOpinion, 50);
		let other = grant(doc(OTHER_DOCTOR), all(), Purpose::SecondOpinion, 50);
		go_to(5);
		recovered(doc(DOCTOR));
		assert_eq!(Consent::grant_suspended(g), Some(5));
		assert_eq!(
			check(DOCTOR, AccessTarget::AllRecords, Purpose::SecondOpinion),
			Err(AccessDenied::GrantSuspended)
		);
		// Another doctor's grant is untouched.
		assert_eq!(Consent::grant_suspended(other), None);
		assert!(check(OTHER_DOCTOR, AccessTarget::AllRecords, Purpose::SecondOpinion).is_ok());
		// The grantee cannot confirm it, nor can anyone outside the patient's side.
		for who in [DOCTOR, OTHER_DOCTOR, OUTSIDER] {
			assert_noop!(
				Consent::confirm_grant(RuntimeOrigin::signed(who), g),
				Error::<Test>::NotPatientOrGuardian
			);
		}
		go_to(6);
		assert_ok!(Consent::confirm_grant(RuntimeOrigin::signed(PATIENT), g));
		assert_eq!(last_event(), Event::GrantConfirmed { grant: g, patient: P, by: PATIENT });
		assert_eq!(Consent::audit_page(P, 0, 1)[0].event, AuditEvent::GrantConfirmed { grant: g });
		assert_eq!(
			check(DOCTOR, AccessTarget::AllRecords, Purpose::SecondOpinion),
			Ok(AccessGround::Grant(g))
		);
		// Once confirmed it is not suspended: confirming again is an error.
		assert_noop!(
			Consent::confirm_grant(RuntimeOrigin::signed(PATIENT), g),
			Error::<Test>::GrantNotSuspended
		);
		assert_noop!(
			Consent::confirm_grant(RuntimeOrigin::signed(PATIENT), other),
			Error::<Test>::GrantNotSuspended
		);
		// A second recovery suspends it again.
		go_to(8);
		recovered(doc(DOCTOR));
		assert_eq!(Consent::grant_suspended(g), Some(8));
		// A grant given after the recovery is not suspended.
		go_to(9);
		let fresh = grant(doc(DOCTOR), all(), Purpose::Treatment, 50);
		assert_eq!(Consent::grant_suspended(fresh), None);
		assert_eq!(check(DOCTOR, AccessTarget::AllRecords, Purpose::Treatment), Ok(AccessGround::Grant(fresh)));
	});
}

#[test]
fn a_suspended_grant_hands_over_no_essential_share_and_its_confirmation_ends_with_it() {
	test(|| {
		let r = request(DOCTOR, all(), Purpose::SecondOpinion, 30);
		let v0 = SealedTarget::RecordVersion { item: 7, version: 0 };
		let keys = KeysOf::<Test>::truncate_from(vec![(v0, envelope(1))]);
		assert_ok!(Consent::approve_request(RuntimeOrigin::signed(PATIENT), r, None, None, keys));
		let g = GrantId(0);
		assert!(Consent::essential_share(&DOCTOR, P, v0).is_some());
		go_to(3);
		recovered(doc(DOCTOR));
		assert_eq!(Consent::essential_share(&DOCTOR, P, v0), None, "suspended");
		// A guardian confirms for the patient.
		assert_ok!(Consent::appoint_guardian(RuntimeOrigin::signed(PATIENT), P, GUARDIAN, None));
		assert_ok!(Consent::confirm_grant(RuntimeOrigin::signed(GUARDIAN), g));
		assert_eq!(Consent::essential_share(&DOCTOR, P, v0), Some((g, envelope(1))));
		assert!(GrantConfirmedAfter::<Test>::contains_key(g));
		assert_ok!(Consent::revoke_grant(RuntimeOrigin::signed(PATIENT), g));
		assert!(!GrantConfirmedAfter::<Test>::contains_key(g), "removed with the grant");
	});
}

#[test]
fn a_suspension_is_the_refusal_only_where_confirming_would_help() {
	test(|| {
		grant(doc(DOCTOR), categories(&[RecordCategory::Prescription]), Purpose::SecondOpinion, 50);
		recovered(doc(DOCTOR));
		assert_eq!(
			check(DOCTOR, AccessTarget::Category(RecordCategory::Prescription), Purpose::SecondOpinion),
			Err(AccessDenied::GrantSuspended)
		);
		// Out of its scope or purpose, the grant would not help even if confirmed.
		assert_eq!(
			check(DOCTOR, AccessTarget::Category(RecordCategory::LabDiagnostics), Purpose::SecondOpinion),
			Err(AccessDenied::OutOfScope)
		);
		assert_eq!(
			check(DOCTOR, AccessTarget::Category(RecordCategory::Prescription), Purpose::Research),
			Err(AccessDenied::PurposeMismatch)
		);
		// A refused access by the recovered doctor is in the trail with its reason.
		let target = AccessTarget::Category(RecordCategory::Prescription);
		assert_ok!(Consent::record_access(RuntimeOrigin::signed(DOCTOR), P, target, Purpose::SecondOpinion));
		assert_eq!(
			Consent::audit_page(P, 0, 1)[0].event,
			AuditEvent::Refused {
				accessor: doc(DOCTOR),
				target,
				purpose: Purpose::SecondOpinion,
				reason: AccessDenied::GrantSuspended
			}
		);
	});
}

#[test]
fn every_step_of_a_patients_recovery_goes_into_the_trail() {
	test(|| {
		let hooks = |actor: Option<u64>, step| {
			<Consent as AccountRecoveryHooks<u64>>::log_recovery(P, actor.as_ref(), step)
		};
		hooks(Some(HOME_DOCTOR), RecoveryStep::Proposed { hospital: HospitalId(0), new: 77 });
		hooks(Some(PATIENT), RecoveryStep::Objected);
		hooks(None, RecoveryStep::Confirmed { new: 77 });
		let trail = Consent::audit_page(P, 0, 3);
		assert_eq!(
			trail.iter().map(|e| (e.actor, e.event.clone())).collect::<Vec<_>>(),
			vec![
				(None, AuditEvent::Recovery(RecoveryStep::Confirmed { new: 77 })),
				(Some(PATIENT), AuditEvent::Recovery(RecoveryStep::Objected)),
				(Some(HOME_DOCTOR), AuditEvent::Recovery(RecoveryStep::Proposed { hospital: HospitalId(0), new: 77 })),
			]
		);
	});
}

#[test]
fn guardians_are_known_to_the_registry_for_objections() {
	test(|| {
		let is_guardian = |who| <Consent as AccountRecoveryHooks<u64>>::is_guardian(&who, P);
		assert!(!is_guardian(GUARDIAN));
		assert_ok!(Consent::appoint_guardian(RuntimeOrigin::signed(PATIENT), P, GUARDIAN, None));
		assert!(is_guardian(GUARDIAN));
		assert!(!is_guardian(PATIENT), "the patient objects as the holder, not as a guardian");
	});
}
