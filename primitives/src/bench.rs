//! Encrypted content for the benchmarks of the pallets that anchor it (`runtime-benchmarks`
//! only): valid CIDs, each distinct, since every content address is anchored at most once
//! ([`crate::ContentAddresses`]).

use crate::ids::{Cid, CustodianSetVersion, EncryptedContent, ManifestRef};

/// Who anchors the content: each anchoring pallet's benchmarks take their own, so that the
/// CIDs of one never meet another's in a runtime benchmark.
#[derive(Clone, Copy)]
pub enum Anchorer {
	/// Medical records.
	Records = 1,
	/// Lab reports and IoMT batches.
	Labs = 2,
	/// The runtime's helpers of other pallets' benchmarks.
	Runtime = 3,
}

/// A valid CID (every CID has [`crate::ids::MAX_CID_LEN`] bytes), distinct for each
/// `(by, seed, manifest)`.
pub fn cid(by: Anchorer, seed: u32, manifest: bool) -> Cid {
	let mut digest = [0xb0; 32];
	digest[0] = by as u8;
	digest[1] = u8::from(manifest);
	digest[2..6].copy_from_slice(&seed.to_le_bytes());
	crate::cid::from_digest(crate::cid::CidCodec::DagPb, digest)
}

/// A manifest reference with a distinct CID.
pub fn manifest(by: Anchorer, seed: u32) -> ManifestRef {
	ManifestRef {
		cid: cid(by, seed, true),
		hash: [seed as u8; 32],
		custodian_set: CustodianSetVersion(u32::MAX),
	}
}

/// Content anchored with its manifest (the ingest worker's anchor, the larger one).
pub fn content(by: Anchorer, seed: u32) -> EncryptedContent {
	EncryptedContent { manifest: Some(manifest(by, seed)), ..bare_content(by, seed) }
}

/// Content anchored without a manifest (attached later).
pub fn bare_content(by: Anchorer, seed: u32) -> EncryptedContent {
	EncryptedContent {
		cid: cid(by, seed, false),
		plaintext_hash: [seed as u8; 32],
		ciphertext_hash: [!(seed as u8); 32],
		manifest: None,
	}
}
