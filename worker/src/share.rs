//! The custodian role's off-chain answers: a doctor, lab or the patient's side sends a signed
//! share request straight to this node (`pmr_requestShare`), which
//!
//! 1. asks the runtime for the decision at the last **finalized** block
//!    (`ShareRequestApi::check_share_request`: chain, age, signature, role, reader key and the
//!    consent decision);
//! 2. on release, opens this custodian's share from the manifest (checked against the hash the
//!    chain anchored) and wraps it to the requester's registered key, bound to the request's
//!    digest;
//! 3. stores the answer, released or refused, durably **before** it replies, and
//! 4. records the stored answers on chain in batches (`keyRelease.recordShareAnswers`, signed
//!    by the key-custodian account in nonce order), so each one reaches the patient's audit
//!    trail even if the node is killed right after replying.
//!
//! An invalid request (wrong chain, stale, forged, not a doctor or lab, wrong reader key) is
//! answered with its reason and recorded nowhere: nothing ties it to a patient's consent.

use crate::{
	chain::{AnswerToRecord, Chain, ShareAnswer, ShareCheck, ShareRefusal, ShareRequestInvalid},
	engine::{NonceCursor, NonceStep},
	job::{now_millis, Submitted},
	store::{from_json, to_json, Store, StoreError},
	Worker,
};
use crate::custody::Unreleased;
use pmr_vault::{
	hex,
	release::{Binding, ReleasedShare},
};
use redb::{ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

/// Answers given off chain, by sequence number (JSON).
const ANSWERS: TableDefinition<u64, &[u8]> = TableDefinition::new("share_answers");
/// The sequence number of each answered request's digest: a request asked again is answered
/// again, but recorded once.
const DIGESTS: TableDefinition<&[u8], u64> = TableDefinition::new("share_answer_digests");
/// The counter naming the next answer.
const NEXT_ANSWER: &str = "next_share_answer";

/// The most answers recorded in one call (the runtime's `MaxAnswerBatch`).
pub const MAX_BATCH: usize = 32;

/// Creates the off-chain answers' tables.
pub(crate) fn create_tables(tx: &redb::WriteTransaction) -> Result<(), StoreError> {
	tx.open_table(ANSWERS)?;
	tx.open_table(DIGESTS)?;
	Ok(())
}

/// Where a stored answer is on its way to the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum RecordState {
	/// Not handed to the pool yet.
	Pending,
	/// In a batch handed to the pool with this nonce.
	Submitted {
		/// The batch's nonce and when it was handed over.
		submitted: Submitted,
	},
	/// In a finalized block.
	Recorded,
	/// The runtime will not take it (logged).
	Failed {
		/// Why.
		reason: String,
	},
}

/// One answer this node gave off chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredAnswer {
	/// Its sequence number.
	pub seq: u64,
	/// The request's digest, `0x`-hex.
	pub digest: String,
	/// The SCALE-encoded request, `0x`-hex.
	pub request: String,
	/// The SCALE-encoded signature, `0x`-hex.
	pub signature: String,
	/// The finalized block it was decided at.
	pub decided_at: u64,
	/// `released`, or the refusal.
	pub answer: StoredOutcome,
	/// Where its record is.
	pub record: RecordState,
	/// When it was answered (Unix milliseconds).
	pub answered_at: u64,
}

/// A stored answer's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StoredOutcome {
	/// The share was released.
	Released,
	/// Refused, and why.
	Refused(ShareRefusal),
}

impl StoredOutcome {
	fn answer(self) -> ShareAnswer {
		match self {
			Self::Released => ShareAnswer::Released,
			Self::Refused(r) => ShareAnswer::Refused(r),
		}
	}
}

/// The off-chain answers' tables.
impl Store {
	/// Stores a new answer, unless its request was answered before; returns whether it is new.
	pub fn answer_put_new(&self, mut answer: StoredAnswer, digest: &[u8; 32]) -> Result<bool, StoreError> {
		self.write(|tx| {
			let mut digests = tx.open_table(DIGESTS)?;
			if digests.get(&digest[..])?.is_some() {
				return Ok(false);
			}
			let mut counters = tx.open_table(crate::store::COUNTERS)?;
			let seq = counters.get(NEXT_ANSWER)?.map(|v| v.value()).unwrap_or(0);
			counters.insert(NEXT_ANSWER, seq.saturating_add(1))?;
			answer.seq = seq;
			digests.insert(&digest[..], seq)?;
			tx.open_table(ANSWERS)?.insert(seq, to_json(&answer).as_slice())?;
			Ok(true)
		})
	}

	/// Sets the record state of the answers `seqs`.
	pub fn answers_set(&self, seqs: &[u64], record: &RecordState) -> Result<(), StoreError> {
		self.write(|tx| {
			let mut table = tx.open_table(ANSWERS)?;
			for seq in seqs {
				let Some(bytes) = table.get(*seq)?.map(|v| v.value().to_vec()) else { continue };
				let mut answer: StoredAnswer = from_json(&bytes, "share_answers")?;
				answer.record = record.clone();
				table.insert(*seq, to_json(&answer).as_slice())?;
			}
			Ok(())
		})
	}

	/// Every stored answer that `keep` selects, oldest first.
	pub fn answers_where(&self, keep: impl Fn(&StoredAnswer) -> bool) -> Result<Vec<StoredAnswer>, StoreError> {
		self.json_where(ANSWERS, keep)
	}
}

/// A released share, as `pmr_requestShare` returns it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareReply {
	/// The custodian hospital that answered.
	pub custodian: u32,
	/// The finalized block it decided at.
	pub decided_at: u64,
	/// The request's digest, `0x`-hex (what the share is bound to).
	pub request: String,
	/// The share, wrapped to the requester's key.
	pub share: ReleasedShare,
}

/// Why a share request was not answered with a share.
#[derive(Debug)]
pub enum ShareError {
	/// This node is not its hospital's custodian node, or its account answers for no
	/// custodian hospital.
	NotACustodian,
	/// The bytes are not a share request and a signature.
	Malformed(String),
	/// The request cannot be decided (and was recorded nowhere).
	Invalid(ShareRequestInvalid),
	/// Refused; the refusal is recorded for the patient.
	Refused(ShareRefusal),
	/// Something this node needs is unavailable now (its IPFS node, the chain): ask again.
	Unavailable(String),
}

impl core::fmt::Display for ShareError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Self::NotACustodian => f.write_str("this node does not answer for a custodian hospital"),
			Self::Malformed(why) => write!(f, "not a share request: {why}"),
			Self::Invalid(why) => f.write_str(invalid_sentence(*why)),
			Self::Refused(reason) => f.write_str(&refusal_sentence(*reason)),
			Self::Unavailable(why) => write!(f, "the custodian cannot answer now: {why}"),
		}
	}
}

impl std::error::Error for ShareError {}

/// What an invalid share request's reason means, in a sentence.
pub fn invalid_sentence(why: ShareRequestInvalid) -> &'static str {
	use ShareRequestInvalid::*;
	match why {
		WrongChain => "the request was made for another chain",
		NotYetValid => "the request names a block this custodian has not finalized yet; ask again in a moment",
		Stale => "the request is too old; sign a new one with a recent block",
		BadSignature => "the request is not signed by the account it names",
		NotDoctorOrLab => "the requester is not an active doctor or lab",
		NotPatientOrGuardian => "the requester is neither the patient nor one of the patient's guardians",
		WrongReaderKey => "the reader key is not the requester's registered encryption key",
		UnknownContent => "no such record version, lab study or IoMT batch",
		NotSealed => "the content has no key-share manifest on chain yet",
	}
}

/// What a refusal means, in a sentence with its cause first.
pub fn refusal_sentence(reason: ShareRefusal) -> String {
	format!("refused: {}", refusal_cause(reason))
}

/// Why a share is refused, as a clause ("the consent ended").
pub fn refusal_cause(reason: ShareRefusal) -> String {
	use pmr_primitives::AccessDenied::*;
	match reason {
		ShareRefusal::Denied(denied) => match denied {
			Expired => "the consent ended".into(),
			Revoked => "the patient revoked the consent".into(),
			SessionEnded => "the requester ended the access session".into(),
			NoConsent => "there is no consent for this requester and content".into(),
			OutOfScope => "the consent does not cover this content".into(),
			PurposeMismatch => "the consent is for another purpose".into(),
			StandingAccessWithdrawn => "the patient withdrew the hospital's standing access".into(),
			NotRegistered => "the requester is not an active registered doctor or lab".into(),
			UnknownPatient => "there is no such patient".into(),
			NoSuchRecord => "the content was erased".into(),
			GrantSuspended =>
				"the requester's account was recovered since the consent was given, and the patient has not confirmed it again"
					.into(),
		},
		ShareRefusal::RequestExpired => "the request's time to be answered ran out".into(),
		ShareRefusal::ManifestUnavailable => "the custodian could not fetch the key manifest".into(),
		ShareRefusal::ManifestMismatch => "the key manifest does not match the chain".into(),
		ShareRefusal::NoShareForCustodian => "this custodian holds no share of this content".into(),
		ShareRefusal::KeyMaterialErased => "the custodian erased its key material for this content".into(),
	}
}

impl<C: Chain> Worker<C> {
	/// Answers a signed share request (see the module's documentation).
	pub async fn request_share(&self, request: &[u8], signature: &[u8]) -> Result<ShareReply, ShareError> {
		let unavailable = |e: &dyn std::fmt::Display| ShareError::Unavailable(e.to_string());
		let custodian = self.custodian.as_ref().ok_or(ShareError::NotACustodian)?;
		let hospital = self
			.chain
			.custodian_hospital(&custodian.account)
			.map_err(|e| unavailable(&e))?
			.ok_or(ShareError::NotACustodian)?;
		// The chain's decision, then (if it allows) the custodian's own: either may refuse, and
		// every refusal is stored and recorded like a release.
		let (view, decided_at, outcome) = match self.chain.check_share_request(request, signature).map_err(|e| unavailable(&e))? {
			ShareCheck::Malformed(why) => return Err(ShareError::Malformed(why)),
			ShareCheck::Invalid(why) => return Err(ShareError::Invalid(why)),
			ShareCheck::Refuse { request: view, reason, decided_at } => (view, decided_at, Err(reason)),
			ShareCheck::Release { request: view, content, decided_at } => {
				let binding = Binding::ShareRequest(view.digest);
				match custodian.release(&self.ipfs, &content, &view.reader_key, binding).await {
					Ok(share) => (view, decided_at, Ok(share)),
					Err(Unreleased::Refuse(reason)) => (view, decided_at, Err(reason)),
					Err(Unreleased::Unavailable(e)) => return Err(ShareError::Unavailable(e)),
				}
			},
		};
		match outcome {
			Ok(share) => {
				self.store_answer(&view.digest, request, signature, decided_at, StoredOutcome::Released)?;
				log::info!(target: "pmr-worker", "share request {}: released share {}", hex::encode(&view.digest), share.index);
				Ok(ShareReply { custodian: hospital, decided_at, request: format!("0x{}", hex::encode(&view.digest)), share })
			},
			Err(reason) => {
				self.store_answer(&view.digest, request, signature, decided_at, StoredOutcome::Refused(reason))?;
				Err(ShareError::Refused(reason))
			},
		}
	}

	/// Stores an answer durably (before the reply) and wakes the loop that records it.
	fn store_answer(
		&self,
		digest: &[u8; 32],
		request: &[u8],
		signature: &[u8],
		decided_at: u64,
		answer: StoredOutcome,
	) -> Result<(), ShareError> {
		let stored = StoredAnswer {
			seq: 0,
			digest: hex::encode(digest),
			request: hex::encode(request),
			signature: hex::encode(signature),
			decided_at,
			answer,
			record: RecordState::Pending,
			answered_at: now_millis(),
		};
		let new = self.store.answer_put_new(stored, digest).map_err(|e| ShareError::Unavailable(e.to_string()))?;
		if new {
			if let Some(m) = &self.metrics {
				let label = match answer {
					StoredOutcome::Released => "released",
					StoredOutcome::Refused(_) => "refused",
				};
				m.key_answers.with_label_values(&[label]).inc();
			}
			self.wake.notify_one();
		}
		Ok(())
	}

	/// The answers not yet recorded: waiting, or in a batch handed to the pool.
	pub(crate) fn unrecorded_answers(&self) -> Result<Vec<StoredAnswer>, String> {
		self.store
			.answers_where(|a| matches!(a.record, RecordState::Pending | RecordState::Submitted { .. }))
			.map_err(|e| e.to_string())
	}

	/// Records stored answers on chain: settles batches that were included, hands batches that
	/// were not seen again to the pool with their nonce, and new answers in new batches.
	pub(crate) async fn record_answers(
		&self,
		signer: &str,
		answers: Vec<StoredAnswer>,
		nonces: &mut NonceCursor,
	) -> Result<(), String> {
		let mut batches: std::collections::BTreeMap<u32, (Submitted, Vec<StoredAnswer>)> = Default::default();
		let mut pending = Vec::new();
		for answer in answers {
			match &answer.record {
				RecordState::Submitted { submitted } => {
					batches.entry(submitted.nonce).or_insert_with(|| (*submitted, Vec::new())).1.push(answer)
				},
				_ => pending.push(answer),
			}
		}
		for (_, (submitted, batch)) in batches {
			match nonces.step(Some(&submitted)) {
				NonceStep::Used(_) => self.set_record(&batch, &RecordState::Recorded)?,
				NonceStep::Wait => {},
				NonceStep::Submit(nonce) => self.submit_batch(signer, &batch, nonce, nonces, false).await?,
			}
		}
		for batch in pending.chunks(MAX_BATCH) {
			let NonceStep::Submit(nonce) = nonces.step(None) else { continue };
			self.submit_batch(signer, batch, nonce, nonces, true).await?;
		}
		Ok(())
	}

	async fn submit_batch(
		&self,
		signer: &str,
		batch: &[StoredAnswer],
		nonce: u32,
		nonces: &mut NonceCursor,
		fresh: bool,
	) -> Result<(), String> {
		let to_record = batch
			.iter()
			.map(|a| {
				Ok(AnswerToRecord {
					request: hex::decode(&a.request).ok_or("a stored share request is not hex")?,
					signature: hex::decode(&a.signature).ok_or("a stored signature is not hex")?,
					decided_at: a.decided_at,
					answer: a.answer.answer(),
				})
			})
			.collect::<Result<Vec<_>, String>>()?;
		let call = self.chain.record_answers_call(&to_record).map_err(|e| e.to_string())?;
		self.set_record(batch, &RecordState::Submitted { submitted: nonces.submitted(nonce) })?;
		match self.chain.submit_signed(signer, &call, nonce).await {
			Ok(()) => {
				log::info!(target: "pmr-worker", "{} off-chain answer(s) submitted for the audit trail with nonce {nonce}", batch.len());
				Ok(())
			},
			Err(crate::chain::PoolError::Retry(e)) => Err(format!("recording answers: {e}")),
			Err(crate::chain::PoolError::Invalid(e)) => {
				log::warn!(target: "pmr-worker", "{} off-chain answer(s) cannot be recorded: {e}", batch.len());
				if fresh {
					nonces.unused(nonce);
				}
				self.set_record(batch, &RecordState::Failed { reason: e })
			},
		}
	}

	fn set_record(&self, batch: &[StoredAnswer], record: &RecordState) -> Result<(), String> {
		let seqs: Vec<u64> = batch.iter().map(|a| a.seq).collect();
		self.store.answers_set(&seqs, record).map_err(|e| e.to_string())
	}

	/// The answers this node gave off chain, oldest first.
	pub fn share_answers(&self) -> Result<Vec<StoredAnswer>, StoreError> {
		self.store.answers_where(|_| true)
	}
}
