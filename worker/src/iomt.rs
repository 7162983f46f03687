//! IoMT reading batches: the "anonymizer" of a device's readings is a strict allow-list model
//! (time, code, value, unit — nothing else, no free text), written back in a canonical form
//! whose readings are the leaves of the batch's Merkle tree (`pmr_primitives::merkle`, as the
//! lab-reports pallet expects), so any single reading can later be proven against the
//! anchored root.

use crate::job::{Hash32, IomtBatch};
use serde::{Deserialize, Serialize};

/// Most readings in one batch.
pub const MAX_READINGS: usize = 100_000;

/// One reading, as a gateway sends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reading {
	/// When it was measured (Unix milliseconds).
	pub t: u64,
	/// What was measured, as a code (e.g. LOINC `8867-4` for heart rate).
	pub code: String,
	/// The measured value.
	pub value: f64,
	/// Its unit (UCUM, e.g. `/min`, `mmol/L`).
	pub unit: String,
}

/// A batch, as a gateway sends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
	/// The readings.
	pub readings: Vec<Reading>,
}

fn coded(s: &str, max: usize) -> bool {
	!s.is_empty() &&
		s.len() <= max &&
		s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._:/[]{}%*^'".contains(&b))
}

/// Parses and checks a batch; returns its canonical form (readings in time order) and its
/// Merkle root, window and size. Errors say what is wrong without echoing the input.
pub fn canonicalize(input: &[u8]) -> Result<(Vec<u8>, IomtBatch), String> {
	let mut batch: Batch = serde_json::from_slice(input)
		.map_err(|e| format!("not an IoMT batch ({{\"readings\":[{{t,code,value,unit}}]}}): line {}, column {}", e.line(), e.column()))?;
	if batch.readings.is_empty() || batch.readings.len() > MAX_READINGS {
		return Err(format!("a batch holds 1 to {MAX_READINGS} readings"));
	}
	for (i, r) in batch.readings.iter().enumerate() {
		if !r.value.is_finite() {
			return Err(format!("reading {i}: the value is not a finite number"));
		}
		if !coded(&r.code, 64) || !coded(&r.unit, 32) {
			return Err(format!("reading {i}: code and unit must be short codes (no free text)"));
		}
	}
	batch.readings.sort_by_key(|r| r.t);
	let leaves: Vec<Hash32> = batch
		.readings
		.iter()
		.map(|r| pmr_primitives::merkle::leaf(&serde_json::to_vec(r).unwrap_or_default()))
		.collect();
	let summary = IomtBatch {
		root: pmr_primitives::merkle::root(&leaves),
		window_start: batch.readings.first().map(|r| r.t).unwrap_or(0),
		window_end: batch.readings.last().map(|r| r.t).unwrap_or(0),
		samples: u32::try_from(batch.readings.len()).unwrap_or(u32::MAX),
	};
	Ok((serde_json::to_vec(&batch).unwrap_or_default(), summary))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn readings_are_ordered_and_every_one_is_provable_against_the_root() {
		let input = br#"{"readings":[
			{"t":2000,"code":"8867-4","value":71,"unit":"/min"},
			{"t":1000,"code":"8867-4","value":70.5,"unit":"/min"},
			{"t":3000,"code":"2339-0","value":5.4,"unit":"mmol/L"}]}"#;
		let (canonical, batch) = canonicalize(input).unwrap();
		assert_eq!((batch.window_start, batch.window_end, batch.samples), (1000, 3000, 3));
		let back: Batch = serde_json::from_slice(&canonical).unwrap();
		assert_eq!(back.readings.iter().map(|r| r.t).collect::<Vec<_>>(), vec![1000, 2000, 3000]);
		let leaves: Vec<_> = back
			.readings
			.iter()
			.map(|r| pmr_primitives::merkle::leaf(&serde_json::to_vec(r).unwrap()))
			.collect();
		for i in 0..3 {
			let proof = pmr_primitives::merkle::proof(&leaves, i).unwrap();
			assert!(pmr_primitives::merkle::verify(&batch.root, leaves[i], &proof));
		}
	}

	#[test]
	fn free_text_and_unknown_fields_are_refused() {
		for bad in [
			&br#"{"readings":[]}"#[..],
			br#"{"readings":[{"t":1,"code":"8867-4","value":1,"unit":"/min","patient":"Ravi Kumar"}]}"#,
			br#"{"readings":[{"t":1,"code":"heart rate of Ravi","value":1,"unit":"/min"}]}"#,
			br#"{"readings":[{"t":1,"code":"8867-4","value":1}]}"#,
			br#"{"readings":[{"t":1,"code":"8867-4","value":1,"unit":"/min"}],"device":"CGM of Ravi"}"#,
			b"not json",
		] {
			let err = canonicalize(bad).unwrap_err();
			assert!(!err.contains("Ravi"), "the error echoes the input: {err}");
		}
	}
}
