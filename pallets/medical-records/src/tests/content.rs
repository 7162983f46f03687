//! Content addresses: every ciphertext and manifest CID is anchored at most once, by
//! `create_record`, `amend_record` and `attach_manifest` alike, and stays taken after erasure.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::{ContentAddresses, RecordCategory::*, SealedTarget};

fn create_for(patient: pmr_primitives::PatientId, c: EncryptedContent) -> Result<(), sp_runtime::DispatchError> {
	MedicalRecords::create_record(
		RuntimeOrigin::signed(HOME_DOCTOR),
		patient,
		H1,
		date(26, 1, 2021),
		PresentIllness,
		c,
		None,
		None,
	)
	.map(|_| ())
	.map_err(|e| e.error)
}

#[test]
fn a_record_cannot_name_another_patients_ciphertext_or_manifest() {
	test(|| {
		// The victim's visit, anchored with its manifest.
		let victim = content_with_manifest(1);
		assert_ok!(create_for(P, victim.clone()));
		let item = PmrId::new(P, date(26, 1, 2021), 0).unwrap().item_id();
		let own = Some(SealedTarget::RecordVersion { item, version: 0 });
		assert_eq!(MedicalRecords::anchor_of(&victim.cid), own);
		assert_eq!(MedicalRecords::anchor_of(&victim.manifest.as_ref().unwrap().cid), own);

		// A doctor anchoring a record of another patient (his own, say) that names the victim's
		// ciphertext, or only its manifest, is refused, and nothing is stored.
		let sequence = NextSequence::<Test>::get(P2, date(26, 1, 2021));
		let only_manifest = EncryptedContent { cid: cid("bafy-attacker"), ..victim.clone() };
		let only_ciphertext = EncryptedContent { manifest: None, ..victim.clone() };
		for stolen in [victim.clone(), only_manifest, only_ciphertext] {
			assert_noop!(create_for(P2, stolen), Error::<Test>::ContentAlreadyAnchored);
		}
		assert_eq!(NextSequence::<Test>::get(P2, date(26, 1, 2021)), sequence);
		assert!(MedicalRecords::anchor_of(&cid("bafy-attacker")).is_none());
	});
}

#[test]
fn an_amendment_or_a_late_manifest_cannot_reuse_a_cid() {
	test(|| {
		let victim = content_with_manifest(1);
		assert_ok!(create_for(P, victim.clone()));
		let item = create(PresentIllness, date(25, 1, 2021));
		assert_noop!(
			MedicalRecords::amend_record(RuntimeOrigin::signed(HOME_DOCTOR), item, content(1), note(), None),
			Error::<Test>::ContentAlreadyAnchored
		);
		let victims_manifest = victim.manifest.clone().unwrap();
		assert_noop!(
			MedicalRecords::attach_manifest(RuntimeOrigin::signed(HOME_DOCTOR), item, 0, victims_manifest),
			Error::<Test>::ContentAlreadyAnchored
		);
		// A version's own ciphertext CID cannot be its manifest either.
		let own_cid = Versions::<Test>::get(item, 0).unwrap().cid.unwrap();
		assert_noop!(
			MedicalRecords::attach_manifest(
				RuntimeOrigin::signed(HOME_DOCTOR),
				item,
				0,
				ManifestRef { cid: own_cid, ..manifest("unused", 1) }
			),
			Error::<Test>::ContentAlreadyAnchored
		);
		assert_ok!(MedicalRecords::attach_manifest(
			RuntimeOrigin::signed(HOME_DOCTOR),
			item,
			0,
			manifest("bafy-late-manifest", 1)
		));
		assert_eq!(
			MedicalRecords::anchor_of(&cid("bafy-late-manifest")),
			Some(SealedTarget::RecordVersion { item, version: 0 })
		);
	});
}

#[test]
fn content_and_its_manifest_cannot_share_a_cid() {
	test(|| {
		let mut same = content_with_manifest(1);
		same.manifest.as_mut().unwrap().cid = same.cid.clone();
		assert_noop!(create_for(P, same), Error::<Test>::ContentAlreadyAnchored);
	});
}

#[test]
fn an_erased_records_cids_stay_taken_but_leave_state() {
	test(|| {
		let victim = content_with_manifest(1);
		assert_ok!(create_for(P, victim.clone()));
		let item = PmrId::new(P, date(26, 1, 2021), 0).unwrap().item_id();
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(PATIENT), item));
		// The erased version keeps its entry (keyed by the CID's hash, not the CID) ...
		assert_eq!(
			MedicalRecords::anchor_of(&victim.cid),
			Some(SealedTarget::RecordVersion { item, version: 0 })
		);
		let key = sp_io::hashing::blake2_256(&victim.cid);
		assert!(ContentAnchors::<Test>::contains_key(key));
		assert!(ContentAnchors::<Test>::iter_keys().all(|k| k.as_slice() != victim.cid.as_slice()));
		// ... so nobody anchors the shredded ciphertext again.
		assert_noop!(create_for(P2, victim), Error::<Test>::ContentAlreadyAnchored);
	});
}
