//! The background task: queue → vault → IPFS, then follow the chain.
//!
//! Every step is idempotent and recorded before the next begins, so after `kill -9` at any
//! point a restart finishes each accepted job exactly once:
//!
//! | crashed during | on restart |
//! |---|---|
//! | encryption, or the unpinned add | still `queued`: encrypted again under a new key; the earlier blocks were never pinned and are garbage to IPFS |
//! | pinning | `encrypted`: pinned again (pinning is idempotent); if IPFS lost the unpinned blocks, back to `queued` |
//! | scanning a block | the block is scanned again (applying its facts twice changes nothing) |

use crate::{
	chain::{Chain, KeyHolders, PoolError},
	job::{AnchorContent, FailureReason, Job, JobId, JobState, ManifestAnchor, PreparedAnchor},
	queue::Indexes,
	scan::SCAN_BATCH,
	Worker,
};
use pmr_vault::{ipfs::IpfsError, pipeline};
use std::{sync::Arc, time::Duration};

/// How often a lagging or failing chain scan is logged at warn level.
const SCAN_WARN_EVERY: Duration = Duration::from_secs(60);
/// Best blocks after which a node-signed anchor still in no block is handed to the pool again.
const RESUBMIT_AFTER_BLOCKS: u64 = 3;

/// Why a step did not finish.
enum StepError {
	/// Try again later (IPFS or chain unavailable); nothing changed.
	Retry(String),
	/// The job failed for good.
	Fail(FailureReason),
}

impl From<IpfsError> for StepError {
	fn from(e: IpfsError) -> Self {
		StepError::Retry(e.to_string())
	}
}

impl<C: Chain> Worker<C> {
	/// Runs the worker until the node stops: recovers unfinished jobs first, then processes
	/// new ones as they arrive and follows finalized blocks (polled every `tick`).
	pub async fn run(self: Arc<Self>, tick: Duration) {
		log::info!(target: "pmr-worker", "ingest worker started; IPFS at {}", self.config.ipfs_api);
		if let Some(c) = &self.custodian {
			log::info!(target: "pmr-worker", "custodian node: answering key requests as {}", c.account);
			if let Err(e) = self.chain.can_sign(&c.account) {
				log::warn!(target: "pmr-worker", "custodian answers cannot be signed until the key is inserted: {e}");
			}
		}
		if self.custodian.is_some() {
			let replicator = self.clone();
			tokio::spawn(async move { replicator.run_replication(tick).await });
		}
		let mut scan_warned: Option<std::time::Instant> = None;
		loop {
			self.process_pending().await;
			let scan = self.follow_chain().await;
			let lag = self.scan_lag().unwrap_or(0);
			if scan.is_err() || lag > SCAN_BATCH {
				// Loud, but once a minute: a custodian that stopped following the chain answers
				// no key request and unpins nothing.
				if scan_warned.is_none_or(|at| at.elapsed() >= SCAN_WARN_EVERY) {
					let why = scan.err().map(|e| format!(": {e}")).unwrap_or_default();
					log::warn!(target: "pmr-worker", "the chain scan is {lag} finalized block(s) behind{why}");
					scan_warned = Some(std::time::Instant::now());
				}
			} else {
				scan_warned = None;
			}
			if let Err(e) = self.submit_node_signed().await {
				log::debug!(target: "pmr-worker", "node-signed anchors postponed: {e}");
			}
			if let Err(e) = self.answer_key_requests().await {
				log::debug!(target: "pmr-worker", "key-request answers postponed: {e}");
			}
			self.refresh_metrics();
			tokio::select! {
				_ = self.wake.notified() => {},
				_ = tokio::time::sleep(tick) => {},
			}
		}
	}

	/// Takes every queued or encrypted job one step further (as far as `pinned`).
	pub async fn process_pending(&self) {
		let pending = match self.store.jobs_where(|j| j.state.is_pending_work()) {
			Ok(p) => p,
			Err(e) => {
				log::error!(target: "pmr-worker", "cannot read the queue: {e}");
				return;
			},
		};
		for job in pending {
			let id = job.id;
			let outcome = match &job.state {
				JobState::Queued => self.encrypt(&job).await,
				JobState::Encrypted { content } => self.pin(&job, content.clone()).await,
				_ => Ok(()),
			};
			match outcome {
				Ok(()) => {},
				Err(StepError::Retry(why)) => {
					log::warn!(target: "pmr-worker", "{id}: will retry ({why})");
					// IPFS is likely down: leave the rest for the next round.
					break;
				},
				Err(StepError::Fail(reason)) => {
					log::warn!(target: "pmr-worker", "{id}: failed ({})", reason.label());
					if let Some(m) = &self.metrics {
						m.fail(reason.label());
					}
					let drop_payload = true;
					self.set(id, JobState::Failed { reason }, Indexes { drop_payload, ..Default::default() });
				},
			}
		}
	}

	/// `queued` → `encrypted`: seal under the chain's current key holders, add unpinned.
	async fn encrypt(&self, job: &Job) -> Result<(), StepError> {
		let holders = self
			.chain
			.key_holders(&job.request)
			.map_err(|r| StepError::Fail(FailureReason::Rejected(r.to_string())))?;
		let payload = self
			.store
			.payload(job.id)
			.map_err(|e| StepError::Retry(e.to_string()))?
			.ok_or_else(|| StepError::Fail(FailureReason::Vault("the queued record is missing".into())))?;
		let KeyHolders { patient_key, custodian_keys, threshold, custodian_set } = holders;
		let recipients = pipeline::Recipients { patient_key, custodian_keys, threshold };
		let sealed = tokio::task::spawn_blocking(move || pipeline::seal(&payload, &recipients))
			.await
			.map_err(|e| StepError::Retry(e.to_string()))?
			.map_err(|e| StepError::Fail(FailureReason::Vault(e.to_string())))?;
		let pipeline::Sealed { ciphertext, manifest, manifest_hash, summary } = sealed;
		let started = std::time::Instant::now();
		let cids = self
			.ipfs
			.add_unpinned_all(vec![("ciphertext", ciphertext), ("manifest", manifest)])
			.await?;
		if let Some(m) = &self.metrics {
			m.pin_seconds.observe(started.elapsed().as_secs_f64());
		}
		let [cid, manifest_cid] = <[String; 2]>::try_from(cids)
			.map_err(|_| StepError::Retry("IPFS did not return two CIDs".into()))?;
		let content = AnchorContent {
			cid,
			plaintext_hash: summary.plaintext_hash,
			ciphertext_hash: summary.ciphertext_hash,
			manifest: ManifestAnchor { cid: manifest_cid, hash: manifest_hash, custodian_set },
		};
		if let Some(job) = self.set(job.id, JobState::Encrypted { content: content.clone() }, Indexes::default()) {
			self.pin(&job, content).await?;
		}
		Ok(())
	}

	/// `encrypted` → `pinned`: build the anchor, pin both CIDs, drop the anonymized copy.
	async fn pin(&self, job: &Job, content: AnchorContent) -> Result<(), StepError> {
		let call = self
			.chain
			.anchor_call(&job.request, &content)
			.map_err(|r| StepError::Fail(FailureReason::Anchor(r.to_string())))?;
		let finalized = self.chain.finalized_number().map_err(|e| StepError::Retry(e.to_string()))?;
		let cids = [content.cid.clone(), content.manifest.cid.clone()];
		let started = std::time::Instant::now();
		for cid in &cids {
			match self.ipfs.pin(cid).await {
				Ok(()) => {},
				Err(e @ IpfsError::Unavailable(_)) => return Err(e.into()),
				Err(e) => {
					// The unpinned blocks are gone (IPFS collected them while the node was
					// down): encrypt again from the queued record.
					log::warn!(target: "pmr-worker", "{}: re-encrypting ({e})", job.id);
					for cid in &cids {
						let _ = self.ipfs.unpin(cid).await;
					}
					self.set(job.id, JobState::Queued, Indexes::default());
					return Ok(());
				},
			}
		}
		let hash = content.ciphertext_hash;
		let anchor = PreparedAnchor {
			content,
			call: format!("0x{}", pmr_vault::hex::encode(&call)),
			anchor_by: finalized.saturating_add(self.config.anchor_timeout),
		};
		let ix = Indexes { pinned: &cids, await_anchor: Some(hash), drop_payload: true, ..Default::default() };
		if self.set(job.id, JobState::Pinned { anchor, submitted: None }, ix).is_some() {
			if let Some(m) = &self.metrics {
				m.pin_seconds.observe(started.elapsed().as_secs_f64());
				let ms = crate::job::now_millis().saturating_sub(job.accepted_at);
				m.ingest_seconds.observe(ms as f64 / 1000.0);
			}
		}
		Ok(())
	}

	/// Unpins pinned jobs whose anchor deadline passed (`finalized` blocks were scanned).
	pub(crate) async fn expire(&self, finalized: u64) -> Result<(), String> {
		let late = self
			.store
			// A node-signed anchor in the pool is settled by its nonce instead.
			.jobs_where(|j| {
				matches!(&j.state, JobState::Pinned { anchor, submitted: None } if anchor.anchor_by < finalized)
			})
			.map_err(|e| e.to_string())?;
		for job in late {
			let JobState::Pinned { anchor, .. } = job.state else { continue };
			log::info!(target: "pmr-worker", "{}: never anchored by block {}; unpinned", job.id, anchor.anchor_by);
			self.unpin_and_set(job.id, &anchor, JobState::Expired { anchor_by: anchor.anchor_by }).await?;
		}
		Ok(())
	}

	/// Unpins a pinned job's content and moves it to a final `state`.
	async fn unpin_and_set(&self, id: JobId, anchor: &PreparedAnchor, state: JobState) -> Result<(), String> {
		let cids = [anchor.content.cid.clone(), anchor.content.manifest.cid.clone()];
		for cid in &cids {
			match self.ipfs.unpin(cid).await {
				Ok(()) | Err(IpfsError::NotPinned(_)) => {},
				Err(e) => return Err(format!("{id}: cannot unpin yet: {e}")),
			}
		}
		let ix =
			Indexes { unpinned: &cids, anchor_done: Some(anchor.content.ciphertext_hash), ..Default::default() };
		self.set(id, state, ix);
		Ok(())
	}

	/// Signs and submits node-signed anchors, per signer in job order with consecutive
	/// nonces, and settles those whose nonce was used. Runs after [`Self::follow_chain`], so a
	/// job whose transaction is in a finalized block is already `anchored` here.
	///
	/// A job keeps its nonce once it was assigned (recorded before the pool sees the
	/// transaction), so however often it is resubmitted — after a restart, or because the pool
	/// dropped it — it can be included at most once. If the nonce was used and the job is
	/// still not anchored, the transaction failed on chain (or the key signed something else):
	/// the job fails rather than risk a second anchor.
	pub async fn submit_node_signed(&self) -> Result<(), String> {
		let jobs = self
			.store
			.jobs_where(|j| j.request.signer.is_some() && matches!(j.state, JobState::Pinned { .. }))
			.map_err(|e| e.to_string())?;
		let mut by_signer: std::collections::BTreeMap<String, Vec<Job>> = Default::default();
		for job in jobs {
			if let Some(signer) = job.request.signer.clone() {
				by_signer.entry(signer).or_default().push(job);
			}
		}
		for (signer, jobs) in by_signer {
			let mut nonces = NonceCursor::new(
				self.chain.as_ref(),
				&signer,
				jobs.iter().filter_map(|j| match &j.state {
					JobState::Pinned { submitted, .. } => submitted.as_ref(),
					_ => None,
				}),
			)?;
			for job in jobs {
				let JobState::Pinned { anchor, submitted } = job.state else { continue };
				let fresh = submitted.is_none();
				let nonce = match nonces.step(submitted.as_ref()) {
					NonceStep::Used(used) => {
						log::warn!(target: "pmr-worker", "{}: nonce {used} used without this anchor", job.id);
						let reason = FailureReason::Anchor(
							"the signed anchor's nonce was used without anchoring it (the call failed on chain, 							 or the key signed something else)"
								.into(),
						);
						if let Some(m) = &self.metrics {
							m.fail(reason.label());
						}
						self.unpin_and_set(job.id, &anchor, JobState::Failed { reason }).await?;
						continue;
					},
					NonceStep::Wait => continue,
					NonceStep::Submit(nonce) => nonce,
				};
				let submitted = Some(nonces.submitted(nonce));
				let state = JobState::Pinned { anchor: anchor.clone(), submitted };
				if self.set(job.id, state, Indexes::default()).is_none() {
					return Err(format!("{}: cannot record its nonce", job.id));
				}
				let call = crate::job::parse_hex(&anchor.call).unwrap_or_default();
				match self.chain.submit_signed(&signer, &call, nonce).await {
					Ok(()) => log::info!(target: "pmr-worker", "{}: submitted with nonce {nonce}", job.id),
					Err(PoolError::Retry(e)) => return Err(format!("{}: {e}", job.id)),
					Err(PoolError::Invalid(e)) => {
						let reason = FailureReason::Anchor(e);
						if let Some(m) = &self.metrics {
							m.fail(reason.label());
						}
						self.unpin_and_set(job.id, &anchor, JobState::Failed { reason }).await?;
						// A fresh nonce stays free: later jobs must not leave a gap.
						if fresh {
							nonces.unused(nonce);
						}
					},
				}
			}
		}
		Ok(())
	}

	/// Moves a job to `state` and tells subscribers. `None` if the store failed (the step is
	/// then redone on the next round).
	pub(crate) fn set(&self, id: JobId, state: JobState, ix: Indexes<'_>) -> Option<Job> {
		let label = state.label();
		match self.store.transition(id, state, ix) {
			Ok(job) => {
				log::info!(target: "pmr-worker", "{id}: {label}");
				self.metrics_stale.store(true, std::sync::atomic::Ordering::Relaxed);
				let _ = self.updates.send(job.clone());
				Some(job)
			},
			Err(e) => {
				log::error!(target: "pmr-worker", "{id}: cannot record state {label}: {e}");
				None
			},
		}
	}
}

/// What to do this round with a transaction the node signs.
pub(crate) enum NonceStep {
	/// Its nonce was used in a finalized block, and it is still not settled: it failed on
	/// chain (or the key signed something else).
	Used(u32),
	/// In a best block, or handed to the pool recently: wait.
	Wait,
	/// Hand it to the pool with this nonce (its own, or the next free one if it has none).
	Submit(u32),
}

/// Nonces of one signer for one round: a transaction keeps its nonce once assigned (recorded
/// before the pool sees it), so however often it is resubmitted it is included at most once,
/// and new transactions take consecutive nonces after every assigned one.
pub(crate) struct NonceCursor {
	finalized: u32,
	best: u32,
	best_block: u64,
	next: u32,
}

impl NonceCursor {
	/// The signer's nonces at the finalized and best blocks; `assigned` are the nonces its
	/// unsettled transactions already carry.
	pub(crate) fn new<'a, C: Chain + ?Sized>(
		chain: &C,
		signer: &str,
		assigned: impl Iterator<Item = &'a crate::job::Submitted>,
	) -> Result<Self, String> {
		let finalized = chain.nonce(signer, true).map_err(|e| e.to_string())?;
		let best = chain.nonce(signer, false).map_err(|e| e.to_string())?;
		let best_block = chain.best_number().map_err(|e| e.to_string())?;
		let next = assigned.map(|s| s.nonce.saturating_add(1)).fold(best, u32::max);
		Ok(Self { finalized, best, best_block, next })
	}

	/// The step for a transaction last `submitted` (or never).
	pub(crate) fn step(&mut self, submitted: Option<&crate::job::Submitted>) -> NonceStep {
		match submitted {
			Some(s) if s.nonce < self.finalized => NonceStep::Used(s.nonce),
			Some(s) if s.nonce < self.best => NonceStep::Wait,
			Some(s) if self.best_block.saturating_sub(s.at) < RESUBMIT_AFTER_BLOCKS => NonceStep::Wait,
			Some(s) => NonceStep::Submit(s.nonce),
			None => {
				let n = self.next;
				self.next = self.next.saturating_add(1);
				NonceStep::Submit(n)
			},
		}
	}

	/// What to record for a transaction handed to the pool now with `nonce`.
	pub(crate) fn submitted(&self, nonce: u32) -> crate::job::Submitted {
		crate::job::Submitted { nonce, at: self.best_block }
	}

	/// A freshly assigned `nonce` was not used (the pool refused the transaction for good):
	/// the next new transaction takes it, so no gap is left.
	pub(crate) fn unused(&mut self, nonce: u32) {
		self.next = nonce;
	}
}
