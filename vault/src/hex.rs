//! Hex encoding for hashes and keys in JSON manifests (serde helpers included).

/// Lower-case hex of `bytes`.
pub fn encode(bytes: &[u8]) -> String {
	const DIGITS: &[u8; 16] = b"0123456789abcdef";
	let mut s = String::with_capacity(bytes.len() * 2);
	for b in bytes {
		s.push(DIGITS[(b >> 4) as usize] as char);
		s.push(DIGITS[(b & 0xf) as usize] as char);
	}
	s
}

/// Bytes of a hex string (either case), or `None` if it is not hex.
pub fn decode(s: &str) -> Option<Vec<u8>> {
	fn nibble(c: u8) -> Option<u8> {
		match c {
			b'0'..=b'9' => Some(c - b'0'),
			b'a'..=b'f' => Some(c - b'a' + 10),
			b'A'..=b'F' => Some(c - b'A' + 10),
			_ => None,
		}
	}
	let bytes = s.as_bytes();
	if bytes.len() % 2 != 0 {
		return None;
	}
	bytes.chunks(2).map(|p| Some(nibble(p[0])? << 4 | nibble(p[1])?)).collect()
}

/// Serde helpers for `[u8; 32]` as hex.
pub mod bytes32 {
	use serde::{Deserialize, Deserializer, Serializer};

	/// Serializes as hex.
	pub fn serialize<S: Serializer>(v: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&super::encode(v))
	}

	/// Deserializes from hex.
	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
		let s = String::deserialize(d)?;
		super::decode(&s)
			.and_then(|v| <[u8; 32]>::try_from(v).ok())
			.ok_or_else(|| serde::de::Error::custom("expected 32 bytes of hex"))
	}
}

/// Serde helpers for `Vec<u8>` as hex.
pub mod bytes {
	use serde::{Deserialize, Deserializer, Serializer};

	/// Serializes as hex.
	pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&super::encode(v))
	}

	/// Deserializes from hex.
	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
		let s = String::deserialize(d)?;
		super::decode(&s).ok_or_else(|| serde::de::Error::custom("expected hex"))
	}
}

#[cfg(test)]
mod tests {
	#[test]
	fn round_trip() {
		let data = [0u8, 1, 0x7f, 0x80, 0xff];
		assert_eq!(super::encode(&data), "00017f80ff");
		assert_eq!(super::decode("00017F80ff"), Some(data.to_vec()));
		assert_eq!(super::decode("0"), None);
		assert_eq!(super::decode("zz"), None);
	}
}
