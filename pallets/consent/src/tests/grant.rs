//! `grant_access`: the patient's side gives a doctor or lab scoped, time-limited access.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::{AccessDenied, AccessGround, AccessTarget, DoctorId, LabId, Purpose, RecordCategory::*};

#[test]
fn patient_grants_a_doctor_access_until_an_expiry() {
	test(|| {
		let g = grant(doc(DOCTOR), all(), Purpose::SecondOpinion, 7);
		let info = Grants::<Test>::get(g).expect("stored");
		assert_eq!((info.patient, info.accessor, info.expires_at), (P, doc(DOCTOR), 8));
		assert_eq!(info.kind, GrantKind::Consent { by: Actor::Patient, request: None });
		assert_eq!(
			last_event(),
			Event::GrantIssued {
				grant: g,
				patient: P,
				accessor: doc(DOCTOR),
				purpose: Purpose::SecondOpinion,
				expires_at: 8,
				by: PATIENT
			}
		);
		assert_eq!(
			check(DOCTOR, AccessTarget::AllRecords, Purpose::SecondOpinion),
			Ok(AccessGround::Grant(g))
		);
		assert_eq!(GrantsIssued::<Test>::get(P), 1);
	});
}

#[test]
fn expiry_can_be_a_block_number() {
	test(|| {
		go_to(10);
		assert_ok!(Consent::grant_access(
			RuntimeOrigin::signed(PATIENT),
			P,
			Accessor::Lab(LAB_ID),
			categories(&[LabDiagnostics]),
			Purpose::LabWork,
			Expiry::AtBlock(40)
		));
		assert_eq!(Grants::<Test>::get(GrantId(0)).map(|g| g.expires_at), Some(40));
	});
}

#[test]
fn bad_expiries_are_rejected() {
	test(|| {
		go_to(10);
		let try_grant = |expiry| {
			Consent::grant_access(
				RuntimeOrigin::signed(PATIENT),
				P,
				doc(DOCTOR),
				all(),
				Purpose::Treatment,
				expiry,
			)
		};
		assert_noop!(try_grant(Expiry::AtBlock(10)), Error::<Test>::ExpiryNotInFuture);
		assert_noop!(try_grant(Expiry::AtBlock(5)), Error::<Test>::ExpiryNotInFuture);
		assert_noop!(try_grant(Expiry::After(0)), Error::<Test>::ZeroDuration);
		assert_noop!(try_grant(Expiry::After(101)), Error::<Test>::DurationTooLong);
		assert_noop!(try_grant(Expiry::AtBlock(111)), Error::<Test>::DurationTooLong);
		assert_ok!(try_grant(Expiry::AtBlock(110)));
	});
}

#[test]
fn bad_scopes_and_purposes_are_rejected() {
	test(|| {
		let try_grant = |scope, purpose| {
			Consent::grant_access(
				RuntimeOrigin::signed(PATIENT),
				P,
				doc(DOCTOR),
				scope,
				purpose,
				Expiry::After(5),
			)
		};
		assert_noop!(try_grant(categories(&[]), Purpose::Treatment), Error::<Test>::EmptyScope);
		assert_noop!(try_grant(records(&[]), Purpose::Treatment), Error::<Test>::EmptyScope);
		assert_noop!(try_grant(all(), Purpose::Emergency), Error::<Test>::EmergencyPurpose);
	});
}

#[test]
fn only_the_patient_side_may_grant() {
	test(|| {
		for who in [DOCTOR, HOME_DOCTOR, LAB, OTHER_PATIENT, GUARDIAN, OUTSIDER, REGULATOR] {
			assert_noop!(
				Consent::grant_access(
					RuntimeOrigin::signed(who),
					P,
					doc(DOCTOR),
					all(),
					Purpose::Treatment,
					Expiry::After(5)
				),
				Error::<Test>::NotPatientOrGuardian
			);
		}
		assert_noop!(
			Consent::grant_access(
				RuntimeOrigin::signed(PATIENT),
				PatientId(77),
				doc(DOCTOR),
				all(),
				Purpose::Treatment,
				Expiry::After(5)
			),
			Error::<Test>::UnknownPatient
		);
	});
}

#[test]
fn grantee_must_be_active() {
	test(|| {
		deactivate(DOCTOR);
		for accessor in [doc(DOCTOR), Accessor::Doctor(DoctorId(500)), Accessor::Lab(LabId(9))] {
			assert_noop!(
				Consent::grant_access(
					RuntimeOrigin::signed(PATIENT),
					P,
					accessor,
					all(),
					Purpose::Treatment,
					Expiry::After(5)
				),
				Error::<Test>::AccessorNotActive
			);
		}
	});
}

#[test]
fn a_pair_holds_a_bounded_number_of_consents_and_stale_ones_make_room() {
	test(|| {
		// MaxGrantsPerPair is 3: two consent slots, one kept for break-glass.
		grant(doc(DOCTOR), all(), Purpose::Research, 2);
		grant(doc(DOCTOR), all(), Purpose::Insurance, 50);
		assert_noop!(
			Consent::grant_access(
				RuntimeOrigin::signed(PATIENT),
				P,
				doc(DOCTOR),
				all(),
				Purpose::Treatment,
				Expiry::After(5)
			),
			Error::<Test>::TooManyGrants
		);
		// Once the first grant has expired, a new grant cleans it up and takes its slot.
		go_to(3);
		let g = grant(doc(DOCTOR), all(), Purpose::Treatment, 5);
		assert_eq!(PairGrants::<Test>::get(P, doc(DOCTOR)).into_inner(), vec![GrantId(1), g]);
		assert!(!Grants::<Test>::contains_key(GrantId(0)));
		assert!(System::events().iter().any(|e| e.event ==
			RuntimeEvent::Consent(Event::GrantExpired { grant: GrantId(0), patient: P })));
		// Other accessors have their own slots.
		grant(doc(OTHER_DOCTOR), all(), Purpose::Treatment, 5);
	});
}

#[test]
fn the_purpose_must_match() {
	test(|| {
		grant(doc(DOCTOR), all(), Purpose::SecondOpinion, 5);
		assert_eq!(
			check(DOCTOR, AccessTarget::AllRecords, Purpose::Research),
			Err(AccessDenied::PurposeMismatch)
		);
	});
}
