//! DICOM de-identification following PS3.15 Annex E, the Basic Application Level
//! Confidentiality Profile, with `dicom-rs` parsing and writing.
//!
//! Per attribute of the profile's whole table (E.1-1, edition 2026d, 657 rows, generated from
//! the standard into [`super::profile_e1_1`]) this applies the Basic Profile action:
//! **X** remove, **Z** replace with a zero-length value, **D** replace with a dummy of the
//! attribute's VR (the Patient ID becomes the on-chain Patient-ID), **U** replace a UID by a
//! new one, consistently
//! (the same original UID always maps to the same new UID under one key, so a series stays a
//! series). It also removes every private attribute (odd groups), overlay and curve data,
//! recurses into sequences, keeps the pixel data and every other attribute (modality, image
//! geometry, acquisition parameters), rewrites the file meta's Media Storage SOP Instance UID,
//! and records Patient Identity Removed = YES and the method. Options of the profile (Retain
//! Patient Characteristics, Retain Longitudinal Dates, ...) are not applied.
//!
//! A whole series is de-identified file by file with one `uid_key` per patient (or study).

use super::Report;
use crate::{blake2_256, Result, VaultError};
use dicom_core::{DataElement, PrimitiveValue, Tag, VR};
use dicom_object::{
	file::ReadPreamble, mem::InMemDicomObject, DefaultDicomObject, OpenFileOptions,
};

/// The Basic Profile action applied to an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
	/// Remove.
	X,
	/// Replace with a zero-length value.
	Z,
	/// Replace with a dummy value of the attribute's VR.
	D,
	/// Replace the UID(s).
	U,
	/// Replace with the Patient-ID pseudonym.
	PatientId,
}

use Action::*;

/// The action for a tag: the Basic Profile column of PS3.15 Table E.1-1 (the whole table,
/// generated from the standard: [`super::profile_e1_1`]), with each compound code resolved to
/// its strictest choice: `X/Z`, `X/D`, `X/Z/D` → remove; `Z/D` → empty; `X/Z/U*` → new UID
/// (keeps references between objects intact while revealing nothing). The Patient ID becomes
/// the on-chain Patient-ID. No profile option (retain UIDs, longitudinal dates, device or
/// institution identity, patient characteristics; clean descriptors, structured content or
/// graphics) is applied. `None`: keep.
fn rule(tag: Tag) -> Option<(&'static str, Action)> {
	if tag == Tag(0x0010, 0x0020) {
		return Some(("PatientID", PatientId));
	}
	let entry = super::profile_e1_1::TABLE_E1_1.iter().find(|e| {
		tag.group() & e.group_mask == e.group && tag.element() & e.element_mask == e.element
	})?;
	let action = match entry.basic {
		"K" => return None,
		code if code.contains('U') => U,
		"D" => D,
		"Z" | "Z/D" => Z,
		// X, X/Z, X/D, X/Z/D, and anything else: remove.
		_ => X,
	};
	Some((entry.keyword, action))
}

/// The dummy value of a `D` attribute, by VR; `None` for VRs that are emptied instead.
fn dummy(vr: VR) -> Option<PrimitiveValue> {
	let text = match vr {
		VR::DA => "19000101",
		VR::TM => "000000",
		VR::DT => "19000101000000",
		VR::AS => "000Y",
		VR::IS | VR::DS => "0",
		VR::PN => "ANONYMIZED",
		VR::AE | VR::CS | VR::LO | VR::LT | VR::SH | VR::ST | VR::UC | VR::UT => "ANONYMIZED",
		_ => return None,
	};
	Some(PrimitiveValue::from(text))
}

fn label(tag: Tag, name: &str) -> String {
	format!("({:04X},{:04X}) {name}", tag.group(), tag.element())
}

/// The new UID for `uid` under `key`: `2.25.<128-bit decimal>` (PS3.5 B.2, UUID-derived form).
fn new_uid(key: &[u8; 32], uid: &str) -> String {
	let mut preimage = key.to_vec();
	preimage.extend_from_slice(b"pmr-vault/dicom-uid/v1");
	preimage.extend_from_slice(uid.as_bytes());
	let h = blake2_256(&preimage);
	let mut n = [0u8; 16];
	n.copy_from_slice(&h[..16]);
	format!("2.25.{}", u128::from_be_bytes(n))
}

struct Scrubber<'a> {
	patient_id: &'a str,
	uid_key: &'a [u8; 32],
	report: Report,
}

impl Scrubber<'_> {
	fn scrub(&mut self, obj: &mut InMemDicomObject, path: &str) {
		let tags: Vec<Tag> = obj.tags().collect();
		for tag in tags {
			let group = tag.group();
			if group % 2 == 1 {
				obj.remove_element(tag);
				self.report.removed.push(format!("{path}{} (private)", label(tag, "")));
				continue;
			}
			if (0x5000..=0x50FF).contains(&group) ||
				((0x6000..=0x60FF).contains(&group) && matches!(tag.element(), 0x3000 | 0x4000))
			{
				obj.remove_element(tag);
				self.report.removed.push(format!("{path}{} (curve/overlay)", label(tag, "")));
				continue;
			}
			let vr = obj.element(tag).map(|e| e.vr()).unwrap_or(VR::UN);
			match rule(tag) {
				Some((name, X)) => {
					obj.remove_element(tag);
					self.report.removed.push(format!("{path}{}", label(tag, name)));
				},
				Some((name, Z)) => {
					obj.put(DataElement::new(tag, vr, PrimitiveValue::Empty));
					self.report.pseudonymized.push(format!("{path}{} (emptied)", label(tag, name)));
				},
				Some((name, D)) => match dummy(vr) {
					Some(value) => {
						obj.put(DataElement::new(tag, vr, value));
						self.report.pseudonymized.push(format!("{path}{} (dummy)", label(tag, name)));
					},
					// A sequence or binary value has no meaningful dummy: remove it.
					None => {
						obj.remove_element(tag);
						self.report.removed.push(format!("{path}{}", label(tag, name)));
					},
				},
				Some((name, PatientId)) => {
					obj.put(DataElement::new(tag, vr, PrimitiveValue::from(self.patient_id)));
					self.report.pseudonymized.push(format!("{path}{} (Patient-ID)", label(tag, name)));
				},
				Some((name, U)) => {
					let old = obj
						.element(tag)
						.ok()
						.and_then(|e| e.value().to_str().ok().map(|s| s.into_owned()))
						.unwrap_or_default();
					let new: Vec<String> = old
						.split('\\')
						.map(|u| u.trim_end_matches(['\0', ' ']))
						.filter(|u| !u.is_empty())
						.map(|u| new_uid(self.uid_key, u))
						.collect();
					obj.put(DataElement::new(tag, VR::UI, PrimitiveValue::from(new.join("\\"))));
					self.report.pseudonymized.push(format!("{path}{} (new UID)", label(tag, name)));
				},
				None if vr == VR::SQ => {
					let nested = format!("{path}{} > ", label(tag, ""));
					obj.update_value(tag, |value| {
						if let Some(items) = value.items_mut() {
							for item in items.iter_mut() {
								self.scrub(item, &nested);
							}
						}
					});
				},
				None => {},
			}
		}
	}
}

/// The identifiers a DICOM object is referenced by (in an export, a FHIR resource points at
/// the study by them).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct DicomUids {
	/// (0020,000D) Study Instance UID.
	pub study: String,
	/// (0020,000E) Series Instance UID.
	pub series: String,
	/// (0008,0018) SOP Instance UID.
	pub sop_instance: String,
	/// (0008,0016) SOP Class UID.
	pub sop_class: String,
	/// (0008,0060) Modality.
	pub modality: String,
}

/// Reads the UIDs and the modality of a DICOM Part 10 file (lengths checked first, as in
/// [`anonymize`]).
pub fn uids(input: &[u8]) -> Result<DicomUids> {
	super::dicom_scan::check(input)?;
	let obj: DefaultDicomObject = OpenFileOptions::new()
		.read_preamble(ReadPreamble::Auto)
		.from_reader(input)
		.map_err(|e| VaultError::Dicom(e.to_string()))?;
	let text = |tag: Tag| {
		obj.element(tag)
			.ok()
			.and_then(|e| e.value().to_str().ok().map(|v| v.trim_end_matches(['\0', ' ']).to_string()))
			.unwrap_or_default()
	};
	Ok(DicomUids {
		study: text(Tag(0x0020, 0x000D)),
		series: text(Tag(0x0020, 0x000E)),
		sop_instance: text(Tag(0x0008, 0x0018)),
		sop_class: text(Tag(0x0008, 0x0016)),
		modality: text(Tag(0x0008, 0x0060)),
	})
}

/// De-identifies one DICOM Part 10 file (with or without the 128-byte preamble) of the patient
/// with on-chain Patient-ID `patient_id`. `uid_key` keys the UID replacement (use one per
/// patient or study, so all files of a series map consistently).
///
/// Every declared length is checked against the input first ([`super::dicom_scan`]), so the
/// parser's allocations are bounded by the input's size.
pub fn anonymize(input: &[u8], patient_id: &str, uid_key: &[u8; 32]) -> Result<(Vec<u8>, Report)> {
	super::dicom_scan::check(input)?;
	let mut obj: DefaultDicomObject = OpenFileOptions::new()
		.read_preamble(ReadPreamble::Auto)
		.from_reader(input)
		.map_err(|e| VaultError::Dicom(e.to_string()))?;

	let mut s = Scrubber { patient_id, uid_key, report: Report::default() };
	let burned_in = obj
		.element(Tag(0x0028, 0x0301))
		.ok()
		.and_then(|e| e.value().to_str().ok().map(|v| v.trim().eq_ignore_ascii_case("YES")))
		.unwrap_or(false);
	if burned_in {
		s.report.warnings.push(
			"BurnedInAnnotation = YES: the pixel data may show identifiers; review or mask them \
			 before sharing"
				.into(),
		);
	}
	s.scrub(&mut obj, "");

	obj.put(DataElement::new(Tag(0x0012, 0x0062), VR::CS, PrimitiveValue::from("YES")));
	obj.put(DataElement::new(
		Tag(0x0012, 0x0063),
		VR::LO,
		PrimitiveValue::from("DICOM PS3.15 E.1 Basic Profile (pmr-vault)"),
	));

	let old_sop = obj.meta().media_storage_sop_instance_uid().trim_end_matches(['\0', ' ']).to_string();
	let meta = obj.meta_mut();
	meta.media_storage_sop_instance_uid = new_uid(uid_key, &old_sop);
	meta.update_information_group_length();
	s.report
		.pseudonymized
		.push("(0002,0003) MediaStorageSOPInstanceUID (new UID)".into());

	let mut out = Vec::new();
	obj.write_all(&mut out).map_err(|e| VaultError::Dicom(e.to_string()))?;
	Ok((out, s.report))
}
