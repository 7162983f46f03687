//! Replication: a custodian node keeps a copy of every record anchored in the consortium, so
//! no record is lost with the node (or the IPFS node) of the hospital that ingested it.
//!
//! For each piece of content anchored in a finalized block (ciphertext and manifest), the
//! custodian node fetches it from the private IPFS network through its own IPFS node, checks it
//! against the hash the chain anchored, and pins it. Every `replica_check` it checks that what
//! it pinned is still pinned and fetches again what is not. When the record is erased it
//! unpins both. Content this node ingested itself is pinned by its job already and skipped.

use crate::{
	job::{now_millis, Hash32},
	store::{from_json, to_json, Store, StoreError},
	Worker,
};
use pmr_vault::VaultError;
use redb::{ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

/// CIDs this custodian node replicates → their state (JSON).
const REPLICAS: TableDefinition<&str, &[u8]> = TableDefinition::new("replicas");

/// Creates the replication role's table.
pub(crate) fn create_tables(tx: &redb::WriteTransaction) -> Result<(), StoreError> {
	tx.open_table(REPLICAS)?;
	Ok(())
}

/// Replicas fetched per round, so a long catch-up does not hold up the other work.
const FETCH_BATCH: usize = 8;

/// Where a replicated CID is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum ReplicaState {
	/// To be fetched, checked and pinned.
	Pending,
	/// Pinned here; checked at `checked_at` (Unix milliseconds).
	Pinned {
		/// When it was last found pinned.
		checked_at: u64,
	},
	/// What the network returned does not match the chain's hash: nothing was pinned.
	Mismatch,
	/// The record was erased: unpinned.
	Erased,
}

/// One replicated CID.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Replica {
	/// The CID.
	pub cid: String,
	/// blake2-256 the chain anchored for it.
	#[serde(with = "crate::job::hex0x")]
	pub hash: [u8; 32],
	/// Where it is.
	pub state: ReplicaState,
	/// Failed fetches so far.
	pub attempts: u32,
}

/// The replication role's table.
impl Store {
	/// Records a CID to replicate, unless it is known already.
	pub fn replica_add(&self, cid: &str, hash: Hash32) -> Result<(), StoreError> {
		self.write(|tx| {
			let mut table = tx.open_table(REPLICAS)?;
			if table.get(cid)?.is_none() {
				let replica = Replica { cid: cid.into(), hash, state: ReplicaState::Pending, attempts: 0 };
				table.insert(cid, to_json(&replica).as_slice())?;
			}
			Ok(())
		})
	}

	/// A replicated CID.
	pub fn replica(&self, cid: &str) -> Result<Option<Replica>, StoreError> {
		let found = self.read()?.open_table(REPLICAS)?.get(cid)?.map(|v| from_json(v.value(), "replicas"));
		found.transpose()
	}

	/// Stores `replica` if the stored one is still in state `expected`, in one write
	/// transaction; returns whether it did. Replication runs beside the chain scan, which
	/// erases replicas: neither may overwrite a change the other made meanwhile.
	pub fn replica_replace(&self, expected: &ReplicaState, replica: &Replica) -> Result<bool, StoreError> {
		self.write(|tx| {
			let mut table = tx.open_table(REPLICAS)?;
			let current = table.get(replica.cid.as_str())?.map(|v| from_json::<Replica>(v.value(), "replicas"));
			match current.transpose()? {
				Some(current) if current.state == *expected => {
					table.insert(replica.cid.as_str(), to_json(replica).as_slice())?;
					Ok(true)
				},
				_ => Ok(false),
			}
		})
	}

	/// Every replica that `keep` selects, by CID.
	pub fn replicas_where(&self, keep: impl Fn(&Replica) -> bool) -> Result<Vec<Replica>, StoreError> {
		self.json_where(REPLICAS, keep)
	}
}

impl<C: crate::chain::Chain> Worker<C> {
	/// Records the content anchored in a finalized block for replication (custodian nodes
	/// only; content this node pinned for its own jobs is skipped).
	pub(crate) fn note_sealed(&self, sealed: &[crate::job::AnchorContent]) -> Result<(), String> {
		if self.custodian.is_none() {
			return Ok(());
		}
		for content in sealed {
			for (cid, hash) in [(&content.cid, content.ciphertext_hash), (&content.manifest.cid, content.manifest.hash)] {
				if self.store.pinned_by(cid).map_err(|e| e.to_string())?.is_none() {
					self.store.replica_add(cid, hash).map_err(|e| e.to_string())?;
				}
			}
		}
		Ok(())
	}

	/// Unpins an erased record's replicated CIDs. Returns whether `cid` was a replica.
	pub(crate) async fn erase_replica(&self, cid: &str) -> Result<bool, String> {
		loop {
			let Some(replica) = self.store.replica(cid).map_err(|e| e.to_string())? else { return Ok(false) };
			if replica.state == ReplicaState::Erased {
				return Ok(true);
			}
			if matches!(replica.state, ReplicaState::Pinned { .. }) {
				self.unpin(cid).await?;
			}
			let was = replica.state.clone();
			let erased = Replica { state: ReplicaState::Erased, ..replica };
			// Replication may have pinned it meanwhile: then look again (and unpin).
			if self.store.replica_replace(&was, &erased).map_err(|e| e.to_string())? {
				log::info!(target: "pmr-worker", "replica {}: erased, unpinned", log_tag(cid));
				return Ok(true);
			}
		}
	}

	async fn unpin(&self, cid: &str) -> Result<(), String> {
		match self.ipfs.unpin(cid).await {
			Ok(()) | Err(pmr_vault::ipfs::IpfsError::NotPinned(_)) => Ok(()),
			Err(e) => Err(format!("cannot unpin an erased replica yet: {e}")),
		}
	}

	/// Replicates until the node stops, in a task of its own: a fetch from an unreachable
	/// IPFS network can take the whole IPFS timeout, and key-request answers must not wait
	/// for it.
	pub async fn run_replication(&self, tick: std::time::Duration) {
		loop {
			if let Err(e) = self.replicate().await {
				log::debug!(target: "pmr-worker", "replication postponed: {e}");
			}
			tokio::time::sleep(tick).await;
		}
	}

	/// Fetches, checks and pins pending replicas; re-checks pinned ones older than
	/// `replica_check`. Every state change is a compare-and-swap against what was read, so an
	/// erasure the chain scan records meanwhile is never overwritten (and what this round
	/// pinned for an erased record is unpinned again).
	pub async fn replicate(&self) -> Result<(), String> {
		if self.custodian.is_none() {
			return Ok(());
		}
		let now = now_millis();
		let check_ms = u64::try_from(self.config.replica_check.as_millis()).unwrap_or(u64::MAX);
		let due = self
			.store
			.replicas_where(|r| match r.state {
				ReplicaState::Pending => true,
				ReplicaState::Pinned { checked_at } => now.saturating_sub(checked_at) >= check_ms,
				_ => false,
			})
			.map_err(|e| e.to_string())?;
		let mut fetched = 0;
		for replica in due {
			let was = replica.state.clone();
			if let ReplicaState::Pinned { .. } = replica.state {
				let pinned = self.ipfs.is_pinned(&replica.cid).await.map_err(|e| e.to_string())?;
				let state = if pinned {
					ReplicaState::Pinned { checked_at: now }
				} else {
					log::warn!(target: "pmr-worker", "replica {}: no longer pinned; fetching it again", log_tag(&replica.cid));
					ReplicaState::Pending
				};
				self.store.replica_replace(&was, &Replica { state, ..replica }).map_err(|e| e.to_string())?;
				continue;
			}
			if fetched == FETCH_BATCH {
				continue;
			}
			fetched += 1;
			let state = match self.ipfs.cat_verified(&replica.cid, &replica.hash).await {
				Ok(_) => match self.ipfs.pin(&replica.cid).await {
					Ok(()) => ReplicaState::Pinned { checked_at: now },
					Err(e) => return Err(format!("replica {}: {e}", replica.cid)),
				},
				Err(VaultError::HashMismatch { .. }) => {
					log::error!(target: "pmr-worker", "replica {}: the network's content does not match the chain", log_tag(&replica.cid));
					ReplicaState::Mismatch
				},
				Err(e) => {
					log::warn!(target: "pmr-worker", "replica {}: will retry ({e})", log_tag(&replica.cid));
					let attempts = replica.attempts.saturating_add(1);
					self.store.replica_replace(&was, &Replica { attempts, ..replica }).map_err(|e| e.to_string())?;
					continue;
				},
			};
			let cid = replica.cid.clone();
			let pinned = matches!(state, ReplicaState::Pinned { .. });
			if self.store.replica_replace(&was, &Replica { state, ..replica }).map_err(|e| e.to_string())? {
				if pinned {
					log::info!(target: "pmr-worker", "replica {}: pinned", log_tag(&cid));
				}
			} else if pinned {
				// Erased while it was fetched: the pin just made must go.
				self.unpin(&cid).await?;
			}
		}
		Ok(())
	}

	/// The CIDs this node replicates, by CID.
	pub fn replicas(&self) -> Result<Vec<Replica>, StoreError> {
		self.store.replicas_where(|_| true)
	}
}

/// How a replica appears in logs: the first 8 hex digits of blake2-256 of its CID, never the
/// CID itself (logs leave the hospital; a CID would let a reader fetch and link content).
fn log_tag(cid: &str) -> String {
	pmr_vault::blake2_256(cid.as_bytes())[..4].iter().map(|b| format!("{b:02x}")).collect()
}
