//! Off-chain share requests: the runtime's decision custodians ask for
//! (`check_share_request`), and `record_share_answers`, which puts every answer a custodian
//! gave off chain into the patient's audit trail.

use super::*;
use frame_support::{assert_noop, assert_ok, BoundedVec};
use pmr_primitives::{
	AccessDenied, AnsweredShareRequest, HospitalId, KeyAuditEvent, ShareAnswer, ShareDecision,
	ShareRefusal, ShareRequestInvalid,
};

fn decide(request: &ShareRequestOf<Test>) -> ShareDecision<u64> {
	KeyRelease::check_share_request(request, &signature_of(request.requester, request))
}

fn answered(request: ShareRequestOf<Test>, decided_at: u64, answer: ShareAnswer) -> AnswerOf<Test> {
	let signature = signature_of(request.requester, &request);
	AnsweredShareRequest { request, signature, decided_at, answer }
}

fn record(custodian: u64, answers: Vec<AnswerOf<Test>>) -> frame_support::dispatch::DispatchResult {
	KeyRelease::record_share_answers(RuntimeOrigin::signed(custodian), BoundedVec::truncate_from(answers))
}

#[test]
fn a_grant_that_ends_at_block_e_is_answered_at_e_minus_one_and_refused_at_e() {
	test(|| {
		allow(DOCTOR, AccessGround::Grant(GRANT), Some(6));
		let request = share_request(DOCTOR, 1);
		go_to(5);
		let ShareDecision::Release(release) = decide(&request) else { panic!("released at E-1") };
		assert_eq!(release.patient, P);
		assert_eq!(release.content, content());
		assert_eq!(release.ground, AccessGround::Grant(GRANT));
		assert_eq!(release.valid_until, 5);
		go_to(6);
		assert_eq!(decide(&request), ShareDecision::Refuse(ShareRefusal::Denied(AccessDenied::Expired)));
	});
}

#[test]
fn revoked_or_erased_content_is_refused_and_a_request_past_its_lifetime_is_stale() {
	test(|| {
		allow(DOCTOR, AccessGround::Grant(GRANT), None);
		let request = share_request(DOCTOR, 1);
		assert!(matches!(decide(&request), ShareDecision::Release(_)));
		go_to(1 + LIFETIME);
		assert!(matches!(decide(&request), ShareDecision::Release(_)));
		go_to(2 + LIFETIME);
		assert_eq!(decide(&request), ShareDecision::Invalid(ShareRequestInvalid::Stale));
		let fresh = share_request(DOCTOR, 2 + LIFETIME);
		revoke(DOCTOR);
		assert_eq!(decide(&fresh), ShareDecision::Refuse(ShareRefusal::Denied(AccessDenied::NoConsent)));
		allow(DOCTOR, AccessGround::Grant(GRANT), None);
		erase(7);
		assert_eq!(decide(&fresh), ShareDecision::Refuse(ShareRefusal::Denied(AccessDenied::NoSuchRecord)));
	});
}

#[test]
fn a_request_that_is_not_the_requesters_or_not_this_chains_is_not_decided() {
	test(|| {
		allow(DOCTOR, AccessGround::Grant(GRANT), None);
		go_to(3);
		let invalid = |request: &ShareRequestOf<Test>, signer: u64| {
			match KeyRelease::check_share_request(request, &signature_of(signer, request)) {
				ShareDecision::Invalid(why) => why,
				other => panic!("decided: {other:?}"),
			}
		};
		let good = share_request(DOCTOR, 3);
		assert_eq!(invalid(&good, OUTSIDER), ShareRequestInvalid::BadSignature);
		// Signed for another request (a different reader key).
		let other = ShareRequestOf::<Test> { reader_key: [1; 32], ..good.clone() };
		let signature = signature_of(DOCTOR, &other);
		assert!(matches!(KeyRelease::check_share_request(&good, &signature), ShareDecision::Invalid(_)));
		let cases = [
			(ShareRequestOf::<Test> { genesis: [0; 32], ..good.clone() }, ShareRequestInvalid::WrongChain),
			(ShareRequestOf::<Test> { at: 4, ..good.clone() }, ShareRequestInvalid::NotYetValid),
			(ShareRequestOf::<Test> { reader_key: [1; 32], ..good.clone() }, ShareRequestInvalid::WrongReaderKey),
			(share_request(KEYLESS_DOCTOR, 3), ShareRequestInvalid::WrongReaderKey),
			(share_request(OUTSIDER, 3), ShareRequestInvalid::NotDoctorOrLab),
			(
				ShareRequestOf::<Test> { purpose: None, ..share_request(OUTSIDER, 3) },
				ShareRequestInvalid::NotPatientOrGuardian,
			),
			(
				ShareRequestOf::<Test> { target: pmr_primitives::SealedTarget::LabStudy(pmr_primitives::LabReportId(1)), ..good.clone() },
				ShareRequestInvalid::UnknownContent,
			),
		];
		for (request, why) in cases {
			assert_eq!(invalid(&request, request.requester), why, "{request:?}");
		}
	});
}

#[test]
fn a_wallet_signature_over_the_wrapped_bytes_is_the_requesters() {
	test(|| {
		allow(DOCTOR, AccessGround::Grant(GRANT), None);
		let request = share_request(DOCTOR, 1);
		let mut wrapped = b"<Bytes>".to_vec();
		wrapped.extend(request.signing_payload());
		wrapped.extend(b"</Bytes>");
		let signature = sp_runtime::testing::TestSignature(DOCTOR, wrapped);
		assert!(matches!(KeyRelease::check_share_request(&request, &signature), ShareDecision::Release(_)));
	});
}

#[test]
fn the_patient_side_is_released_its_own_content_wrapped_to_the_patients_key() {
	test(|| {
		for who in [PATIENT, GUARDIAN] {
			let own = ShareRequestOf::<Test> {
				purpose: None,
				reader_key: PATIENT_KEY,
				..share_request(who, 1)
			};
			let ShareDecision::Release(release) = decide(&own) else { panic!("released to {who}") };
			assert_eq!(release.ground, AccessGround::PatientSide);
			assert_eq!(release.valid_until, 1 + LIFETIME);
		}
		let wrong_key = ShareRequestOf::<Test> { purpose: None, ..share_request(PATIENT, 1) };
		assert_eq!(decide(&wrong_key), ShareDecision::Invalid(ShareRequestInvalid::WrongReaderKey));
	});
}

#[test]
fn every_answer_a_custodian_records_is_in_the_patients_trail_under_the_requester() {
	test(|| {
		allow(DOCTOR, AccessGround::Grant(GRANT), None);
		let request = share_request(DOCTOR, 1);
		let digest = request.digest();
		go_to(3);
		assert_ok!(record(CUSTODIAN_1, vec![answered(request.clone(), 2, ShareAnswer::Released)]));
		let refusal = ShareAnswer::Refused(ShareRefusal::ManifestUnavailable);
		assert_ok!(record(CUSTODIAN_2, vec![answered(request.clone(), 3, refusal)]));
		let entry = |custodian, answer| {
			(
				P,
				DOCTOR,
				KeyAuditEvent::ShareAnswered {
					custodian: HospitalId(custodian),
					target: RECORD,
					purpose: Some(Purpose::SecondOpinion),
					request: digest,
					answer,
				},
			)
		};
		assert_eq!(audit(), vec![entry(1, ShareAnswer::Released), entry(2, refusal)]);
		assert_eq!(
			events(),
			vec![
				Event::ShareAnswerRecorded {
					patient: P,
					custodian: HospitalId(1),
					requester: DOCTOR,
					target: RECORD,
					request: digest,
					answer: ShareAnswer::Released,
					audit_index: 0,
				},
				Event::ShareAnswerRecorded {
					patient: P,
					custodian: HospitalId(2),
					requester: DOCTOR,
					target: RECORD,
					request: digest,
					answer: refusal,
					audit_index: 1,
				},
			]
		);
	});
}

#[test]
fn an_answer_that_fails_the_checks_is_left_out_and_the_rest_of_the_batch_recorded() {
	test(|| {
		let good = share_request(DOCTOR, 1);
		let forged = AnsweredShareRequest {
			signature: signature_of(OUTSIDER, &share_request(LAB, 1)),
			..answered(share_request(LAB, 1), 1, ShareAnswer::Released)
		};
		let stale = answered(share_request(DOCTOR, 1), 2 + LIFETIME, ShareAnswer::Released);
		go_to(2 + LIFETIME);
		assert_ok!(record(CUSTODIAN_1, vec![forged, answered(good.clone(), 2, ShareAnswer::Released), stale]));
		assert_eq!(audit().len(), 1);
		let events = events();
		assert_eq!(
			events[0],
			Event::ShareAnswerNotRecorded {
				custodian: HospitalId(1),
				request: share_request(LAB, 1).digest(),
				invalid: Some(ShareRequestInvalid::BadSignature),
			}
		);
		assert!(matches!(events[1], Event::ShareAnswerRecorded { request, .. } if request == good.digest()));
		assert_eq!(
			events[2],
			Event::ShareAnswerNotRecorded {
				custodian: HospitalId(1),
				request: good.digest(),
				invalid: Some(ShareRequestInvalid::Stale),
			}
		);
	});
}

#[test]
fn only_a_custodian_records_and_never_a_decision_from_a_block_not_reached() {
	test(|| {
		let request = share_request(DOCTOR, 1);
		assert_noop!(
			record(OUTSIDER, vec![answered(request.clone(), 1, ShareAnswer::Released)]),
			Error::<Test>::NotCustodian
		);
		deactivate(CUSTODIAN_1);
		assert_noop!(
			record(CUSTODIAN_1, vec![answered(request.clone(), 1, ShareAnswer::Released)]),
			Error::<Test>::NotCustodian
		);
		assert_noop!(
			record(CUSTODIAN_2, vec![answered(request, 2, ShareAnswer::Released)]),
			Error::<Test>::DecidedInTheFuture
		);
		assert!(audit().is_empty());
	});
}

#[test]
fn refusals_count_against_the_same_rate_limit_as_any_refused_access() {
	test(|| {
		let refused = ShareAnswer::Refused(ShareRefusal::Denied(AccessDenied::NoConsent));
		let first = share_request(DOCTOR, 1);
		let again = share_request(DOCTOR, 1);
		assert_ok!(record(CUSTODIAN_1, vec![answered(first, 1, refused), answered(again.clone(), 1, refused)]));
		assert_eq!(audit().len(), 1);
		assert_eq!(
			events().last(),
			Some(&Event::ShareAnswerNotRecorded { custodian: HospitalId(1), request: again.digest(), invalid: None })
		);
		// Releases are never rate-limited: consent gates them.
		assert_ok!(record(CUSTODIAN_1, vec![answered(again, 1, ShareAnswer::Released)]));
		assert_eq!(audit().len(), 2);
	});
}
