//! `onboard_doctor`, `offboard_doctor`, `confirm_doctor_licence`, `revoke_doctor_licence`.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::RegistryInspect;

#[test]
fn onboarding_a_new_doctor_assigns_a_doctor_id() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::onboard_doctor(
			RuntimeOrigin::signed(ADMIN),
			w.hospital,
			21,
			doctor_details("UPRN-21")
		));
		let id = DoctorByAccount::<Test>::get(21).expect("registered");
		assert_eq!(last_event(), Event::DoctorOnboarded { hospital: w.hospital, doctor: id, new: true });
		let info = Doctors::<Test>::get(id).expect("stored");
		assert_eq!(info.licence, LicenceStatus::Unconfirmed);
		assert_eq!(info.hospitals.to_vec(), vec![w.hospital]);
		assert!(HospitalStaff::<Test>::contains_key(w.hospital, StaffMember::Doctor(id)));
		assert_eq!(DoctorByRegistrationNumber::<Test>::get(text("UPRN-21")), Some(id));
	});
}

#[test]
fn a_doctor_can_work_for_several_hospitals() {
	test(|| {
		let w = World::new();
		let before = Doctors::<Test>::get(w.doctor).expect("stored");
		// The other hospital offers; nothing counts (nor changes) until the doctor accepts.
		let mut rewritten = doctor_details("UPRN-20");
		rewritten.name = text("Someone Else");
		assert_ok!(Registry::onboard_doctor(
			RuntimeOrigin::signed(OTHER_ADMIN),
			w.other_hospital,
			DOCTOR,
			rewritten
		));
		assert_eq!(last_event(), Event::AffiliationOffered { hospital: w.other_hospital, doctor: w.doctor });
		assert_eq!(Doctors::<Test>::get(w.doctor), Some(before.clone()));
		assert!(!HospitalStaff::<Test>::contains_key(w.other_hospital, StaffMember::Doctor(w.doctor)));
		assert_noop!(
			Registry::onboard_doctor(
				RuntimeOrigin::signed(OTHER_ADMIN),
				w.other_hospital,
				DOCTOR,
				doctor_details("UPRN-20")
			),
			Error::<Test>::AffiliationAlreadyOffered
		);
		// Only the doctor accepts, and only an offer that exists.
		assert_noop!(
			Registry::accept_affiliation(RuntimeOrigin::signed(OTHER_ADMIN), w.other_hospital),
			Error::<Test>::NoAffiliationOffer
		);
		assert_noop!(
			Registry::accept_affiliation(RuntimeOrigin::signed(DOCTOR), w.hospital),
			Error::<Test>::NoAffiliationOffer
		);
		assert_ok!(Registry::accept_affiliation(RuntimeOrigin::signed(DOCTOR), w.other_hospital));
		assert_eq!(
			last_event(),
			Event::DoctorOnboarded { hospital: w.other_hospital, doctor: w.doctor, new: false }
		);
		let info = Doctors::<Test>::get(w.doctor).expect("stored");
		assert_eq!(info.hospitals.to_vec(), vec![w.hospital, w.other_hospital]);
		assert_eq!(info.details, before.details, "the doctor's details are the doctor's");
		assert!(!AffiliationOffers::<Test>::contains_key(w.doctor, w.other_hospital));
		// MaxHospitalsPerDoctor = 2
		let third = verified_hospital(70, "GOV-70");
		assert_noop!(
			Registry::onboard_doctor(RuntimeOrigin::signed(70), third, DOCTOR, doctor_details("UPRN-20")),
			Error::<Test>::TooManyHospitals
		);
		assert_noop!(
			Registry::onboard_doctor(
				RuntimeOrigin::signed(ADMIN),
				w.hospital,
				DOCTOR,
				doctor_details("UPRN-20")
			),
			Error::<Test>::AlreadyOnboarded
		);
	});
}

#[test]
fn registration_numbers_identify_doctors() {
	test(|| {
		let w = World::new();
		// the same account cannot come back under another registration number
		assert_noop!(
			Registry::onboard_doctor(
				RuntimeOrigin::signed(OTHER_ADMIN),
				w.other_hospital,
				DOCTOR,
				doctor_details("UPRN-OTHER")
			),
			Error::<Test>::DoctorAccountMismatch
		);
		// another account cannot take a registration number in use
		assert_noop!(
			Registry::onboard_doctor(
				RuntimeOrigin::signed(ADMIN),
				w.hospital,
				22,
				doctor_details("UPRN-20")
			),
			Error::<Test>::RegistrationNumberTaken
		);
	});
}

#[test]
fn only_verified_hospitals_onboard() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::suspend_hospital(RuntimeOrigin::signed(REGULATOR), w.hospital));
		assert_noop!(
			Registry::onboard_doctor(RuntimeOrigin::signed(ADMIN), w.hospital, 23, doctor_details("U23")),
			Error::<Test>::HospitalNotVerified
		);
	});
}

#[test]
fn staff_count_is_bounded() {
	test(|| {
		let w = World::new();
		// MaxStaffPerHospital = 4: the world has one doctor and one lab
		for (who, reg) in [(24, "U24"), (25, "U25")] {
			assert_ok!(Registry::onboard_doctor(
				RuntimeOrigin::signed(ADMIN),
				w.hospital,
				who,
				doctor_details(reg)
			));
		}
		assert_noop!(
			Registry::onboard_doctor(RuntimeOrigin::signed(ADMIN), w.hospital, 26, doctor_details("U26")),
			Error::<Test>::TooManyStaff
		);
	});
}

#[test]
fn offboarding_removes_the_affiliation_only() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::offboard_doctor(RuntimeOrigin::signed(ADMIN), w.hospital, w.doctor));
		assert_eq!(last_event(), Event::DoctorOffboarded { hospital: w.hospital, doctor: w.doctor });
		assert!(!HospitalStaff::<Test>::contains_key(w.hospital, StaffMember::Doctor(w.doctor)));
		let info = Doctors::<Test>::get(w.doctor).expect("kept for provenance");
		assert!(info.hospitals.is_empty());
		assert_eq!(Registry::active_doctor(&DOCTOR), None);
		assert_noop!(
			Registry::offboard_doctor(RuntimeOrigin::signed(ADMIN), w.hospital, w.doctor),
			Error::<Test>::NotStaffOfHospital
		);
		assert_noop!(
			Registry::offboard_doctor(RuntimeOrigin::signed(ADMIN), w.hospital, DoctorId(9)),
			Error::<Test>::UnknownDoctor
		);
		// and the same hospital can take the doctor back
		assert_ok!(Registry::onboard_doctor(
			RuntimeOrigin::signed(ADMIN),
			w.hospital,
			DOCTOR,
			doctor_details("UPRN-20")
		));
	});
}

#[test]
fn licences_are_confirmed_and_revoked_by_regulators() {
	test(|| {
		let w = World::new();
		assert_noop!(
			Registry::confirm_doctor_licence(RuntimeOrigin::signed(REGULATOR), w.doctor),
			Error::<Test>::LicenceAlreadyConfirmed
		);
		assert_ok!(Registry::revoke_doctor_licence(RuntimeOrigin::signed(REGULATOR), w.doctor));
		assert_eq!(last_event(), Event::DoctorLicenceRevoked { doctor: w.doctor });
		assert_eq!(Registry::active_doctor(&DOCTOR), None);
		assert_noop!(
			Registry::revoke_doctor_licence(RuntimeOrigin::signed(REGULATOR), w.doctor),
			Error::<Test>::LicenceAlreadyRevoked
		);
		assert_ok!(Registry::confirm_doctor_licence(RuntimeOrigin::root(), w.doctor));
		assert_eq!(last_event(), Event::DoctorLicenceConfirmed { doctor: w.doctor });
		assert_eq!(Registry::active_doctor(&DOCTOR), Some(w.doctor));
		assert_noop!(
			Registry::confirm_doctor_licence(RuntimeOrigin::signed(REGULATOR), DoctorId(9)),
			Error::<Test>::UnknownDoctor
		);
	});
}

#[test]
fn only_the_hospitals_admin_onboards_and_offboards() {
	test(|| {
		let w = World::new();
		assert_wrong_roles_fail(&[ADMIN], Error::<Test>::NotHospitalAdmin, |o| {
			Registry::onboard_doctor(o, w.hospital, 27, doctor_details("U27"))
		});
		assert_wrong_roles_fail(&[ADMIN], Error::<Test>::NotHospitalAdmin, |o| {
			Registry::offboard_doctor(o, w.hospital, w.doctor)
		});
	});
}

#[test]
fn an_unaccepted_offer_can_be_withdrawn_and_lapses_with_the_hospitals_standing() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::onboard_doctor(
			RuntimeOrigin::signed(OTHER_ADMIN),
			w.other_hospital,
			DOCTOR,
			doctor_details("UPRN-20")
		));
		assert_ok!(Registry::offboard_doctor(RuntimeOrigin::signed(OTHER_ADMIN), w.other_hospital, w.doctor));
		assert_eq!(last_event(), Event::AffiliationWithdrawn { hospital: w.other_hospital, doctor: w.doctor });
		assert_noop!(
			Registry::accept_affiliation(RuntimeOrigin::signed(DOCTOR), w.other_hospital),
			Error::<Test>::NoAffiliationOffer
		);
		// Offered again, but the hospital is suspended before the doctor accepts.
		assert_ok!(Registry::onboard_doctor(
			RuntimeOrigin::signed(OTHER_ADMIN),
			w.other_hospital,
			DOCTOR,
			doctor_details("UPRN-20")
		));
		assert_ok!(Registry::suspend_hospital(RuntimeOrigin::signed(REGULATOR), w.other_hospital));
		assert_noop!(
			Registry::accept_affiliation(RuntimeOrigin::signed(DOCTOR), w.other_hospital),
			Error::<Test>::HospitalNotVerified
		);
	});
}

#[test]
fn a_doctor_changes_or_removes_their_own_contact_and_nobody_else_can() {
	test(|| {
		let w = World::new();
		let contact = |id| Doctors::<Test>::get(id).expect("stored").details.contact;
		assert_ok!(Registry::set_doctor_contact(RuntimeOrigin::signed(DOCTOR), text("ward 3 desk")));
		assert_eq!(contact(w.doctor), text("ward 3 desk"));
		assert_eq!(last_event(), Event::DoctorContactChanged { doctor: w.doctor, removed: false });
		assert_noop!(
			Registry::set_doctor_contact(RuntimeOrigin::signed(DOCTOR), text("ward 3 desk")),
			Error::<Test>::ContactUnchanged
		);
		assert_ok!(Registry::set_doctor_contact(RuntimeOrigin::signed(DOCTOR), text("")));
		assert!(contact(w.doctor).is_empty());
		assert_eq!(last_event(), Event::DoctorContactChanged { doctor: w.doctor, removed: true });
		// Still with a revoked licence: the doctor keeps control of their own details.
		assert_ok!(Registry::revoke_doctor_licence(RuntimeOrigin::signed(REGULATOR), w.doctor));
		assert_ok!(Registry::set_doctor_contact(RuntimeOrigin::signed(DOCTOR), text("retired")));
		// Only the doctor: not the hospital's admin, a regulator or anyone else.
		for who in [ADMIN, REGULATOR, OUTSIDER] {
			assert_noop!(
				Registry::set_doctor_contact(RuntimeOrigin::signed(who), text("")),
				Error::<Test>::NotDoctor
			);
		}
		assert_eq!(contact(w.doctor), text("retired"));
	});
}
