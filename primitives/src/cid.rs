//! IPFS content addresses as the chain stores them: binary CIDv1 with a sha2-256 multihash
//! and a codec IPFS uses for added files (raw or dag-pb), 36 bytes. The runtime accepts
//! nothing else ([`validate`]), so a CID field can carry no free text, and it stores 23 bytes
//! fewer than the base32 text (59 bytes).
//!
//! Clients convert at the edge: [`from_text`] takes what Kubo prints (`bafy…`, `bafk…`, or a
//! CIDv0 `Qm…`, which names the same dag-pb content as its CIDv1) and [`to_text`] gives the
//! base32 CIDv1 Kubo's RPC accepts.

use crate::ids::Cid;
use alloc::{string::String, vec::Vec};

/// The length of every CID the chain stores.
pub const CID_LEN: usize = 36;

/// The CID version byte (CIDv1).
const VERSION: u8 = 0x01;
/// The multihash code of sha2-256.
const SHA2_256: u8 = 0x12;
/// The digest length of sha2-256.
const DIGEST_LEN: u8 = 0x20;

/// The multicodec of the content a CID names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CidCodec {
	/// A single block of raw bytes (small files, raw leaves).
	Raw = 0x55,
	/// A UnixFS DAG node (files larger than one block).
	DagPb = 0x70,
}

/// Why bytes or text are not a CID the chain accepts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CidError {
	/// Not 36 bytes.
	Length,
	/// Not CIDv1.
	Version,
	/// A codec other than raw or dag-pb.
	Codec,
	/// A multihash other than sha2-256 with a 32-byte digest.
	Hash,
	/// Text that is neither a base32 CIDv1 (`b…`) nor a base58 CIDv0 (`Qm…`).
	Text,
}

/// Checks that `bytes` are a binary CIDv1, sha2-256, raw or dag-pb; returns the codec.
pub fn validate(bytes: &[u8]) -> Result<CidCodec, CidError> {
	let [version, codec, hash, len, ..] = *bytes else { return Err(CidError::Length) };
	if bytes.len() != CID_LEN {
		return Err(CidError::Length);
	}
	if version != VERSION {
		return Err(CidError::Version);
	}
	let codec = match codec {
		0x55 => CidCodec::Raw,
		0x70 => CidCodec::DagPb,
		_ => return Err(CidError::Codec),
	};
	if hash != SHA2_256 || len != DIGEST_LEN {
		return Err(CidError::Hash);
	}
	Ok(codec)
}

/// Whether `bytes` are a CID the chain accepts ([`validate`]).
pub fn is_valid(bytes: &[u8]) -> bool {
	validate(bytes).is_ok()
}

/// The CID of content of `codec` whose sha2-256 digest is `digest`.
pub fn from_digest(codec: CidCodec, digest: [u8; 32]) -> Cid {
	let mut bytes = Vec::with_capacity(CID_LEN);
	bytes.extend_from_slice(&[VERSION, codec as u8, SHA2_256, DIGEST_LEN]);
	bytes.extend_from_slice(&digest);
	Cid::truncate_from(bytes)
}

/// Parses a CID as Kubo prints it: base32 CIDv1 (`b…`) or base58btc CIDv0 (`Qm…`, returned
/// as the CIDv1 of the same dag-pb content).
pub fn from_text(text: &str) -> Result<Cid, CidError> {
	let bytes = if let Some(base32) = text.strip_prefix('b') {
		base32_decode(base32).ok_or(CidError::Text)?
	} else if text.len() == 46 && text.starts_with("Qm") {
		let multihash = base58_decode(text).ok_or(CidError::Text)?;
		let mut bytes = Vec::with_capacity(CID_LEN);
		bytes.extend_from_slice(&[VERSION, CidCodec::DagPb as u8]);
		bytes.extend_from_slice(&multihash);
		bytes
	} else {
		return Err(CidError::Text);
	};
	validate(&bytes)?;
	Ok(Cid::truncate_from(bytes))
}

/// The base32 text (`b…`) of a binary CID, as Kubo's RPC takes it.
pub fn to_text(bytes: &[u8]) -> String {
	let mut text = String::with_capacity(1 + (bytes.len() * 8).div_ceil(5));
	text.push('b');
	let (mut buffer, mut bits) = (0u32, 0u32);
	for byte in bytes {
		buffer = (buffer << 8) | u32::from(*byte);
		bits += 8;
		while bits >= 5 {
			bits -= 5;
			text.push(BASE32[((buffer >> bits) & 31) as usize] as char);
		}
	}
	if bits > 0 {
		text.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
	}
	text
}

/// RFC 4648 base32, lower case (multibase `b`).
const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
/// The bitcoin base58 alphabet (multibase `z`, and CIDv0).
const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

fn base32_decode(text: &str) -> Option<Vec<u8>> {
	let mut bytes = Vec::with_capacity(text.len() * 5 / 8);
	let (mut buffer, mut bits) = (0u32, 0u32);
	for c in text.bytes() {
		let value = BASE32.iter().position(|b| *b == c)? as u32;
		buffer = (buffer << 5) | value;
		bits += 5;
		if bits >= 8 {
			bits -= 8;
			bytes.push((buffer >> bits) as u8);
			buffer &= (1 << bits) - 1;
		}
	}
	// What is left must be padding bits, all zero.
	(bits < 5 && buffer == 0).then_some(bytes)
}

fn base58_decode(text: &str) -> Option<Vec<u8>> {
	// Big-endian bytes of the number, built digit by digit (CIDv0s have no leading '1's).
	let mut bytes: Vec<u8> = Vec::with_capacity(34);
	for c in text.bytes() {
		let mut carry = BASE58.iter().position(|b| *b == c)? as u32;
		for byte in bytes.iter_mut().rev() {
			carry += u32::from(*byte) * 58;
			*byte = carry as u8;
			carry >>= 8;
		}
		while carry > 0 {
			bytes.insert(0, carry as u8);
			carry >>= 8;
		}
	}
	Some(bytes)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn hex(s: &str) -> Vec<u8> {
		(0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
	}

	// Each printed by Kubo 0.43.1 (`ipfs add --only-hash`, `ipfs cid format -b base16`).
	const RAW: (&str, &str) = (
		"bafkreibxne2gfboykg7jzwge4nl44joh7ui3qgmjz7cs5puvqtov5fbqxy",
		"015512203769346285d851be9cd8c4e357ce25c7fd11b81989cfc52ebe9584dd5e9430be",
	);
	const DAG_PB: (&str, &str) = (
		"bafybeib4mrm4ra4zx3qibdttjckvqnifpeejc65oqirxjhmabepxynrb7a",
		"017012203c6459c88399bee0808e7348955835057908917bae8223749d80091f7c3621f8",
	);
	const V0: (&str, &str, &str) = (
		"QmSikQ41u36e4xLoQw8g9mWir8QYxd9XmJtEBvfm1NqkiN",
		"bafybeicbc72taxgp4c4gpioiujehmv4m6yzfi5usdinfxpbjfomekdfphm",
		"017012204117f5305ccfe0b867a1c8a24876578cf6325476921a1a5bbc292b98450caf3b",
	);

	#[test]
	fn kubos_cids_round_trip_through_the_binary_form() {
		for (text, binary) in [RAW, DAG_PB, (V0.1, V0.2)] {
			let cid = from_text(text).expect("a CID");
			assert_eq!(cid.to_vec(), hex(binary), "{text}");
			assert_eq!(to_text(&cid), text);
		}
		assert_eq!(validate(&hex(RAW.1)), Ok(CidCodec::Raw));
		assert_eq!(validate(&hex(DAG_PB.1)), Ok(CidCodec::DagPb));
	}

	#[test]
	fn a_cidv0_is_stored_as_the_cidv1_of_the_same_content() {
		let cid = from_text(V0.0).expect("a CIDv0");
		assert_eq!(cid.to_vec(), hex(V0.2));
		assert_eq!(to_text(&cid), V0.1);
	}

	#[test]
	fn anything_else_is_refused_with_its_reason() {
		let good = hex(DAG_PB.1);
		assert_eq!(validate(&[]), Err(CidError::Length));
		assert_eq!(validate(&good[..35]), Err(CidError::Length));
		assert_eq!(validate(&[good.clone(), vec![0]].concat()), Err(CidError::Length));
		let with = |i: usize, b: u8| {
			let mut v = good.clone();
			v[i] = b;
			validate(&v)
		};
		assert_eq!(with(0, 0x00), Err(CidError::Version));
		assert_eq!(with(1, 0x71), Err(CidError::Codec), "dag-cbor");
		assert_eq!(with(2, 0x13), Err(CidError::Hash), "sha2-512");
		assert_eq!(with(3, 0x14), Err(CidError::Hash), "a 20-byte digest");
		// Free text, however it is dressed.
		for text in ["", "b", "bafy-my-patient-john-smith", "Qm", "John Smith, born 1970", "zb2rh…", "BAFYBEIB4MRM4"] {
			assert!(from_text(text).is_err(), "{text:?}");
		}
		// Text of 36 bytes is no CID either.
		assert!(!is_valid(b"John Smith, 12 Main St, born 1970-0"));
		assert!(!is_valid(b"bafybeib4mrm4ra4zx3qibdttjckvqnifpe"));
	}

	#[test]
	fn a_digest_makes_a_valid_cid() {
		let cid = from_digest(CidCodec::Raw, [7; 32]);
		assert_eq!(cid.len(), CID_LEN);
		assert_eq!(validate(&cid), Ok(CidCodec::Raw));
		assert_eq!(from_text(&to_text(&cid)), Ok(cid));
	}
}
