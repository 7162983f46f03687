//! Binary Merkle trees over blake2-256, for IoMT reading batches.
//!
//! A device anchors a batch of readings as one root; any single reading can later be proven
//! against the root off chain, without revealing the others.
//!
//! - leaf: `blake2_256(0x00 ‖ reading)`; inner node: `blake2_256(0x01 ‖ left ‖ right)` (the
//!   prefixes keep a leaf from posing as an inner node);
//! - a level with an odd number of nodes promotes its last node unchanged;
//! - the root of no readings is 32 zero bytes.

use alloc::vec::Vec;
use sp_crypto_hashing::blake2_256;

/// A 32-byte tree node.
pub type Node = [u8; 32];

/// The leaf of one reading (its bytes as the device encoded them).
pub fn leaf(reading: &[u8]) -> Node {
	let mut data = Vec::with_capacity(reading.len() + 1);
	data.push(0u8);
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

	fn readings(n: usize) -> Vec<Node> {
		(0..n).map(|i| leaf(format!("{{\"t\":{i},\"hr\":{}}}", 60 + i % 30).as_bytes())).collect()
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
			assert!(proof(&leaves, n).is_none());
		}
	}

	#[test]
	fn a_changed_reading_or_proof_fails() {
		let leaves = readings(7);
		let r = root(&leaves);
		let p = proof(&leaves, 3).expect("in range");
		assert!(!verify(&r, leaf(b"{\"t\":3,\"hr\":200}"), &p));
		let mut bad = p.clone();
		bad[0].sibling[0] ^= 1;
		assert!(!verify(&r, leaves[3], &bad));
		// A reading cannot pose as an inner node: the prefixes differ.
		assert_ne!(leaf(&[leaves[0], leaves[1]].concat()), root(&leaves[..2]));
		assert_eq!(root(&[]), [0u8; 32]);
	}
}
