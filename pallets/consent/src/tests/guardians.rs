//! `appoint_guardian` and `remove_guardian`; guardians acting for the patient.

use super::*;
use frame_support::{assert_noop, assert_ok, traits::Contains};
use pmr_primitives::Purpose;

fn appoint(guardian: u64) {
	assert_ok!(Consent::appoint_guardian(RuntimeOrigin::signed(PATIENT), P, guardian, None));
}

#[test]
fn a_guardian_acts_for_the_patient_and_is_named() {
	test(|| {
		appoint(GUARDIAN);
		assert_eq!(
			last_event(),
			Event::GuardianAppointed {
				patient: P,
				guardian: GUARDIAN,
				by: GuardianAuthority::Patient,
				legal_basis: None
			}
		);
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
		assert_ok!(Consent::approve_request(RuntimeOrigin::signed(GUARDIAN), r, None, None, Default::default()));
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
		assert_ok!(Consent::remove_guardian(RuntimeOrigin::signed(PATIENT), P, GUARDIAN, None));
		assert_eq!(
			last_event(),
			Event::GuardianRemoved {
				patient: P,
				guardian: GUARDIAN,
				by: GuardianAuthority::Patient,
				legal_basis: None
			}
		);
		assert!(!GuardianAccounts::<Test>::contains(&GUARDIAN));
		assert_noop!(
			Consent::approve_request(RuntimeOrigin::signed(GUARDIAN), r, None, None, Default::default()),
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
fn a_guardian_may_resign_and_the_guardian_origin_may_appoint_and_remove_on_a_legal_basis() {
	test(|| {
		appoint(GUARDIAN);
		assert_ok!(Consent::remove_guardian(RuntimeOrigin::signed(GUARDIAN), P, GUARDIAN, None));
		assert_eq!(
			last_event(),
			Event::GuardianRemoved {
				patient: P,
				guardian: GUARDIAN,
				by: GuardianAuthority::Guardian,
				legal_basis: None
			}
		);
		let order = [7; 32];
		assert_ok!(Consent::appoint_guardian(RuntimeOrigin::root(), P, GUARDIAN, Some(order)));
		assert_eq!(
			last_event(),
			Event::GuardianAppointed {
				patient: P,
				guardian: GUARDIAN,
				by: GuardianAuthority::Regulators,
				legal_basis: Some(order)
			}
		);
		assert_eq!(Consent::guardians_of(P), vec![GUARDIAN]);
		assert_eq!(Consent::wards_of(&GUARDIAN, None, 10).items, vec![P]);
		let discharge = [8; 32];
		assert_ok!(Consent::remove_guardian(RuntimeOrigin::root(), P, GUARDIAN, Some(discharge)));
		assert!(Consent::guardians_of(P).is_empty());
	});
}

#[test]
fn one_regulator_alone_cannot_appoint_or_remove_a_guardian() {
	test(|| {
		let order = Some([7; 32]);
		assert_noop!(
			Consent::appoint_guardian(RuntimeOrigin::signed(REGULATOR), P, GUARDIAN, order),
			Error::<Test>::NotPatientOrGuardian
		);
		appoint(GUARDIAN);
		assert_noop!(
			Consent::remove_guardian(RuntimeOrigin::signed(REGULATOR), P, GUARDIAN, order),
			Error::<Test>::NotPatientOrGuardian
		);
	});
}

#[test]
fn the_guardian_origin_must_name_a_legal_basis() {
	test(|| {
		assert_noop!(
			Consent::appoint_guardian(RuntimeOrigin::root(), P, GUARDIAN, None),
			Error::<Test>::LegalBasisRequired
		);
		appoint(GUARDIAN);
		assert_noop!(
			Consent::remove_guardian(RuntimeOrigin::root(), P, GUARDIAN, None),
			Error::<Test>::LegalBasisRequired
		);
	});
}

#[test]
fn appointments_and_removals_go_into_the_patients_audit_trail() {
	test(|| {
		let order = [7; 32];
		assert_ok!(Consent::appoint_guardian(RuntimeOrigin::root(), P, GUARDIAN, Some(order)));
		appoint(41);
		assert_ok!(Consent::remove_guardian(RuntimeOrigin::signed(41), P, 41, None));
		let trail: Vec<_> = Consent::audit_page(P, 0, 10).into_iter().map(|e| (e.actor, e.event)).collect();
		// Newest first.
		assert_eq!(
			trail,
			vec![
				(
					Some(41),
					AuditEvent::GuardianRemoved {
						guardian: 41,
						by: GuardianAuthority::Guardian,
						legal_basis: None
					}
				),
				(
					Some(PATIENT),
					AuditEvent::GuardianAppointed {
						guardian: 41,
						by: GuardianAuthority::Patient,
						legal_basis: None
					}
				),
				(
					None,
					AuditEvent::GuardianAppointed {
						guardian: GUARDIAN,
						by: GuardianAuthority::Regulators,
						legal_basis: Some(order)
					}
				),
			]
		);
	});
}

#[test]
fn guardians_do_not_appoint_guardians_and_strangers_do_not_remove_them() {
	test(|| {
		appoint(GUARDIAN);
		for who in [GUARDIAN, DOCTOR, OTHER_PATIENT, OUTSIDER] {
			assert_noop!(
				Consent::appoint_guardian(RuntimeOrigin::signed(who), P, 55, None),
				Error::<Test>::NotPatientOrGuardian
			);
		}
		for who in [DOCTOR, OTHER_PATIENT, OUTSIDER, 55] {
			assert_noop!(
				Consent::remove_guardian(RuntimeOrigin::signed(who), P, GUARDIAN, None),
				Error::<Test>::NotPatientOrGuardian
			);
		}
	});
}

#[test]
fn guardian_list_rules() {
	test(|| {
		assert_noop!(
			Consent::appoint_guardian(RuntimeOrigin::signed(PATIENT), P, PATIENT, None),
			Error::<Test>::GuardianIsPatient
		);
		assert_noop!(
			Consent::appoint_guardian(RuntimeOrigin::signed(PATIENT), PatientId(77), GUARDIAN, None),
			Error::<Test>::UnknownPatient
		);
		assert_noop!(
			Consent::remove_guardian(RuntimeOrigin::signed(PATIENT), P, GUARDIAN, None),
			Error::<Test>::NotGuardian
		);
		appoint(GUARDIAN);
		assert_noop!(
			Consent::appoint_guardian(RuntimeOrigin::signed(PATIENT), P, GUARDIAN, None),
			Error::<Test>::AlreadyGuardian
		);
		appoint(41);
		assert_noop!(
			Consent::appoint_guardian(RuntimeOrigin::signed(PATIENT), P, 42, None),
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
