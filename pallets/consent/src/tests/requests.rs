//! `request_access`, `approve_request`, `deny_request`, `cancel_request`.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::{AccessDenied, AccessGround, AccessTarget, Purpose, RecordCategory::*};

#[test]
fn a_doctor_requests_and_the_patient_approves() {
	test(|| {
		let r = request(DOCTOR, all(), Purpose::SecondOpinion, 30);
		assert_eq!(
			last_event(),
			Event::AccessRequested {
				request: r,
				patient: P,
				requester: doc(DOCTOR),
				purpose: Purpose::SecondOpinion,
				duration: 30,
				expires_at: 1 + REQUEST_TIMEOUT
			}
		);
		go_to(4);
		assert_ok!(Consent::approve_request(RuntimeOrigin::signed(PATIENT), r, None, None, Default::default()));
		let g = GrantId(0);
		assert!(System::events().iter().any(|e| e.event ==
			RuntimeEvent::Consent(Event::RequestApproved {
				request: r,
				grant: g,
				narrowed: false,
				essential_shares: 0,
				by: PATIENT
			})));
		let info = Grants::<Test>::get(g).expect("granted");
		// The grant runs from the approval, not from the request.
		assert_eq!((info.granted_at, info.expires_at), (4, 34));
		assert_eq!(info.kind, GrantKind::Consent { by: Actor::Patient, request: Some(r) });
		assert!(!Requests::<Test>::contains_key(r));
		assert_eq!(PendingRequestCount::<Test>::get(P), 0);
		assert_eq!(
			check(DOCTOR, AccessTarget::AllRecords, Purpose::SecondOpinion),
			Ok(AccessGround::Grant(g))
		);
	});
}

#[test]
fn the_patient_may_narrow_scope_and_duration() {
	test(|| {
		let r = request(LAB, categories(&[LabDiagnostics, IomtData]), Purpose::LabWork, 30);
		assert_ok!(Consent::approve_request(
			RuntimeOrigin::signed(PATIENT),
			r,
			Some(categories(&[LabDiagnostics])),
			Some(10), Default::default()
		));
		assert!(System::events().iter().any(|e| matches!(
			e.event,
			RuntimeEvent::Consent(Event::RequestApproved { narrowed: true, .. })
		)));
		let info = Grants::<Test>::get(GrantId(0)).expect("granted");
		assert_eq!(info.expires_at, 11);
		let lab_check = |target| {
			<Consent as pmr_primitives::AccessPolicy<u64>>::can_access(
				&LAB,
				P,
				target,
				Purpose::LabWork,
			)
		};
		assert!(lab_check(AccessTarget::Category(LabDiagnostics)).is_ok());
		assert_eq!(lab_check(AccessTarget::Category(IomtData)), Err(AccessDenied::OutOfScope));
	});
}

#[test]
fn an_approval_cannot_widen_the_request() {
	test(|| {
		let r = request(DOCTOR, records(&[1, 2]), Purpose::SecondOpinion, 30);
		for wider in [all(), records(&[1, 2, 3]), categories(&[PastIllness])] {
			assert_noop!(
				Consent::approve_request(RuntimeOrigin::signed(PATIENT), r, Some(wider), None, Default::default()),
				Error::<Test>::ScopeWidened
			);
		}
		assert_noop!(
			Consent::approve_request(RuntimeOrigin::signed(PATIENT), r, None, Some(31), Default::default()),
			Error::<Test>::DurationExtended
		);
		assert_noop!(
			Consent::approve_request(RuntimeOrigin::signed(PATIENT), r, None, Some(0), Default::default()),
			Error::<Test>::ZeroDuration
		);
		assert_noop!(
			Consent::approve_request(RuntimeOrigin::signed(PATIENT), r, Some(records(&[])), None, Default::default()),
			Error::<Test>::EmptyScope
		);
	});
}

#[test]
fn a_narrowed_approval_cannot_be_widened_by_the_requester() {
	test(|| {
		let r = request(DOCTOR, all(), Purpose::SecondOpinion, 30);
		assert_ok!(Consent::approve_request(
			RuntimeOrigin::signed(PATIENT),
			r,
			Some(categories(&[PastIllness])),
			Some(5), Default::default()
		));
		// The grant is what the patient approved; the requester has no call to change it.
		assert_eq!(
			check(DOCTOR, AccessTarget::Category(TreatmentSummary), Purpose::SecondOpinion),
			Err(AccessDenied::OutOfScope)
		);
		// Asking again is a new request the patient must answer; the grant does not grow.
		let again = request(DOCTOR, all(), Purpose::SecondOpinion, 30);
		assert_noop!(
			Consent::approve_request(RuntimeOrigin::signed(DOCTOR), again, None, None, Default::default()),
			Error::<Test>::NotPatientOrGuardian
		);
		assert_eq!(
			check(DOCTOR, AccessTarget::Category(TreatmentSummary), Purpose::SecondOpinion),
			Err(AccessDenied::OutOfScope)
		);
		go_to(6);
		assert_eq!(
			check(DOCTOR, AccessTarget::Category(PastIllness), Purpose::SecondOpinion),
			Err(AccessDenied::Expired)
		);
	});
}

#[test]
fn the_patient_denies() {
	test(|| {
		let r = request(DOCTOR, all(), Purpose::SecondOpinion, 30);
		assert_ok!(Consent::deny_request(RuntimeOrigin::signed(PATIENT), r));
		assert_eq!(last_event(), Event::RequestDenied { request: r, patient: P, by: PATIENT });
		assert!(!Requests::<Test>::contains_key(r));
		assert_noop!(
			Consent::approve_request(RuntimeOrigin::signed(PATIENT), r, None, None, Default::default()),
			Error::<Test>::UnknownRequest
		);
		assert!(Grants::<Test>::iter().next().is_none());
	});
}

#[test]
fn the_requester_cancels() {
	test(|| {
		let r = request(DOCTOR, all(), Purpose::SecondOpinion, 30);
		for who in [OTHER_DOCTOR, PATIENT, LAB, OUTSIDER] {
			assert_noop!(
				Consent::cancel_request(RuntimeOrigin::signed(who), r),
				Error::<Test>::NotRequester
			);
		}
		assert_ok!(Consent::cancel_request(RuntimeOrigin::signed(DOCTOR), r));
		assert_eq!(last_event(), Event::RequestCancelled { request: r, patient: P });
		assert_eq!(PendingRequestCount::<Test>::get(P), 0);
	});
}

#[test]
fn only_the_patient_side_answers() {
	test(|| {
		let r = request(DOCTOR, all(), Purpose::SecondOpinion, 30);
		for who in [DOCTOR, OTHER_DOCTOR, HOME_DOCTOR, LAB, OTHER_PATIENT, GUARDIAN, OUTSIDER] {
			assert_noop!(
				Consent::approve_request(RuntimeOrigin::signed(who), r, None, None, Default::default()),
				Error::<Test>::NotPatientOrGuardian
			);
			assert_noop!(
				Consent::deny_request(RuntimeOrigin::signed(who), r),
				Error::<Test>::NotPatientOrGuardian
			);
		}
	});
}

#[test]
fn only_active_doctors_and_labs_request() {
	test(|| {
		deactivate(OTHER_DOCTOR);
		for who in [OTHER_DOCTOR, PATIENT, GUARDIAN, OUTSIDER, REGULATOR] {
			assert_noop!(
				Consent::request_access(
					RuntimeOrigin::signed(who),
					P,
					all(),
					Purpose::Treatment,
					5,
					Some(note())
				),
				Error::<Test>::NotDoctorOrLab
			);
		}
	});
}

#[test]
fn bad_requests_are_rejected() {
	test(|| {
		let try_request = |patient, scope, purpose, duration| {
			Consent::request_access(
				RuntimeOrigin::signed(DOCTOR),
				patient,
				scope,
				purpose,
				duration,
				Some(note()),
			)
		};
		assert_noop!(
			try_request(PatientId(77), all(), Purpose::Treatment, 5),
			Error::<Test>::UnknownPatient
		);
		assert_noop!(try_request(P, all(), Purpose::Emergency, 5), Error::<Test>::EmergencyPurpose);
		assert_noop!(try_request(P, records(&[]), Purpose::Treatment, 5), Error::<Test>::EmptyScope);
		assert_noop!(try_request(P, all(), Purpose::Treatment, 0), Error::<Test>::ZeroDuration);
		assert_noop!(try_request(P, all(), Purpose::Treatment, 101), Error::<Test>::DurationTooLong);
	});
}

#[test]
fn one_pending_request_per_requester_and_a_bounded_number_per_patient() {
	test(|| {
		request(DOCTOR, all(), Purpose::SecondOpinion, 30);
		assert_noop!(
			Consent::request_access(
				RuntimeOrigin::signed(DOCTOR),
				P,
				all(),
				Purpose::Treatment,
				5,
				Some(note())
			),
			Error::<Test>::DuplicateRequest
		);
		request(OTHER_DOCTOR, all(), Purpose::SecondOpinion, 30);
		assert_noop!(
			Consent::request_access(
				RuntimeOrigin::signed(LAB),
				P,
				all(),
				Purpose::LabWork,
				5,
				Some(note())
			),
			Error::<Test>::TooManyPendingRequests
		);
		// Other patients are unaffected.
		assert_ok!(Consent::request_access(
			RuntimeOrigin::signed(LAB),
			P2,
			all(),
			Purpose::LabWork,
			5,
			Some(note())
		));
	});
}

#[test]
fn unanswered_requests_expire_by_block_number() {
	test(|| {
		let r = request(DOCTOR, all(), Purpose::SecondOpinion, 30);
		go_to(REQUEST_TIMEOUT);
		assert_eq!(Consent::pending_requests(P).len(), 1);
		go_to(1 + REQUEST_TIMEOUT);
		// Not swept yet, but already past its deadline.
		assert!(Requests::<Test>::contains_key(r));
		assert!(Consent::pending_requests(P).is_empty());
		assert_noop!(
			Consent::approve_request(RuntimeOrigin::signed(PATIENT), r, None, None, Default::default()),
			Error::<Test>::RequestExpired
		);
		// A stale request does not block a new one from the same requester.
		let again = request(DOCTOR, all(), Purpose::SecondOpinion, 30);
		assert!(!Requests::<Test>::contains_key(r));
		assert_eq!(PendingRequests::<Test>::get(P, doc(DOCTOR)), Some(again));
		assert_eq!(PendingRequestCount::<Test>::get(P), 1);
	});
}

#[test]
fn a_request_of_a_deactivated_doctor_cannot_be_approved() {
	test(|| {
		let r = request(DOCTOR, all(), Purpose::SecondOpinion, 30);
		deactivate(DOCTOR);
		assert_noop!(
			Consent::approve_request(RuntimeOrigin::signed(PATIENT), r, None, None, Default::default()),
			Error::<Test>::AccessorNotActive
		);
		assert_ok!(Consent::deny_request(RuntimeOrigin::signed(PATIENT), r));
	});
}

#[test]
fn the_appointment_book_files_a_request_for_one_target() {
	use pmr_primitives::ConsentRequests;
	test(|| {
		let r = <Consent as ConsentRequests<u64, u64>>::file_request(
			&DOCTOR,
			P,
			AccessTarget::Record { item: 42, category: LabDiagnostics },
			Purpose::Treatment,
			30,
		)
		.expect("filed");
		let info = Requests::<Test>::get(r).expect("pending");
		assert_eq!((info.scope, info.requester_account, info.duration), (records(&[42]), DOCTOR, 30));
		assert_eq!(info.reason, None, "filed with the appointment, no note");
		// It is an ordinary request: the patient answers it, the same rules apply.
		assert_noop!(
			<Consent as ConsentRequests<u64, u64>>::file_request(
				&DOCTOR,
				P,
				AccessTarget::AllRecords,
				Purpose::Treatment,
				30
			),
			Error::<Test>::DuplicateRequest
		);
		assert_noop!(
			<Consent as ConsentRequests<u64, u64>>::file_request(
				&OUTSIDER,
				P,
				AccessTarget::AllRecords,
				Purpose::Treatment,
				30
			),
			Error::<Test>::NotDoctorOrLab
		);
		assert_ok!(Consent::approve_request(RuntimeOrigin::signed(PATIENT), r, None, None, Default::default()));
	});
}

#[test]
fn lapsed_requests_do_not_count_against_the_limit() {
	test(|| {
		// MaxPendingRequests is 2.
		request(DOCTOR, all(), Purpose::SecondOpinion, 30);
		request(OTHER_DOCTOR, all(), Purpose::SecondOpinion, 30);
		go_to(1 + REQUEST_TIMEOUT);
		// Both lapsed (unswept): a third requester is not turned away.
		let r = request(LAB, all(), Purpose::LabWork, 30);
		assert_eq!(PendingRequestCount::<Test>::get(P), 1);
		assert_eq!(Consent::pending_requests(P).into_iter().map(|(id, _)| id).collect::<Vec<_>>(), vec![r]);
		assert!(System::events().iter().any(|e| e.event ==
			RuntimeEvent::Consent(Event::RequestExpired { request: RequestId(0), patient: P })));
	});
}

#[test]
fn a_cancelled_appointment_withdraws_its_request() {
	use pmr_primitives::ConsentRequests;
	test(|| {
		let r = <Consent as ConsentRequests<u64, u64>>::file_request(
			&DOCTOR,
			P,
			AccessTarget::AllRecords,
			Purpose::Treatment,
			30,
		)
		.expect("filed");
		<Consent as ConsentRequests<u64, u64>>::withdraw_request(r);
		assert!(!Requests::<Test>::contains_key(r));
		assert_eq!(last_event(), Event::RequestCancelled { request: r, patient: P });
		// Withdrawing an answered request changes nothing.
		let again = request(DOCTOR, all(), Purpose::SecondOpinion, 30);
		assert_ok!(Consent::approve_request(RuntimeOrigin::signed(PATIENT), again, None, None, Default::default()));
		<Consent as ConsentRequests<u64, u64>>::withdraw_request(again);
		assert_eq!(Consent::active_grants(P, None, 10).items.len(), 1);
	});
}

#[test]
fn an_approval_hands_the_essential_shares_over_and_they_end_with_the_grant() {
	test(|| {
		let r = request(DOCTOR, all(), Purpose::SecondOpinion, 30);
		let v0 = pmr_primitives::SealedTarget::RecordVersion { item: 7, version: 0 };
		let v1 = pmr_primitives::SealedTarget::RecordVersion { item: 7, version: 1 };
		let envelope = |b: u8| pmr_primitives::EssentialEnvelope::truncate_from(vec![b; 92]);
		let keys = KeysOf::<Test>::truncate_from(vec![(v0, envelope(1)), (v1, envelope(2))]);
		assert_ok!(Consent::approve_request(RuntimeOrigin::signed(PATIENT), r, None, None, keys));
		let g = GrantId(0);
		let approved = Event::RequestApproved { request: r, grant: g, narrowed: false, essential_shares: 2, by: PATIENT };
		assert!(System::events().iter().any(|e| e.event == RuntimeEvent::Consent(approved.clone())));
		assert_eq!(Consent::essential_share(&DOCTOR, P, v1), Some((g, envelope(2))));
		// Only to the grantee, only for what was handed over, only while the grant applies.
		assert_eq!(Consent::essential_share(&OTHER_DOCTOR, P, v1), None);
		assert_eq!(
			Consent::essential_share(&DOCTOR, P, pmr_primitives::SealedTarget::RecordVersion { item: 8, version: 0 }),
			None
		);
		go_to(1 + 30);
		assert_eq!(Consent::essential_share(&DOCTOR, P, v0), None, "the grant ended");
		go_to(2);
		assert_ok!(Consent::revoke_grant(RuntimeOrigin::signed(PATIENT), g));
		assert!(!GrantKeys::<Test>::contains_key(g), "revoking the grant removes its keys");
		assert_eq!(Consent::essential_share(&DOCTOR, P, v0), None);
	});
}
