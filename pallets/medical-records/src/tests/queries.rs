//! Queries behind the runtime API: filters, history, visibility, medications.

use super::*;
use frame_support::assert_ok;
use pmr_primitives::{Purpose, RecordCategory::*};

#[test]
fn patient_records_are_filtered_and_paged_by_visit() {
	test(|| {
		let old = create(PastIllness, date(2, 1, 2020));
		let a = create(PresentIllness, date(26, 1, 2021));
		let b = create(Prescription, date(26, 1, 2021));
		let ids = |f: RecordFilter, skip, take| {
			MedicalRecords::patient_records(P, f, skip, take).into_iter().map(|(i, _)| i).collect::<Vec<_>>()
		};
		assert_eq!(ids(RecordFilter::default(), 0, 10), vec![old, a, b]);
		assert_eq!(ids(RecordFilter::default(), 1, 1), vec![a]);
		assert_eq!(ids(RecordFilter { category: Some(Prescription), ..Default::default() }, 0, 10), vec![b]);
		assert_eq!(
			ids(RecordFilter { from: Some(date(1, 1, 2021)), ..Default::default() }, 0, 10),
			vec![a, b]
		);
		assert_eq!(
			ids(RecordFilter { to: Some(date(31, 12, 2020)), ..Default::default() }, 0, 10),
			vec![old]
		);
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(PATIENT), old));
		assert_eq!(ids(RecordFilter::default(), 0, 10), vec![a, b]);
		assert_eq!(ids(RecordFilter { include_erased: true, ..Default::default() }, 0, 10), vec![old, a, b]);
		assert!(MedicalRecords::patient_records(P2, RecordFilter::default(), 0, 10).is_empty());
	});
}

#[test]
fn visible_records_agree_with_the_consent_check() {
	test(|| {
		let lab = create(LabDiagnostics, date(26, 1, 2021));
		let rx = create(Prescription, date(26, 1, 2021));
		assert!(MedicalRecords::visible_records(&DOCTOR, P, Purpose::Treatment).is_empty());
		consent(&DOCTOR, P, Some(LabDiagnostics));
		assert_eq!(MedicalRecords::visible_records(&DOCTOR, P, Purpose::Treatment), vec![lab]);
		assert_eq!(MedicalRecords::visible_records(&HOME_DOCTOR, P, Purpose::Treatment), vec![lab, rx]);
		assert!(MedicalRecords::visible_records(&HOME_DOCTOR, P, Purpose::Research).is_empty());
	});
}

#[test]
fn active_medications_follow_the_clock() {
	test(|| {
		let course = |end| {
			assert_ok!(MedicalRecords::create_record(
				RuntimeOrigin::signed(HOME_DOCTOR),
				P,
				H1,
				date(20, 1, 2021),
				Prescription,
				content(1),
				end
			));
		};
		course(Some(date(25, 1, 2021)));
		course(Some(date(26, 1, 2021)));
		course(None);
		create(PresentIllness, date(20, 1, 2021));
		let running = MedicalRecords::active_medications(P);
		assert_eq!(running.len(), 2, "the course that ended yesterday is not active");
		assert!(running.iter().all(|(_, r)| r.category == Prescription));
		// A day later only the open-ended prescription runs.
		set_now(JAN_26_2021_NOON + 86_400_000);
		assert_eq!(MedicalRecords::active_medications(P).len(), 1);
		// A doctor sees them only with consent for prescriptions.
		assert!(MedicalRecords::medications_visible_to(&DOCTOR, P).is_empty());
		consent(&DOCTOR, P, Some(Prescription));
		assert_eq!(MedicalRecords::medications_visible_to(&DOCTOR, P).len(), 1);
	});
}

#[test]
fn a_sealed_version_is_what_the_chain_anchored_until_erasure() {
	use pmr_primitives::{AccessTarget, SealedContent};
	test(|| {
		let item = create(PresentIllness, date(26, 1, 2021));
		assert_ok!(MedicalRecords::amend_record(
			RuntimeOrigin::signed(HOME_DOCTOR),
			item,
			content_with_manifest(2),
			note()
		));
		let sealed = |version| MedicalRecords::sealed_version(item, version);
		let access = AccessTarget::Record { item, category: PresentIllness };
		assert_eq!(sealed(0), Some(SealedContent { patient: P, access, content: Some(content(1)) }));
		assert_eq!(
			sealed(1),
			Some(SealedContent { patient: P, access, content: Some(content_with_manifest(2)) })
		);
		assert_eq!(sealed(2), None, "no such version");
		assert_eq!(MedicalRecords::sealed_version(item + 1, 0), None, "no such record");

		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(PATIENT), item));
		assert_eq!(sealed(1), Some(SealedContent { patient: P, access, content: None }));
	});
}
