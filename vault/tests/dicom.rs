//! DICOM de-identification on real files (pydicom's CT_small.dcm and MR_small.dcm from PyPI,
//! fetched by scripts/fetch-test-data.sh into $PMR_DICOM_SAMPLES).

mod common;

use dicom_core::Tag;
use dicom_object::{file::ReadPreamble, DefaultDicomObject, OpenFileOptions};
use pmr_vault::{anonymize::dicom::anonymize, VaultError};

const KEY: [u8; 32] = [5; 32];

fn sample(name: &str) -> Vec<u8> {
	common::dicom_sample(name).unwrap_or_else(|| {
		panic!("{} missing; run scripts/fetch-test-data.sh", common::dicom_dir().join(name).display())
	})
}

fn parse(bytes: &[u8]) -> DefaultDicomObject {
	OpenFileOptions::new().read_preamble(ReadPreamble::Auto).from_reader(bytes).expect("valid DICOM")
}

fn text(obj: &DefaultDicomObject, tag: Tag) -> Option<String> {
	obj.element(tag).ok().and_then(|e| e.value().to_str().ok().map(|s| s.trim_end_matches(['\0', ' ']).to_string()))
}

const PATIENT_NAME: Tag = Tag(0x0010, 0x0010);
const PATIENT_ID: Tag = Tag(0x0010, 0x0020);
const BIRTH_DATE: Tag = Tag(0x0010, 0x0030);
const INSTITUTION: Tag = Tag(0x0008, 0x0080);
const STUDY_UID: Tag = Tag(0x0020, 0x000D);
const SERIES_UID: Tag = Tag(0x0020, 0x000E);
const SOP_UID: Tag = Tag(0x0008, 0x0018);
const MODALITY: Tag = Tag(0x0008, 0x0060);
const PIXEL_DATA: Tag = Tag(0x7FE0, 0x0010);
const ROWS: Tag = Tag(0x0028, 0x0010);

#[test]
fn real_ct_and_mr_files_are_deidentified_and_stay_valid() {
	for name in ["CT_small.dcm", "MR_small.dcm"] {
		let input = sample(name);
		let before = parse(&input);
		let (out, report) = anonymize(&input, "85437", &KEY).expect("de-identifies");
		let after = parse(&out);

		// identifiers replaced or emptied
		assert_eq!(text(&after, PATIENT_ID).as_deref(), Some("85437"), "{name}");
		assert_eq!(text(&after, PATIENT_NAME).as_deref(), Some(""), "{name}");
		assert!(text(&after, BIRTH_DATE).unwrap_or_default().is_empty(), "{name}");
		assert!(after.element(INSTITUTION).is_err(), "{name}: institution removed");
		// no private attributes anywhere at the top level
		assert!(after.tags().all(|t| t.group() % 2 == 0), "{name}: private tags remain");
		// UIDs replaced, consistently with the file meta
		for tag in [STUDY_UID, SERIES_UID, SOP_UID] {
			let (old, new) = (text(&before, tag), text(&after, tag));
			if old.is_some() {
				assert_ne!(old, new, "{name}: {tag} not replaced");
				assert!(new.as_deref().unwrap_or_default().starts_with("2.25."), "{name}: {tag}");
			}
		}
		assert_eq!(
			after.meta().media_storage_sop_instance_uid().trim_end_matches('\0'),
			text(&after, SOP_UID).unwrap_or_default()
		);
		assert_eq!(text(&after, Tag(0x0012, 0x0062)).as_deref(), Some("YES"));
		// the image and what a clinician needs are intact
		assert_eq!(
			before.element(PIXEL_DATA).expect("pixels").value().to_bytes().expect("bytes"),
			after.element(PIXEL_DATA).expect("pixels").value().to_bytes().expect("bytes"),
			"{name}: pixel data changed"
		);
		assert_eq!(text(&before, MODALITY), text(&after, MODALITY));
		assert_eq!(text(&before, ROWS), text(&after, ROWS));
		// the report lists what was done
		assert!(report.pseudonymized.iter().any(|r| r.contains("PatientID")), "{name}: {report:?}");
		assert!(!report.removed.is_empty(), "{name}: nothing removed?");
	}
}

#[test]
fn uid_replacement_is_consistent_per_key() {
	let input = sample("MR_small.dcm");
	let (a, _) = anonymize(&input, "1", &KEY).unwrap();
	let (b, _) = anonymize(&input, "1", &KEY).unwrap();
	let (c, _) = anonymize(&input, "1", &[6; 32]).unwrap();
	let (a, b, c) = (parse(&a), parse(&b), parse(&c));
	assert_eq!(text(&a, STUDY_UID), text(&b, STUDY_UID));
	assert_ne!(text(&a, STUDY_UID), text(&c, STUDY_UID));
}

#[test]
fn malformed_dicom_gets_a_clear_error() {
	for input in [&b""[..], &b"DICM"[..], &[0u8; 200][..]] {
		assert!(matches!(anonymize(input, "1", &KEY), Err(VaultError::Dicom(_))));
	}
	let mut truncated = sample("CT_small.dcm");
	truncated.truncate(600);
	assert!(anonymize(&truncated, "1", &KEY).is_err());
}
