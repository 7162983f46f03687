//! IoMT reading batches: the "anonymizer" of a device's readings is a strict allow-list model
//! (time, code, value, unit — nothing else, no free text), written back in a canonical form
//! whose readings are the leaves of the batch's Merkle tree (`pmr_primitives::merkle`, as the
//! lab-reports pallet expects), so any single reading can later be proven against the
//! anchored root. The leaves are salted with a per-batch secret that exists only inside the
//! canonical batch, which is encrypted before it leaves the node: the root on chain, and the
//! sibling hashes a proof discloses, cannot be inverted by trying every plausible reading.

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

/// A batch in its canonical form, as it is encrypted and pinned: the readings in time order
/// and the batch's leaf secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedBatch {
	/// The batch's secret, hex: reading `i`'s leaf salt is
	/// `pmr_primitives::merkle::leaf_salt(secret, i)`.
	pub secret: String,
	/// The readings, in time order; reading `i`'s leaf is over its JSON encoding.
	pub readings: Vec<Reading>,
}

impl SealedBatch {
	/// The Merkle leaves of the readings, or `None` if the secret is not 32 bytes of hex.
	pub fn leaves(&self) -> Option<Vec<Hash32>> {
		let secret = hex32(&self.secret)?;
		Some(
			self.readings
				.iter()
				.enumerate()
				.map(|(i, r)| {
					let salt = pmr_primitives::merkle::leaf_salt(&secret, u32::try_from(i).unwrap_or(u32::MAX));
					pmr_primitives::merkle::leaf(&salt, &serde_json::to_vec(r).unwrap_or_default())
				})
				.collect(),
		)
	}
}

fn hex32(s: &str) -> Option<Hash32> {
	let s = s.strip_prefix("0x").unwrap_or(s);
	if s.len() != 64 {
		return None;
	}
	let mut out = [0u8; 32];
	for (i, byte) in out.iter_mut().enumerate() {
		*byte = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
	}
	Some(out)
}

fn coded(s: &str, max: usize) -> bool {
	!s.is_empty() &&
		s.len() <= max &&
		s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._:/[]{}%*^'".contains(&b))
}

/// Parses and checks a batch; returns its canonical form ([`SealedBatch`]: readings in time
/// order, leaves salted under `secret`, which the caller draws at random for each batch) and
/// its Merkle root, window and size. Errors say what is wrong without echoing the input.
pub fn canonicalize(input: &[u8], secret: Hash32) -> Result<(Vec<u8>, IomtBatch), String> {
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
	let sealed = SealedBatch {
		secret: secret.iter().map(|b| format!("{b:02x}")).collect(),
		readings: batch.readings,
	};
	let leaves = sealed.leaves().ok_or("the batch secret is not 32 bytes")?;
	let summary = IomtBatch {
		root: pmr_primitives::merkle::root(&leaves),
		window_start: sealed.readings.first().map(|r| r.t).unwrap_or(0),
		window_end: sealed.readings.last().map(|r| r.t).unwrap_or(0),
		samples: u32::try_from(sealed.readings.len()).unwrap_or(u32::MAX),
	};
	Ok((serde_json::to_vec(&sealed).unwrap_or_default(), summary))
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
		let (canonical, batch) = canonicalize(input, [5; 32]).unwrap();
		assert_eq!((batch.window_start, batch.window_end, batch.samples), (1000, 3000, 3));
		let back: SealedBatch = serde_json::from_slice(&canonical).unwrap();
		assert_eq!(back.readings.iter().map(|r| r.t).collect::<Vec<_>>(), vec![1000, 2000, 3000]);
		let leaves = back.leaves().unwrap();
		for i in 0..3 {
			let proof = pmr_primitives::merkle::proof(&leaves, i).unwrap();
			assert!(pmr_primitives::merkle::verify(&batch.root, leaves[i], &proof));
		}
		// Another batch secret, the same readings: another root (nothing to compare on chain).
		assert_ne!(canonicalize(input, [6; 32]).unwrap().1.root, batch.root);
		// The canonical batch carries the secret, so the batch's readers can prove a reading.
		assert_eq!(back.secret, "05".repeat(32));
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
			let err = canonicalize(bad, [5; 32]).unwrap_err();
			assert!(!err.contains("Ravi"), "the error echoes the input: {err}");
		}
	}
}
