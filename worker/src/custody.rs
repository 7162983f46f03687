//! The custodian role: this node answers key requests for its hospital.
//!
//! A node runs it when the operator gives it the hospital's custodian X25519 secret(s)
//! (`--pmr-custodian-key-file`) and the hospital's key-custodian account
//! (`--pmr-custodian-account`, its sr25519 key inserted into the keystore under `pmra`). For
//! every `keyRelease.KeyRequested` in a **finalized** block, in one walk:
//!
//! 1. re-check the decision at the last finalized block (`KeyReleaseApi::release_check`): a
//!    refusal (expired or revoked consent, erased record, suspended requester, deadline
//!    passed) is answered with `refuseShare(request, reason)`;
//! 2. fetch the manifest by CID, check it against the hash the chain anchored;
//! 3. open this custodian's share with its secret (the newest key first, then older ones kept
//!    after a rotation), check it against its commitment, re-wrap it to the requester's key
//!    bound to the request, and compute the envelope's CID **without adding it** to IPFS;
//! 4. answer with `releaseShare(request, envelope_cid)`, signed by the key-custodian account
//!    in nonce order and resubmitted until included, like node-signed anchors;
//! 5. add and pin the envelope only once a finalized block shows the chain accepted this
//!    release. A release the runtime refuses (its deadline passed, the consent ended) leaves a
//!    CID in a public failed extrinsic that no IPFS node can serve: no share is reachable
//!    unless its release was accepted on chain.
//!
//! Each request is answered at most once: the answer is recorded before it is submitted and
//! keeps its nonce, and the runtime accepts one answer per custodian. If a release fails on
//! chain (the consent was revoked between the finalized check and inclusion), the request is
//! decided again, which then refuses.

use crate::{
	chain::{Chain, CustodyAnswer, KeyRequestView, ShareRefusal},
	engine::{NonceCursor, NonceStep},
	job::{now_millis, parse_hex, Submitted},
	Worker,
};
use crate::store::{to_json, Store, StoreError};
use pmr_vault::{manifest::KeyManifest, release::Binding, VaultError};
use redb::{ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};
use x25519_dalek::StaticSecret;

/// Key requests this node answers as a custodian, by request ID (JSON).
const CUSTODY: TableDefinition<u64, &[u8]> = TableDefinition::new("custody");

/// Creates the custody role's table.
pub(crate) fn create_tables(tx: &redb::WriteTransaction) -> Result<(), StoreError> {
	tx.open_table(CUSTODY)?;
	Ok(())
}

/// The custody role's table.
impl Store {
	/// Records a key request seen in a finalized block, unless it is known already (scanning
	/// a block twice changes nothing).
	pub fn custody_seen(&self, request: u64) -> Result<(), StoreError> {
		self.write(|tx| {
			let mut table = tx.open_table(CUSTODY)?;
			if table.get(request)?.is_none() {
				table.insert(request, to_json(&CustodyTask::seen(request)).as_slice())?;
			}
			Ok(())
		})
	}

	/// Stores a key request's new state.
	pub fn custody_put(&self, task: &CustodyTask) -> Result<(), StoreError> {
		self.write(|tx| {
			tx.open_table(CUSTODY)?.insert(task.request, to_json(task).as_slice())?;
			Ok(())
		})
	}

	/// Every key request, oldest first, that `keep` selects.
	pub fn custody_where(&self, keep: impl Fn(&CustodyTask) -> bool) -> Result<Vec<CustodyTask>, StoreError> {
		self.json_where(CUSTODY, keep)
	}
}

/// Rounds a manifest that cannot be fetched is retried before the request is refused with
/// `ManifestUnavailable`.
const MANIFEST_ATTEMPTS: u32 = 5;
/// Times a request is decided again after its answer failed on chain.
const ANSWER_ATTEMPTS: u32 = 3;

/// The custodian role's configuration.
pub struct Custodian {
	/// The key-custodian account (SS58) that signs the answers.
	pub account: String,
	/// The custodian's X25519 secrets, newest first (older ones open shares made before a
	/// key rotation).
	pub secrets: Vec<StaticSecret>,
}

/// Why a custodian did not open its share.
pub(crate) enum Unreleased {
	/// For good, with the reason to answer.
	Refuse(ShareRefusal),
	/// Not now: the manifest could not be fetched (IPFS).
	Unavailable(String),
}

impl Custodian {
	/// Fetches `content`'s manifest (checked against the hash the chain anchored and the
	/// ciphertext's), opens this custodian's share with the first of its secrets the manifest
	/// names (checked against its commitment) and wraps it to `reader_key` for `binding`.
	pub(crate) async fn release(
		&self,
		ipfs: &pmr_vault::ipfs::Ipfs,
		content: &crate::job::AnchorContent,
		reader_key: &[u8; 32],
		binding: Binding,
	) -> Result<pmr_vault::release::ReleasedShare, Unreleased> {
		let m = &content.manifest;
		let bytes = match ipfs.cat_verified(&m.cid, &m.hash).await {
			Ok(bytes) => bytes,
			Err(VaultError::HashMismatch { .. }) => return Err(Unreleased::Refuse(ShareRefusal::ManifestMismatch)),
			Err(e) => return Err(Unreleased::Unavailable(e.to_string())),
		};
		let manifest = match KeyManifest::from_json(&bytes) {
			Ok(manifest) if manifest.ciphertext_hash == content.ciphertext_hash => manifest,
			_ => return Err(Unreleased::Refuse(ShareRefusal::ManifestMismatch)),
		};
		let released = self.secrets.iter().find_map(|secret| {
			match manifest.release_custodian_share(secret, reader_key, binding) {
				Err(VaultError::NoShareForKey) => None,
				other => Some(other),
			}
		});
		match released {
			None => Err(Unreleased::Refuse(ShareRefusal::NoShareForCustodian)),
			Some(Ok(released)) => Ok(released),
			// The share does not open or does not match its commitment under our own key.
			Some(Err(e)) => {
				log::warn!(target: "pmr-worker", "our share is unusable ({e})");
				Err(Unreleased::Refuse(ShareRefusal::ManifestMismatch))
			},
		}
	}
}

impl core::fmt::Debug for Custodian {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "Custodian({}, {} key(s))", self.account, self.secrets.len())
	}
}

/// Reads X25519 secrets from a key file (a custodian's, a patient's or a reader's): one 32-byte
/// secret per line as hex (with or without `0x`), newest first; blank lines and `#` comments
/// are skipped. A file that other users may read is refused, as ssh refuses such a key: the
/// secret opens every share or record sealed to it.
pub fn load_secrets(path: &std::path::Path) -> Result<Vec<StaticSecret>, String> {
	ensure_owner_only(path)?;
	let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
	let secrets = text
		.lines()
		.map(str::trim)
		.filter(|l| !l.is_empty() && !l.starts_with('#'))
		.enumerate()
		.map(|(i, line)| {
			crate::job::parse_hex32(line)
				.map(StaticSecret::from)
				.ok_or_else(|| format!("{}: key {} is not 32 bytes of hex", path.display(), i + 1))
		})
		.collect::<Result<Vec<_>, _>>()?;
	if secrets.is_empty() {
		return Err(format!("{}: no key", path.display()));
	}
	Ok(secrets)
}

/// Refuses a key file that other users may read, as ssh refuses such a key.
pub fn ensure_owner_only(path: &std::path::Path) -> Result<(), String> {
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		let mode = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?.permissions().mode();
		if mode & 0o077 != 0 {
			return Err(format!(
				"{}: other users may read this key file (mode {:o}); make it the owner's alone: chmod 600 {}",
				path.display(),
				mode & 0o777,
				path.display()
			));
		}
	}
	Ok(())
}

/// Where this node is with one key request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum CustodyState {
	/// Seen in a finalized block; not decided yet.
	Seen,
	/// Decided: the answer's call is prepared (for a release, its envelope's CID is known but
	/// the envelope is not on IPFS yet).
	Answering {
		/// `released` or the refusal's reason.
		answer: String,
		/// The released envelope's CID, for a release.
		envelope: Option<String>,
		/// The released envelope itself (its JSON), added to IPFS once the chain accepted the
		/// release.
		#[serde(default, skip_serializing_if = "Option::is_none")]
		sealed: Option<String>,
		/// The SCALE-encoded call, `0x`-hex.
		call: String,
		/// When it was handed to the pool, with which nonce.
		submitted: Option<Submitted>,
	},
	/// Settled.
	Done {
		/// How: `released`, `refused`, `closed` (before this node answered), or why it failed.
		outcome: String,
	},
}

/// One key request this node answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustodyTask {
	/// The request's ID.
	pub request: u64,
	/// Where it is.
	pub state: CustodyState,
	/// Failed manifest fetches and failed answers so far.
	pub attempts: u32,
	/// When it last changed (Unix milliseconds).
	pub updated_at: u64,
}

impl CustodyTask {
	/// A request just seen.
	pub fn seen(request: u64) -> Self {
		Self { request, state: CustodyState::Seen, attempts: 0, updated_at: now_millis() }
	}

	fn with(&self, state: CustodyState, attempts: u32) -> Self {
		Self { request: self.request, state, attempts, updated_at: now_millis() }
	}
}

/// The outcome of deciding a request.
enum Decision {
	Answer(CustodyState),
	/// Try again next round (IPFS unavailable); the attempt is counted.
	Retry(String),
}

impl<C: Chain> Worker<C> {
	/// Decides, submits and settles the answers to the key requests this node has seen.
	pub async fn answer_key_requests(&self) -> Result<(), String> {
		let Some(custodian) = &self.custodian else { return Ok(()) };
		let open = self
			.store
			.custody_where(|t| !matches!(t.state, CustodyState::Done { .. }))
			.map_err(|e| e.to_string())?;
		let unrecorded = self.unrecorded_answers()?;
		if open.is_empty() && unrecorded.is_empty() {
			return Ok(());
		}
		let Some(hospital) = self.chain.custodian_hospital(&custodian.account).map_err(|e| e.to_string())? else {
			for task in open {
				log::warn!(
					target: "pmr-worker",
					"key request {}: {} does not answer for a custodian hospital",
					task.request, custodian.account
				);
				self.settle(&task, "not a custodian")?;
			}
			return Ok(());
		};

		// Settle what the chain has settled; decide what is new.
		let mut answering = Vec::new();
		for task in open {
			let view = self.chain.key_request(task.request).map_err(|e| e.to_string())?;
			let Some(view) = view else {
				self.settle(&task, "closed")?;
				continue;
			};
			if view.answered_by(hospital) {
				let released = view.released.iter().any(|(h, _)| *h == hospital);
				if released {
					if let Err(e) = self.publish_envelope(&task).await {
						log::warn!(target: "pmr-worker", "key request {}: released on chain, envelope not on IPFS yet ({e}); will retry", task.request);
						continue;
					}
				}
				let outcome = if released { "released" } else { "refused" };
				log::info!(target: "pmr-worker", "key request {}: {outcome}", task.request);
				self.settle(&task, outcome)?;
				continue;
			}
			match &task.state {
				CustodyState::Seen => match self.decide(custodian, &view, task.attempts).await? {
					Decision::Answer(CustodyState::Done { outcome }) => self.settle(&task, &outcome)?,
					Decision::Answer(state) => answering.push(self.save(&task.with(state, task.attempts))?),
					Decision::Retry(why) => {
						log::warn!(target: "pmr-worker", "key request {}: will retry ({why})", task.request);
						self.save(&task.with(CustodyState::Seen, task.attempts.saturating_add(1)))?;
					},
				},
				CustodyState::Answering { .. } => answering.push(task),
				CustodyState::Done { .. } => {},
			}
		}
		self.submit_answers(custodian, answering, unrecorded).await
	}

	/// Decides a request at the last finalized block and prepares the answer.
	async fn decide(
		&self,
		custodian: &Custodian,
		view: &KeyRequestView,
		attempts: u32,
	) -> Result<Decision, String> {
		let id = view.id;
		let refuse = |reason: ShareRefusal| -> Result<Decision, String> {
			let call = self.chain.answer_call(id, &CustodyAnswer::Refuse(reason)).map_err(|e| e.to_string())?;
			log::info!(target: "pmr-worker", "key request {id}: refusing ({reason:?})");
			Ok(Decision::Answer(CustodyState::Answering {
				answer: format!("refused: {reason:?}"),
				envelope: None,
				sealed: None,
				call: format!("0x{}", pmr_vault::hex::encode(&call)),
				submitted: None,
			}))
		};
		match self.chain.release_check(id).map_err(|e| e.to_string())? {
			None => return Ok(Decision::Answer(CustodyState::Done { outcome: "closed".into() })),
			Some(Err(reason)) => return refuse(reason),
			Some(Ok(())) => {},
		}
		let released = match custodian.release(&self.ipfs, &view.content, &view.reader_key, Binding::KeyRequest(id)).await {
			Ok(released) => released,
			Err(Unreleased::Refuse(reason)) => return refuse(reason),
			Err(Unreleased::Unavailable(e)) if attempts.saturating_add(1) < MANIFEST_ATTEMPTS => {
				return Ok(Decision::Retry(e))
			},
			Err(Unreleased::Unavailable(_)) => return refuse(ShareRefusal::ManifestUnavailable),
		};
		let sealed = String::from_utf8(released.to_json()).map_err(|e| e.to_string())?;
		let envelope = match self.ipfs.cid_of(std::io::Cursor::new(sealed.clone().into_bytes())).await {
			Ok(cid) => cid,
			Err(e) => return Ok(Decision::Retry(e.to_string())),
		};
		let answer = CustodyAnswer::Release { envelope_cid: envelope.clone() };
		let call = self.chain.answer_call(id, &answer).map_err(|e| e.to_string())?;
		log::info!(target: "pmr-worker", "key request {id}: releasing share {}", released.index);
		Ok(Decision::Answer(CustodyState::Answering {
			answer: "released".into(),
			envelope: Some(envelope),
			sealed: Some(sealed),
			call: format!("0x{}", pmr_vault::hex::encode(&call)),
			submitted: None,
		}))
	}

	/// Hands prepared answers to the pool in nonce order (a failed answer is decided again),
	/// then the off-chain answers still to be recorded ([`crate::share`]): one nonce sequence
	/// for everything the key-custodian account signs.
	async fn submit_answers(
		&self,
		custodian: &Custodian,
		tasks: Vec<CustodyTask>,
		unrecorded: Vec<crate::share::StoredAnswer>,
	) -> Result<(), String> {
		if tasks.is_empty() && unrecorded.is_empty() {
			return Ok(());
		}
		let signer = custodian.account.as_str();
		let mut nonces = NonceCursor::new(
			self.chain.as_ref(),
			signer,
			tasks
				.iter()
				.filter_map(|t| match &t.state {
					CustodyState::Answering { submitted, .. } => submitted.as_ref(),
					_ => None,
				})
				.chain(unrecorded.iter().filter_map(|a| match &a.record {
					crate::share::RecordState::Submitted { submitted } => Some(submitted),
					_ => None,
				})),
		)?;
		for task in tasks {
			let CustodyState::Answering { answer, envelope, sealed, call, submitted } = &task.state else { continue };
			let fresh = submitted.is_none();
			let nonce = match nonces.step(submitted.as_ref()) {
				NonceStep::Used(used) => {
					// Included without settling the request: the runtime refused the answer.
					log::warn!(target: "pmr-worker", "key request {}: answer with nonce {used} failed on chain", task.request);
					let attempts = task.attempts.saturating_add(1);
					if attempts >= ANSWER_ATTEMPTS {
						self.settle(&task, "failed: the runtime refused the answer")?;
					} else {
						self.save(&task.with(CustodyState::Seen, attempts))?;
					}
					continue;
				},
				NonceStep::Wait => continue,
				NonceStep::Submit(nonce) => nonce,
			};
			let state = CustodyState::Answering {
				answer: answer.clone(),
				envelope: envelope.clone(),
				sealed: sealed.clone(),
				call: call.clone(),
				submitted: Some(nonces.submitted(nonce)),
			};
			self.save(&task.with(state, task.attempts))?;
			let bytes = parse_hex(call).unwrap_or_default();
			match self.chain.submit_signed(signer, &bytes, nonce).await {
				Ok(()) => log::info!(target: "pmr-worker", "key request {}: answer submitted with nonce {nonce}", task.request),
				Err(crate::chain::PoolError::Retry(e)) => return Err(format!("key request {}: {e}", task.request)),
				Err(crate::chain::PoolError::Invalid(e)) => {
					log::warn!(target: "pmr-worker", "key request {}: answer invalid ({e})", task.request);
					self.settle(&task, &format!("failed: {e}"))?;
					if fresh {
						nonces.unused(nonce);
					}
				},
			}
		}
		self.record_answers(signer, unrecorded, &mut nonces).await
	}

	/// Adds and pins the envelope of a release the chain accepted (nothing to do for a task
	/// that holds none).
	async fn publish_envelope(&self, task: &CustodyTask) -> Result<(), String> {
		let CustodyState::Answering { envelope: Some(cid), sealed: Some(sealed), .. } = &task.state else {
			return Ok(());
		};
		let added = self.ipfs.add_pinned(std::io::Cursor::new(sealed.clone().into_bytes())).await.map_err(|e| e.to_string())?;
		if &added != cid {
			return Err(format!("the envelope was added as {added}, not as the released {cid}"));
		}
		Ok(())
	}

	fn save(&self, task: &CustodyTask) -> Result<CustodyTask, String> {
		self.store.custody_put(task).map_err(|e| e.to_string())?;
		Ok(task.clone())
	}

	fn settle(&self, task: &CustodyTask, outcome: &str) -> Result<(), String> {
		if let Some(m) = &self.metrics {
			m.key_answers.with_label_values(&[outcome.split(':').next().unwrap_or(outcome)]).inc();
		}
		self.save(&task.with(CustodyState::Done { outcome: outcome.into() }, task.attempts)).map(|_| ())
	}

	/// The key requests this node answers, oldest first.
	pub fn custody_tasks(&self) -> Result<Vec<CustodyTask>, StoreError> {
		self.store.custody_where(|_| true)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_key_request_is_recorded_once_and_keeps_its_state() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("q.redb");
		{
			let store = crate::queue::tests::open(&path);
			store.custody_seen(4).unwrap();
			let done = CustodyTask { state: CustodyState::Done { outcome: "released".into() }, ..CustodyTask::seen(4) };
			store.custody_put(&done).unwrap();
			// Seeing it again (a block scanned twice) does not reset it.
			store.custody_seen(4).unwrap();
			store.custody_seen(2).unwrap();
		}
		let store = crate::queue::tests::open(&path);
		let tasks = store.custody_where(|_| true).unwrap();
		assert_eq!(tasks.iter().map(|t| t.request).collect::<Vec<_>>(), vec![2, 4]);
		assert_eq!(tasks[1].state, CustodyState::Done { outcome: "released".into() });
		assert_eq!(store.custody_where(|t| t.state == CustodyState::Seen).unwrap().len(), 1);
	}

	#[cfg(unix)]
	#[test]
	fn a_key_file_other_users_may_read_is_refused() {
		use std::os::unix::fs::PermissionsExt;
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("custodian.key");
		std::fs::write(&path, format!("0x{}\n", "11".repeat(32))).unwrap();
		for mode in [0o644, 0o640, 0o604] {
			std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
			let err = super::load_secrets(&path).err().expect("refused");
			assert!(err.contains("chmod 600"), "{err}");
		}
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
		assert_eq!(super::load_secrets(&path).unwrap().len(), 1);
	}
}
