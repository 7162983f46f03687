//! Share envelopes: a share sealed to its holder's X25519 public key.
//!
//! ECIES-style: a fresh ephemeral X25519 key pair per envelope, the shared secret expanded with
//! HKDF-SHA256 (salt = ephemeral public key ‖ recipient public key, info =
//! `"pmr-vault/envelope/v1"`) into a ChaCha20-Poly1305 key; a random nonce. The caller's
//! `context` is authenticated as associated data, so an envelope cannot be moved to another
//! manifest or slot. Non-contributory (low-order) recipient keys are refused.

use crate::{hex, Result, VaultError};
use chacha20poly1305::{
	aead::{Aead, KeyInit, Payload},
	ChaCha20Poly1305, Nonce,
};
use hkdf::Hkdf;
use rand::{rngs::OsRng, RngCore};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use x25519_dalek::{EphemeralSecret, PublicKey, StaticSecret};
use zeroize::Zeroizing;

const INFO: &[u8] = b"pmr-vault/envelope/v1";

/// A sealed share.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
	/// The ephemeral X25519 public key.
	#[serde(with = "hex::bytes32")]
	pub ephemeral_public: [u8; 32],
	/// The AEAD nonce.
	#[serde(with = "hex::bytes")]
	pub nonce: Vec<u8>,
	/// The sealed share (with its 16-byte tag).
	#[serde(with = "hex::bytes")]
	pub ciphertext: Vec<u8>,
}

/// The most bytes a compact envelope of a share of up to 48 bytes takes
/// ([`Envelope::to_bytes`]): ephemeral key, nonce, share and tag.
pub const COMPACT_LEN: usize = 32 + 12 + 48 + 16;

impl Envelope {
	/// The envelope as bytes: ephemeral public key ‖ nonce ‖ sealed share (what an approval
	/// carries on chain, where every byte costs).
	pub fn to_bytes(&self) -> Vec<u8> {
		[&self.ephemeral_public[..], &self.nonce, &self.ciphertext].concat()
	}

	/// An envelope from [`Envelope::to_bytes`].
	pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
		// A sealed share is at least its 16-byte tag.
		if bytes.len() < 32 + 12 + 16 {
			return Err(VaultError::Envelope);
		}
		let mut ephemeral_public = [0u8; 32];
		ephemeral_public.copy_from_slice(&bytes[..32]);
		Ok(Self { ephemeral_public, nonce: bytes[32..44].to_vec(), ciphertext: bytes[44..].to_vec() })
	}
}

fn cipher(shared: &[u8; 32], ephemeral: &[u8; 32], recipient: &[u8; 32]) -> Result<ChaCha20Poly1305> {
	let mut salt = [0u8; 64];
	salt[..32].copy_from_slice(ephemeral);
	salt[32..].copy_from_slice(recipient);
	let mut okm = Zeroizing::new([0u8; 32]);
	Hkdf::<Sha256>::new(Some(&salt), shared)
		.expand(INFO, &mut okm[..])
		.map_err(|_| VaultError::Envelope)?;
	Ok(ChaCha20Poly1305::new((&*okm).into()))
}

/// Seals `plaintext` to `recipient`, binding `context`.
pub fn seal(recipient: &[u8; 32], plaintext: &[u8], context: &[u8]) -> Result<Envelope> {
	let recipient_pk = PublicKey::from(*recipient);
	let ephemeral = EphemeralSecret::random_from_rng(OsRng);
	let ephemeral_public = PublicKey::from(&ephemeral).to_bytes();
	let shared = ephemeral.diffie_hellman(&recipient_pk);
	if !shared.was_contributory() {
		return Err(VaultError::Envelope);
	}
	let cipher = cipher(shared.as_bytes(), &ephemeral_public, recipient)?;
	let mut nonce = [0u8; 12];
	OsRng.fill_bytes(&mut nonce);
	let ciphertext = cipher
		.encrypt(Nonce::from_slice(&nonce), Payload { msg: plaintext, aad: context })
		.map_err(|_| VaultError::Envelope)?;
	Ok(Envelope { ephemeral_public, nonce: nonce.to_vec(), ciphertext })
}

/// Opens an envelope with the recipient's secret key; fails on a wrong key, a wrong context
/// or any modification.
pub fn open(secret: &StaticSecret, envelope: &Envelope, context: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
	if envelope.nonce.len() != 12 {
		return Err(VaultError::Envelope);
	}
	let recipient = PublicKey::from(secret).to_bytes();
	let shared = secret.diffie_hellman(&PublicKey::from(envelope.ephemeral_public));
	if !shared.was_contributory() {
		return Err(VaultError::Envelope);
	}
	let cipher = cipher(shared.as_bytes(), &envelope.ephemeral_public, &recipient)?;
	cipher
		.decrypt(
			Nonce::from_slice(&envelope.nonce),
			Payload { msg: &envelope.ciphertext, aad: context },
		)
		.map(Zeroizing::new)
		.map_err(|_| VaultError::Envelope)
}

/// A new X25519 key pair (secret, public), e.g. for a custodian node or a test patient.
pub fn generate_keypair() -> (StaticSecret, [u8; 32]) {
	let secret = StaticSecret::random_from_rng(OsRng);
	let public = PublicKey::from(&secret).to_bytes();
	(secret, public)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn seal_and_open() {
		let (sk, pk) = generate_keypair();
		let env = seal(&pk, b"share", b"ctx").unwrap();
		assert_eq!(&open(&sk, &env, b"ctx").unwrap()[..], b"share");
	}

	#[test]
	fn wrong_key_context_or_tampering_fail() {
		let (sk, pk) = generate_keypair();
		let (other, _) = generate_keypair();
		let env = seal(&pk, b"share", b"ctx").unwrap();
		assert!(matches!(open(&other, &env, b"ctx"), Err(VaultError::Envelope)));
		assert!(matches!(open(&sk, &env, b"other ctx"), Err(VaultError::Envelope)));
		let mut t = env.clone();
		t.ciphertext[0] ^= 1;
		assert!(matches!(open(&sk, &t, b"ctx"), Err(VaultError::Envelope)));
		let mut t = env;
		t.nonce.pop();
		assert!(matches!(open(&sk, &t, b"ctx"), Err(VaultError::Envelope)));
	}

	#[test]
	fn low_order_recipient_keys_are_refused() {
		assert!(matches!(seal(&[0u8; 32], b"share", b"ctx"), Err(VaultError::Envelope)));
	}
}
