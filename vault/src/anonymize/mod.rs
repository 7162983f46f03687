//! Anonymization: what leaves the hospital carries no direct identifiers.
//!
//! Both anonymizers return the anonymized bytes and a [`Report`] for the audit trail: which
//! fields were removed, which were replaced by pseudonyms, and warnings (e.g. a DICOM image
//! flagged as having identifiers burned into its pixels).

pub mod dicom;
pub mod dicom_scan;
/// PS3.15 Table E.1-1, generated from the standard by `scripts/gen-dicom-profile.py`.
#[allow(missing_docs)]
pub mod profile_e1_1;
pub mod fhir;

use serde::Serialize;

/// What an anonymizer did, for the audit.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
	/// Removed fields (JSON paths, or DICOM tags with their keywords).
	pub removed: Vec<String>,
	/// Fields whose values were replaced by pseudonyms or emptied.
	pub pseudonymized: Vec<String>,
	/// Things a human should look at.
	pub warnings: Vec<String>,
}
