//! What the worker needs from the chain, as a trait: the node implements it over its client
//! (runtime APIs and finalized blocks); the worker's tests implement it in memory.

use crate::job::{AnchorContent, AnchorRequest, AnchoredAs, Hash32};
pub use pmr_primitives::{ShareAnswer, ShareRefusal, ShareRequestInvalid};
use serde::{Deserialize, Serialize};

/// Why the chain refuses a submission. Each maps to a typed JSON-RPC error.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
	/// No patient has that Patient-ID.
	#[error("unknown patient")]
	UnknownPatient,
	/// The category is not one the runtime knows, or does not fit the target.
	#[error("wrong category: {0}")]
	WrongCategory(String),
	/// The target does not exist or does not fit (unknown hospital, order, record, or a
	/// malformed date).
	#[error("bad target: {0}")]
	BadTarget(String),
	/// The consortium has no usable custodian set (no approved custodians, no threshold, or
	/// fewer custodians than the threshold).
	#[error("no usable custodian set: {0}")]
	NoCustodianSet(String),
	/// The node cannot sign for the named signer: not an account, or its key is not in the
	/// node's keystore (key type `pmra`).
	#[error("cannot sign as {0}: no such key in the node's keystore")]
	NoSigningKey(String),
}

/// Who can recover a record's key: read from the chain when the record is encrypted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyHolders {
	/// The patient's registered X25519 key (for the essential share).
	pub patient_key: [u8; 32],
	/// The custodian set's X25519 keys, in set order.
	pub custodian_keys: Vec<[u8; 32]>,
	/// Custodian shares needed.
	pub threshold: u8,
	/// The custodian set's version.
	pub custodian_set: u32,
}

/// An anchor seen in a finalized block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnchorSeen {
	/// The anchored ciphertext's hash.
	#[serde(with = "crate::job::hex0x")]
	pub ciphertext_hash: Hash32,
	/// What it became.
	pub anchored_as: AnchoredAs,
}

/// What the worker learns from one block (its events, read from its state).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockFacts {
	/// The block's hash, `0x`-hex.
	pub hash: String,
	/// Content anchored in it.
	pub anchors: Vec<AnchorSeen>,
	/// CIDs of records, lab reports and IoMT batches erased in it (ciphertexts and manifests).
	pub erased_cids: Vec<String>,
	/// Key requests the runtime allowed in it (`keyRelease.KeyRequested`).
	pub key_requests: Vec<u64>,
	/// The content anchored in it, as the chain holds it (CIDs and hashes): what custodian
	/// nodes replicate.
	pub sealed: Vec<AnchorContent>,
	/// The audit-trail entries written in it (`consent.Audited`): what the archive keeps.
	#[serde(default)]
	pub audit: Vec<AuditSeen>,
}

/// An audit-trail entry written in a block (new, or a day's latest access rewritten in place).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditSeen {
	/// Whose trail.
	pub patient: u64,
	/// The entry's index in the trail.
	pub index: u64,
	/// The event's position in its block (one entry may be rewritten twice in a block).
	pub event: u32,
	/// The entry as the runtime encodes it (SCALE `pallet_consent::AuditEntry`), `0x`-hex.
	pub entry: String,
}

/// An open key request, as the chain has it at the last finalized block: what a custodian
/// answers, what the patient re-wraps the essential share for, and what the reader collects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRequestView {
	/// The request's ID.
	pub id: u64,
	/// Whose content.
	pub patient: u64,
	/// The requester's registered X25519 key, which shares are re-wrapped to.
	pub reader_key: [u8; 32],
	/// The anchored content: ciphertext CID and hashes, manifest CID, hash and custodian set.
	pub content: AnchorContent,
	/// The custodians that released their share: (hospital, envelope CID).
	pub released: Vec<(u32, String)>,
	/// The custodians that refused.
	pub refused: Vec<u32>,
	/// The essential-share envelope's CID, once the patient's side handed it over.
	pub essential: Option<String>,
	/// Whether the patient's side made the request (for the patient's own content): the
	/// shares are wrapped to the patient's key and the patient opens the essential share from
	/// the manifest.
	pub own: bool,
	/// The last block in which the request can be answered.
	pub valid_until: u64,
}

impl KeyRequestView {
	/// Whether `hospital` answered the request already (released or refused).
	pub fn answered_by(&self, hospital: u32) -> bool {
		self.released.iter().any(|(h, _)| *h == hospital) || self.refused.contains(&hospital)
	}
}

/// A custodian's answer to a key request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CustodyAnswer {
	/// The share, re-wrapped to the requester and pinned under this CID.
	Release {
		/// The envelope's CID.
		envelope_cid: String,
	},
	/// A refusal.
	Refuse(ShareRefusal),
}

/// A signed share request, as the custodian node decoded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareRequestView {
	/// The digest its requester signed: what the released share is bound to.
	pub digest: Hash32,
	/// The X25519 key the share is wrapped to.
	pub reader_key: [u8; 32],
}

/// The runtime's decision on a signed share request, at the last finalized block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareCheck {
	/// Release: the content whose share to open.
	Release {
		/// The request.
		request: ShareRequestView,
		/// The anchored content (with its manifest).
		content: AnchorContent,
		/// The finalized block it was decided at.
		decided_at: u64,
	},
	/// Refuse, and record the refusal for the patient.
	Refuse {
		/// The request.
		request: ShareRequestView,
		/// Why.
		reason: ShareRefusal,
		/// The finalized block it was decided at.
		decided_at: u64,
	},
	/// Not a request to decide: answer with the error, record nothing.
	Invalid(ShareRequestInvalid),
	/// The bytes are not a SCALE-encoded share request or signature.
	Malformed(String),
}

/// An off-chain answer to record on chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerToRecord {
	/// The share request as its requester signed it (SCALE).
	pub request: Vec<u8>,
	/// The requester's signature (SCALE).
	pub signature: Vec<u8>,
	/// The finalized block it was decided at.
	pub decided_at: u64,
	/// What was answered.
	pub answer: ShareAnswer,
}

/// A failure to read the chain (the worker retries later).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("chain: {0}")]
pub struct ChainError(pub String);

/// Why the pool did not take a node-signed anchor.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
	/// The transaction is invalid and will stay so (e.g. the signer may not make the call).
	#[error("invalid anchor transaction: {0}")]
	Invalid(String),
	/// Something that may pass (the pool is full, the node is busy): try again later.
	#[error("transaction pool: {0}")]
	Retry(String),
}

/// A boxed future, for the trait's one asynchronous method.
pub type BoxFuture<T> = core::pin::Pin<Box<dyn core::future::Future<Output = T> + Send>>;

/// The chain, as the worker sees it.
pub trait Chain: Send + Sync + 'static {
	/// Checks a submission against the best block and returns who holds the key shares.
	fn key_holders(&self, request: &AnchorRequest) -> Result<KeyHolders, Rejection>;

	/// The SCALE-encoded runtime call that anchors `content` as `request` says.
	fn anchor_call(&self, request: &AnchorRequest, content: &AnchorContent) -> Result<Vec<u8>, Rejection>;

	/// The number of the last finalized block.
	fn finalized_number(&self) -> Result<u64, ChainError>;

	/// The hash (`0x`-hex) of finalized block `number`.
	fn block_hash(&self, number: u64) -> Result<String, ChainError>;

	/// The anchors and erasures in finalized block `number`, read from its state (which the
	/// node may have pruned: the scan prefers the facts captured at import,
	/// [`crate::Worker::capture_block`]).
	fn block_facts(&self, number: u64) -> Result<BlockFacts, ChainError>;

	/// The number of the best block.
	fn best_number(&self) -> Result<u64, ChainError>;

	/// Checks that the node can sign as `signer` (an SS58 account whose key is in the node's
	/// keystore).
	fn can_sign(&self, signer: &str) -> Result<(), Rejection>;

	/// The next nonce of `signer` at the best block, or at the finalized block.
	fn nonce(&self, signer: &str, finalized: bool) -> Result<u32, ChainError>;

	/// Signs `call` as `signer` with `nonce` and hands it to the transaction pool. Handing
	/// over a transaction the pool already holds is not an error.
	fn submit_signed(&self, signer: &str, call: &[u8], nonce: u32) -> BoxFuture<Result<(), PoolError>>;

	/// An open key request at the last finalized block (`None` if it is closed or unknown).
	fn key_request(&self, request: u64) -> Result<Option<KeyRequestView>, ChainError>;

	/// Whether a custodian may release its share for `request` at the last finalized block
	/// (`None` if the request is closed or unknown).
	fn release_check(&self, request: u64) -> Result<Option<Result<(), ShareRefusal>>, ChainError>;

	/// Whether a live anchor (a record version, lab report or IoMT batch that is not erased)
	/// names `cid` at the last finalized block. The chain anchors each CID at most once, so an
	/// erasure names only the erased anchor's own CIDs; the worker still unpins nothing a live
	/// anchor names.
	fn cid_in_use(&self, cid: &str) -> Result<bool, ChainError>;

	/// The custodian hospital `account` answers for at the last finalized block, if any.
	fn custodian_hospital(&self, account: &str) -> Result<Option<u32>, ChainError>;

	/// The SCALE-encoded runtime call that answers `request`.
	fn answer_call(&self, request: u64, answer: &CustodyAnswer) -> Result<Vec<u8>, ChainError>;

	/// The runtime's decision on a signed share request (`request` and `signature` SCALE-encoded
	/// as the requester sent them) at the last finalized block.
	fn check_share_request(&self, request: &[u8], signature: &[u8]) -> Result<ShareCheck, ChainError>;

	/// The encoded call that records off-chain answers (`keyRelease.recordShareAnswers`).
	fn record_answers_call(&self, answers: &[AnswerToRecord]) -> Result<Vec<u8>, ChainError>;
}
