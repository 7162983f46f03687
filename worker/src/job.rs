//! Jobs: what a hospital system hands to its node, and where each one stands.
//!
//! A job is accepted only after its record was anonymized (so the plain record never reaches
//! the node's disk), and then moves through
//!
//! ```text
//! queued ──▶ encrypted ──▶ pinned ──▶ anchored ──▶ (erased)
//!    │            │           └─────▶ expired   (never anchored in time: unpinned)
//!    └────────────┴─────────▶ failed            (typed reason)
//! ```
//!
//! * `queued`: the anonymized record waits in the persistent queue;
//! * `encrypted`: ciphertext and key manifest were added to IPFS *unpinned* and their CIDs
//!   recorded (a crash here leaves only garbage IPFS may collect, never an unknown pin);
//! * `pinned`: both are pinned, the anonymized copy is deleted, and the prepared anchor (the
//!   call to sign) is ready;
//! * `anchored`: the anchor is in a finalized block.

use serde::{Deserialize, Serialize};

/// A job's number, unique on this node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JobId(pub u64);

impl core::fmt::Display for JobId {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "job-{}", self.0)
	}
}

/// The format of a submitted record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RecordFormat {
	/// A FHIR R4 JSON resource or Bundle.
	Fhir,
	/// A DICOM Part 10 file.
	Dicom,
	/// A batch of IoMT device readings (`{"readings":[{"t","code","value","unit"}]}`).
	Iomt,
}

/// What the encrypted content is anchored as on chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum AnchorTarget {
	/// A new record, minted as the patient's PMR NFT (`medicalRecords.createRecord`).
	Record {
		/// The Hospital-ID the doctor acts for.
		hospital: u32,
		/// The visit date as DDMMYYYY (the PMR-ID's date part), e.g. `28112026`.
		visit_date: u32,
		/// For prescriptions: the last day of the course, DDMMYYYY.
		#[serde(default, skip_serializing_if = "Option::is_none")]
		course_end: Option<u32>,
	},
	/// A new version of an existing record (`medicalRecords.amendRecord`).
	Amendment {
		/// The record's NFT item ID (the PMR-ID in numeric form), as a decimal string.
		#[serde(with = "item_id")]
		item: u128,
		/// The reason: the blake2-256 hash of a note sealed to the record's readers and kept
		/// off chain, `0x`-hex (the chain stores only this hash, never text).
		#[serde(with = "hex0x")]
		reason: Hash32,
	},
	/// The report of a lab order (`labReports.anchorLabReport`).
	LabReport {
		/// The Lab-Order-ID it answers.
		order: u64,
		/// The capture date, DDMMYYYY.
		captured_on: u32,
	},
	/// A batch of a device's readings (`labReports.anchorIomtBatch`), signed by the device's
	/// key in the node's keystore.
	IomtBatch {
		/// What the worker computed from the readings (set at intake; ignored if sent).
		#[serde(default)]
		batch: Option<IomtBatch>,
	},
}

/// A batch of IoMT readings, as anchored: its Merkle root, window and size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IomtBatch {
	/// The Merkle root over the readings (`pmr_primitives::merkle`).
	#[serde(with = "hex0x")]
	pub root: Hash32,
	/// The first reading's time (Unix ms).
	pub window_start: u64,
	/// The last reading's time (Unix ms).
	pub window_end: u64,
	/// The number of readings.
	pub samples: u32,
}

/// Who a record is for and what it becomes on chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnchorRequest {
	/// The Patient-ID.
	pub patient: u64,
	/// The record category, as the runtime names it (`presentIllness`, `labDiagnostics`, ...).
	pub category: String,
	/// What it is anchored as.
	pub target: AnchorTarget,
	/// Who signs the anchor. Omitted: the caller's wallet signs the prepared call (two-phase,
	/// for clinicians). An SS58 account: the node signs with that account's key, which the
	/// operator inserted into the node's keystore under key type `pmra` (for machines: lab
	/// analysers, IoMT gateways). The RPC never takes a key.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub signer: Option<String>,
	/// For a record or an amendment signed in the clinician's wallet (no `signer`): the SS58
	/// account of the clinician who will sign the prepared call. Required then. The call binds
	/// itself to that account (`prepared_for`), so no other account can anchor it, even one
	/// that may write the patient's records and reads the node's jobs. Lab reports and IoMT
	/// batches need none: only the order's lab, or the device, may anchor them.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub author: Option<String>,
}

impl AnchorRequest {
	/// Whether the target is a record or an amendment: anchored by a clinician, and bound to
	/// its `author` when the wallet signs it.
	pub fn is_clinical(&self) -> bool {
		matches!(self.target, AnchorTarget::Record { .. } | AnchorTarget::Amendment { .. })
	}
}

/// A 32-byte hash, serialised as `0x`-prefixed hex (as Substrate's RPCs do).
pub type Hash32 = [u8; 32];

/// The key-share manifest of encrypted content, as it is anchored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestAnchor {
	/// The manifest's CID.
	pub cid: String,
	/// blake2-256 of the manifest bytes.
	#[serde(with = "hex0x")]
	pub hash: Hash32,
	/// The custodian set version its shares were made for.
	pub custodian_set: u32,
}

/// Encrypted content as it is anchored (the runtime's `EncryptedContent`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnchorContent {
	/// The ciphertext's CID.
	pub cid: String,
	/// blake2-256 of the anonymized plaintext.
	#[serde(with = "hex0x")]
	pub plaintext_hash: Hash32,
	/// blake2-256 of the ciphertext.
	#[serde(with = "hex0x")]
	pub ciphertext_hash: Hash32,
	/// The key-share manifest.
	pub manifest: ManifestAnchor,
}

/// What a wallet signs to anchor a pinned job.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreparedAnchor {
	/// The content to anchor.
	pub content: AnchorContent,
	/// The SCALE-encoded runtime call, `0x`-hex: `api.tx(api.createType('Call', call))` in
	/// @polkadot/api, or "Decode" → submit in Polkadot.js Apps.
	pub call: String,
	/// The last finalized block number at which the anchor is still awaited; after it the
	/// node unpins the content.
	pub anchor_by: u64,
}

/// A node-signed anchor handed to the transaction pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Submitted {
	/// The signer's nonce it carries (kept across resubmissions, so it is included at most
	/// once).
	pub nonce: u32,
	/// The best block number when it was last handed to the pool.
	pub at: u64,
}

/// Where an anchored job ended up on chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum AnchoredAs {
	/// A record version.
	Record {
		/// The NFT item ID (the PMR-ID in numeric form), as a decimal string.
		#[serde(with = "item_id")]
		item: u128,
		/// The version (0 for a new record).
		version: u32,
	},
	/// A lab report.
	LabReport {
		/// The Lab-Report-ID.
		report: u64,
	},
	/// An IoMT batch.
	IomtBatch {
		/// The Device-ID.
		device: u64,
		/// The batch's number for that device.
		batch: u32,
	},
}

/// Why a job failed. No reason carries personal data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", content = "detail", rename_all = "camelCase")]
pub enum FailureReason {
	/// The chain refused the job's target when it was encrypted (e.g. the patient was
	/// removed, or the custodian set is no longer usable).
	Rejected(String),
	/// The vault could not encrypt or split the key.
	Vault(String),
	/// The anchoring call could not be built.
	Anchor(String),
}

impl FailureReason {
	/// A short label for metrics.
	pub fn label(&self) -> &'static str {
		match self {
			Self::Rejected(_) => "rejected",
			Self::Vault(_) => "vault",
			Self::Anchor(_) => "anchor",
		}
	}
}

/// Where a job stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum JobState {
	/// Accepted; the anonymized record waits in the queue.
	Queued,
	/// Ciphertext and manifest were added to IPFS (not yet pinned).
	Encrypted {
		/// The content, as it will be anchored.
		content: AnchorContent,
	},
	/// Pinned; the anchor waits to be signed and included.
	Pinned {
		/// What to sign.
		anchor: PreparedAnchor,
		/// For node-signed anchors: the nonce the node signed it with, once it did.
		#[serde(default, skip_serializing_if = "Option::is_none")]
		submitted: Option<Submitted>,
	},
	/// The anchor is in a finalized block.
	Anchored {
		/// The anchor.
		anchor: PreparedAnchor,
		/// The block's number.
		block_number: u64,
		/// The block's hash, `0x`-hex.
		block_hash: String,
		/// What it became.
		anchored_as: AnchoredAs,
	},
	/// Never anchored by its deadline: unpinned.
	Expired {
		/// The deadline that passed.
		anchor_by: u64,
	},
	/// The record was erased on chain: this node unpinned its content.
	Erased {
		/// The finalized block that erased it.
		block_number: u64,
	},
	/// Failed for good.
	Failed {
		/// Why.
		reason: FailureReason,
	},
}

impl JobState {
	/// A short label for metrics and logs.
	pub fn label(&self) -> &'static str {
		match self {
			Self::Queued => "queued",
			Self::Encrypted { .. } => "encrypted",
			Self::Pinned { .. } => "pinned",
			Self::Anchored { .. } => "anchored",
			Self::Expired { .. } => "expired",
			Self::Erased { .. } => "erased",
			Self::Failed { .. } => "failed",
		}
	}

	/// Every label, for metrics.
	pub const LABELS: [&'static str; 7] =
		["queued", "encrypted", "pinned", "anchored", "expired", "erased", "failed"];

	/// Whether the worker still has to do something for the job before it is anchored.
	pub fn is_pending_work(&self) -> bool {
		matches!(self, Self::Queued | Self::Encrypted { .. })
	}

	/// Whether nothing will ever change the job again.
	pub fn is_final(&self) -> bool {
		matches!(self, Self::Expired { .. } | Self::Erased { .. } | Self::Failed { .. })
	}
}

/// What the anonymizer did, in numbers (the field list stays with the hospital's own audit).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnonymizationSummary {
	/// Fields removed.
	pub removed: u32,
	/// Fields replaced by pseudonyms or emptied.
	pub pseudonymized: u32,
	/// Warnings a human should look at (e.g. burned-in annotations in pixel data).
	pub warnings: Vec<String>,
}

/// A job, as it is stored and as `pmr_jobStatus` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
	/// Its number.
	pub id: JobId,
	/// The record's format.
	pub format: RecordFormat,
	/// Who it is for and what it becomes.
	pub request: AnchorRequest,
	/// Where it stands.
	pub state: JobState,
	/// The size of the anonymized record in bytes.
	pub size: u64,
	/// What anonymization did.
	pub anonymization: AnonymizationSummary,
	/// When it was accepted (Unix milliseconds).
	pub accepted_at: u64,
	/// When its state last changed (Unix milliseconds).
	pub updated_at: u64,
}

/// The time now in Unix milliseconds.
pub fn now_millis() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
		.unwrap_or(0)
}

/// `0x`-prefixed hex for 32-byte hashes.
pub mod hex0x {
	use serde::{de::Error, Deserialize, Deserializer, Serializer};

	/// Serialises as `0x…`.
	pub fn serialize<S: Serializer>(v: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&format!("0x{}", pmr_vault::hex::encode(v)))
	}

	/// Parses `0x…` (or bare hex) of exactly 32 bytes.
	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
		let s = String::deserialize(d)?;
		super::parse_hex32(&s).ok_or_else(|| D::Error::custom("expected 32 bytes of hex"))
	}
}

/// NFT item IDs (`u128`, beyond JavaScript's safe integers) as decimal strings; numbers are
/// accepted too.
pub mod item_id {
	use serde::{de::Error, Deserialize, Deserializer, Serializer};

	/// Serialises as a decimal string.
	pub fn serialize<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&v.to_string())
	}

	/// Parses a decimal string or a number.
	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
		#[derive(Deserialize)]
		#[serde(untagged)]
		enum Either {
			Text(String),
			Number(u64),
		}
		match Either::deserialize(d)? {
			Either::Text(s) => s.parse().map_err(|_| D::Error::custom("expected a decimal item ID")),
			Either::Number(n) => Ok(u128::from(n)),
		}
	}
}

/// Parses `0x…` (or bare) hex of any length.
pub fn parse_hex(s: &str) -> Option<Vec<u8>> {
	pmr_vault::hex::decode(s.strip_prefix("0x").unwrap_or(s))
}

/// Parses `0x…` (or bare) hex of exactly 32 bytes.
pub fn parse_hex32(s: &str) -> Option<[u8; 32]> {
	<[u8; 32]>::try_from(parse_hex(s)?).ok()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn states_serialise_as_integrators_read_them() {
		let job = Job {
			id: JobId(7),
			format: RecordFormat::Dicom,
			request: AnchorRequest {
				patient: 3,
				category: "labDiagnostics".into(),
				target: AnchorTarget::LabReport { order: 1, captured_on: 28_11_2026 },
				signer: None,
				author: None,
			},
			state: JobState::Failed { reason: FailureReason::Rejected("unknown patient".into()) },
			size: 10,
			anonymization: AnonymizationSummary::default(),
			accepted_at: 1,
			updated_at: 2,
		};
		let v = serde_json::to_value(&job).unwrap();
		assert_eq!(v["id"], 7);
		assert_eq!(v["format"], "dicom");
		assert_eq!(v["request"]["target"]["kind"], "labReport");
		assert_eq!(v["request"]["target"]["capturedOn"], 28_11_2026);
		assert_eq!(v["state"]["state"], "failed");
		assert_eq!(v["state"]["reason"]["reason"], "rejected");
		let back: Job = serde_json::from_value(v).unwrap();
		assert_eq!(back, job);
	}

	#[test]
	fn hashes_are_0x_hex() {
		let m = ManifestAnchor { cid: "bafy".into(), hash: [0xab; 32], custodian_set: 2 };
		let v = serde_json::to_value(&m).unwrap();
		assert_eq!(v["hash"], format!("0x{}", "ab".repeat(32)));
		assert_eq!(serde_json::from_value::<ManifestAnchor>(v).unwrap(), m);
		assert!(parse_hex32("0x12").is_none());
	}
}
