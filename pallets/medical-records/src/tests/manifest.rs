//! `attach_manifest`: the key-share manifest of a version (CID, hash, custodian set version),
//! once.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::{CustodianSetVersion, RecordCategory::*};

#[test]
fn the_author_attaches_the_manifest_once() {
	test(|| {
		let item = create(LabDiagnostics, date(26, 1, 2021));
		for who in [DOCTOR, PATIENT, OUTSIDER] {
			assert_noop!(
				MedicalRecords::attach_manifest(
					RuntimeOrigin::signed(who),
					item,
					0,
					manifest("bafy-manifest", 1)
				),
				Error::<Test>::NotAuthor
			);
		}
		assert_noop!(
			MedicalRecords::attach_manifest(RuntimeOrigin::signed(HOME_DOCTOR), item, 0, ManifestRef { cid: free_text(""), ..manifest("m", 1) }),
			Error::<Test>::InvalidCid
		);
		assert_noop!(
			MedicalRecords::attach_manifest(
				RuntimeOrigin::signed(HOME_DOCTOR),
				item,
				1,
				manifest("bafy-manifest", 1)
			),
			Error::<Test>::UnknownVersion
		);
		assert_ok!(MedicalRecords::attach_manifest(
			RuntimeOrigin::signed(HOME_DOCTOR),
			item,
			0,
			manifest("bafy-manifest", 1)
		));
		assert_eq!(last_event(), Event::ManifestAttached { item, version: 0 });
		assert_noop!(
			MedicalRecords::attach_manifest(
				RuntimeOrigin::signed(HOME_DOCTOR),
				item,
				0,
				manifest("bafy-other", 1)
			),
			Error::<Test>::ManifestAlreadySet
		);
	});
}

#[test]
fn the_attached_manifest_keeps_cid_hash_and_custodian_set_version() {
	test(|| {
		let item = create(LabDiagnostics, date(26, 1, 2021));
		let attached = ManifestRef {
			cid: cid("bafy-manifest"),
			hash: [0xab; 32],
			custodian_set: CustodianSetVersion(7),
		};
		assert_ok!(MedicalRecords::attach_manifest(
			RuntimeOrigin::signed(HOME_DOCTOR),
			item,
			0,
			attached.clone()
		));
		let stored = Versions::<Test>::get(item, 0).and_then(|v| v.manifest).expect("attached");
		assert_eq!(stored.cid, cid("bafy-manifest"));
		assert_eq!(stored.hash, [0xab; 32]);
		assert_eq!(stored.custodian_set, CustodianSetVersion(7));
		assert_eq!(stored, attached);
		// The runtime API's history shows it too.
		let (_, history) = MedicalRecords::record_history(item).expect("exists");
		assert_eq!(history[0].manifest, Some(attached));
	});
}

#[test]
fn the_author_attaches_only_while_an_active_doctor_who_may_treat_the_record() {
	test(|| {
		consent(&DOCTOR, P, None);
		let item = create_by(&DOCTOR, H2, TreatmentSummary, date(26, 1, 2021));
		// The patient's consent ended: the author attaches nothing to the patient's record.
		revoke_consent(&DOCTOR, P, None);
		assert_noop!(
			MedicalRecords::attach_manifest(RuntimeOrigin::signed(DOCTOR), item, 0, manifest("bafy-m", 1)),
			Error::<Test>::NotAllowedToAmend
		);
		// A suspended author neither.
		consent(&DOCTOR, P, None);
		deactivate(&DOCTOR);
		assert_noop!(
			MedicalRecords::attach_manifest(RuntimeOrigin::signed(DOCTOR), item, 0, manifest("bafy-m", 1)),
			Error::<Test>::NotDoctor
		);
		reactivate(&DOCTOR);
		assert_ok!(MedicalRecords::attach_manifest(RuntimeOrigin::signed(DOCTOR), item, 0, manifest("bafy-m", 1)));
	});
}
