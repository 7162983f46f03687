//! DICOM de-identification on real files (pydicom's CT_small.dcm, MR_small.dcm and compressed
//! studies from PyPI, fetched by scripts/fetch-test-data.sh into $PMR_DICOM_SAMPLES).

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

/// A lab's study is often compressed (the web app's viewer shows these same files): the
/// de-identified file keeps its transfer syntax and its encoded pixel fragments byte for byte.
#[test]
fn compressed_studies_are_deidentified_with_their_encoded_pixels_intact() {
	let fragments = |obj: &DefaultDicomObject| {
		obj.element(PIXEL_DATA).expect("pixels").value().fragments().map(|f| f.to_vec())
	};
	for name in [
		"MR_small_RLE.dcm",
		"MR_small_jpeg_ls_lossless.dcm",
		"MR_small_jp2klossless.dcm",
		"JPGExtended.dcm",
		"SC_rgb_jpeg_dcmtk.dcm",
	] {
		let input = sample(name);
		let before = parse(&input);
		let (out, _) = anonymize(&input, "85437", &KEY).unwrap_or_else(|e| panic!("{name}: {e}"));
		let after = parse(&out);
		assert_eq!(before.meta().transfer_syntax(), after.meta().transfer_syntax(), "{name}");
		assert_eq!(text(&after, PATIENT_ID).as_deref(), Some("85437"), "{name}");
		assert_eq!(text(&after, PATIENT_NAME).as_deref(), Some(""), "{name}");
		assert!(fragments(&before).is_some_and(|f| !f.is_empty()), "{name}: encapsulated pixel data");
		assert_eq!(fragments(&before), fragments(&after), "{name}: compressed pixel data changed");
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

/// Every attribute of the real files that PS3.15 Table E.1-1 lists is handled as its Basic
/// Profile action says (strictest branch of compound codes), and the values the earlier
/// ~105-row table let through (instance creation date and time, timezone offset, station
/// name, ...) do not survive.
#[test]
fn every_listed_attribute_of_real_files_follows_table_e1_1() {
	use pmr_vault::anonymize::profile_e1_1::TABLE_E1_1;
	for name in ["CT_small.dcm", "MR_small.dcm"] {
		let input = sample(name);
		let before = parse(&input);
		let (out, _) = anonymize(&input, "85437", &KEY).expect("de-identifies");
		let after = parse(&out);
		let mut checked = 0;
		for tag in before.tags() {
			let Some(entry) = TABLE_E1_1.iter().find(|e| {
				tag.group() & e.group_mask == e.group && tag.element() & e.element_mask == e.element
			}) else {
				continue;
			};
			if tag == PATIENT_ID || tag.group() % 2 == 1 {
				continue;
			}
			checked += 1;
			let now = after.element(tag).ok();
			let value = now.as_ref().and_then(|e| e.value().to_str().ok().map(|s| s.trim_end_matches(['\0', ' ']).to_string()));
			match entry.basic {
				code if code.contains('U') => {
					assert!(value.unwrap_or_default().split('\\').all(|u| u.is_empty() || u.starts_with("2.25.")), "{name} {tag}")
				},
				"Z" | "Z/D" => assert_eq!(value.as_deref(), Some(""), "{name} {tag} {}", entry.keyword),
				"D" => assert!(
					now.is_none() || value.as_deref().is_some_and(|v| v == "ANONYMIZED" || v.chars().all(|c| c.is_ascii_digit() || c == 'Y' || c == '.')),
					"{name} {tag} {}: {value:?}", entry.keyword
				),
				_ => assert!(now.is_none(), "{name} {tag} {} survived", entry.keyword),
			}
		}
		assert!(checked > 10, "{name}: only {checked} listed attributes");
		for gone in [Tag(0x0008, 0x0012), Tag(0x0008, 0x0013), Tag(0x0008, 0x0201), Tag(0x0008, 0x1010)] {
			assert!(after.element(gone).is_err(), "{name}: {gone} survived");
		}
	}
}

#[test]
fn the_uids_an_export_references_are_the_anonymized_files() {
	let (out, _) = anonymize(&sample("CT_small.dcm"), "85437", &KEY).expect("de-identifies");
	let obj = parse(&out);
	let uids = pmr_vault::anonymize::dicom::uids(&out).expect("reads the UIDs");
	assert_eq!(Some(uids.study), text(&obj, STUDY_UID));
	assert_eq!(Some(uids.series), text(&obj, SERIES_UID));
	assert_eq!(Some(uids.sop_instance), text(&obj, SOP_UID));
	assert_eq!(uids.modality, "CT");
	assert!(uids.sop_class.starts_with("1.2.840.10008."));
	assert!(matches!(pmr_vault::anonymize::dicom::uids(b"not DICOM"), Err(VaultError::Dicom(_))));
}
