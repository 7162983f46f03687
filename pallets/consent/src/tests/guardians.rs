//! `appoint_guardian` and `remove_guardian`; guardians acting for the patient.

use super::*;
use frame_support::{assert_noop, assert_ok, traits::Contains};
use pmr_primitives::Purpose;

fn appoint(guardian: u64) {
	assert_ok!(Consent::appoint_guardian(RuntimeOrigin::signed(PATIENT), P, guardian));
}

#[test]
fn a_guardian_acts_for_the_patient_and_is_named() {
	test(|| {
		appoint(GUARDIAN);
		assert_eq!(last_event(), Event::GuardianAppointed { patient: P, guardian: GUARDIAN });
		assert!(GuardianAccounts::<Test>::contains(&GUARDIAN));
		assert_ok!(Consent::grant_access(
			RuntimeOrigin::signed(GUARDIAN),
			P,
			doc(DOCTOR),
			all(),
			Purpose::Treatment,
			Expiry::After(10)
		));
		let info = Grants::<Test>::get(GrantId(0)).expect("granted");
		assert_eq!(info.kind, GrantKind::Consent { by: Actor::Guardian(GUARDIAN), request: None });
		assert!(matches!(last_event(), Event::GrantIssued { by: GUARDIAN, .. }));

		let r = request(OTHER_DOCTOR, all(), Purpose::SecondOpinion, 10);
		assert_ok!(Consent::approve_request(RuntimeOrigin::signed(GUARDIAN), r, None, None));
		assert_ok!(Consent::revoke_grant(RuntimeOrigin::signed(GUARDIAN), GrantId(0)));
		assert_eq!(last_event(), Event::GrantRevoked { grant: GrantId(0), patient: P, by: GUARDIAN });
		assert_eq!(Consent::audit_page(P, 0, 1)[0].actor, Some(GUARDIAN));
	});
}

#[test]
fn a_removed_guardian_loses_its_powers() {
	test(|| {
		appoint(GUARDIAN);
		let r = request(DOCTOR, all(), Purpose::SecondOpinion, 10);
		assert_ok!(Consent::remove_guardian(RuntimeOrigin::signed(PATIENT), P, GUARDIAN));
		assert_eq!(last_event(), Event::GuardianRemoved { patient: P, guardian: GUARDIAN });
		assert!(!GuardianAccounts::<Test>::contains(&GUARDIAN));
		assert_noop!(
			Consent::approve_request(RuntimeOrigin::signed(GUARDIAN), r, None, None),
			Error::<Test>::NotPatientOrGuardian
		);
		assert_noop!(
			Consent::grant_access(
				RuntimeOrigin::signed(GUARDIAN),
				P,
				doc(DOCTOR),
				all(),
				Purpose::Treatment,
				Expiry::After(10)
			),
			Error::<Test>::NotPatientOrGuardian
		);
	});
}

#[test]
fn a_guardian_may_resign_and_a_regulator_may_appoint_and_remove() {
	test(|| {
		appoint(GUARDIAN);
		assert_ok!(Consent::remove_guardian(RuntimeOrigin::signed(GUARDIAN), P, GUARDIAN));
		assert_ok!(Consent::appoint_guardian(RuntimeOrigin::signed(REGULATOR), P, GUARDIAN));
		assert_eq!(Consent::guardians_of(P), vec![GUARDIAN]);
		assert_eq!(Consent::wards_of(&GUARDIAN), vec![P]);
		assert_ok!(Consent::remove_guardian(RuntimeOrigin::root(), P, GUARDIAN));
		assert!(Consent::guardians_of(P).is_empty());
	});
}

#[test]
fn guardians_do_not_appoint_guardians_and_strangers_do_not_remove_them() {
	test(|| {
		appoint(GUARDIAN);
		for who in [GUARDIAN, DOCTOR, OTHER_PATIENT, OUTSIDER] {
			assert_noop!(
				Consent::appoint_guardian(RuntimeOrigin::signed(who), P, 55),
				Error::<Test>::NotPatientOrGuardian
			);
		}
		for who in [DOCTOR, OTHER_PATIENT, OUTSIDER, 55] {
			assert_noop!(
				Consent::remove_guardian(RuntimeOrigin::signed(who), P, GUARDIAN),
				Error::<Test>::NotPatientOrGuardian
			);
		}
	});
}

#[test]
fn guardian_list_rules() {
	test(|| {
		assert_noop!(
			Consent::appoint_guardian(RuntimeOrigin::signed(PATIENT), P, PATIENT),
			Error::<Test>::GuardianIsPatient
		);
		assert_noop!(
			Consent::appoint_guardian(RuntimeOrigin::signed(PATIENT), PatientId(77), GUARDIAN),
			Error::<Test>::UnknownPatient
		);
		assert_noop!(
			Consent::remove_guardian(RuntimeOrigin::signed(PATIENT), P, GUARDIAN),
			Error::<Test>::NotGuardian
		);
		appoint(GUARDIAN);
		assert_noop!(
			Consent::appoint_guardian(RuntimeOrigin::signed(PATIENT), P, GUARDIAN),
			Error::<Test>::AlreadyGuardian
		);
		appoint(41);
		assert_noop!(
			Consent::appoint_guardian(RuntimeOrigin::signed(PATIENT), P, 42),
			Error::<Test>::TooManyGuardians
		);
	});
}

#[test]
fn a_guardian_of_one_patient_has_no_say_over_another() {
	test(|| {
		appoint(GUARDIAN);
		assert_noop!(
			Consent::grant_access(
				RuntimeOrigin::signed(GUARDIAN),
				P2,
				doc(DOCTOR),
				all(),
				Purpose::Treatment,
				Expiry::After(10)
			),
			Error::<Test>::NotPatientOrGuardian
		);
	});
}
