//! Authenticated encryption of records, streamed in chunks so memory stays bounded whatever
//! the record's size (a 500 MB DICOM series passes through two chunk buffers).
//!
//! Construction: XChaCha20-Poly1305 in the STREAM construction (Hoang, Reyhanitabar, Rogaway,
//! Vizár), big-endian 32-bit chunk counter with a last-chunk flag (`aead::stream::*BE32`), so
//! chunks cannot be reordered, dropped or truncated without detection. A random 19-byte nonce
//! prefix per record; a fresh random 256-bit key per record.
//!
//! Ciphertext layout: `"PMRV" ‖ version (1) ‖ chunk size (u32 BE) ‖ nonce prefix (19)` followed
//! by the sealed chunks (each `chunk size + 16` bytes, the last one shorter or equal).

use crate::{Blake2b256, ContentHash, Result, VaultError};
use chacha20poly1305::{
	aead::{
		stream::{DecryptorBE32, EncryptorBE32},
		KeyInit,
	},
	XChaCha20Poly1305,
};
use rand::{rngs::OsRng, RngCore};
use std::io::{Read, Write};
use zeroize::{Zeroize, ZeroizeOnDrop};

const MAGIC: &[u8; 4] = b"PMRV";
const VERSION: u8 = 1;
const NONCE_PREFIX_LEN: usize = 19;
const TAG_LEN: usize = 16;
/// Length of the ciphertext header.
pub const HEADER_LEN: usize = 4 + 1 + 4 + NONCE_PREFIX_LEN;
/// The default plaintext chunk size: 1 MiB.
pub const DEFAULT_CHUNK_SIZE: u32 = 1 << 20;
/// Chunks larger than this are refused when decrypting (bounds memory on hostile input).
pub const MAX_CHUNK_SIZE: u32 = 16 << 20;

/// A record's 256-bit data key. Zeroed when dropped.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct DataKey(pub(crate) [u8; 32]);

impl DataKey {
	/// A fresh random key from the OS.
	pub fn generate() -> Self {
		let mut k = [0u8; 32];
		OsRng.fill_bytes(&mut k);
		Self(k)
	}

	/// A key from raw bytes (e.g. after recombining shares).
	pub fn from_bytes(bytes: [u8; 32]) -> Self {
		Self(bytes)
	}

	/// The raw key bytes.
	pub fn as_bytes(&self) -> &[u8; 32] {
		&self.0
	}
}

impl core::fmt::Debug for DataKey {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str("DataKey(<redacted>)")
	}
}

/// What encrypting a record produced (besides the ciphertext itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncryptionSummary {
	/// blake2-256 of the plaintext (stored on chain).
	pub plaintext_hash: ContentHash,
	/// blake2-256 of the whole ciphertext, header included (stored on chain; checked before
	/// decrypting anything fetched from IPFS).
	pub ciphertext_hash: ContentHash,
	/// Plaintext length in bytes.
	pub plaintext_len: u64,
	/// Ciphertext length in bytes.
	pub ciphertext_len: u64,
}

/// Reads until `buf` is full or the input ends; returns how many bytes were read.
fn fill(input: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
	let mut n = 0;
	while n < buf.len() {
		match input.read(&mut buf[n..]) {
			Ok(0) => break,
			Ok(m) => n += m,
			Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {},
			Err(e) => return Err(e),
		}
	}
	Ok(n)
}

/// Writes and hashes what it writes.
struct HashingWriter<W> {
	inner: W,
	hasher: Blake2b256,
	len: u64,
}

impl<W: Write> HashingWriter<W> {
	fn put(&mut self, data: &[u8]) -> std::io::Result<()> {
		self.hasher.update(data);
		self.len += data.len() as u64;
		self.inner.write_all(data)
	}
}

/// Encrypts `input` into `output` with `key`, in chunks of `chunk_size` bytes.
pub fn encrypt_with_chunk_size(
	key: &DataKey,
	mut input: impl Read,
	output: impl Write,
	chunk_size: u32,
) -> Result<EncryptionSummary> {
	if chunk_size == 0 || chunk_size > MAX_CHUNK_SIZE {
		return Err(VaultError::Io(std::io::Error::new(
			std::io::ErrorKind::InvalidInput,
			"chunk size must be in 1..=16 MiB",
		)));
	}
	let mut prefix = [0u8; NONCE_PREFIX_LEN];
	OsRng.fill_bytes(&mut prefix);
	let aead = XChaCha20Poly1305::new(key.as_bytes().into());
	let mut encryptor = EncryptorBE32::from_aead(aead, prefix.as_ref().into());

	let mut out = HashingWriter { inner: output, hasher: Blake2b256::new(), len: 0 };
	let mut plain_hasher = Blake2b256::new();
	let mut plaintext_len = 0u64;

	out.put(MAGIC)?;
	out.put(&[VERSION])?;
	out.put(&chunk_size.to_be_bytes())?;
	out.put(&prefix)?;

	let cs = chunk_size as usize;
	let mut current = vec![0u8; cs];
	let mut next = vec![0u8; cs];
	let mut n = fill(&mut input, &mut current)?;
	loop {
		// A chunk is the last one when the input ends with it (look ahead one chunk).
		let m = if n == cs { fill(&mut input, &mut next)? } else { 0 };
		let chunk = current.get(..n).unwrap_or_default();
		plain_hasher.update(chunk);
		plaintext_len += n as u64;
		if m == 0 {
			let sealed = encryptor.encrypt_last(chunk).map_err(|_| VaultError::Decryption)?;
			out.put(&sealed)?;
			break;
		}
		let sealed = encryptor.encrypt_next(chunk).map_err(|_| VaultError::Decryption)?;
		out.put(&sealed)?;
		std::mem::swap(&mut current, &mut next);
		n = m;
	}
	current.zeroize();
	next.zeroize();
	out.inner.flush()?;
	Ok(EncryptionSummary {
		plaintext_hash: plain_hasher.finalize(),
		ciphertext_hash: out.hasher.finalize(),
		plaintext_len,
		ciphertext_len: out.len,
	})
}

/// Encrypts `input` into `output` with `key` (1 MiB chunks).
pub fn encrypt(key: &DataKey, input: impl Read, output: impl Write) -> Result<EncryptionSummary> {
	encrypt_with_chunk_size(key, input, output, DEFAULT_CHUNK_SIZE)
}

/// Decrypts `input` into `output` with `key`; fails (having written only authenticated
/// chunks) if the ciphertext was modified, reordered or truncated. Returns the hash of the
/// plaintext, to compare with the one on chain.
pub fn decrypt(key: &DataKey, mut input: impl Read, mut output: impl Write) -> Result<ContentHash> {
	let mut header = [0u8; HEADER_LEN];
	if fill(&mut input, &mut header)? != HEADER_LEN ||
		&header[..4] != MAGIC ||
		header[4] != VERSION
	{
		return Err(VaultError::BadHeader);
	}
	let chunk_size = u32::from_be_bytes([header[5], header[6], header[7], header[8]]);
	if chunk_size == 0 || chunk_size > MAX_CHUNK_SIZE {
		return Err(VaultError::BadHeader);
	}
	let aead = XChaCha20Poly1305::new(key.as_bytes().into());
	let mut decryptor = DecryptorBE32::from_aead(aead, header[9..].into());
	let mut plain_hasher = Blake2b256::new();

	let sealed_len = chunk_size as usize + TAG_LEN;
	let mut current = vec![0u8; sealed_len];
	let mut next = vec![0u8; sealed_len];
	let mut n = fill(&mut input, &mut current)?;
	loop {
		let m = if n == sealed_len { fill(&mut input, &mut next)? } else { 0 };
		let chunk = current.get(..n).unwrap_or_default();
		if m == 0 {
			let plain = decryptor.decrypt_last(chunk).map_err(|_| VaultError::Decryption)?;
			plain_hasher.update(&plain);
			output.write_all(&plain)?;
			break;
		}
		let plain = decryptor.decrypt_next(chunk).map_err(|_| VaultError::Decryption)?;
		plain_hasher.update(&plain);
		output.write_all(&plain)?;
		std::mem::swap(&mut current, &mut next);
		n = m;
	}
	output.flush()?;
	Ok(plain_hasher.finalize())
}

#[cfg(test)]
mod tests {
	use super::*;

	fn round_trip(len: usize, chunk: u32) {
		let key = DataKey::generate();
		let plain: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
		let mut sealed = Vec::new();
		let s = encrypt_with_chunk_size(&key, &plain[..], &mut sealed, chunk).unwrap();
		assert_eq!(s.plaintext_len, len as u64);
		assert_eq!(s.ciphertext_len, sealed.len() as u64);
		assert_eq!(s.plaintext_hash, crate::blake2_256(&plain));
		assert_eq!(s.ciphertext_hash, crate::blake2_256(&sealed));
		let mut opened = Vec::new();
		assert_eq!(decrypt(&key, &sealed[..], &mut opened).unwrap(), s.plaintext_hash);
		assert_eq!(opened, plain);
	}

	#[test]
	fn round_trips_at_chunk_boundaries() {
		for (len, chunk) in [(0, 16), (1, 16), (15, 16), (16, 16), (17, 16), (64, 16), (1000, 7)] {
			round_trip(len, chunk);
		}
		round_trip(3 * 1024 * 1024 + 5, DEFAULT_CHUNK_SIZE);
	}

	#[test]
	fn tampering_truncation_and_wrong_keys_are_detected() {
		let key = DataKey::generate();
		let plain = vec![7u8; 100];
		let mut sealed = Vec::new();
		encrypt_with_chunk_size(&key, &plain[..], &mut sealed, 16).unwrap();

		let mut flipped = sealed.clone();
		flipped[HEADER_LEN + 3] ^= 1;
		assert!(matches!(decrypt(&key, &flipped[..], Vec::new()), Err(VaultError::Decryption)));

		// dropping the last chunk: the new last chunk was not sealed as last
		let truncated = &sealed[..HEADER_LEN + 2 * (16 + TAG_LEN)];
		assert!(matches!(decrypt(&key, truncated, Vec::new()), Err(VaultError::Decryption)));

		assert!(matches!(
			decrypt(&DataKey::generate(), &sealed[..], Vec::new()),
			Err(VaultError::Decryption)
		));
		assert!(matches!(decrypt(&key, &b"not a vault file"[..], Vec::new()), Err(VaultError::BadHeader)));
	}

	#[test]
	fn every_encryption_uses_a_fresh_nonce() {
		let key = DataKey::generate();
		let (mut a, mut b) = (Vec::new(), Vec::new());
		encrypt(&key, &b"same"[..], &mut a).unwrap();
		encrypt(&key, &b"same"[..], &mut b).unwrap();
		assert_ne!(a, b);
	}
}
