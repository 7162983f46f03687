//! Property tests of the parsers' entry points: whatever the bytes, they return a typed error
//! or a result, and never panic. (Recorded in docs/performance.md: cases run per property.)

mod common;

use pmr_vault::{anonymize, crypto, crypto::DataKey, manifest::KeyManifest, sharing::CustodianShare};
use proptest::prelude::*;

proptest! {
	#![proptest_config(ProptestConfig::with_cases(512))]

	#[test]
	fn fhir_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
		let _ = anonymize::fhir::anonymize(&bytes, "1", &[0; 32]);
	}

	#[test]
	fn fhir_never_panics_on_json_shapes(
		kind in prop::sample::select(vec!["Patient", "Encounter", "Condition", "Observation",
			"MedicationStatement", "DiagnosticReport", "Bundle", "Other"]),
		key in "[a-zA-Z]{1,12}",
		value in prop_oneof![
			Just(serde_json::json!(null)), Just(serde_json::json!([])), Just(serde_json::json!({})),
			any::<i64>().prop_map(|n| serde_json::json!(n)), "[ -~]{0,20}".prop_map(|s| serde_json::json!(s)),
			Just(serde_json::json!([{"resource": {"resourceType": "Patient", "birthDate": "19"}}])),
			Just(serde_json::json!({"reference": "Patient/../x"})),
		],
	) {
		let doc = serde_json::json!({"resourceType": kind, "status": "final", "code": {}, "subject": {}, "type": "collection", key: value});
		let _ = anonymize::fhir::anonymize(doc.to_string().as_bytes(), "1", &[0; 32]);
	}

	#[test]
	fn dicom_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
		let _ = anonymize::dicom::anonymize(&bytes, "1", &[0; 32]);
	}

	#[test]
	fn decrypt_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
		let _ = crypto::decrypt(&DataKey::from_bytes([1; 32]), &bytes[..], Vec::new());
	}

	#[test]
	fn manifest_and_share_parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
		let _ = KeyManifest::from_json(&bytes);
		let _ = CustodianShare::from_bytes(&bytes);
	}
}

proptest! {
	// Each case parses a whole (mutated) image: fewer cases.
	#![proptest_config(ProptestConfig::with_cases(32))]

	#[test]
	fn dicom_never_panics_on_mutated_real_files(
		flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
		cut in any::<prop::sample::Index>(),
	) {
		if let Some(mut file) = common::dicom_sample("CT_small.dcm") {
			for (i, b) in flips {
				let at = i.index(file.len());
				file[at] = b;
			}
			let keep = cut.index(file.len() + 1);
			file.truncate(keep.max(1));
			let _ = anonymize::dicom::anonymize(&file, "1", &[0; 32]);
		}
	}
}
