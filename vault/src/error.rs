//! Typed errors of the vault. Every failure names what went wrong; none is a panic.

use thiserror::Error;

/// What can go wrong in the vault.
#[derive(Debug, Error)]
pub enum VaultError {
	/// The FHIR input is not valid JSON or not a supported FHIR R4 resource.
	#[error("FHIR input rejected: {0}")]
	Fhir(String),
	/// The DICOM input could not be parsed or written.
	#[error("DICOM input rejected: {0}")]
	Dicom(String),
	/// Decryption failed: wrong key, or the ciphertext was modified or truncated.
	#[error("decryption failed: wrong key or tampered/truncated ciphertext")]
	Decryption,
	/// The ciphertext does not start with the vault's header.
	#[error("not a PMR vault ciphertext (bad header)")]
	BadHeader,
	/// Reading or writing a stream failed.
	#[error("I/O error: {0}")]
	Io(#[from] std::io::Error),
	/// Secret-sharing parameters are invalid (`1 <= t <= n <= 255`).
	#[error("invalid sharing parameters: threshold {threshold} of {shares}")]
	InvalidThreshold {
		/// The requested threshold t.
		threshold: u8,
		/// The requested number of shares n.
		shares: u8,
	},
	/// Fewer custodian shares than the threshold were supplied.
	#[error("not enough custodian shares: {got} of the {needed} needed")]
	NotEnoughShares {
		/// Shares supplied.
		got: usize,
		/// Shares needed.
		needed: u8,
	},
	/// A custodian share does not match its commitment: it was tampered with or corrupted.
	#[error("custodian share {index} does not match its commitment")]
	TamperedShare {
		/// The share's index.
		index: u8,
	},
	/// A share is malformed.
	#[error("malformed share: {0}")]
	MalformedShare(String),
	/// A share envelope could not be opened: wrong key or tampered envelope.
	#[error("envelope could not be opened: wrong key or tampered envelope")]
	Envelope,
	/// Content fetched from IPFS does not match the hash recorded on chain.
	#[error("content hash mismatch: expected {expected}, got {actual}")]
	HashMismatch {
		/// The hash recorded on chain (hex).
		expected: String,
		/// The hash of what was fetched (hex).
		actual: String,
	},
	/// A key manifest is malformed or does not fit the request.
	#[error("key manifest rejected: {0}")]
	Manifest(String),
	/// The manifest holds no share sealed to this custodian key (it was made for another
	/// custodian set, or the key is not a custodian's).
	#[error("the manifest holds no share for this custodian key")]
	NoShareForKey,
	/// The patient's essential share of this content is sealed to another key than the one
	/// given (the patient rotated the key and has not re-wrapped this share, or the wrong key
	/// was given).
	#[error("the essential share is sealed to key {sealed_to}, not to this one: re-wrap it from that key first")]
	EssentialSealedToAnotherKey {
		/// The X25519 public key it is sealed to (hex).
		sealed_to: String,
	},
	/// A released share is malformed or was released for another request or record.
	#[error("released share rejected: {0}")]
	Release(String),
	/// An IPFS operation failed.
	#[error(transparent)]
	Ipfs(#[from] crate::ipfs::IpfsError),
}

/// The vault's result type.
pub type Result<T, E = VaultError> = core::result::Result<T, E>;
