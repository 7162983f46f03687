//! Content addresses: a report's study and observations (and their manifests), a late study
//! manifest and an IoMT batch each claim their CIDs; none may be anchored already.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::{ContentAddresses, LabReportId, SealedTarget};

type Content = pmr_pallet_test_support::StubContent;

fn anchor(study: EncryptedContent, observations: Option<EncryptedContent>) -> sp_runtime::DispatchResult {
	let o = order(HOME_DOCTOR, P, L1, None);
	Labs::anchor_lab_report(RuntimeOrigin::signed(LAB), o, date(26, 1, 2021), study, observations)
}

#[test]
fn a_report_cannot_name_a_cid_anchored_before() {
	test(|| {
		assert_ok!(anchor(content_with_manifest(1), Some(content(2))));
		let own = Some(SealedTarget::LabStudy(LabReportId(0)));
		for cid in [&content(1).cid, &content_with_manifest(1).manifest.unwrap().cid, &content(2).cid] {
			assert_eq!(Content::anchor_of(cid), own);
		}
		// Another order's report naming any of them, as study or as observations, is refused.
		let o = order(HOME_DOCTOR, P, L1, None);
		for (study, observations) in [
			(content(1), None),
			(content(3), Some(content(2))),
			(EncryptedContent { cid: cid("bafy-new"), ..content_with_manifest(1) }, None),
		] {
			assert_noop!(
				Labs::anchor_lab_report(RuntimeOrigin::signed(LAB), o, date(26, 1, 2021), study, observations),
				Error::<Test>::ContentAlreadyAnchored
			);
		}
		// A report's observations cannot be its own study.
		assert_noop!(
			Labs::anchor_lab_report(RuntimeOrigin::signed(LAB), o, date(26, 1, 2021), content(4), Some(content(4))),
			Error::<Test>::ContentAlreadyAnchored
		);
	});
}

#[test]
fn a_late_study_manifest_cannot_reuse_a_cid() {
	test(|| {
		assert_ok!(anchor(content(1), None));
		assert_ok!(anchor(content_with_manifest(2), None));
		let taken = content_with_manifest(2).manifest.unwrap();
		assert_noop!(
			Labs::attach_report_manifest(RuntimeOrigin::signed(LAB), LabReportId(0), taken),
			Error::<Test>::ContentAlreadyAnchored
		);
		assert_ok!(Labs::attach_report_manifest(
			RuntimeOrigin::signed(LAB),
			LabReportId(0),
			manifest("bafy-late", 2)
		));
		assert_eq!(Content::anchor_of(&cid("bafy-late")), Some(SealedTarget::LabStudy(LabReportId(0))));
	});
}

#[test]
fn an_iomt_batch_cannot_reuse_a_reports_cid() {
	test(|| {
		assert_ok!(anchor(content(1), None));
		let d = NextDeviceId::<Test>::get();
		assert_ok!(Labs::register_device(
			RuntimeOrigin::signed(DESK),
			P,
			DEVICE,
			sp_io::hashing::blake2_256(b"glucose monitor")
		));
		assert_noop!(
			Labs::anchor_iomt_batch(RuntimeOrigin::signed(DEVICE), [3; 32], 1_000, 60_000, 60, content(1)),
			Error::<Test>::ContentAlreadyAnchored
		);
		assert_ok!(Labs::anchor_iomt_batch(
			RuntimeOrigin::signed(DEVICE),
			[3; 32],
			1_000,
			60_000,
			60,
			content(5)
		));
		assert_eq!(
			Content::anchor_of(&content(5).cid),
			Some(SealedTarget::IomtBatch { device: d, batch: 0 })
		);
	});
}
