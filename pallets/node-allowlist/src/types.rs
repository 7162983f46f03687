//! The types this pallet stores and reports, and the check of a peer ID's text.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use pmr_primitives::HospitalId;
use scale_info::TypeInfo;

/// The longest peer ID text accepted (an Ed25519 peer ID is 52 characters).
pub const MAX_PEER_ID_LEN: u32 = 64;

/// A node's network identity: its libp2p peer ID in the base58 text every Substrate node prints
/// at start (`Local node identity is: 12D3KooW...`) and returns from `system_localPeerId`.
///
/// Only the peer IDs of Ed25519 node keys (the keys `--node-key` and `key generate-node-key`
/// make) are accepted ([`NodePeerId::ed25519_public_key`]), and base58 text has exactly one
/// spelling for each ID, so one node is never listed under two entries. In Polkadot.js Apps the
/// ID is pasted as text into the `Bytes` field.
#[derive(
	Clone,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct NodePeerId(pub BoundedVec<u8, ConstU32<MAX_PEER_ID_LEN>>);

/// The bytes of an Ed25519 libp2p peer ID before the public key: an identity multihash (code
/// 0x00) of 36 bytes (0x24) holding the protobuf `PublicKey { Type: Ed25519 (0x08 0x01), Data: 32
/// bytes (0x12 0x20) }`.
const ED25519_PEER_ID_PREFIX: [u8; 6] = [0x00, 0x24, 0x08, 0x01, 0x12, 0x20];

/// The Bitcoin base58 alphabet, which libp2p uses for peer IDs.
const BASE58_ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Decodes base58 text; `None` for a character outside the alphabet. The input is bounded by
/// [`MAX_PEER_ID_LEN`], so the work is too.
fn decode_base58(text: &[u8]) -> Option<Vec<u8>> {
	// The number, little-endian, one byte per digit of base 256.
	let mut number: Vec<u8> = Vec::with_capacity(text.len());
	for &c in text {
		let mut carry = BASE58_ALPHABET.iter().position(|&a| a == c)? as u32;
		for byte in number.iter_mut() {
			carry += u32::from(*byte) * 58;
			*byte = (carry & 0xff) as u8;
			carry >>= 8;
		}
		while carry > 0 {
			number.push((carry & 0xff) as u8);
			carry >>= 8;
		}
	}
	// Each leading '1' stands for a leading zero byte.
	let zeros = text.iter().take_while(|&&c| c == b'1').count();
	number.extend(core::iter::repeat(0).take(zeros));
	number.reverse();
	Some(number)
}

/// Encodes bytes as base58 text.
fn encode_base58(bytes: &[u8]) -> Vec<u8> {
	// The number, little-endian, one digit of base 58 per byte.
	let mut digits: Vec<u8> = Vec::with_capacity(bytes.len() * 138 / 100 + 1);
	for &b in bytes {
		let mut carry = u32::from(b);
		for digit in digits.iter_mut() {
			carry += u32::from(*digit) << 8;
			*digit = (carry % 58) as u8;
			carry /= 58;
		}
		while carry > 0 {
			digits.push((carry % 58) as u8);
			carry /= 58;
		}
	}
	let zeros = bytes.iter().take_while(|&&b| b == 0).count();
	core::iter::repeat(b'1')
		.take(zeros)
		// Every digit is below 58.
		.chain(digits.iter().rev().filter_map(|&d| BASE58_ALPHABET.get(usize::from(d)).copied()))
		.collect()
}

impl NodePeerId {
	/// The peer ID of the node whose Ed25519 node key has this public key.
	pub fn from_ed25519_public_key(key: [u8; 32]) -> Self {
		let bytes: Vec<u8> = ED25519_PEER_ID_PREFIX.iter().chain(key.iter()).copied().collect();
		// 38 bytes are 52 base58 characters, within the bound.
		Self(BoundedVec::truncate_from(encode_base58(&bytes)))
	}

	/// The node's Ed25519 public key, if this is the base58 text of an Ed25519 peer ID.
	pub fn ed25519_public_key(&self) -> Option<[u8; 32]> {
		let bytes = decode_base58(&self.0)?;
		let key = bytes.strip_prefix(&ED25519_PEER_ID_PREFIX[..])?;
		key.try_into().ok()
	}

	/// Peer-ID text as given (`None` if longer than [`MAX_PEER_ID_LEN`]); not checked, see
	/// [`Self::ed25519_public_key`].
	pub fn from_text(text: &str) -> Option<Self> {
		BoundedVec::try_from(text.as_bytes().to_vec()).ok().map(Self)
	}

	/// The peer ID as text (`None` only for bytes that are not UTF-8, which
	/// [`Self::ed25519_public_key`] refuses too).
	pub fn as_str(&self) -> Option<&str> {
		core::str::from_utf8(&self.0).ok()
	}
}

/// A listed node.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct NodeEntry<BlockNumber> {
	/// The hospital that runs it; `None` for a node the consortium runs itself (a founding
	/// node, or the regulator's own). A hospital's node peers only while the hospital is
	/// verified.
	pub hospital: Option<HospitalId>,
	/// The block in which it was listed.
	pub listed_at: BlockNumber,
}
