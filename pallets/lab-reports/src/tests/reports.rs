//! `anchor_lab_report` and `attach_report_manifest`.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::LabReportId;

#[test]
fn the_ordered_lab_anchors_hashes_and_cids_only() {
	test(|| {
		add_record(7, P);
		let o = order(HOME_DOCTOR, P, L1, Some(7));
		assert_ok!(Labs::anchor_lab_report(
			RuntimeOrigin::signed(LAB),
			o,
			date(26, 1, 2021),
			content(1),
			Some(content(2))
		));
		let r = LabReportId(0);
		assert_eq!(
			last_event(),
			Event::LabReportAnchored {
				report: r,
				order: o,
				patient: P,
				study_hash: content(1).ciphertext_hash,
			}
		);
		let report = LabReports::<Test>::get(r).expect("stored");
		assert_eq!((report.patient, report.lab, report.modality), (P, L1, Modality::Ct));
		assert_eq!(report.study, content(1));
		assert_eq!(report.observations, Some(content(2)));
		assert_eq!(LabOrders::<Test>::get(o).map(|o| o.status), Some(OrderStatus::Fulfilled(r)));
		assert!(Labs::open_orders(L1, None, 10).items.is_empty());
		// Found under the record and under the patient.
		assert_eq!(Labs::reports_of_record(7).len(), 1);
		assert_eq!(Labs::patient_reports(P, None, 10).items.len(), 1);
		assert!(Labs::patient_reports(P2, None, 10).items.is_empty());
	});
}

#[test]
fn a_report_anchored_with_manifests_stores_each_manifest_ref() {
	test(|| {
		let o = order(HOME_DOCTOR, P, L1, None);
		assert_ok!(Labs::anchor_lab_report(
			RuntimeOrigin::signed(LAB),
			o,
			date(26, 1, 2021),
			content_with_manifest(1),
			Some(content_with_manifest(2))
		));
		let r = LabReportId(0);
		let report = LabReports::<Test>::get(r).expect("stored");
		let study = report.study.manifest.expect("anchored with the study");
		assert_eq!(study.cid, cid("bafy-manifest-1"));
		assert_eq!(study.hash, sp_io::hashing::blake2_256(b"bafy-manifest-1"));
		assert_eq!(study.custodian_set, CustodianSetVersion(2));
		assert_eq!(
			report.observations.and_then(|o| o.manifest),
			Some(manifest("bafy-manifest-2", 2))
		);
		assert!(matches!(
			last_event(),
			Event::LabReportAnchored { study_hash, .. } if study_hash == content(1).ciphertext_hash
		));
		// The study's manifest is set: it cannot be attached again.
		assert_noop!(
			Labs::attach_report_manifest(RuntimeOrigin::signed(LAB), r, manifest("bafy-m", 2)),
			Error::<Test>::ManifestAlreadySet
		);
	});
}

#[test]
fn only_the_ordered_active_lab_anchors_once() {
	test(|| {
		let o = order(HOME_DOCTOR, P, L1, None);
		let anchor = |who| {
			Labs::anchor_lab_report(RuntimeOrigin::signed(who), o, date(26, 1, 2021), content(1), None)
		};
		for who in [OTHER_LAB, HOME_DOCTOR, PATIENT, OUTSIDER] {
			assert_noop!(anchor(who), Error::<Test>::NotOrderedLab);
		}
		assert_ok!(anchor(LAB));
		assert_noop!(anchor(LAB), Error::<Test>::OrderNotOpen);
		let cancelled = order(HOME_DOCTOR, P, L1, None);
		assert_ok!(Labs::cancel_lab_order(RuntimeOrigin::signed(HOME_DOCTOR), cancelled));
		assert_noop!(
			Labs::anchor_lab_report(
				RuntimeOrigin::signed(LAB),
				cancelled,
				date(26, 1, 2021),
				content(1),
				None
			),
			Error::<Test>::OrderNotOpen
		);
		let later = order(HOME_DOCTOR, P, L1, None);
		deactivate(LAB);
		assert_noop!(
			Labs::anchor_lab_report(
				RuntimeOrigin::signed(LAB),
				later,
				date(26, 1, 2021),
				content(1),
				None
			),
			Error::<Test>::NotOrderedLab
		);
	});
}

#[test]
fn bad_reports_are_rejected() {
	test(|| {
		let o = order(HOME_DOCTOR, P, L1, None);
		let anchor = |day, study, observations| {
			Labs::anchor_lab_report(RuntimeOrigin::signed(LAB), o, day, study, observations)
		};
		assert_noop!(anchor(date(27, 1, 2021), content(1), None), Error::<Test>::CaptureInFuture);
		let empty = EncryptedContent { cid: free_text("John Smith, born 1970"), ..content(1) };
		assert_noop!(anchor(date(26, 1, 2021), empty.clone(), None), Error::<Test>::InvalidCid);
		assert_noop!(anchor(date(26, 1, 2021), content(1), Some(empty)), Error::<Test>::InvalidCid);
		let empty_manifest =
			EncryptedContent { manifest: Some(ManifestRef { cid: free_text(""), ..manifest("m", 2) }), ..content(1) };
		assert_noop!(
			anchor(date(26, 1, 2021), empty_manifest.clone(), None),
			Error::<Test>::InvalidCid
		);
		assert_noop!(
			anchor(date(26, 1, 2021), content(1), Some(empty_manifest)),
			Error::<Test>::InvalidCid
		);
		assert_noop!(
			Labs::anchor_lab_report(
				RuntimeOrigin::signed(LAB),
				LabOrderId(9),
				date(26, 1, 2021),
				content(1),
				None
			),
			Error::<Test>::UnknownOrder
		);
	});
}

#[test]
fn the_reporting_lab_attaches_the_manifest_once() {
	test(|| {
		let o = order(HOME_DOCTOR, P, L1, None);
		assert_ok!(Labs::anchor_lab_report(
			RuntimeOrigin::signed(LAB),
			o,
			date(26, 1, 2021),
			content(1),
			None
		));
		let r = LabReportId(0);
		assert_noop!(
			Labs::attach_report_manifest(RuntimeOrigin::signed(OTHER_LAB), r, manifest("bafy-m", 4)),
			Error::<Test>::NotReportingLab
		);
		assert_noop!(
			Labs::attach_report_manifest(RuntimeOrigin::signed(LAB), r, ManifestRef { cid: free_text(""), ..manifest("m", 4) }),
			Error::<Test>::InvalidCid
		);
		assert_ok!(Labs::attach_report_manifest(RuntimeOrigin::signed(LAB), r, manifest("bafy-m", 4)));
		assert_eq!(last_event(), Event::ReportManifestAttached { report: r });
		// The whole reference is kept: CID, hash and custodian set version.
		let stored = LabReports::<Test>::get(r).and_then(|r| r.study.manifest).expect("attached");
		assert_eq!(stored.cid, cid("bafy-m"));
		assert_eq!(stored.hash, sp_io::hashing::blake2_256(b"bafy-m"));
		assert_eq!(stored.custodian_set, CustodianSetVersion(4));
		assert_noop!(
			Labs::attach_report_manifest(RuntimeOrigin::signed(LAB), r, manifest("bafy-n", 4)),
			Error::<Test>::ManifestAlreadySet
		);
		assert_noop!(
			Labs::attach_report_manifest(RuntimeOrigin::signed(LAB), LabReportId(5), manifest("bafy-m", 4)),
			Error::<Test>::UnknownReport
		);
	});
}

#[test]
fn a_sealed_study_is_the_anchored_study_opened_by_lab_diagnostics_consent() {
	use pmr_primitives::{AccessTarget, RecordCategory, SealedContent};
	test(|| {
		assert_eq!(Labs::sealed_study(LabReportId(0)), None);
		let o = order(HOME_DOCTOR, P, L1, None);
		assert_ok!(Labs::anchor_lab_report(
			RuntimeOrigin::signed(LAB),
			o,
			date(26, 1, 2021),
			content_with_manifest(1),
			None
		));
		assert_eq!(
			Labs::sealed_study(LabReportId(0)),
			Some(SealedContent {
				patient: P,
				access: AccessTarget::Category(RecordCategory::LabDiagnostics),
				content: Some(content_with_manifest(1)),
			})
		);
	});
}
