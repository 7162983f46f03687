//! The persistent job queue: one [redb](https://docs.rs/redb) file beside the chain database.
//!
//! Why redb and not the node's offchain DB: an accepted job must survive `kill -9` from the
//! moment its id is returned, so acceptance commits with an fsync before the RPC answers.
//! redb commits are ACID and durable on return (copy-on-write B-trees, checksummed), it
//! iterates tables (the offchain DB is a key-value store without iteration), and it is a
//! maintained pure-Rust crate with no C++ build. Every state change is one transaction, so a
//! job is always in exactly one state, its payload exists exactly while it is `queued` or
//! `encrypted`, and the pin and anchor indexes change together with the state.

use crate::{
	custody::CustodyTask,
	job::{Hash32, Job, JobId, JobState},
	replica::{Replica, ReplicaState},
};
use redb::{Database, ReadableTable, ReadableTableMetadata, TableDefinition};
use std::path::Path;

/// Jobs by id (JSON).
const JOBS: TableDefinition<u64, &[u8]> = TableDefinition::new("jobs");
/// The anonymized record of each job that is not pinned yet.
const PAYLOADS: TableDefinition<u64, &[u8]> = TableDefinition::new("payloads");
/// CIDs this node pinned → the job that pinned them (for unpinning on erasure).
const PINS: TableDefinition<&str, u64> = TableDefinition::new("pins");
/// Ciphertext hash → the pinned job awaiting its anchor.
const AWAITING: TableDefinition<&[u8], u64> = TableDefinition::new("awaiting_anchor");
/// Key requests this node answers as a custodian, by request ID (JSON).
const CUSTODY: TableDefinition<u64, &[u8]> = TableDefinition::new("custody");
/// CIDs this custodian node replicates → their state (JSON).
const REPLICAS: TableDefinition<&str, &[u8]> = TableDefinition::new("replicas");
/// Counters: the next job id and the last finalized block scanned.
const META: TableDefinition<&str, u64> = TableDefinition::new("meta");

const NEXT_ID: &str = "next_job_id";
const LAST_SCANNED: &str = "last_scanned_block";

/// What can go wrong with the queue's file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	/// The database failed (I/O, corruption).
	#[error("job store: {0}")]
	Db(String),
	/// A stored job could not be decoded.
	#[error("job store: job {0} is unreadable")]
	Corrupt(u64),
	/// No such job.
	#[error("job store: no {0}")]
	UnknownJob(JobId),
}

macro_rules! db_err {
	($($t:ty),*) => {$(
		impl From<$t> for StoreError {
			fn from(e: $t) -> Self {
				StoreError::Db(e.to_string())
			}
		}
	)*};
}
db_err!(
	redb::Error,
	redb::DatabaseError,
	redb::TransactionError,
	redb::TableError,
	redb::StorageError,
	redb::CommitError
);

/// The queue.
pub struct Store {
	db: Database,
}

fn encode(job: &Job) -> Vec<u8> {
	// Plain data of strings, integers and enums: serialising it cannot fail.
	serde_json::to_vec(job).unwrap_or_default()
}

fn decode(id: u64, bytes: &[u8]) -> Result<Job, StoreError> {
	serde_json::from_slice(bytes).map_err(|_| StoreError::Corrupt(id))
}

/// How a state change touches the indexes.
#[derive(Default)]
pub struct Indexes<'a> {
	/// CIDs now pinned by this job.
	pub pinned: &'a [String],
	/// CIDs no longer pinned by this node.
	pub unpinned: &'a [String],
	/// Start awaiting an anchor with this ciphertext hash.
	pub await_anchor: Option<Hash32>,
	/// Stop awaiting an anchor with this ciphertext hash.
	pub anchor_done: Option<Hash32>,
	/// Drop the job's payload.
	pub drop_payload: bool,
}

impl Store {
	/// Opens (or creates) the queue at `path`.
	pub fn open(path: &Path) -> Result<Self, StoreError> {
		if let Some(dir) = path.parent() {
			std::fs::create_dir_all(dir).map_err(|e| StoreError::Db(e.to_string()))?;
		}
		let db = Database::create(path)?;
		// The queue holds anonymized records until they are encrypted: the node's user alone
		// reads it.
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
				.map_err(|e| StoreError::Db(e.to_string()))?;
		}
		let tx = db.begin_write()?;
		{
			tx.open_table(JOBS)?;
			tx.open_table(PAYLOADS)?;
			tx.open_table(PINS)?;
			tx.open_table(AWAITING)?;
			tx.open_table(META)?;
			tx.open_table(CUSTODY)?;
			tx.open_table(REPLICAS)?;
		}
		tx.commit()?;
		Ok(Self { db })
	}

	/// Accepts a job: stores it with its payload and returns its id, durably (the commit has
	/// reached the disk when this returns).
	pub fn accept(&self, mut job: Job, payload: &[u8]) -> Result<JobId, StoreError> {
		let tx = self.db.begin_write()?;
		let id;
		{
			let mut meta = tx.open_table(META)?;
			id = meta.get(NEXT_ID)?.map(|v| v.value()).unwrap_or(0);
			meta.insert(NEXT_ID, id.saturating_add(1))?;
			job.id = JobId(id);
			tx.open_table(JOBS)?.insert(id, encode(&job).as_slice())?;
			tx.open_table(PAYLOADS)?.insert(id, payload)?;
		}
		tx.commit()?;
		Ok(JobId(id))
	}

	/// A job.
	pub fn job(&self, id: JobId) -> Result<Option<Job>, StoreError> {
		let tx = self.db.begin_read()?;
		let jobs = tx.open_table(JOBS)?;
		let found = jobs.get(id.0)?;
		found.map(|v| decode(id.0, v.value())).transpose()
	}

	/// A job's payload (the anonymized record), while it has one.
	pub fn payload(&self, id: JobId) -> Result<Option<Vec<u8>>, StoreError> {
		let tx = self.db.begin_read()?;
		let table = tx.open_table(PAYLOADS)?;
		let found = table.get(id.0)?;
		Ok(found.map(|v| v.value().to_vec()))
	}

	/// Every job, oldest first, that `keep` selects.
	pub fn jobs_where(&self, keep: impl Fn(&Job) -> bool) -> Result<Vec<Job>, StoreError> {
		let tx = self.db.begin_read()?;
		let jobs = tx.open_table(JOBS)?;
		let mut out = Vec::new();
		for entry in jobs.iter()? {
			let (k, v) = entry?;
			let job = decode(k.value(), v.value())?;
			if keep(&job) {
				out.push(job);
			}
		}
		Ok(out)
	}

	/// Jobs in each state (for metrics), and the number of payloads waiting.
	pub fn counts(&self) -> Result<(Vec<(&'static str, u64)>, u64), StoreError> {
		let mut counts: Vec<(&'static str, u64)> = JobState::LABELS.iter().map(|l| (*l, 0)).collect();
		for job in self.jobs_where(|_| true)? {
			if let Some(c) = counts.iter_mut().find(|(l, _)| *l == job.state.label()) {
				c.1 += 1;
			}
		}
		let tx = self.db.begin_read()?;
		let waiting = tx.open_table(PAYLOADS)?.len()?;
		Ok((counts, waiting))
	}

	/// Moves a job to `state`, changing the indexes in the same transaction. Returns the job
	/// as stored.
	pub fn transition(&self, id: JobId, state: JobState, ix: Indexes<'_>) -> Result<Job, StoreError> {
		let tx = self.db.begin_write()?;
		let job;
		{
			let mut jobs = tx.open_table(JOBS)?;
			let mut current = match jobs.get(id.0)? {
				Some(v) => decode(id.0, v.value())?,
				None => return Err(StoreError::UnknownJob(id)),
			};
			current.state = state;
			current.updated_at = crate::job::now_millis();
			jobs.insert(id.0, encode(&current).as_slice())?;
			job = current;
			let mut pins = tx.open_table(PINS)?;
			for cid in ix.pinned {
				pins.insert(cid.as_str(), id.0)?;
			}
			for cid in ix.unpinned {
				pins.remove(cid.as_str())?;
			}
			let mut awaiting = tx.open_table(AWAITING)?;
			if let Some(h) = ix.await_anchor {
				awaiting.insert(&h[..], id.0)?;
			}
			if let Some(h) = ix.anchor_done {
				awaiting.remove(&h[..])?;
			}
			if ix.drop_payload {
				tx.open_table(PAYLOADS)?.remove(id.0)?;
			}
		}
		tx.commit()?;
		Ok(job)
	}

	/// The job awaiting an anchor with this ciphertext hash.
	pub fn awaiting(&self, ciphertext_hash: &Hash32) -> Result<Option<JobId>, StoreError> {
		let tx = self.db.begin_read()?;
		let table = tx.open_table(AWAITING)?;
		let found = table.get(&ciphertext_hash[..])?;
		Ok(found.map(|v| JobId(v.value())))
	}

	/// The job that pinned `cid` on this node.
	pub fn pinned_by(&self, cid: &str) -> Result<Option<JobId>, StoreError> {
		let tx = self.db.begin_read()?;
		let table = tx.open_table(PINS)?;
		let found = table.get(cid)?;
		Ok(found.map(|v| JobId(v.value())))
	}

	/// Records a key request seen in a finalized block, unless it is known already (scanning
	/// a block twice changes nothing).
	pub fn custody_seen(&self, request: u64) -> Result<(), StoreError> {
		let tx = self.db.begin_write()?;
		{
			let mut table = tx.open_table(CUSTODY)?;
			if table.get(request)?.is_none() {
				let task = serde_json::to_vec(&CustodyTask::seen(request)).unwrap_or_default();
				table.insert(request, task.as_slice())?;
			}
		}
		tx.commit()?;
		Ok(())
	}

	/// Stores a key request's new state.
	pub fn custody_put(&self, task: &CustodyTask) -> Result<(), StoreError> {
		let tx = self.db.begin_write()?;
		{
			// Plain data of strings and integers: serialising it cannot fail.
			let bytes = serde_json::to_vec(task).unwrap_or_default();
			tx.open_table(CUSTODY)?.insert(task.request, bytes.as_slice())?;
		}
		tx.commit()?;
		Ok(())
	}

	/// Every key request, oldest first, that `keep` selects.
	pub fn custody_where(&self, keep: impl Fn(&CustodyTask) -> bool) -> Result<Vec<CustodyTask>, StoreError> {
		let tx = self.db.begin_read()?;
		let mut out = Vec::new();
		for entry in tx.open_table(CUSTODY)?.iter()? {
			let (k, v) = entry?;
			let task: CustodyTask = serde_json::from_slice(v.value()).map_err(|_| StoreError::Corrupt(k.value()))?;
			if keep(&task) {
				out.push(task);
			}
		}
		Ok(out)
	}

	/// Records a CID to replicate, unless it is known already.
	pub fn replica_add(&self, cid: &str, hash: Hash32) -> Result<(), StoreError> {
		let tx = self.db.begin_write()?;
		{
			let mut table = tx.open_table(REPLICAS)?;
			if table.get(cid)?.is_none() {
				let replica = Replica { cid: cid.into(), hash, state: ReplicaState::Pending, attempts: 0 };
				table.insert(cid, serde_json::to_vec(&replica).unwrap_or_default().as_slice())?;
			}
		}
		tx.commit()?;
		Ok(())
	}

	/// A replicated CID.
	pub fn replica(&self, cid: &str) -> Result<Option<Replica>, StoreError> {
		let tx = self.db.begin_read()?;
		let table = tx.open_table(REPLICAS)?;
		let found = table.get(cid)?;
		found.map(|v| serde_json::from_slice(v.value()).map_err(|_| StoreError::Db(format!("replica {cid} is unreadable")))).transpose()
	}

	/// Stores `replica` if the stored one is still in state `expected`, in one write
	/// transaction; returns whether it did. Replication runs beside the chain scan, which
	/// erases replicas: neither may overwrite a change the other made meanwhile.
	pub fn replica_replace(&self, expected: &ReplicaState, replica: &Replica) -> Result<bool, StoreError> {
		let tx = self.db.begin_write()?;
		let replaced = {
			let mut table = tx.open_table(REPLICAS)?;
			let current = table.get(replica.cid.as_str())?.map(|v| serde_json::from_slice::<Replica>(v.value()));
			match current {
				Some(Ok(current)) if current.state == *expected => {
					// Plain data of strings and integers: serialising it cannot fail.
					let bytes = serde_json::to_vec(replica).unwrap_or_default();
					table.insert(replica.cid.as_str(), bytes.as_slice())?;
					true
				},
				Some(Err(_)) => return Err(StoreError::Db(format!("replica {} is unreadable", replica.cid))),
				_ => false,
			}
		};
		tx.commit()?;
		Ok(replaced)
	}

	/// Every replica that `keep` selects, by CID.
	pub fn replicas_where(&self, keep: impl Fn(&Replica) -> bool) -> Result<Vec<Replica>, StoreError> {
		let tx = self.db.begin_read()?;
		let mut out = Vec::new();
		for entry in tx.open_table(REPLICAS)?.iter()? {
			let (k, v) = entry?;
			let replica: Replica = serde_json::from_slice(v.value())
				.map_err(|_| StoreError::Db(format!("replica {} is unreadable", k.value())))?;
			if keep(&replica) {
				out.push(replica);
			}
		}
		Ok(out)
	}

	/// The last finalized block whose anchors and erasures were applied.
	pub fn last_scanned(&self) -> Result<Option<u64>, StoreError> {
		let tx = self.db.begin_read()?;
		let table = tx.open_table(META)?;
		let found = table.get(LAST_SCANNED)?;
		Ok(found.map(|v| v.value()))
	}

	/// Records that block `n` was scanned.
	pub fn set_last_scanned(&self, n: u64) -> Result<(), StoreError> {
		let tx = self.db.begin_write()?;
		tx.open_table(META)?.insert(LAST_SCANNED, n)?;
		tx.commit()?;
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::job::*;

	pub(crate) fn job() -> Job {
		Job {
			id: JobId(0),
			format: RecordFormat::Fhir,
			request: AnchorRequest {
				patient: 1,
				category: "presentIllness".into(),
				target: AnchorTarget::Record { hospital: 0, visit_date: 28_11_2026, course_end: None },
				signer: None,
			},
			state: JobState::Queued,
			size: 3,
			anonymization: AnonymizationSummary::default(),
			accepted_at: 0,
			updated_at: 0,
		}
	}

	#[test]
	fn accepted_jobs_and_their_payloads_survive_reopening() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("queue.redb");
		let (a, b) = {
			let store = Store::open(&path).unwrap();
			(store.accept(job(), b"one").unwrap(), store.accept(job(), b"two").unwrap())
		};
		assert_ne!(a, b);
		let store = Store::open(&path).unwrap();
		assert_eq!(store.payload(b).unwrap().as_deref(), Some(&b"two"[..]));
		let queued = store.jobs_where(|j| j.state.is_pending_work()).unwrap();
		assert_eq!(queued.iter().map(|j| j.id).collect::<Vec<_>>(), vec![a, b]);
		// ids are never reused
		assert!(store.accept(job(), b"three").unwrap() > b);
	}

	#[cfg(unix)]
	#[test]
	fn the_queue_is_readable_by_the_nodes_user_alone() {
		use std::os::unix::fs::PermissionsExt;
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("queue.redb");
		let mode = || std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
		drop(Store::open(&path).unwrap());
		assert_eq!(mode(), 0o600);
		// A queue an older node left world-readable is closed on the next start.
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
		Store::open(&path).unwrap().accept(job(), b"an anonymized record").unwrap();
		assert_eq!(mode(), 0o600);
	}

	#[test]
	fn a_transition_moves_state_indexes_and_payload_together() {
		let dir = tempfile::tempdir().unwrap();
		let store = Store::open(&dir.path().join("q.redb")).unwrap();
		let id = store.accept(job(), b"payload").unwrap();
		let pins = vec!["bafyA".to_string(), "bafyB".to_string()];
		let hash = [7u8; 32];
		store
			.transition(
				id,
				JobState::Expired { anchor_by: 1 },
				Indexes { pinned: &pins, await_anchor: Some(hash), drop_payload: true, ..Default::default() },
			)
			.unwrap();
		assert_eq!(store.payload(id).unwrap(), None);
		assert_eq!(store.pinned_by("bafyB").unwrap(), Some(id));
		assert_eq!(store.awaiting(&hash).unwrap(), Some(id));
		store
			.transition(
				id,
				JobState::Erased { block_number: 2 },
				Indexes { unpinned: &pins, anchor_done: Some(hash), ..Default::default() },
			)
			.unwrap();
		assert_eq!(store.pinned_by("bafyA").unwrap(), None);
		assert_eq!(store.awaiting(&hash).unwrap(), None);
		assert_eq!(store.job(id).unwrap().unwrap().state.label(), "erased");
		assert!(matches!(
			store.transition(JobId(99), JobState::Queued, Indexes::default()),
			Err(StoreError::UnknownJob(_))
		));
	}

	#[test]
	fn counts_by_state() {
		let dir = tempfile::tempdir().unwrap();
		let store = Store::open(&dir.path().join("q.redb")).unwrap();
		store.accept(job(), b"x").unwrap();
		let id = store.accept(job(), b"y").unwrap();
		store
			.transition(id, JobState::Expired { anchor_by: 0 }, Indexes { drop_payload: true, ..Default::default() })
			.unwrap();
		let (counts, waiting) = store.counts().unwrap();
		assert!(counts.contains(&("queued", 1)));
		assert!(counts.contains(&("expired", 1)));
		assert_eq!(waiting, 1);
		store.set_last_scanned(41).unwrap();
		assert_eq!(store.last_scanned().unwrap(), Some(41));
	}

	#[test]
	fn a_key_request_is_recorded_once_and_keeps_its_state() {
		use crate::custody::{CustodyState, CustodyTask};
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("q.redb");
		{
			let store = Store::open(&path).unwrap();
			store.custody_seen(4).unwrap();
			let done = CustodyTask { state: CustodyState::Done { outcome: "released".into() }, ..CustodyTask::seen(4) };
			store.custody_put(&done).unwrap();
			// Seeing it again (a block scanned twice) does not reset it.
			store.custody_seen(4).unwrap();
			store.custody_seen(2).unwrap();
		}
		let store = Store::open(&path).unwrap();
		let tasks = store.custody_where(|_| true).unwrap();
		assert_eq!(tasks.iter().map(|t| t.request).collect::<Vec<_>>(), vec![2, 4]);
		assert_eq!(tasks[1].state, CustodyState::Done { outcome: "released".into() });
		assert_eq!(store.custody_where(|t| t.state == CustodyState::Seen).unwrap().len(), 1);
	}
}
