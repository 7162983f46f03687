//! `amend_record`: versions, who may amend, erased records.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::RecordCategory::*;

#[test]
fn an_amendment_links_to_the_previous_version_and_keeps_it() {
	test(|| {
		let item = create(ProvisionalDiagnosis, date(26, 1, 2021));
		System::set_block_number(5);
		assert_ok!(MedicalRecords::amend_record(RuntimeOrigin::signed(HOME_DOCTOR), item, content(2), note(), None));
		assert_eq!(
			last_event(),
			Event::RecordAmended {
				item,
				version: 1,
				by: HOME_DOCTOR,
				resolved_correction: false,
				ciphertext_hash: content(2).ciphertext_hash,
			}
		);
		let (record, history) = MedicalRecords::record_history(item).expect("exists");
		assert_eq!(record.versions, 2);
		assert_eq!(history.len(), 2);
		assert_eq!(history[0].cid, Some(content(1).cid));
		assert_eq!(history[1].cid, Some(content(2).cid));
		assert_eq!((history[1].amends, history[1].at), (Some(0), 5));
		assert_eq!(history[1].reason, Some(note()));
		assert_eq!(history[1].author_account, HOME_DOCTOR);
		assert_eq!((history[0].manifest.clone(), history[1].manifest.clone()), (None, None));
	});
}

#[test]
fn an_amendment_anchored_with_its_manifest_stores_it() {
	test(|| {
		let item = create(ProvisionalDiagnosis, date(26, 1, 2021));
		assert_ok!(MedicalRecords::amend_record(
			RuntimeOrigin::signed(HOME_DOCTOR),
			item,
			content_with_manifest(2),
			note(),
			None,
		));
		assert_eq!(
			Versions::<Test>::get(item, 1).and_then(|v| v.manifest),
			Some(manifest("bafy-manifest-2", 3))
		);
		// The original still waits for its manifest.
		assert_eq!(Versions::<Test>::get(item, 0).and_then(|v| v.manifest), None);
		let mut bad = content_with_manifest(3);
		bad.manifest = Some(ManifestRef { cid: free_text(""), ..manifest("m", 3) });
		assert_noop!(
			MedicalRecords::amend_record(RuntimeOrigin::signed(HOME_DOCTOR), item, bad, note(), None),
			Error::<Test>::InvalidCid
		);
	});
}

#[test]
fn doctors_amend_only_under_a_live_access_decision() {
	test(|| {
		consent(&DOCTOR, P, None);
		let item = create_by(&DOCTOR, H2, TreatmentSummary, date(26, 1, 2021));
		// The author, while the consent it wrote under is live.
		assert_ok!(MedicalRecords::amend_record(RuntimeOrigin::signed(DOCTOR), item, content(2), note(), None));
		// A colleague at the hospital that wrote the record (H2) needs a consent of its own.
		assert_noop!(
			MedicalRecords::amend_record(RuntimeOrigin::signed(OTHER_DOCTOR), item, content(3), note(), None),
			Error::<Test>::NotAllowedToAmend
		);
		consent(&OTHER_DOCTOR, P, Some(TreatmentSummary));
		assert_ok!(MedicalRecords::amend_record(RuntimeOrigin::signed(OTHER_DOCTOR), item, content(3), note(), None));
		assert_eq!(Versions::<Test>::get(item, 2).map(|v| v.author), Some(doctor_id(&OTHER_DOCTOR)));
		// The patient's registering hospital (H1) treats without a grant (a second record:
		// the mock keeps three versions).
		let other = create_by(&DOCTOR, H2, TreatmentSummary, date(25, 1, 2021));
		assert_ok!(MedicalRecords::amend_record(RuntimeOrigin::signed(HOME_DOCTOR), other, content(4), note(), None));
	});
}

#[test]
fn amend_rights_end_with_the_consent() {
	test(|| {
		consent(&DOCTOR, P, None);
		let item = create_by(&DOCTOR, H2, TreatmentSummary, date(26, 1, 2021));
		assert_ok!(MedicalRecords::request_correction(RuntimeOrigin::signed(PATIENT), item, note()));
		revoke_consent(&DOCTOR, P, None);
		// Neither the author nor a colleague of the author's hospital may amend, or reject the
		// patient's correction request, once the patient's consent is gone.
		for who in [DOCTOR, OTHER_DOCTOR] {
			assert_noop!(
				MedicalRecords::amend_record(RuntimeOrigin::signed(who.clone()), item, content(2), note(), None),
				Error::<Test>::NotAllowedToAmend
			);
			assert_noop!(
				MedicalRecords::reject_correction(RuntimeOrigin::signed(who), item, note()),
				Error::<Test>::NotAllowedToAmend
			);
		}
	});
}

#[test]
fn nobody_else_may_amend() {
	test(|| {
		let item = create(TreatmentSummary, date(26, 1, 2021));
		// DOCTOR works at H2, did not write it and has no consent.
		assert_noop!(
			MedicalRecords::amend_record(RuntimeOrigin::signed(DOCTOR), item, content(2), note(), None),
			Error::<Test>::NotAllowedToAmend
		);
		for who in [PATIENT, LAB, OUTSIDER, REGULATOR] {
			assert_noop!(
				MedicalRecords::amend_record(RuntimeOrigin::signed(who), item, content(2), note(), None),
				Error::<Test>::NotDoctor
			);
		}
		// An author who is no longer active loses the right too.
		deactivate(&HOME_DOCTOR);
		assert_noop!(
			MedicalRecords::amend_record(RuntimeOrigin::signed(HOME_DOCTOR), item, content(2), note(), None),
			Error::<Test>::NotDoctor
		);
	});
}

#[test]
fn versions_are_bounded_and_unknown_records_rejected() {
	test(|| {
		let item = create(TreatmentSummary, date(26, 1, 2021));
		for n in 2..=3 {
			assert_ok!(MedicalRecords::amend_record(RuntimeOrigin::signed(HOME_DOCTOR), item, content(n), note(), None));
		}
		assert_noop!(
			MedicalRecords::amend_record(RuntimeOrigin::signed(HOME_DOCTOR), item, content(4), note(), None),
			Error::<Test>::TooManyVersions
		);
		assert_noop!(
			MedicalRecords::amend_record(RuntimeOrigin::signed(HOME_DOCTOR), 42, content(4), note(), None),
			Error::<Test>::UnknownRecord
		);
	});
}
