//! FHIR R4 JSON anonymization with typed models (allow-list, never regex over text).
//!
//! Each supported resource (Patient, Encounter, Condition, Observation, MedicationStatement,
//! DiagnosticReport, and Bundles of them) is deserialized into a typed model that has **only**
//! the fields PMR Chain keeps; everything else is dropped by construction, including fields
//! this code has never heard of (extensions, narratives, future elements). What is kept:
//! codes (CodeableConcept codings, without free `text`), statuses, quantities, clinically
//! relevant dates, and references rewritten as follows:
//!
//! - the patient's resource `id` and every `Patient/...` reference become the on-chain
//!   Patient-ID (`Patient/<patient-id>`);
//! - other resource ids and references between supported resources are replaced by keyed
//!   pseudonyms (blake2-256 of a per-record secret salt and the original id), consistently
//!   within the record, so a Bundle stays linked;
//! - references to anything else (Practitioner, Organization, Location, RelatedPerson, ...)
//!   are removed, as are `identifier`, `name`, `telecom`, `address`, `photo`, `contact`,
//!   `text` (narrative), `note`, free-text `conclusion`, `valueString`, attachments.
//! - the patient's birth date is coarsened to the year.
//!
//! [`anonymize`] returns the anonymized JSON and a [`Report`] listing every removed JSON path
//! (computed by comparing input and output trees) and every pseudonymized one.

use super::Report;
use crate::{hex, Result, VaultError};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A coding from a terminology (SNOMED CT, LOINC, RxNorm, ...).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Coding {
	#[serde(skip_serializing_if = "Option::is_none")]
	system: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	version: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	code: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	display: Option<String>,
}

/// A concept as codings only (the free `text` is dropped: it may name people).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct CodeableConcept {
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	coding: Vec<Coding>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Quantity {
	#[serde(skip_serializing_if = "Option::is_none")]
	value: Option<serde_json::Number>,
	#[serde(skip_serializing_if = "Option::is_none")]
	comparator: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	unit: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	system: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	code: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Period {
	#[serde(skip_serializing_if = "Option::is_none")]
	start: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	end: Option<String>,
}

/// A reference; only `reference` is kept (`display` often carries a name).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Reference {
	#[serde(skip_serializing_if = "Option::is_none")]
	reference: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReferenceRange {
	#[serde(skip_serializing_if = "Option::is_none")]
	low: Option<Quantity>,
	#[serde(skip_serializing_if = "Option::is_none")]
	high: Option<Quantity>,
	#[serde(rename = "type", skip_serializing_if = "Option::is_none")]
	kind: Option<CodeableConcept>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ObservationComponent {
	code: CodeableConcept,
	#[serde(skip_serializing_if = "Option::is_none")]
	value_quantity: Option<Quantity>,
	#[serde(skip_serializing_if = "Option::is_none")]
	value_codeable_concept: Option<CodeableConcept>,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	interpretation: Vec<CodeableConcept>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DoseAndRate {
	#[serde(skip_serializing_if = "Option::is_none")]
	dose_quantity: Option<Quantity>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Dosage {
	#[serde(skip_serializing_if = "Option::is_none")]
	sequence: Option<i64>,
	#[serde(skip_serializing_if = "Option::is_none")]
	route: Option<CodeableConcept>,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	dose_and_rate: Vec<DoseAndRate>,
	#[serde(skip_serializing_if = "Option::is_none")]
	as_needed_boolean: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Patient {
	#[serde(skip_serializing_if = "Option::is_none")]
	id: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	gender: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	birth_date: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	deceased_boolean: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Encounter {
	#[serde(skip_serializing_if = "Option::is_none")]
	id: Option<String>,
	status: String,
	#[serde(skip_serializing_if = "Option::is_none")]
	class: Option<Coding>,
	#[serde(rename = "type", default, skip_serializing_if = "Vec::is_empty")]
	kind: Vec<CodeableConcept>,
	#[serde(skip_serializing_if = "Option::is_none")]
	subject: Option<Reference>,
	#[serde(skip_serializing_if = "Option::is_none")]
	period: Option<Period>,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	reason_code: Vec<CodeableConcept>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Condition {
	#[serde(skip_serializing_if = "Option::is_none")]
	id: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	clinical_status: Option<CodeableConcept>,
	#[serde(skip_serializing_if = "Option::is_none")]
	verification_status: Option<CodeableConcept>,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	category: Vec<CodeableConcept>,
	#[serde(skip_serializing_if = "Option::is_none")]
	severity: Option<CodeableConcept>,
	#[serde(skip_serializing_if = "Option::is_none")]
	code: Option<CodeableConcept>,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	body_site: Vec<CodeableConcept>,
	subject: Reference,
	#[serde(skip_serializing_if = "Option::is_none")]
	encounter: Option<Reference>,
	#[serde(skip_serializing_if = "Option::is_none")]
	onset_date_time: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	abatement_date_time: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	recorded_date: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Observation {
	#[serde(skip_serializing_if = "Option::is_none")]
	id: Option<String>,
	status: String,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	category: Vec<CodeableConcept>,
	code: CodeableConcept,
	#[serde(skip_serializing_if = "Option::is_none")]
	subject: Option<Reference>,
	#[serde(skip_serializing_if = "Option::is_none")]
	encounter: Option<Reference>,
	#[serde(skip_serializing_if = "Option::is_none")]
	effective_date_time: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	issued: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	value_quantity: Option<Quantity>,
	#[serde(skip_serializing_if = "Option::is_none")]
	value_codeable_concept: Option<CodeableConcept>,
	#[serde(skip_serializing_if = "Option::is_none")]
	value_boolean: Option<bool>,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	interpretation: Vec<CodeableConcept>,
	#[serde(skip_serializing_if = "Option::is_none")]
	body_site: Option<CodeableConcept>,
	#[serde(skip_serializing_if = "Option::is_none")]
	method: Option<CodeableConcept>,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	reference_range: Vec<ReferenceRange>,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	component: Vec<ObservationComponent>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MedicationStatement {
	#[serde(skip_serializing_if = "Option::is_none")]
	id: Option<String>,
	status: String,
	#[serde(skip_serializing_if = "Option::is_none")]
	medication_codeable_concept: Option<CodeableConcept>,
	subject: Reference,
	#[serde(skip_serializing_if = "Option::is_none")]
	context: Option<Reference>,
	#[serde(skip_serializing_if = "Option::is_none")]
	effective_date_time: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	effective_period: Option<Period>,
	#[serde(skip_serializing_if = "Option::is_none")]
	date_asserted: Option<String>,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	reason_code: Vec<CodeableConcept>,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	dosage: Vec<Dosage>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DiagnosticReport {
	#[serde(skip_serializing_if = "Option::is_none")]
	id: Option<String>,
	status: String,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	category: Vec<CodeableConcept>,
	code: CodeableConcept,
	#[serde(skip_serializing_if = "Option::is_none")]
	subject: Option<Reference>,
	#[serde(skip_serializing_if = "Option::is_none")]
	encounter: Option<Reference>,
	#[serde(skip_serializing_if = "Option::is_none")]
	effective_date_time: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	issued: Option<String>,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	result: Vec<Reference>,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	conclusion_code: Vec<CodeableConcept>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct BundleEntry {
	#[serde(skip_serializing_if = "Option::is_none")]
	resource: Option<Box<Resource>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Bundle {
	#[serde(skip_serializing_if = "Option::is_none")]
	id: Option<String>,
	#[serde(rename = "type")]
	kind: String,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	entry: Vec<BundleEntry>,
}

/// The supported resources, tagged by `resourceType` as in FHIR JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "resourceType")]
enum Resource {
	Patient(Patient),
	Encounter(Encounter),
	Condition(Condition),
	Observation(Observation),
	MedicationStatement(MedicationStatement),
	DiagnosticReport(DiagnosticReport),
	Bundle(Bundle),
}

/// The resource types [`anonymize`] accepts.
pub const SUPPORTED: [&str; 7] = [
	"Patient",
	"Encounter",
	"Condition",
	"Observation",
	"MedicationStatement",
	"DiagnosticReport",
	"Bundle",
];

/// Types whose ids are pseudonymized and whose references are kept.
const LINKABLE: [&str; 5] =
	["Encounter", "Condition", "Observation", "MedicationStatement", "DiagnosticReport"];

struct Pseudonymizer<'a> {
	patient_id: &'a str,
	salt: &'a [u8; 32],
	report: Report,
}

impl Pseudonymizer<'_> {
	fn id(&mut self, path: &str, id: &mut Option<String>) {
		if let Some(old) = id.as_mut() {
			let mut preimage = self.salt.to_vec();
			preimage.extend_from_slice(old.as_bytes());
			*old = hex::encode(&crate::blake2_256(&preimage)[..16]);
			self.report.pseudonymized.push(path.to_string());
		}
	}

	/// Rewrites a reference; `None` means it must be dropped.
	fn reference(&mut self, path: &str, r: Option<Reference>) -> Option<Reference> {
		let target = r?.reference?;
		let (kind, id) = target.split_once('/')?;
		if kind == "Patient" {
			self.report.pseudonymized.push(path.to_string());
			return Some(Reference { reference: Some(format!("Patient/{}", self.patient_id)) });
		}
		if LINKABLE.contains(&kind) && !id.is_empty() && !id.contains('/') {
			let mut new = Some(id.to_string());
			self.id(path, &mut new);
			return new.map(|n| Reference { reference: Some(format!("{kind}/{n}")) });
		}
		None
	}

	/// A mandatory `subject`: the patient's reference, whatever the input pointed at.
	fn required_subject(&mut self, path: &str, subject: Reference) -> Reference {
		self.reference(&format!("{path}.subject"), Some(subject))
			.unwrap_or(Reference { reference: Some(format!("Patient/{}", self.patient_id)) })
	}

	fn resource(&mut self, path: &str, r: &mut Resource) {
		match r {
			Resource::Patient(p) => {
				if p.id.is_some() {
					p.id = Some(self.patient_id.to_string());
					self.report.pseudonymized.push(format!("{path}.id"));
				}
				// Birth date coarsened to the year: "1970-05-17" -> "1970".
				if let Some(d) = p.birth_date.as_mut() {
					if let Some(year) = d.get(..4).filter(|y| y.bytes().all(|b| b.is_ascii_digit())) {
						*d = year.to_string();
					} else {
						p.birth_date = None;
					}
					self.report.pseudonymized.push(format!("{path}.birthDate"));
				}
			},
			Resource::Encounter(e) => {
				self.id(&format!("{path}.id"), &mut e.id);
				e.subject = self.reference(&format!("{path}.subject"), e.subject.take());
			},
			Resource::Condition(c) => {
				self.id(&format!("{path}.id"), &mut c.id);
				c.subject = self.required_subject(path, c.subject.clone());
				c.encounter = self.reference(&format!("{path}.encounter"), c.encounter.take());
			},
			Resource::Observation(o) => {
				self.id(&format!("{path}.id"), &mut o.id);
				o.subject = self.reference(&format!("{path}.subject"), o.subject.take());
				o.encounter = self.reference(&format!("{path}.encounter"), o.encounter.take());
			},
			Resource::MedicationStatement(m) => {
				self.id(&format!("{path}.id"), &mut m.id);
				m.subject = self.required_subject(path, m.subject.clone());
				m.context = self.reference(&format!("{path}.context"), m.context.take());
			},
			Resource::DiagnosticReport(d) => {
				self.id(&format!("{path}.id"), &mut d.id);
				d.subject = self.reference(&format!("{path}.subject"), d.subject.take());
				d.encounter = self.reference(&format!("{path}.encounter"), d.encounter.take());
				let results = std::mem::take(&mut d.result);
				d.result = results
					.into_iter()
					.enumerate()
					.filter_map(|(i, r)| self.reference(&format!("{path}.result[{i}]"), Some(r)))
					.collect();
			},
			Resource::Bundle(b) => {
				self.id(&format!("{path}.id"), &mut b.id);
				for (i, entry) in b.entry.iter_mut().enumerate() {
					if let Some(r) = entry.resource.as_mut() {
						self.resource(&format!("{path}.entry[{i}].resource"), r);
					}
				}
			},
		}
	}
}

/// Paths present in `input` but not in `output` (leaves, or whole subtrees when dropped).
fn removed_paths(path: &str, input: &Value, output: Option<&Value>, out: &mut Vec<String>) {
	match (input, output) {
		(Value::Object(i), Some(Value::Object(o))) =>
			for (k, v) in i {
				removed_paths(&format!("{path}.{k}"), v, o.get(k), out);
			},
		(Value::Array(i), Some(Value::Array(o))) =>
			for (n, v) in i.iter().enumerate() {
				removed_paths(&format!("{path}[{n}]"), v, o.get(n), out);
			},
		(_, None) => out.push(path.to_string()),
		_ => {},
	}
}

/// Replaces unsupported Bundle entries by nothing, recording them; the rest must parse.
fn drop_unsupported_entries(path: &str, v: &mut Value, report: &mut Report) {
	if v.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
		return;
	}
	if let Some(entries) = v.get_mut("entry").and_then(Value::as_array_mut) {
		for (i, entry) in entries.iter_mut().enumerate() {
			let Some(resource) = entry.get_mut("resource") else { continue };
			let kind = resource.get("resourceType").and_then(Value::as_str).unwrap_or("");
			if SUPPORTED.contains(&kind) {
				drop_unsupported_entries(&format!("{path}.entry[{i}].resource"), resource, report);
			} else {
				report.removed.push(format!("{path}.entry[{i}].resource ({kind})"));
				*entry = Value::Object(Default::default());
			}
		}
	}
}

/// Anonymizes one FHIR R4 JSON resource (or Bundle) of the patient with on-chain Patient-ID
/// `patient_id`. `salt` keys the pseudonyms of other resource ids (use a fresh random salt per
/// record and keep it with the hospital if re-linking is ever needed).
pub fn anonymize(input: &[u8], patient_id: &str, salt: &[u8; 32]) -> Result<(Vec<u8>, Report)> {
	let mut original: Value =
		serde_json::from_slice(input).map_err(|e| VaultError::Fhir(format!("not JSON: {e}")))?;
	let kind = original
		.get("resourceType")
		.and_then(Value::as_str)
		.ok_or_else(|| VaultError::Fhir("no resourceType".into()))?
		.to_string();
	if !SUPPORTED.contains(&kind.as_str()) {
		return Err(VaultError::Fhir(format!("unsupported resourceType {kind}")));
	}
	let mut p = Pseudonymizer { patient_id, salt, report: Report::default() };
	let mut cleaned = original.clone();
	drop_unsupported_entries("$", &mut cleaned, &mut p.report);
	let mut resource: Resource = serde_json::from_value(cleaned)
		.map_err(|e| VaultError::Fhir(format!("invalid {kind}: {e}")))?;
	p.resource("$", &mut resource);
	let output = serde_json::to_value(&resource).map_err(|e| VaultError::Fhir(e.to_string()))?;
	// Unsupported bundle entries are already listed; do not list their insides again.
	drop_unsupported_entries("$", &mut original, &mut Report::default());
	removed_paths("$", &original, Some(&output), &mut p.report.removed);
	let bytes = serde_json::to_vec(&output).map_err(|e| VaultError::Fhir(e.to_string()))?;
	Ok((bytes, p.report))
}
