//! `record_access` and the access check behind it (`AccessPolicy::can_access`).

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::{AccessDenied, AccessGround, AccessTarget, Purpose, RecordCategory::*};

fn open(who: u64, target: AccessTarget, purpose: Purpose) -> frame_support::dispatch::DispatchResult {
	Consent::record_access(RuntimeOrigin::signed(who), P, target, purpose)
}

#[test]
fn access_at_expiry_minus_one_is_allowed_and_at_expiry_denied() {
	test(|| {
		let g = grant(doc(DOCTOR), all(), Purpose::SecondOpinion, 7);
		let expiry = 1 + 7;
		go_to(expiry - 1);
		assert_eq!(
			check(DOCTOR, AccessTarget::AllRecords, Purpose::SecondOpinion),
			Ok(AccessGround::Grant(g))
		);
		assert_ok!(open(DOCTOR, AccessTarget::AllRecords, Purpose::SecondOpinion));
		go_to(expiry);
		// The grant is still in storage (no sweep ran); the block number decides.
		assert!(Grants::<Test>::contains_key(g));
		assert_eq!(
			check(DOCTOR, AccessTarget::AllRecords, Purpose::SecondOpinion),
			Err(AccessDenied::Expired)
		);
		assert_ok!(open(DOCTOR, AccessTarget::AllRecords, Purpose::SecondOpinion));
		assert!(matches!(
			last_event(),
			Event::AccessRefused { reason: AccessDenied::Expired, .. }
		));
	});
}

#[test]
fn a_release_is_logged_with_its_ground() {
	test(|| {
		let g = grant(doc(DOCTOR), categories(&[LabDiagnostics]), Purpose::SecondOpinion, 7);
		let target = AccessTarget::Record { item: 26012024, category: LabDiagnostics };
		assert_ok!(open(DOCTOR, target, Purpose::SecondOpinion));
		assert_eq!(
			last_event(),
			Event::AccessLogged {
				patient: P,
				accessor: doc(DOCTOR),
				target,
				purpose: Purpose::SecondOpinion,
				ground: AccessGround::Grant(g),
				audit_index: 1
			}
		);
		let entry = &Consent::audit_page(P, 0, 1)[0];
		assert_eq!(entry.actor, Some(DOCTOR));
		assert_eq!(
			entry.event,
			AuditEvent::Accessed {
				accessor: doc(DOCTOR),
				target,
				purpose: Purpose::SecondOpinion,
				ground: AccessGround::Grant(g)
			}
		);
	});
}

#[test]
fn refusals_are_logged_but_rate_limited() {
	test(|| {
		assert_ok!(open(DOCTOR, AccessTarget::AllRecords, Purpose::Treatment));
		assert_eq!(
			last_event(),
			Event::AccessRefused {
				patient: P,
				accessor: doc(DOCTOR),
				target: AccessTarget::AllRecords,
				reason: AccessDenied::NoConsent,
				audit_index: 0
			}
		);
		go_to(REFUSAL_INTERVAL);
		assert_noop!(
			open(DOCTOR, AccessTarget::AllRecords, Purpose::Treatment),
			Error::<Test>::RefusalNotLogged
		);
		// Another accessor has its own interval.
		assert_ok!(open(LAB, AccessTarget::AllRecords, Purpose::LabWork));
		go_to(1 + REFUSAL_INTERVAL);
		assert_ok!(open(DOCTOR, AccessTarget::AllRecords, Purpose::Treatment));
		assert_eq!(AuditLength::<Test>::get(P), 3);
	});
}

#[test]
fn unregistered_callers_get_a_typed_error_and_no_log() {
	test(|| {
		deactivate(OTHER_DOCTOR);
		for who in [OTHER_DOCTOR, PATIENT, GUARDIAN, OUTSIDER, REGULATOR] {
			assert_noop!(
				open(who, AccessTarget::AllRecords, Purpose::Treatment),
				Error::<Test>::NotDoctorOrLab
			);
			assert_eq!(
				check(who, AccessTarget::AllRecords, Purpose::Treatment),
				Err(AccessDenied::NotRegistered)
			);
		}
		assert_noop!(
			Consent::record_access(
				RuntimeOrigin::signed(DOCTOR),
				PatientId(77),
				AccessTarget::AllRecords,
				Purpose::Treatment
			),
			Error::<Test>::UnknownPatient
		);
	});
}

#[test]
fn the_registering_hospital_treats_without_a_grant() {
	test(|| {
		assert_eq!(
			check(HOME_DOCTOR, AccessTarget::AllRecords, Purpose::Treatment),
			Ok(AccessGround::RegisteringHospital(H1))
		);
		// Only for treatment.
		assert_eq!(
			check(HOME_DOCTOR, AccessTarget::AllRecords, Purpose::Research),
			Err(AccessDenied::NoConsent)
		);
		// And only while the doctor is active there.
		deactivate(HOME_DOCTOR);
		assert_eq!(
			check(HOME_DOCTOR, AccessTarget::AllRecords, Purpose::Treatment),
			Err(AccessDenied::NotRegistered)
		);
	});
}

#[test]
fn scopes_cover_what_they_name() {
	test(|| {
		grant(doc(DOCTOR), categories(&[Prescription]), Purpose::Treatment, 20);
		grant(Accessor::Lab(LAB_ID), records(&[44]), Purpose::LabWork, 20);
		let doctor = |t| check(DOCTOR, t, Purpose::Treatment);
		assert!(doctor(AccessTarget::Category(Prescription)).is_ok());
		assert!(doctor(AccessTarget::Record { item: 7, category: Prescription }).is_ok());
		assert_eq!(doctor(AccessTarget::Record { item: 71, category: PastIllness }), Err(AccessDenied::OutOfScope));
		assert_eq!(doctor(AccessTarget::AllRecords), Err(AccessDenied::OutOfScope));
		let lab = |t| {
			<Consent as pmr_primitives::AccessPolicy<u64>>::can_access(&LAB, P, t, Purpose::LabWork)
		};
		assert!(lab(AccessTarget::Record { item: 44, category: LabDiagnostics }).is_ok());
		assert_eq!(lab(AccessTarget::Record { item: 54, category: LabDiagnostics }), Err(AccessDenied::OutOfScope));
		assert_eq!(lab(AccessTarget::Category(LabDiagnostics)), Err(AccessDenied::OutOfScope));
	});
}

#[test]
fn a_grant_for_one_patient_says_nothing_about_another() {
	test(|| {
		grant(doc(DOCTOR), all(), Purpose::Treatment, 20);
		assert_eq!(
			<Consent as pmr_primitives::AccessPolicy<u64>>::can_access(
				&DOCTOR,
				P2,
				AccessTarget::AllRecords,
				Purpose::Treatment
			),
			Err(AccessDenied::NoConsent)
		);
		assert_eq!(
			<Consent as pmr_primitives::AccessPolicy<u64>>::can_access(
				&DOCTOR,
				PatientId(77),
				AccessTarget::AllRecords,
				Purpose::Treatment
			),
			Err(AccessDenied::UnknownPatient)
		);
	});
}

#[test]
fn a_deactivated_grantee_is_denied_despite_its_grant() {
	test(|| {
		grant(doc(DOCTOR), all(), Purpose::Treatment, 20);
		deactivate(DOCTOR);
		assert_eq!(
			check(DOCTOR, AccessTarget::AllRecords, Purpose::Treatment),
			Err(AccessDenied::NotRegistered)
		);
	});
}

#[test]
fn the_audit_trail_keeps_the_newest_entries() {
	test(|| {
		// The ring holds AUDIT_RING = 4 entries. Two accesses per audit day (20 blocks) get
		// entries of their own.
		let g = grant(doc(DOCTOR), all(), Purpose::Treatment, 50);
		for i in 0..5 {
			go_to(1 + i * 10);
			assert_ok!(open(DOCTOR, AccessTarget::AllRecords, Purpose::Treatment));
		}
		assert_eq!(AuditLength::<Test>::get(P), 6);
		let page = Consent::audit_page(P, 0, 10);
		assert_eq!(page.iter().map(|e| e.index).collect::<Vec<_>>(), vec![5, 4, 3, 2]);
		assert_eq!(
			Consent::audit_page(P, 1, 2).iter().map(|e| e.index).collect::<Vec<_>>(),
			vec![4, 3]
		);
		assert!(Consent::audit_page(P, 4, 10).is_empty());
		assert!(page.iter().all(|e| matches!(
			e.event,
			AuditEvent::Accessed { ground: AccessGround::Grant(x), .. } if x == g
		)));
	});
}

#[test]
fn an_erased_foreign_or_miscategorised_record_is_never_released() {
	test(|| {
		grant(doc(DOCTOR), categories(&[LabDiagnostics]), Purpose::Treatment, 20);
		let record = |item, category| AccessTarget::Record { item, category };
		// Record 14 is a lab report of P's (the stub's categories: see `mock::StubRecords`).
		assert!(check(DOCTOR, record(14, LabDiagnostics), Purpose::Treatment).is_ok());
		// Naming another category cannot turn a grant for lab reports into one for record 17
		// (a prescription), nor for record 14 under a false category.
		assert_eq!(check(DOCTOR, record(17, LabDiagnostics), Purpose::Treatment), Err(AccessDenied::NoSuchRecord));
		assert_eq!(check(DOCTOR, record(14, Prescription), Purpose::Treatment), Err(AccessDenied::NoSuchRecord));
		// Another patient's record, asked for under this patient's consent.
		assert_eq!(check(DOCTOR, record(1_000_004, LabDiagnostics), Purpose::Treatment), Err(AccessDenied::NoSuchRecord));
		// An erased record: its key shares are not released any more, to anyone.
		erase(14);
		assert_eq!(check(DOCTOR, record(14, LabDiagnostics), Purpose::Treatment), Err(AccessDenied::NoSuchRecord));
		assert_eq!(check(HOME_DOCTOR, record(14, LabDiagnostics), Purpose::Treatment), Err(AccessDenied::NoSuchRecord));
		assert_ok!(open(DOCTOR, record(14, LabDiagnostics), Purpose::Treatment));
		assert!(matches!(last_event(), Event::AccessRefused { reason: AccessDenied::NoSuchRecord, .. }));
	});
}

#[test]
fn a_treating_doctor_cannot_flush_the_trail() {
	test(|| {
		// The ring keeps four entries (AUDIT_RING): a grant, another doctor's refusal, then a
		// doctor who opens the records fifty times.
		grant(doc(DOCTOR), all(), Purpose::SecondOpinion, 100);
		assert_ok!(open(OTHER_DOCTOR, AccessTarget::AllRecords, Purpose::Research));
		for _ in 0..50 {
			assert_ok!(open(DOCTOR, AccessTarget::AllRecords, Purpose::SecondOpinion));
		}
		// Fifty `AccessLogged` events, but two trail entries: the first and the latest access.
		let logged = System::events()
			.iter()
			.filter(|e| matches!(e.event, RuntimeEvent::Consent(Event::AccessLogged { .. })))
			.count();
		assert_eq!(logged, 50);
		assert_eq!(AuditLength::<Test>::get(P), 4);
		let trail = Consent::audit_page(P, 0, 10);
		assert!(matches!(trail[2].event, AuditEvent::Refused { .. }), "the refusal is still there");
		assert!(matches!(trail[3].event, AuditEvent::GrantIssued { .. }), "so is the grant");
		// A later access the same day rewrites the latest entry; it says when.
		go_to(5);
		assert_ok!(open(DOCTOR, AccessTarget::Category(LabDiagnostics), Purpose::SecondOpinion));
		assert_eq!(AuditLength::<Test>::get(P), 4);
		let trail = Consent::audit_page(P, 0, 10);
		assert_eq!((trail[0].index, trail[0].at), (3, 5));
		assert!(matches!(
			trail[0].event,
			AuditEvent::Accessed { target: AccessTarget::Category(LabDiagnostics), .. }
		));
		assert_eq!((trail[1].index, trail[1].at), (2, 1), "the day's first access stays as it was");
		// The next audit day starts with an entry of its own.
		go_to(AUDIT_DAY + 1);
		assert_ok!(open(DOCTOR, AccessTarget::AllRecords, Purpose::SecondOpinion));
		assert_eq!(AuditLength::<Test>::get(P), 5);
	});
}
