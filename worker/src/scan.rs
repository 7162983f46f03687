//! Following finalized blocks: what each block anchored, erased, asked for and wrote into
//! audit trails, applied once and in order (the chain-scan role and its tables).
//!
//! The facts of a block come from its events, i.e. from its state. A node prunes old state
//! (256 blocks by default), so a worker that fell behind — its node was down, or synced a long
//! way — could never read the blocks it missed, and would stall for good. So the node hands
//! the worker the facts of **every block it imports**, during sync too, while that block's
//! state is at hand ([`Worker::capture_block`]); the scan uses them, and reads the state only
//! for blocks imported before the worker ran. A failed unpin no longer holds the scan up: the
//! CID is kept in a table and tried again every round.

use crate::{
	chain::{AnchorSeen, BlockFacts, Chain},
	job::JobState,
	queue::Indexes,
	store::{from_json, to_json, Store, StoreError},
	Worker,
};
use pmr_vault::ipfs::IpfsError;
use redb::{ReadableTable, TableDefinition};
use std::collections::BTreeMap;

/// Blocks scanned per round, so new jobs are not held up by a long catch-up.
pub(crate) const SCAN_BATCH: u64 = 64;

const LAST_SCANNED: &str = "last_scanned_block";
/// Facts of imported blocks not scanned yet: block number → {block hash → facts} (JSON; more
/// than one hash while forks are open).
const CAPTURED: TableDefinition<u64, &[u8]> = TableDefinition::new("captured_facts");
/// Erased CIDs whose unpinning failed, tried again every round: CID → the erasing block.
const UNPIN_LATER: TableDefinition<&str, u64> = TableDefinition::new("unpin_later");

/// Creates the chain scan's tables.
pub(crate) fn create_tables(tx: &redb::WriteTransaction) -> Result<(), StoreError> {
	tx.open_table(CAPTURED)?;
	tx.open_table(UNPIN_LATER)?;
	Ok(())
}

/// The chain scan's tables.
impl Store {
	/// The last finalized block whose anchors and erasures were applied.
	pub fn last_scanned(&self) -> Result<Option<u64>, StoreError> {
		self.counter(LAST_SCANNED)
	}

	/// Records that every block up to `n` was scanned, and forgets their captured facts.
	pub fn set_last_scanned(&self, n: u64) -> Result<(), StoreError> {
		self.write(|tx| {
			tx.open_table(crate::store::COUNTERS)?.insert(LAST_SCANNED, n)?;
			let mut captured = tx.open_table(CAPTURED)?;
			let done: Vec<u64> = captured.range(..=n)?.map(|e| e.map(|(k, _)| k.value())).collect::<Result<_, _>>()?;
			for number in done {
				captured.remove(number)?;
			}
			Ok(())
		})
	}

	/// Keeps the facts of imported block `number` (`facts.hash` names the block).
	pub fn capture(&self, number: u64, facts: &BlockFacts) -> Result<(), StoreError> {
		self.write(|tx| {
			let mut captured = tx.open_table(CAPTURED)?;
			let mut at: BTreeMap<String, BlockFacts> = match captured.get(number)? {
				Some(v) => from_json(v.value(), "captured_facts")?,
				None => BTreeMap::new(),
			};
			at.insert(facts.hash.clone(), facts.clone());
			captured.insert(number, to_json(&at).as_slice())?;
			Ok(())
		})
	}

	/// The captured facts of block `number` with hash `hash`, if the node handed them over.
	pub fn captured(&self, number: u64, hash: &str) -> Result<Option<BlockFacts>, StoreError> {
		let tx = self.read()?;
		let Some(v) = tx.open_table(CAPTURED)?.get(number)? else { return Ok(None) };
		let mut at: BTreeMap<String, BlockFacts> = from_json(v.value(), "captured_facts")?;
		Ok(at.remove(hash))
	}

	/// Remembers an erased CID whose unpinning failed.
	pub fn unpin_later(&self, cid: &str, block: u64) -> Result<(), StoreError> {
		self.write(|tx| {
			tx.open_table(UNPIN_LATER)?.insert(cid, block)?;
			Ok(())
		})
	}

	/// The erased CIDs still to unpin, with their erasing blocks.
	pub fn unpins_pending(&self) -> Result<Vec<(String, u64)>, StoreError> {
		let tx = self.read()?;
		let table = tx.open_table(UNPIN_LATER)?;
		let mut out = Vec::new();
		for entry in table.iter()? {
			let (cid, block) = entry?;
			out.push((cid.value().to_string(), block.value()));
		}
		Ok(out)
	}

	/// Forgets an erased CID once it is unpinned.
	pub fn unpin_done(&self, cid: &str) -> Result<(), StoreError> {
		self.write(|tx| {
			tx.open_table(UNPIN_LATER)?.remove(cid)?;
			Ok(())
		})
	}
}

impl<C: Chain> Worker<C> {
	/// Keeps what imported block `number` anchored, erased and asked for, for the scan once the
	/// block is finalized. The node calls it for every block it imports, during sync too, while
	/// the block's state is at hand: the worker then never needs state the node has pruned.
	pub fn capture_block(&self, number: u64, facts: &BlockFacts) -> Result<(), StoreError> {
		match self.store.last_scanned()? {
			Some(last) if number <= last => Ok(()),
			_ => self.store.capture(number, facts),
		}
	}

	/// Applies every finalized block not yet scanned (at most [`SCAN_BATCH`] per round), then
	/// unpins what waited too long. Erased CIDs whose unpinning failed are tried again first.
	pub async fn follow_chain(&self) -> Result<(), String> {
		self.retry_unpins().await?;
		let finalized = self.chain.finalized_number().map_err(|e| e.to_string())?;
		let Some(last) = self.store.last_scanned().map_err(|e| e.to_string())? else {
			// First start: nothing can be anchored yet for jobs this node never had; the
			// audit archive starts with the next block.
			self.store.archive_since(finalized.saturating_add(1)).map_err(|e| e.to_string())?;
			return self.store.set_last_scanned(finalized).map_err(|e| e.to_string());
		};
		let mut scanned = last;
		let result = async {
			for n in last.saturating_add(1)..=finalized.min(last.saturating_add(SCAN_BATCH)) {
				self.scan_block(n).await?;
				self.store.set_last_scanned(n).map_err(|e| e.to_string())?;
				scanned = n;
			}
			Ok::<_, String>(())
		}
		.await;
		if let Some(m) = &self.metrics {
			m.scan_lag.set(finalized.saturating_sub(scanned));
		}
		result?;
		self.expire(scanned).await
	}

	/// The erased CIDs whose unpinning failed and is tried again, with their erasing blocks.
	pub fn unpins_pending(&self) -> Result<Vec<(String, u64)>, StoreError> {
		self.store.unpins_pending()
	}

	/// The number of finalized blocks not scanned yet.
	pub fn scan_lag(&self) -> Result<u64, String> {
		let finalized = self.chain.finalized_number().map_err(|e| e.to_string())?;
		let last = self.store.last_scanned().map_err(|e| e.to_string())?.unwrap_or(finalized);
		Ok(finalized.saturating_sub(last))
	}

	async fn scan_block(&self, n: u64) -> Result<(), String> {
		let hash = self.chain.block_hash(n).map_err(|e| e.to_string())?;
		let facts = match self.store.captured(n, &hash).map_err(|e| e.to_string())? {
			Some(facts) => facts,
			None => self.chain.block_facts(n).map_err(|e| format!("block #{n}: {e}"))?,
		};
		for seen in &facts.anchors {
			self.anchored(n, &facts.hash, seen).map_err(|e| e.to_string())?;
		}
		self.note_sealed(&facts.sealed)?;
		self.store.archive(n, &facts.audit).map_err(|e| e.to_string())?;
		for cid in &facts.erased_cids {
			if let Err(e) = self.unpin_erased(n, cid).await {
				log::warn!(target: "pmr-worker", "block #{n}: an erased CID is not unpinned yet; will retry ({e})");
				self.store.unpin_later(cid, n).map_err(|e| e.to_string())?;
			}
		}
		if self.custodian.is_some() {
			for request in &facts.key_requests {
				self.store.custody_seen(*request).map_err(|e| e.to_string())?;
			}
		}
		Ok(())
	}

	/// Tries again the erased CIDs whose unpinning failed.
	async fn retry_unpins(&self) -> Result<(), String> {
		let pending = self.store.unpins_pending().map_err(|e| e.to_string())?;
		let mut left = 0u64;
		for (cid, n) in pending {
			match self.unpin_erased(n, &cid).await {
				Ok(()) => self.store.unpin_done(&cid).map_err(|e| e.to_string())?,
				Err(e) => {
					log::debug!(target: "pmr-worker", "an erased CID of block #{n} is still pinned: {e}");
					left += 1;
				},
			}
		}
		if let Some(m) = &self.metrics {
			m.unpins_pending.set(left);
		}
		Ok(())
	}

	/// Unpins an erased CID (a replica, or content this node pinned for a job), unless a live
	/// anchor still names it.
	async fn unpin_erased(&self, n: u64, cid: &str) -> Result<(), String> {
		if self.chain.cid_in_use(cid).map_err(|e| e.to_string())? {
			log::warn!(target: "pmr-worker", "block #{n}: an erasure names content that a live anchor still names; left pinned");
			return Ok(());
		}
		if !self.erase_replica(cid).await? {
			self.erased(n, cid).await?;
		}
		Ok(())
	}

	fn anchored(&self, n: u64, block_hash: &str, seen: &AnchorSeen) -> Result<(), String> {
		let Some(id) = self.store.awaiting(&seen.ciphertext_hash).map_err(|e| e.to_string())? else {
			return Ok(());
		};
		let Some(job) = self.store.job(id).map_err(|e| e.to_string())? else { return Ok(()) };
		let JobState::Pinned { anchor, .. } = job.state else { return Ok(()) };
		let pinned_at = job.updated_at;
		let state = JobState::Anchored {
			anchor,
			block_number: n,
			block_hash: block_hash.to_string(),
			anchored_as: seen.anchored_as.clone(),
		};
		let ix = Indexes { anchor_done: Some(seen.ciphertext_hash), ..Default::default() };
		if self.set(id, state, ix).is_some() {
			if let Some(m) = &self.metrics {
				let ms = crate::job::now_millis().saturating_sub(pinned_at);
				m.anchor_seconds.observe(ms as f64 / 1000.0);
			}
		}
		Ok(())
	}

	async fn erased(&self, n: u64, cid: &str) -> Result<(), String> {
		let Some(id) = self.store.pinned_by(cid).map_err(|e| e.to_string())? else { return Ok(()) };
		match self.ipfs.unpin(cid).await {
			Ok(()) | Err(IpfsError::NotPinned(_)) => {},
			Err(e) => return Err(format!("{id}: cannot unpin an erased record yet: {e}")),
		}
		let unpinned = [cid.to_string()];
		self.set(id, JobState::Erased { block_number: n }, Indexes { unpinned: &unpinned, ..Default::default() });
		Ok(())
	}
}
