//! `erase_record` and `order_record_erasure`: crypto-shredding by the patient, or by an order
//! of the regulators as a body on a legal basis; either goes into the patient's audit trail.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_pallet_test_support::StubAudit;
use pmr_primitives::{ErasedContent, NoteHash, RecordCategory::*};
use sp_runtime::DispatchError;

fn legal_basis() -> NoteHash {
	[7; 32].into()
}

/// A record whose original got its manifest attached and whose amendment was anchored with
/// its manifest.
fn record_with_history() -> PmrItemId {
	let item = create(TreatmentSummary, date(26, 1, 2021));
	assert_ok!(MedicalRecords::attach_manifest(
		RuntimeOrigin::signed(HOME_DOCTOR),
		item,
		0,
		manifest("bafy-m0", 1)
	));
	assert_ok!(MedicalRecords::amend_record(
		RuntimeOrigin::signed(HOME_DOCTOR),
		item,
		content_with_manifest(2),
		note(),
		None,
	));
	item
}

#[test]
fn the_patient_erases_cids_go_hashes_stay() {
	test(|| {
		let item = record_with_history();
		assert_ok!(MedicalRecords::request_correction(RuntimeOrigin::signed(PATIENT), item, note()));
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(PATIENT), item));
		assert_eq!(
			last_event(),
			Event::RecordErased {
				item,
				by: ErasedBy::Patient,
				unpin: vec![
					content(1).cid,
					cid("bafy-m0"),
					content(2).cid,
					cid("bafy-manifest-2")
				]
			}
		);
		let (record, history) = MedicalRecords::record_history(item).expect("kept");
		assert_eq!(record.erased, Some((1, ErasedBy::Patient)));
		// Every manifest reference (CID, hash and set version) is gone with the CIDs.
		assert!(history.iter().all(|v| v.cid.is_none() && v.manifest.is_none()));
		assert_eq!(history[1].plaintext_hash, content(2).plaintext_hash);
		// The record is no longer a live record for the consent pallet.
		assert_eq!(<MedicalRecords as pmr_primitives::RecordsInspect>::live_record(item), None);
		assert!(Corrections::<Test>::get(item).is_none());
		// The NFT stays with the patient as the record of what existed.
		assert_eq!(nft_owner(item), Some(PATIENT));
		// The patient's trail has the erasure, by the patient's account.
		assert_eq!(
			StubAudit::erasures::<AccountId>(),
			vec![(P, Some(PATIENT), ErasedContent::Record(item), ErasedBy::Patient)]
		);
	});
}

#[test]
fn an_order_of_the_regulators_erases_on_a_legal_basis_the_patient_sees() {
	test(|| {
		let item = record_with_history();
		let by = ErasedBy::Regulators { legal_basis: legal_basis() };
		assert_ok!(MedicalRecords::order_record_erasure(RuntimeOrigin::root(), item, legal_basis()));
		assert_eq!(Records::<Test>::get(item).and_then(|r| r.erased), Some((1, by)));
		assert!(matches!(last_event(), Event::RecordErased { by: b, .. } if b == by));
		// The order is the body's, not an account's: the trail names the order and its basis.
		assert_eq!(
			StubAudit::erasures::<AccountId>(),
			vec![(P, None, ErasedContent::Record(item), by)]
		);
	});
}

#[test]
fn an_erased_record_cannot_change() {
	test(|| {
		let item = record_with_history();
		assert_ok!(MedicalRecords::order_record_erasure(RuntimeOrigin::root(), item, legal_basis()));
		assert_noop!(
			MedicalRecords::amend_record(RuntimeOrigin::signed(HOME_DOCTOR), item, content(3), note(), None),
			Error::<Test>::RecordErased
		);
		assert_noop!(
			MedicalRecords::attach_manifest(
				RuntimeOrigin::signed(HOME_DOCTOR),
				item,
				1,
				manifest("bafy-m1", 1)
			),
			Error::<Test>::RecordErased
		);
		assert_noop!(
			MedicalRecords::request_correction(RuntimeOrigin::signed(PATIENT), item, note()),
			Error::<Test>::RecordErased
		);
		assert_noop!(
			MedicalRecords::erase_record(RuntimeOrigin::signed(PATIENT), item),
			Error::<Test>::RecordErased
		);
		assert_noop!(
			MedicalRecords::order_record_erasure(RuntimeOrigin::root(), item, legal_basis()),
			Error::<Test>::RecordErased
		);
		assert_eq!(StubAudit::erasures::<AccountId>().len(), 1, "logged once");
	});
}

#[test]
fn only_the_patient_erases_and_only_the_erasure_origin_orders() {
	test(|| {
		let item = record_with_history();
		for who in [OTHER_PATIENT, HOME_DOCTOR, DOCTOR, OUTSIDER, REGULATOR] {
			assert_noop!(
				MedicalRecords::erase_record(RuntimeOrigin::signed(who.clone()), item),
				Error::<Test>::NotPatient
			);
			// One signed account, a regulator's included, is not the regulators' order.
			assert_noop!(
				MedicalRecords::order_record_erasure(RuntimeOrigin::signed(who), item, legal_basis()),
				DispatchError::BadOrigin
			);
		}
		assert_noop!(MedicalRecords::erase_record(RuntimeOrigin::root(), item), DispatchError::BadOrigin);
		assert!(StubAudit::erasures::<AccountId>().is_empty());
		assert_ok!(MedicalRecords::order_record_erasure(RuntimeOrigin::root(), item, legal_basis()));
	});
}
