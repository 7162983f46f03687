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
		assert_eq!(last_event(), Event::LabReportAnchored { report: r, order: o, patient: P });
		let report = LabReports::<Test>::get(r).expect("stored");
		assert_eq!((report.patient, report.lab, report.modality), (P, L1, Modality::Ct));
		assert_eq!(report.study, content(1));
		assert_eq!(report.observations, Some(content(2)));
		assert_eq!(LabOrders::<Test>::get(o).map(|o| o.status), Some(OrderStatus::Fulfilled(r)));
		assert!(Labs::open_orders(L1).is_empty());
		// Found under the record and under the patient.
		assert_eq!(Labs::reports_of_record(7).len(), 1);
		assert_eq!(Labs::patient_reports(P).len(), 1);
		assert!(Labs::patient_reports(P2).is_empty());
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
		let empty = EncryptedContent { cid: cid(""), ..content(1) };
		assert_noop!(anchor(date(26, 1, 2021), empty.clone(), None), Error::<Test>::EmptyCid);
		assert_noop!(anchor(date(26, 1, 2021), content(1), Some(empty)), Error::<Test>::EmptyCid);
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
			Labs::attach_report_manifest(RuntimeOrigin::signed(OTHER_LAB), r, cid("bafy-m")),
			Error::<Test>::NotReportingLab
		);
		assert_noop!(
			Labs::attach_report_manifest(RuntimeOrigin::signed(LAB), r, cid("")),
			Error::<Test>::EmptyCid
		);
		assert_ok!(Labs::attach_report_manifest(RuntimeOrigin::signed(LAB), r, cid("bafy-m")));
		assert_eq!(last_event(), Event::ReportManifestAttached { report: r });
		assert_noop!(
			Labs::attach_report_manifest(RuntimeOrigin::signed(LAB), r, cid("bafy-n")),
			Error::<Test>::ManifestAlreadySet
		);
		assert_noop!(
			Labs::attach_report_manifest(RuntimeOrigin::signed(LAB), LabReportId(5), cid("bafy-m")),
			Error::<Test>::UnknownReport
		);
	});
}
