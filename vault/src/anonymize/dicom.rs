//! DICOM de-identification following PS3.15 Annex E, the Basic Application Level
//! Confidentiality Profile, with `dicom-rs` parsing and writing.
//!
//! Per attribute of the profile's table (E.1-1) this applies the Basic Profile action:
//! **X** remove, **Z** replace with a zero-length value, **D** replace with a dummy (the
//! Patient ID becomes the on-chain Patient-ID), **U** replace a UID by a new one, consistently
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

/// The Basic Profile action of an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
	/// Remove.
	X,
	/// Replace with a zero-length value.
	Z,
	/// Replace the UID(s).
	U,
	/// Replace with the Patient-ID pseudonym.
	PatientId,
}

use Action::*;

/// PS3.15 Table E.1-1, Basic Profile column (attributes commonly present in images; the
/// conditional X/Z/D choices resolved to their strictest form).
const PROFILE: &[(u16, u16, &str, Action)] = &[
	(0x0004, 0x1511, "ReferencedSOPInstanceUIDInFile", U),
	(0x0008, 0x0014, "InstanceCreatorUID", U),
	(0x0008, 0x0018, "SOPInstanceUID", U),
	(0x0008, 0x0020, "StudyDate", Z),
	(0x0008, 0x0021, "SeriesDate", X),
	(0x0008, 0x0022, "AcquisitionDate", X),
	(0x0008, 0x0023, "ContentDate", Z),
	(0x0008, 0x002A, "AcquisitionDateTime", X),
	(0x0008, 0x0030, "StudyTime", Z),
	(0x0008, 0x0031, "SeriesTime", X),
	(0x0008, 0x0032, "AcquisitionTime", X),
	(0x0008, 0x0033, "ContentTime", Z),
	(0x0008, 0x0050, "AccessionNumber", Z),
	(0x0008, 0x0080, "InstitutionName", X),
	(0x0008, 0x0081, "InstitutionAddress", X),
	(0x0008, 0x0090, "ReferringPhysicianName", Z),
	(0x0008, 0x0092, "ReferringPhysicianAddress", X),
	(0x0008, 0x0094, "ReferringPhysicianTelephoneNumbers", X),
	(0x0008, 0x0096, "ReferringPhysicianIdentificationSequence", X),
	(0x0008, 0x1010, "StationName", X),
	(0x0008, 0x1030, "StudyDescription", X),
	(0x0008, 0x103E, "SeriesDescription", X),
	(0x0008, 0x1040, "InstitutionalDepartmentName", X),
	(0x0008, 0x1048, "PhysiciansOfRecord", X),
	(0x0008, 0x1049, "PhysiciansOfRecordIdentificationSequence", X),
	(0x0008, 0x1050, "PerformingPhysicianName", X),
	(0x0008, 0x1052, "PerformingPhysicianIdentificationSequence", X),
	(0x0008, 0x1060, "NameOfPhysiciansReadingStudy", X),
	(0x0008, 0x1062, "PhysiciansReadingStudyIdentificationSequence", X),
	(0x0008, 0x1070, "OperatorsName", X),
	(0x0008, 0x1072, "OperatorIdentificationSequence", X),
	(0x0008, 0x1080, "AdmittingDiagnosesDescription", X),
	(0x0008, 0x1084, "AdmittingDiagnosesCodeSequence", X),
	(0x0008, 0x1110, "ReferencedStudySequence", X),
	(0x0008, 0x1111, "ReferencedPerformedProcedureStepSequence", X),
	(0x0008, 0x1120, "ReferencedPatientSequence", X),
	(0x0008, 0x1155, "ReferencedSOPInstanceUID", U),
	(0x0008, 0x2111, "DerivationDescription", X),
	(0x0008, 0x3010, "IrradiationEventUID", U),
	(0x0010, 0x0010, "PatientName", Z),
	(0x0010, 0x0020, "PatientID", PatientId),
	(0x0010, 0x0021, "IssuerOfPatientID", X),
	(0x0010, 0x0030, "PatientBirthDate", Z),
	(0x0010, 0x0032, "PatientBirthTime", X),
	(0x0010, 0x0040, "PatientSex", Z),
	(0x0010, 0x0050, "PatientInsurancePlanCodeSequence", X),
	(0x0010, 0x0101, "PatientPrimaryLanguageCodeSequence", X),
	(0x0010, 0x1000, "OtherPatientIDs", X),
	(0x0010, 0x1001, "OtherPatientNames", X),
	(0x0010, 0x1002, "OtherPatientIDsSequence", X),
	(0x0010, 0x1005, "PatientBirthName", X),
	(0x0010, 0x1010, "PatientAge", X),
	(0x0010, 0x1020, "PatientSize", X),
	(0x0010, 0x1030, "PatientWeight", X),
	(0x0010, 0x1040, "PatientAddress", X),
	(0x0010, 0x1060, "PatientMotherBirthName", X),
	(0x0010, 0x1080, "MilitaryRank", X),
	(0x0010, 0x1081, "BranchOfService", X),
	(0x0010, 0x1090, "MedicalRecordLocator", X),
	(0x0010, 0x2000, "MedicalAlerts", X),
	(0x0010, 0x2110, "Allergies", X),
	(0x0010, 0x2150, "CountryOfResidence", X),
	(0x0010, 0x2152, "RegionOfResidence", X),
	(0x0010, 0x2154, "PatientTelephoneNumbers", X),
	(0x0010, 0x2160, "EthnicGroup", X),
	(0x0010, 0x2180, "Occupation", X),
	(0x0010, 0x21A0, "SmokingStatus", X),
	(0x0010, 0x21B0, "AdditionalPatientHistory", X),
	(0x0010, 0x21C0, "PregnancyStatus", X),
	(0x0010, 0x21D0, "LastMenstrualDate", X),
	(0x0010, 0x21F0, "PatientReligiousPreference", X),
	(0x0010, 0x4000, "PatientComments", X),
	(0x0018, 0x1000, "DeviceSerialNumber", X),
	(0x0018, 0x1030, "ProtocolName", X),
	(0x0018, 0x700A, "DetectorID", X),
	(0x0020, 0x000D, "StudyInstanceUID", U),
	(0x0020, 0x000E, "SeriesInstanceUID", U),
	(0x0020, 0x0010, "StudyID", Z),
	(0x0020, 0x0052, "FrameOfReferenceUID", U),
	(0x0020, 0x0200, "SynchronizationFrameOfReferenceUID", U),
	(0x0020, 0x4000, "ImageComments", X),
	(0x0032, 0x1032, "RequestingPhysician", X),
	(0x0032, 0x1033, "RequestingService", X),
	(0x0032, 0x1060, "RequestedProcedureDescription", X),
	(0x0032, 0x4000, "StudyComments", X),
	(0x0038, 0x0010, "AdmissionID", X),
	(0x0038, 0x0300, "CurrentPatientLocation", X),
	(0x0038, 0x0400, "PatientInstitutionResidence", X),
	(0x0038, 0x4000, "VisitComments", X),
	(0x0040, 0x0006, "ScheduledPerformingPhysicianName", X),
	(0x0040, 0x0241, "PerformedStationAETitle", X),
	(0x0040, 0x0242, "PerformedStationName", X),
	(0x0040, 0x0243, "PerformedLocation", X),
	(0x0040, 0x0244, "PerformedProcedureStepStartDate", X),
	(0x0040, 0x0245, "PerformedProcedureStepStartTime", X),
	(0x0040, 0x0253, "PerformedProcedureStepID", X),
	(0x0040, 0x0254, "PerformedProcedureStepDescription", X),
	(0x0040, 0x0275, "RequestAttributesSequence", X),
	(0x0040, 0x1001, "RequestedProcedureID", X),
	(0x0040, 0x2016, "PlacerOrderNumberImagingServiceRequest", X),
	(0x0040, 0x2017, "FillerOrderNumberImagingServiceRequest", X),
	(0x0040, 0xA124, "UID", U),
	(0x0040, 0xA730, "ContentSequence", X),
	(0x0088, 0x0140, "StorageMediaFileSetUID", U),
	(0x3006, 0x0024, "ReferencedFrameOfReferenceUID", U),
];

fn rule(tag: Tag) -> Option<(&'static str, Action)> {
	PROFILE.iter().find(|(g, e, _, _)| tag == Tag(*g, *e)).map(|(_, _, name, a)| (*name, *a))
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

/// De-identifies one DICOM Part 10 file (with or without the 128-byte preamble) of the patient
/// with on-chain Patient-ID `patient_id`. `uid_key` keys the UID replacement (use one per
/// patient or study, so all files of a series map consistently).
pub fn anonymize(input: &[u8], patient_id: &str, uid_key: &[u8; 32]) -> Result<(Vec<u8>, Report)> {
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
