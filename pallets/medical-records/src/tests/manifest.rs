//! `attach_manifest`: the key-share manifest of a version, once.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::RecordCategory::*;

#[test]
fn the_author_attaches_the_manifest_once() {
	test(|| {
		let item = create(LabDiagnostics, date(26, 1, 2021));
		for who in [DOCTOR, PATIENT, OUTSIDER] {
			assert_noop!(
				MedicalRecords::attach_manifest(RuntimeOrigin::signed(who), item, 0, cid("bafy-manifest")),
				Error::<Test>::NotAuthor
			);
		}
		assert_noop!(
			MedicalRecords::attach_manifest(RuntimeOrigin::signed(HOME_DOCTOR), item, 0, cid("")),
			Error::<Test>::EmptyCid
		);
		assert_noop!(
			MedicalRecords::attach_manifest(RuntimeOrigin::signed(HOME_DOCTOR), item, 1, cid("bafy-manifest")),
			Error::<Test>::UnknownVersion
		);
		assert_ok!(MedicalRecords::attach_manifest(
			RuntimeOrigin::signed(HOME_DOCTOR),
			item,
			0,
			cid("bafy-manifest")
		));
		assert_eq!(last_event(), Event::ManifestAttached { item, version: 0 });
		assert_eq!(Versions::<Test>::get(item, 0).and_then(|v| v.manifest), Some(cid("bafy-manifest")));
		assert_noop!(
			MedicalRecords::attach_manifest(RuntimeOrigin::signed(HOME_DOCTOR), item, 0, cid("bafy-other")),
			Error::<Test>::ManifestAlreadySet
		);
	});
}
