//! Prepared anchors (`prepared_for`): a call the node's two-phase ingest prepared is valid only
//! under the signature of the clinician it was prepared for.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::RecordCategory::*;

#[test]
fn a_prepared_record_is_created_only_by_the_clinician_it_was_prepared_for() {
	test(|| {
		// Both doctors of hospital 2 may treat the patient; the record was prepared for one.
		consent(&DOCTOR, P, None);
		consent(&OTHER_DOCTOR, P, None);
		let create = |by: AccountId| {
			MedicalRecords::create_record(
				RuntimeOrigin::signed(by),
				P,
				H2,
				date(26, 1, 2021),
				PresentIllness,
				content(1),
				None,
				Some(DOCTOR),
			)
		};
		assert_noop!(create(OTHER_DOCTOR), Error::<Test>::PreparedForAnother);
		assert_noop!(create(OUTSIDER), Error::<Test>::PreparedForAnother);
		assert_ok!(create(DOCTOR));
		let item = PmrId::new(P, date(26, 1, 2021), 0).expect("valid").item_id();
		let record = Records::<Test>::get(item).expect("created");
		assert_eq!(record.doctor, doctor_id(&DOCTOR));
	});
}

#[test]
fn a_prepared_amendment_is_made_only_by_the_clinician_it_was_prepared_for() {
	test(|| {
		let item = create(ProvisionalDiagnosis, date(26, 1, 2021));
		consent(&DOCTOR, P, None);
		let amend =
			|by: AccountId| MedicalRecords::amend_record(RuntimeOrigin::signed(by), item, content(2), note(), Some(DOCTOR));
		assert_noop!(amend(HOME_DOCTOR), Error::<Test>::PreparedForAnother);
		assert_ok!(amend(DOCTOR));
		let (_, history) = MedicalRecords::record_history(item).expect("exists");
		assert_eq!(history[1].author_account, DOCTOR);
	});
}

#[test]
fn a_call_built_by_its_signer_names_nobody() {
	test(|| {
		let item = create(ProvisionalDiagnosis, date(26, 1, 2021));
		assert_ok!(MedicalRecords::amend_record(RuntimeOrigin::signed(HOME_DOCTOR), item, content(2), note(), None));
		assert_ok!(MedicalRecords::amend_record(
			RuntimeOrigin::signed(HOME_DOCTOR),
			item,
			content(3),
			note(),
			Some(HOME_DOCTOR)
		));
	});
}
