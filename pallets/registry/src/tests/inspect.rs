//! `RegistryInspect`: the answers other pallets rely on.

use super::*;
use frame_support::assert_ok;
use pmr_primitives::{HospitalStatus, RegistryInspect};

#[test]
fn active_staff_answers_follow_the_hospital_status() {
	test(|| {
		let w = World::new();
		assert_eq!(Registry::hospital_status(w.hospital), Some(HospitalStatus::Verified));
		assert!(Registry::is_hospital_admin(&ADMIN, w.hospital));
		assert!(!Registry::is_hospital_admin(&DESK, w.hospital));
		assert_eq!(Registry::active_doctor_of(&DOCTOR, w.hospital), Some(w.doctor));
		assert_eq!(Registry::active_doctor_of(&DOCTOR, w.other_hospital), None);
		assert_eq!(Registry::active_lab_of(&LAB, w.hospital), Some(w.lab));
		assert_eq!(Registry::patient_of(&PATIENT), Some(w.patient));

		// suspending the hospital suspends what its staff can do
		assert_ok!(Registry::suspend_hospital(RuntimeOrigin::signed(REGULATOR), w.hospital));
		assert_eq!(Registry::active_doctor_of(&DOCTOR, w.hospital), None);
		assert_eq!(Registry::active_doctor(&DOCTOR), None);
		assert_eq!(Registry::active_lab_of(&LAB, w.hospital), None);

		assert_ok!(Registry::reinstate_hospital(RuntimeOrigin::signed(REGULATOR), w.hospital));
		assert_eq!(Registry::active_doctor(&DOCTOR), Some(w.doctor));
		assert_eq!(Registry::hospital_status(HospitalId(9)), None);
	});
}

#[test]
fn unconfirmed_licences_count_only_when_the_runtime_allows() {
	test(|| {
		let w = World::new();
		assert_ok!(Registry::onboard_doctor(
			RuntimeOrigin::signed(ADMIN),
			w.hospital,
			28,
			doctor_details("U28")
		));
		assert_eq!(Registry::active_doctor(&28), None, "licence confirmation required");
		LicenceRequired::set(false);
		assert!(Registry::active_doctor(&28).is_some());
		LicenceRequired::set(true);
	});
}

#[test]
fn staff_and_member_listings() {
	test(|| {
		let w = World::new();
		let mut staff = Registry::staff_of(w.hospital);
		staff.sort();
		assert_eq!(staff, vec![StaffMember::Doctor(w.doctor), StaffMember::Lab(w.lab)]);
		let mut members = Registry::members_of(w.hospital);
		members.sort_by_key(|(a, _)| *a);
		assert_eq!(members, vec![(ADMIN, HospitalRole::Admin), (DESK, HospitalRole::Desk)]);
		assert!(Registry::staff_of(HospitalId(9)).is_empty());
	});
}

#[test]
fn try_state_detects_a_broken_counter() {
	test(|| {
		let w = World::new();
		Hospitals::<Test>::mutate(w.hospital, |h| {
			if let Some(h) = h {
				h.staff += 1;
			}
		});
		assert!(Registry::do_try_state().is_err());
		Hospitals::<Test>::mutate(w.hospital, |h| {
			if let Some(h) = h {
				h.staff -= 1;
			}
		});
	});
}
