//! `declare_emergency` (break-glass) and `review_emergency`.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::{AccessDenied, AccessGround, AccessTarget, Purpose};

fn declare(who: u64, patient: PatientId) -> GrantId {
	let id = NextGrantId::<Test>::get();
	assert_ok!(Consent::declare_emergency(RuntimeOrigin::signed(who), patient, note()));
	id
}

#[test]
fn break_glass_opens_records_for_a_short_window() {
	test(|| {
		let g = declare(DOCTOR, P);
		assert_eq!(
			last_event(),
			Event::EmergencyDeclared {
				grant: g,
				patient: P,
				doctor: doctor_id(DOCTOR),
				expires_at: 1 + BREAK_GLASS
			}
		);
		for purpose in [Purpose::Emergency, Purpose::Treatment] {
			assert_eq!(check(DOCTOR, AccessTarget::AllRecords, purpose), Ok(AccessGround::BreakGlass(g)));
		}
		assert_eq!(
			check(DOCTOR, AccessTarget::AllRecords, Purpose::Research),
			Err(AccessDenied::PurposeMismatch)
		);
		go_to(BREAK_GLASS);
		assert!(check(DOCTOR, AccessTarget::AllRecords, Purpose::Emergency).is_ok());
		go_to(1 + BREAK_GLASS);
		assert_eq!(
			check(DOCTOR, AccessTarget::AllRecords, Purpose::Emergency),
			Err(AccessDenied::Expired)
		);
		// Recorded for review and in the patient's trail.
		assert!(PendingReviews::<Test>::contains_key(g));
		assert_eq!(
			Consent::audit_page(P, 0, 1)[0].event,
			AuditEvent::EmergencyDeclared { grant: g, doctor: doctor_id(DOCTOR) }
		);
	});
}

#[test]
fn break_glass_cannot_be_chained_to_extend_itself() {
	test(|| {
		declare(DOCTOR, P);
		// Not while it is open...
		assert_noop!(
			Consent::declare_emergency(RuntimeOrigin::signed(DOCTOR), P, note()),
			Error::<Test>::BreakGlassCooldown
		);
		// ...nor right after it closed, nor anywhere in the window.
		for at in [1 + BREAK_GLASS, BREAK_GLASS_WINDOW] {
			go_to(at);
			assert_noop!(
				Consent::declare_emergency(RuntimeOrigin::signed(DOCTOR), P, note()),
				Error::<Test>::BreakGlassCooldown
			);
		}
		// A grant from the patient is the way to continue; after the window a new emergency
		// is a new declaration, with a gap in between.
		go_to(1 + BREAK_GLASS_WINDOW);
		let again = declare(DOCTOR, P);
		assert_eq!(PairGrants::<Test>::get(P, doc(DOCTOR)).into_inner(), vec![again]);
	});
}

#[test]
fn each_doctor_has_a_rate_limit_window() {
	test(|| {
		// MaxBreakGlassPerWindow is 2; the stub has two patients.
		declare(DOCTOR, P);
		declare(DOCTOR, P2);
		go_to(10);
		// Another doctor's budget is separate.
		declare(OTHER_DOCTOR, P);
		assert_eq!(BreakGlassLog::<Test>::get(doctor_id(DOCTOR)).len(), 2);
		go_to(1 + BREAK_GLASS_WINDOW);
		declare(DOCTOR, P);
		assert_eq!(BreakGlassLog::<Test>::get(doctor_id(DOCTOR)).len(), 1);
	});
}

#[test]
fn a_doctor_at_the_limit_cannot_declare_more() {
	test(|| {
		// Two recent declarations for other patients fill the window.
		BreakGlassLog::<Test>::insert(
			doctor_id(DOCTOR),
			BoundedVec::truncate_from(vec![(PatientId(50), 1), (PatientId(51), 1)]),
		);
		assert_noop!(
			Consent::declare_emergency(RuntimeOrigin::signed(DOCTOR), P, note()),
			Error::<Test>::BreakGlassRateLimited
		);
	});
}

#[test]
fn only_active_doctors_break_the_glass() {
	test(|| {
		deactivate(OTHER_DOCTOR);
		for who in [OTHER_DOCTOR, LAB, PATIENT, GUARDIAN, OUTSIDER, REGULATOR] {
			assert_noop!(
				Consent::declare_emergency(RuntimeOrigin::signed(who), P, note()),
				Error::<Test>::NotDoctor
			);
		}
		assert_noop!(
			Consent::declare_emergency(RuntimeOrigin::signed(DOCTOR), PatientId(77), note()),
			Error::<Test>::UnknownPatient
		);
	});
}

#[test]
fn consent_grants_cannot_take_the_break_glass_slot() {
	test(|| {
		grant(doc(DOCTOR), records(&[1]), Purpose::Research, 50);
		grant(doc(DOCTOR), records(&[2]), Purpose::Insurance, 50);
		let g = declare(DOCTOR, P);
		assert_eq!(check(DOCTOR, AccessTarget::AllRecords, Purpose::Emergency), Ok(AccessGround::BreakGlass(g)));
	});
}

#[test]
fn the_patient_may_close_a_break_glass_window() {
	test(|| {
		let g = declare(DOCTOR, P);
		assert_ok!(Consent::revoke_grant(RuntimeOrigin::signed(PATIENT), g));
		assert_eq!(
			check(DOCTOR, AccessTarget::AllRecords, Purpose::Emergency),
			Err(AccessDenied::Revoked)
		);
		// The review record stays.
		assert!(PendingReviews::<Test>::contains_key(g));
	});
}

#[test]
fn a_regulator_reviews() {
	test(|| {
		let g = declare(DOCTOR, P);
		for who in [DOCTOR, PATIENT, GUARDIAN, OUTSIDER] {
			assert_noop!(
				Consent::review_emergency(RuntimeOrigin::signed(who), g, true),
				sp_runtime::DispatchError::BadOrigin
			);
		}
		assert_ok!(Consent::review_emergency(RuntimeOrigin::signed(REGULATOR), g, false));
		assert_eq!(last_event(), Event::EmergencyReviewed { grant: g, patient: P, justified: false });
		assert_eq!(
			Consent::audit_page(P, 0, 1)[0].event,
			AuditEvent::EmergencyReviewed { grant: g, justified: false }
		);
		assert_noop!(
			Consent::review_emergency(RuntimeOrigin::root(), g, true),
			Error::<Test>::UnknownEmergency
		);
	});
}

#[test]
fn emergencies_to_review_are_paged() {
	test(|| {
		let mut declared = vec![declare(DOCTOR, P), declare(DOCTOR, P2), declare(OTHER_DOCTOR, P)];
		declared.sort();
		let first = Consent::emergencies_to_review(None, 2);
		assert_eq!(first.items.len(), 2);
		let second = Consent::emergencies_to_review(first.next, 2);
		assert_eq!((second.items.len(), second.next), (1, None));
		let mut seen: Vec<GrantId> = first.items.into_iter().chain(second.items).map(|(g, _)| g).collect();
		seen.sort();
		assert_eq!(seen, declared);
		assert_ok!(Consent::review_emergency(RuntimeOrigin::signed(REGULATOR), declared[0], true));
		let rest = Consent::emergencies_to_review(None, 10);
		assert_eq!((rest.items.len(), rest.next), (2, None));
	});
}
