//! `erase_lab_report`, `erase_iomt_batch`, their orders by the regulators
//! (`order_lab_report_erasure`, `order_iomt_batch_erasure`), the patient's audit trail of each,
//! and the cascade when a record is erased.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_pallet_test_support::StubAudit;
use pmr_primitives::{DeviceId, ErasedBy, ErasedContent, LabReportId, NoteHash, OnRecordErased};
use sp_runtime::DispatchError;

fn legal_basis() -> NoteHash {
	[7; 32].into()
}

fn order_of_the_regulators() -> ErasedBy {
	ErasedBy::Regulators { legal_basis: legal_basis() }
}

/// An order of the home doctor under `record`, answered by the lab with a study and
/// observations that both carry manifests; returns the report.
fn report(record: Option<PmrItemId>, n: u8) -> LabReportId {
	let o = order(HOME_DOCTOR, P, L1, record);
	let id = NextReportId::<Test>::get();
	assert_ok!(Labs::anchor_lab_report(
		RuntimeOrigin::signed(LAB),
		o,
		date(26, 1, 2021),
		content_with_manifest(n),
		Some(content_with_manifest(n + 1))
	));
	id
}

/// The CIDs anchored by [`report`] (study, its manifest, observations, their manifest).
fn cids_of_report(n: u8) -> Vec<Cid> {
	[content_with_manifest(n), content_with_manifest(n + 1)]
		.into_iter()
		.flat_map(|c| [c.cid.clone(), c.manifest.expect("has one").cid])
		.collect()
}

#[test]
fn the_patient_erases_a_lab_report_and_its_cids_leave_state() {
	test(|| {
		let r = report(None, 1);
		assert!(Labs::sealed_study(r).and_then(|s| s.content).is_some());
		assert_ok!(Labs::erase_lab_report(RuntimeOrigin::signed(PATIENT), r));
		assert_eq!(
			last_event(),
			Event::LabReportErased { report: r, patient: P, by: ErasedBy::Patient, unpin: cids_of_report(1) }
		);
		let erased = LabReports::<Test>::get(r).expect("the report stays");
		assert_eq!(erased.erased, Some((1, ErasedBy::Patient)));
		assert!(erased.study.cid.is_empty() && erased.study.manifest.is_none());
		let observations = erased.observations.expect("kept as hashes");
		assert!(observations.cid.is_empty() && observations.manifest.is_none());
		// The hashes stay, as evidence of what was anchored.
		assert_eq!(erased.study.ciphertext_hash, content_with_manifest(1).ciphertext_hash);
		assert_eq!(observations.plaintext_hash, content_with_manifest(2).plaintext_hash);
		// The key-release pallet sees no content: no key share is released again.
		assert_eq!(Labs::sealed_study(r).map(|s| s.content), Some(None));
		// Nothing can be erased twice or re-attached.
		assert_noop!(
			Labs::erase_lab_report(RuntimeOrigin::signed(PATIENT), r),
			Error::<Test>::AlreadyErased
		);
		assert_noop!(
			Labs::attach_report_manifest(RuntimeOrigin::signed(LAB), r, manifest("bafy-late", 2)),
			Error::<Test>::AlreadyErased
		);
		// The patient's trail has the erasure, once, by the patient's account.
		assert_eq!(
			StubAudit::erasures::<u64>(),
			vec![(P, Some(PATIENT), ErasedContent::LabReport(r), ErasedBy::Patient)]
		);
	});
}

#[test]
fn only_the_patient_or_an_order_of_the_regulators_erases_a_report() {
	test(|| {
		let r = report(None, 1);
		for who in [HOME_DOCTOR, DOCTOR, LAB, DESK, OTHER_PATIENT, OUTSIDER] {
			assert_noop!(
				Labs::erase_lab_report(RuntimeOrigin::signed(who), r),
				Error::<Test>::NotPatient
			);
			assert_noop!(
				Labs::order_lab_report_erasure(RuntimeOrigin::signed(who), r, legal_basis()),
				DispatchError::BadOrigin
			);
		}
		assert_noop!(Labs::erase_lab_report(RuntimeOrigin::root(), r), DispatchError::BadOrigin);
		assert_noop!(
			Labs::erase_lab_report(RuntimeOrigin::signed(PATIENT), LabReportId(9)),
			Error::<Test>::UnknownReport
		);
		assert!(StubAudit::erasures::<u64>().is_empty());
		assert_ok!(Labs::order_lab_report_erasure(RuntimeOrigin::root(), r, legal_basis()));
		assert!(matches!(last_event(), Event::LabReportErased { by, .. } if by == order_of_the_regulators()));
		// The order is the body's, not an account's: the trail names it and its legal basis.
		assert_eq!(
			StubAudit::erasures::<u64>(),
			vec![(P, None, ErasedContent::LabReport(r), order_of_the_regulators())]
		);
	});
}

#[test]
fn erasing_a_record_erases_the_reports_ordered_under_it() {
	test(|| {
		add_record(7, P);
		let under = [report(Some(7), 1), report(Some(7), 3)];
		let elsewhere = report(None, 5);
		// One of them the patient erased already: it is not erased (or announced) twice.
		assert_ok!(Labs::erase_lab_report(RuntimeOrigin::signed(PATIENT), under[1]));
		System::reset_events();

		remove_record(7);
		let used = <Labs as OnRecordErased>::record_erased(7, order_of_the_regulators());
		assert!(used.all_lte(<Labs as OnRecordErased>::record_erased_weight()));
		let erased: Vec<_> = System::events()
			.into_iter()
			.filter_map(|e| match e.event {
				RuntimeEvent::Labs(Event::LabReportErased { report, by, unpin, .. }) =>
					Some((report, by, unpin)),
				_ => None,
			})
			.collect();
		assert_eq!(erased, vec![(under[0], order_of_the_regulators(), cids_of_report(1))]);
		// The record's own entry in the trail covers its reports: only the patient's earlier
		// erasure of one report has an entry of its own.
		assert_eq!(StubAudit::erasures::<u64>().len(), 1);
		for r in under {
			assert_eq!(Labs::sealed_study(r).map(|s| s.content), Some(None));
		}
		assert!(Labs::sealed_study(elsewhere).and_then(|s| s.content).is_some(), "other reports stay");
	});
}

#[test]
fn a_record_carries_a_bounded_number_of_orders_and_none_after_its_erasure() {
	test(|| {
		add_record(7, P);
		add_record(8, P);
		// MaxOrdersPerRecord is 3 in the mock; cancelled orders count too.
		let first = order(HOME_DOCTOR, P, L1, Some(7));
		assert_ok!(Labs::cancel_lab_order(RuntimeOrigin::signed(HOME_DOCTOR), first));
		order(HOME_DOCTOR, P, L1, Some(7));
		let open = order(HOME_DOCTOR, P, L1, Some(7));
		assert_noop!(
			Labs::order_lab_work(RuntimeOrigin::signed(HOME_DOCTOR), P, L1, Modality::Ct, Some(7), [9; 32]),
			Error::<Test>::TooManyOrdersForRecord
		);
		order(HOME_DOCTOR, P, L1, Some(8));
		// An order whose record was erased since cannot be answered: no report lands under it.
		remove_record(7);
		assert_noop!(
			Labs::anchor_lab_report(RuntimeOrigin::signed(LAB), open, date(26, 1, 2021), content(1), None),
			Error::<Test>::RecordMismatch
		);
	});
}

#[test]
fn the_patient_erases_an_iomt_batch() {
	test(|| {
		assert_ok!(Labs::register_device(RuntimeOrigin::signed(DESK), P, DEVICE, [1; 32]));
		let d = DeviceId(0);
		for (n, window) in [(0u8, (1_000, 2_000)), (1, (2_001, 3_000))] {
			assert_ok!(Labs::anchor_iomt_batch(
				RuntimeOrigin::signed(DEVICE),
				[n; 32],
				window.0,
				window.1,
				10,
				content_with_manifest(n)
			));
		}
		for who in [DEVICE, DESK, HOME_DOCTOR, OTHER_PATIENT, OUTSIDER] {
			assert_noop!(
				Labs::erase_iomt_batch(RuntimeOrigin::signed(who), d, 0),
				Error::<Test>::NotPatient
			);
			assert_noop!(
				Labs::order_iomt_batch_erasure(RuntimeOrigin::signed(who), d, 0, legal_basis()),
				DispatchError::BadOrigin
			);
		}
		assert_noop!(
			Labs::erase_iomt_batch(RuntimeOrigin::signed(PATIENT), d, 2),
			Error::<Test>::UnknownBatch
		);
		assert_noop!(
			Labs::erase_iomt_batch(RuntimeOrigin::signed(PATIENT), DeviceId(5), 0),
			Error::<Test>::UnknownDevice
		);
		assert_ok!(Labs::erase_iomt_batch(RuntimeOrigin::signed(PATIENT), d, 0));
		let anchored = content_with_manifest(0);
		assert_eq!(
			last_event(),
			Event::IomtBatchErased {
				device: d,
				batch: 0,
				by: ErasedBy::Patient,
				unpin: vec![anchored.cid.clone(), anchored.manifest.clone().expect("has one").cid],
			}
		);
		let batch = &Labs::device_batches(d, 0, 1)[0];
		assert_eq!(batch.root, [0; 32], "the root stays: readings can still be proven");
		assert!(batch.content.cid.is_empty() && batch.content.manifest.is_none());
		assert_eq!(Labs::sealed_batch(d, 0).map(|s| s.content), Some(None));
		assert!(Labs::sealed_batch(d, 1).and_then(|s| s.content).is_some(), "the next batch stays");
		assert_noop!(
			Labs::erase_iomt_batch(RuntimeOrigin::signed(PATIENT), d, 0),
			Error::<Test>::AlreadyErased
		);
		assert_ok!(Labs::order_iomt_batch_erasure(RuntimeOrigin::root(), d, 1, legal_basis()));
		assert_eq!(
			StubAudit::erasures::<u64>(),
			vec![
				(P, Some(PATIENT), ErasedContent::IomtBatch { device: d, batch: 0 }, ErasedBy::Patient),
				(P, None, ErasedContent::IomtBatch { device: d, batch: 1 }, order_of_the_regulators()),
			]
		);
	});
}
