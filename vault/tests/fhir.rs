//! FHIR R4 anonymization on a realistic visit Bundle.

use pmr_vault::{anonymize::fhir::anonymize, VaultError};
use serde_json::Value;

const BUNDLE: &[u8] = include_bytes!("fixtures/bundle.json");
const SALT: [u8; 32] = [3; 32];

/// Strings of the fixture that identify someone; none may survive.
const IDENTIFYING: &[&str] = &[
	"Ravi", "Kumar", "Lakshmi", "Arun", "Meena", "Iyer", "Anita", "MRN-0042-7781",
	"9876 5432 1098", "98450", "ravi.kumar@example.in", "Temple Street", "641001", "Coimbatore",
	"1970-05-17", "VISIT-2021-0126-001", "LAB-2021-55", "/9j/4AAQ", "JVBERi0", "bed 4",
	"dr-meena", "city-hospital", "urn:uuid:patient-85437",
];

#[test]
fn no_identifier_survives_and_clinical_content_does() {
	let (out, report) = anonymize(BUNDLE, "85437", &SALT).expect("valid bundle");
	let text = String::from_utf8(out.clone()).expect("utf-8");
	for s in IDENTIFYING {
		assert!(!text.contains(s), "{s:?} survived anonymization: {text}");
	}
	let v: Value = serde_json::from_slice(&out).expect("JSON");
	let entries = v["entry"].as_array().expect("entries");
	// the patient: Patient-ID, gender, birth year
	assert_eq!(entries[0]["resource"]["id"], "85437");
	assert_eq!(entries[0]["resource"]["gender"], "male");
	assert_eq!(entries[0]["resource"]["birthDate"], "1970");
	// references to the patient point at the Patient-ID
	for i in 1..=5 {
		assert_eq!(entries[i]["resource"]["subject"]["reference"], "Patient/85437", "entry {i}");
	}
	// clinical codes and values are kept
	assert!(text.contains("29857009") && text.contains("194828000") && text.contains("197361"));
	assert_eq!(entries[3]["resource"]["component"][0]["valueQuantity"]["value"], 150);
	// links inside the record are kept, under pseudonyms
	let enc_id = entries[1]["resource"]["id"].as_str().expect("encounter id");
	assert_eq!(entries[2]["resource"]["encounter"]["reference"], format!("Encounter/{enc_id}"));
	let obs_id = entries[3]["resource"]["id"].as_str().expect("observation id");
	assert_eq!(entries[5]["resource"]["result"][0]["reference"], format!("Observation/{obs_id}"));
	assert_eq!(entries[5]["resource"]["result"].as_array().map(Vec::len), Some(1));
	// the unsupported Practitioner entry is gone
	assert_eq!(entries[6], serde_json::json!({}));

	// the report names what was removed
	for path in [
		"$.entry[0].resource.name",
		"$.entry[0].resource.telecom",
		"$.entry[0].resource.address",
		"$.entry[0].resource.identifier",
		"$.entry[0].resource.photo",
		"$.entry[0].resource.text",
		"$.entry[0].fullUrl",
		"$.entry[2].resource.note",
		"$.entry[5].resource.conclusion",
		"$.entry[5].resource.presentedForm",
		"$.entry[5].resource.result[1]",
		"$.entry[6].resource (Practitioner)",
	] {
		assert!(report.removed.iter().any(|r| r == path), "report lacks {path}: {:?}", report.removed);
	}
	assert!(report.pseudonymized.iter().any(|p| p == "$.entry[0].resource.birthDate"));
}

#[test]
fn pseudonyms_are_stable_per_salt_and_differ_across_salts() {
	let (a, _) = anonymize(BUNDLE, "85437", &SALT).unwrap();
	let (b, _) = anonymize(BUNDLE, "85437", &SALT).unwrap();
	let (c, _) = anonymize(BUNDLE, "85437", &[4; 32]).unwrap();
	assert_eq!(a, b);
	assert_ne!(a, c);
}

#[test]
fn single_resources_are_supported() {
	let patient = br#"{"resourceType":"Patient","id":"x","name":[{"family":"Doe"}],"gender":"female","birthDate":"1985"}"#;
	let (out, _) = anonymize(patient, "7", &SALT).unwrap();
	assert_eq!(
		serde_json::from_slice::<Value>(&out).unwrap(),
		serde_json::json!({"resourceType":"Patient","id":"7","gender":"female","birthDate":"1985"})
	);
}

#[test]
fn bad_input_gets_clear_errors() {
	for (input, expect) in [
		(&b"not json"[..], "not JSON"),
		(&br#"{"id":"x"}"#[..], "no resourceType"),
		(&br#"{"resourceType":"Practitioner"}"#[..], "unsupported resourceType Practitioner"),
		(&br#"{"resourceType":"Observation","status":"final"}"#[..], "invalid Observation"),
		(&br#"{"resourceType":"Observation","status":3,"code":{}}"#[..], "invalid Observation"),
	] {
		match anonymize(input, "1", &SALT) {
			Err(VaultError::Fhir(m)) => assert!(m.contains(expect), "{m} lacks {expect}"),
			other => panic!("expected a FHIR error for {input:?}, got {other:?}"),
		}
	}
}
