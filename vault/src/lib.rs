//! # PMR vault
//!
//! The off-chain core of PMR Chain, as a library with no node dependency: everything that
//! must never touch the chain happens here, in this order (see `docs/vault.md`):
//!
//! 1. [`anonymize`]: strip direct identifiers from FHIR R4 JSON ([`anonymize::fhir`]) and
//!    DICOM ([`anonymize::dicom`], PS3.15 Annex E Basic Profile), with a report of what was
//!    removed;
//! 2. [`crypto`]: encrypt with a fresh 256-bit data key (XChaCha20-Poly1305, chunked STREAM
//!    construction, bounded memory), hashing plaintext and ciphertext with blake2-256 (the
//!    hashes the chain stores);
//! 3. [`sharing`]: split the data key with the (1,t,n) essential scheme `K = E ⊕ S`, where the
//!    patient holds the essential share `E` and `S` is Shamir-shared t-of-n among custodians,
//!    each share bound by a commitment;
//! 4. [`envelope`] and [`manifest`]: wrap each share to its holder's X25519 key and list the
//!    envelopes in a content-addressed manifest with no key material in the clear;
//! 5. [`ipfs`]: pin ciphertext and manifest to a private IPFS (Kubo RPC API) and fetch them
//!    back, verified against the on-chain hash.
//!
//! [`pipeline`] runs the whole ingest. [`release`] re-wraps shares to a reader under an
//! on-chain key request (custodians and the patient) and recovers the key on the reader's side.

pub mod anonymize;
pub mod crypto;
pub mod envelope;
mod error;
pub mod hex;
pub mod ipfs;
pub mod manifest;
pub mod pipeline;
pub mod release;
pub mod sharing;

pub use error::{Result, VaultError};

/// A 32-byte blake2-256 digest, as the chain stores it.
pub type ContentHash = [u8; 32];

/// blake2-256 of `data` (BLAKE2b with a 32-byte digest: the same function as
/// `sp_core::hashing::blake2_256`). `blake2b_simd` uses AVX2 where the CPU has it.
pub fn blake2_256(data: &[u8]) -> ContentHash {
	let mut state = Blake2b256::new();
	state.update(data);
	state.finalize()
}

/// An incremental blake2-256.
pub(crate) struct Blake2b256(blake2b_simd::State);

impl Blake2b256 {
	pub(crate) fn new() -> Self {
		Self(blake2b_simd::Params::new().hash_length(32).to_state())
	}

	pub(crate) fn update(&mut self, data: &[u8]) {
		self.0.update(data);
	}

	/// Updates two hashes at once, in parallel SIMD lanes where the CPU has them.
	pub(crate) fn update_pair(a: &mut Self, a_data: &[u8], b: &mut Self, b_data: &[u8]) {
		blake2b_simd::many::update_many([(&mut a.0, a_data), (&mut b.0, b_data)]);
	}

	pub(crate) fn finalize(&self) -> ContentHash {
		let mut out = [0u8; 32];
		out.copy_from_slice(self.0.finalize().as_bytes());
		out
	}
}
