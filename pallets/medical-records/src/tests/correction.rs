//! `request_correction` and `reject_correction`; resolution by amendment.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::RecordCategory::*;

#[test]
fn a_patient_asks_and_an_amendment_resolves() {
	test(|| {
		let item = create(PastIllness, date(26, 1, 2021));
		assert_ok!(MedicalRecords::request_correction(RuntimeOrigin::signed(PATIENT), item, note()));
		assert_eq!(last_event(), Event::CorrectionRequested { item, patient: P });
		assert_noop!(
			MedicalRecords::request_correction(RuntimeOrigin::signed(PATIENT), item, note()),
			Error::<Test>::CorrectionPending
		);
		assert_ok!(MedicalRecords::amend_record(RuntimeOrigin::signed(HOME_DOCTOR), item, content(2), note(), None));
		assert!(matches!(last_event(), Event::RecordAmended { resolved_correction: true, .. }));
		assert!(Corrections::<Test>::get(item).is_none());
	});
}

#[test]
fn a_doctor_who_may_amend_rejects() {
	test(|| {
		let item = create(PastIllness, date(26, 1, 2021));
		assert_noop!(
			MedicalRecords::reject_correction(RuntimeOrigin::signed(HOME_DOCTOR), item, note()),
			Error::<Test>::NoCorrectionPending
		);
		assert_ok!(MedicalRecords::request_correction(RuntimeOrigin::signed(PATIENT), item, note()));
		assert_noop!(
			MedicalRecords::reject_correction(RuntimeOrigin::signed(DOCTOR), item, note()),
			Error::<Test>::NotAllowedToAmend
		);
		assert_ok!(MedicalRecords::reject_correction(RuntimeOrigin::signed(HOME_DOCTOR), item, note()));
		assert_eq!(last_event(), Event::CorrectionRejected { item, by: HOME_DOCTOR, reason: note() });
		// The record is unchanged.
		assert_eq!(Records::<Test>::get(item).map(|r| r.versions), Some(1));
	});
}

#[test]
fn only_the_records_patient_asks() {
	test(|| {
		let item = create(PastIllness, date(26, 1, 2021));
		for who in [OTHER_PATIENT, HOME_DOCTOR, DOCTOR, OUTSIDER, REGULATOR] {
			assert_noop!(
				MedicalRecords::request_correction(RuntimeOrigin::signed(who), item, note()),
				Error::<Test>::NotPatient
			);
		}
	});
}
