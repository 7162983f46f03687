//! `set_standing_access`: the patient controls the registering hospital's standing access.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::{AccessDenied, AccessGround, AccessTarget, Purpose};

fn set(who: u64, allowed: bool) -> frame_support::dispatch::DispatchResult {
	Consent::set_standing_access(RuntimeOrigin::signed(who), P, allowed)
}

#[test]
fn the_patient_withdraws_the_hospitals_standing_access_and_it_applies_at_the_next_check() {
	test(|| {
		let treat = || check(HOME_DOCTOR, AccessTarget::AllRecords, Purpose::Treatment);
		assert_eq!(treat(), Ok(AccessGround::RegisteringHospital(H1)));
		assert_eq!(Consent::standing_access(P), Some((H1, true)));

		assert_ok!(set(PATIENT, false));
		System::assert_last_event(
			Event::StandingAccessChanged { patient: P, hospital: H1, allowed: false, by: PATIENT }.into(),
		);
		assert_eq!(treat(), Err(AccessDenied::StandingAccessWithdrawn));
		assert_eq!(Consent::standing_access(P), Some((H1, false)));
		// The change is in the patient's audit trail, with who made it.
		let entry = &Consent::audit_page(P, 0, 1)[0];
		assert_eq!(entry.actor, Some(PATIENT));
		assert_eq!(entry.event, AuditEvent::StandingAccessChanged { hospital: H1, allowed: false });
		// The refused attempt is in the patient's audit trail like any other.
		assert_ok!(Consent::record_access(
			RuntimeOrigin::signed(HOME_DOCTOR),
			P,
			AccessTarget::AllRecords,
			Purpose::Treatment
		));
		assert!(matches!(
			System::events().last().map(|e| e.event.clone()),
			Some(RuntimeEvent::Consent(Event::AccessRefused {
				reason: AccessDenied::StandingAccessWithdrawn,
				..
			}))
		));

		// A grant still works for the hospital's doctor, as for anyone.
		let g = grant(doc(HOME_DOCTOR), all(), Purpose::Treatment, 10);
		assert_eq!(treat(), Ok(AccessGround::Grant(g)));

		assert_ok!(set(PATIENT, true));
		assert_eq!(treat(), Ok(AccessGround::RegisteringHospital(H1)));
		assert_eq!(
			Consent::audit_page(P, 0, 1)[0].event,
			AuditEvent::StandingAccessChanged { hospital: H1, allowed: true }
		);
	});
}

#[test]
fn break_glass_stays_possible_without_standing_access() {
	test(|| {
		assert_ok!(set(PATIENT, false));
		assert_ok!(Consent::declare_emergency(RuntimeOrigin::signed(HOME_DOCTOR), P, note()));
		assert!(matches!(
			check(HOME_DOCTOR, AccessTarget::AllRecords, Purpose::Emergency),
			Ok(AccessGround::BreakGlass(_))
		));
	});
}

#[test]
fn only_the_patient_side_sets_it_and_only_to_a_new_value() {
	test(|| {
		for who in [HOME_DOCTOR, DOCTOR, OUTSIDER, REGULATOR] {
			assert_noop!(set(who, false), Error::<Test>::NotPatientOrGuardian);
		}
		assert_noop!(set(PATIENT, true), Error::<Test>::StandingAccessUnchanged);
		assert_ok!(Consent::appoint_guardian(RuntimeOrigin::signed(PATIENT), P, GUARDIAN, None));
		assert_ok!(set(GUARDIAN, false));
		assert_noop!(set(PATIENT, false), Error::<Test>::StandingAccessUnchanged);
		assert_noop!(
			Consent::set_standing_access(RuntimeOrigin::signed(PATIENT), PatientId(77), false),
			Error::<Test>::UnknownPatient
		);
	});
}
