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

	let mut header = Vec::with_capacity(HEADER_LEN);
	header.extend_from_slice(MAGIC);
	header.push(VERSION);
	header.extend_from_slice(&chunk_size.to_be_bytes());
	header.extend_from_slice(&prefix);
	let mut sink = Sink {
		output,
		plain_hasher: Blake2b256::new(),
		cipher_hasher: Blake2b256::new(),
		plaintext_len: 0,
		ciphertext_len: header.len() as u64,
	};
	sink.cipher_hasher.update(&header);
	sink.output.write_all(&header)?;

	// Chunks are encrypted in place. Each plaintext chunk is hashed together with the sealed
	// chunk before it (the two blake2-256 states side by side), so every byte is read from
	// memory as few times as possible.
	let cs = chunk_size as usize;
	let buffer = || {
		let mut b = Vec::with_capacity(cs + TAG_LEN);
		b.resize(cs, 0);
		b
	};
	let (mut current, mut next, mut sealed) = (buffer(), buffer(), Vec::with_capacity(cs + TAG_LEN));
	let mut n = fill(&mut input, &mut current)?;
	loop {
		// A chunk is the last one when the input ends with it (look ahead one chunk).
		let m = if n == cs { fill(&mut input, &mut next)? } else { 0 };
		current.truncate(n);
		sink.emit(&current, &sealed)?;
		if m == 0 {
			break;
		}
		encryptor.encrypt_next_in_place(b"", &mut current).map_err(|_| VaultError::Decryption)?;
		std::mem::swap(&mut sealed, &mut current);
		std::mem::swap(&mut current, &mut next);
		next.resize(cs, 0);
		n = m;
	}
	encryptor.encrypt_last_in_place(b"", &mut current).map_err(|_| VaultError::Decryption)?;
	sink.emit(&[], &current)?;
	for b in [&mut current, &mut next, &mut sealed] {
		b.zeroize();
	}
	sink.output.flush()?;
	Ok(EncryptionSummary {
		plaintext_hash: sink.plain_hasher.finalize(),
		ciphertext_hash: sink.cipher_hasher.finalize(),
		plaintext_len: sink.plaintext_len,
		ciphertext_len: sink.ciphertext_len,
	})
}

/// Where encrypted chunks go: the output, and both hashes. A plaintext chunk and a sealed
/// chunk are hashed side by side in SIMD lanes (`update_many`), which is what keeps
/// encryption plus two blake2-256 passes fast on one core.
struct Sink<W> {
	output: W,
	plain_hasher: Blake2b256,
	cipher_hasher: Blake2b256,
	plaintext_len: u64,
	ciphertext_len: u64,
}

impl<W: Write> Sink<W> {
	/// Hashes a plaintext chunk and writes and hashes a sealed chunk (either may be empty).
	fn emit(&mut self, plain: &[u8], sealed: &[u8]) -> std::io::Result<()> {
		Blake2b256::update_pair(&mut self.plain_hasher, plain, &mut self.cipher_hasher, sealed);
		self.plaintext_len += plain.len() as u64;
		self.ciphertext_len += sealed.len() as u64;
		self.output.write_all(sealed)
	}
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
