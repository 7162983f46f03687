//! Binary Merkle trees over blake2-256, for IoMT reading batches.
//!
//! A device anchors a batch of readings as one root; any single reading can later be proven
//! against the root off chain, without revealing the others.
//!
//! Every leaf is **salted**. A reading is small and guessable (a time on a known grid, a LOINC
//! code, a value in a narrow range, a unit), so an unsalted leaf hash on chain, or a sibling
//! hash in a proof, could be inverted by trying every plausible reading. Each batch has a
//! 32-byte secret, kept only inside the encrypted batch; each reading's salt is derived from it
//! and its index, so a proof that discloses one reading and its salt tells nothing about the
//! others.
//!
//! - salt of reading `i`: `blake2_256(0x02 ‖ batch secret ‖ i as u32 little-endian)`;
//! - leaf: `blake2_256(0x00 ‖ salt ‖ reading)`; inner node: `blake2_256(0x01 ‖ left ‖ right)`
//!   (the prefixes keep a leaf from posing as an inner node or a salt);
//! - a level with an odd number of nodes promotes its last node unchanged;
//! - the root of no readings is 32 zero bytes.

use alloc::vec::Vec;
use sp_crypto_hashing::blake2_256;

/// A 32-byte tree node.
pub type Node = [u8; 32];

/// The salt of reading `index` of a batch whose secret is `batch_secret`.
pub fn leaf_salt(batch_secret: &Node, index: u32) -> Node {
	let mut data = [0u8; 37];
	data[0] = 2;
	data[1..33].copy_from_slice(batch_secret);
	data[33..].copy_from_slice(&index.to_le_bytes());
	blake2_256(&data)
}

/// The leaf of one reading (its bytes as the device encoded them), under its salt
/// ([`leaf_salt`]).
pub fn leaf(salt: &Node, reading: &[u8]) -> Node {
	let mut data = Vec::with_capacity(reading.len() + 33);
	data.push(0u8);
	data.extend_from_slice(salt);
	data.extend_from_slice(reading);
	blake2_256(&data)
}

fn inner(left: &Node, right: &Node) -> Node {
	let mut data = [0u8; 65];
	data[0] = 1;
	data[1..33].copy_from_slice(left);
	data[33..].copy_from_slice(right);
	blake2_256(&data)
}

fn next_level(level: &[Node]) -> Vec<Node> {
	level
		.chunks(2)
		.map(|pair| match pair {
			[left, right] => inner(left, right),
			[single, ..] => *single,
			// `chunks` never yields an empty slice.
			[] => [0u8; 32],
		})
		.collect()
}

/// The root over the leaves, in order.
pub fn root(leaves: &[Node]) -> Node {
	let mut level = leaves.to_vec();
	while level.len() > 1 {
		level = next_level(&level);
	}
	level.first().copied().unwrap_or([0u8; 32])
}

/// One step of a proof: the sibling and whether it sits on the left.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Step {
	/// The sibling node.
	pub sibling: Node,
	/// Whether the sibling is the left child.
	pub sibling_is_left: bool,
}

/// The proof that leaf `index` is in the tree over `leaves`, or `None` if out of range.
pub fn proof(leaves: &[Node], index: usize) -> Option<Vec<Step>> {
	if index >= leaves.len() {
		return None;
	}
	let mut steps = Vec::new();
	let mut level = leaves.to_vec();
	let mut at = index;
	while level.len() > 1 {
		let sibling = at ^ 1;
		if let Some(node) = level.get(sibling) {
			steps.push(Step { sibling: *node, sibling_is_left: sibling < at });
		}
		level = next_level(&level);
		at /= 2;
	}
	Some(steps)
}

/// Whether `leaf` with `proof` leads to `root`.
pub fn verify(root: &Node, leaf: Node, proof: &[Step]) -> bool {
	let computed = proof.iter().fold(leaf, |node, step| {
		if step.sibling_is_left {
			inner(&step.sibling, &node)
		} else {
			inner(&node, &step.sibling)
		}
	});
	&computed == root
}

#[cfg(test)]
mod tests {
	use super::*;

	const SECRET: Node = [9; 32];

	fn reading(i: u32, hr: u32) -> Vec<u8> {
		format!("{{\"t\":{i},\"hr\":{hr}}}").into_bytes()
	}

	fn readings(n: u32) -> Vec<Node> {
		(0..n).map(|i| leaf(&leaf_salt(&SECRET, i), &reading(i, 60 + i % 30))).collect()
	}

	#[test]
	fn every_reading_is_provable_against_the_root() {
		for n in [1, 2, 3, 5, 8, 13, 100] {
			let leaves = readings(n);
			let r = root(&leaves);
			for (i, l) in leaves.iter().enumerate() {
				let p = proof(&leaves, i).expect("in range");
				assert!(verify(&r, *l, &p), "reading {i} of {n}");
			}
			assert!(proof(&leaves, n as usize).is_none());
		}
	}

	#[test]
	fn a_changed_reading_or_proof_fails() {
		let leaves = readings(7);
		let r = root(&leaves);
		let p = proof(&leaves, 3).expect("in range");
		assert!(!verify(&r, leaf(&leaf_salt(&SECRET, 3), &reading(3, 200)), &p));
		// The right reading under another index's salt, or another batch's, does not prove.
		assert!(!verify(&r, leaf(&leaf_salt(&SECRET, 4), &reading(3, 63)), &p));
		assert!(!verify(&r, leaf(&leaf_salt(&[8; 32], 3), &reading(3, 63)), &p));
		assert!(verify(&r, leaf(&leaf_salt(&SECRET, 3), &reading(3, 63)), &p));
		let mut bad = p.clone();
		bad[0].sibling[0] ^= 1;
		assert!(!verify(&r, leaves[3], &bad));
		// A reading cannot pose as an inner node: the prefixes differ.
		assert_ne!(leaf(&leaves[0], &leaves[1]), root(&leaves[..2]));
		assert_eq!(root(&[]), [0u8; 32]);
	}

	/// The brute force an unsalted tree allowed: every plausible reading at a sibling's place
	/// (each second of ten minutes, every heart rate from 20 to 250) is hashed and compared with
	/// the sibling hash a proof discloses. With salted leaves none matches; without the salt
	/// the same search finds the reading.
	#[test]
	fn a_proofs_sibling_cannot_be_brute_forced() {
		let leaves = readings(4);
		let disclosed = proof(&leaves, 0).expect("in range");
		let sibling = disclosed[0].sibling; // reading 1's leaf
		let guesses = || (0..600u32).flat_map(|t| (20..=250u32).map(move |hr| reading(t, hr)));
		// What an observer can hash without the batch secret: unsalted, or under a guessed salt.
		let unsalted = |r: &[u8]| {
			let mut data = alloc::vec![0u8];
			data.extend_from_slice(r);
			blake2_256(&data)
		};
		assert!(!guesses().any(|g| unsalted(&g) == sibling || leaf(&[0; 32], &g) == sibling));
		// The same search against an unsalted tree finds the reading at once.
		let unsalted_sibling = unsalted(&reading(1, 61));
		assert!(guesses().any(|g| unsalted(&g) == unsalted_sibling));
	}
}
