//! Shared by the integration tests: the real DICOM samples.

#![allow(dead_code)]

use std::path::PathBuf;

/// Where scripts/fetch-test-data.sh puts the DICOM samples ($PMR_DICOM_SAMPLES).
pub fn dicom_dir() -> PathBuf {
	std::env::var("PMR_DICOM_SAMPLES").map(PathBuf::from).unwrap_or_else(|_| {
		let home = std::env::var("HOME").unwrap_or_default();
		PathBuf::from(home).join(".cache/pmr-chain/test-data/dicom")
	})
}

/// A real DICOM sample, or `None` if it has not been fetched.
pub fn dicom_sample(name: &str) -> Option<Vec<u8>> {
	std::fs::read(dicom_dir().join(name)).ok()
}
