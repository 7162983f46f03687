//! The ingest role's tables: the job queue. Every state change is one transaction, so a job is
//! always in exactly one state, its payload exists exactly while it is `queued` or
//! `encrypted`, and the pin and anchor indexes change together with the state.

use crate::{
	job::{Hash32, Job, JobId, JobState},
	store::{from_json, to_json, Store, StoreError, COUNTERS},
};
use redb::{ReadableTable, ReadableTableMetadata, TableDefinition};

/// Jobs by id (JSON).
const JOBS: TableDefinition<u64, &[u8]> = TableDefinition::new("jobs");
/// The anonymized record of each job that is not pinned yet.
const PAYLOADS: TableDefinition<u64, &[u8]> = TableDefinition::new("payloads");
/// CIDs this node pinned → the job that pinned them (for unpinning on erasure).
const PINS: TableDefinition<&str, u64> = TableDefinition::new("pins");
/// Ciphertext hash → the pinned job awaiting its anchor.
const AWAITING: TableDefinition<&[u8], u64> = TableDefinition::new("awaiting_anchor");

const NEXT_ID: &str = "next_job_id";

/// Creates the queue's tables.
pub(crate) fn create_tables(tx: &redb::WriteTransaction) -> Result<(), StoreError> {
	tx.open_table(JOBS)?;
	tx.open_table(PAYLOADS)?;
	tx.open_table(PINS)?;
	tx.open_table(AWAITING)?;
	Ok(())
}

fn decode(id: u64, bytes: &[u8]) -> Result<Job, StoreError> {
	from_json(bytes, &format!("job {id}"))
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
	/// Accepts a job: stores it with its payload and returns its id, durably (the commit has
	/// reached the disk when this returns).
	pub fn accept(&self, mut job: Job, payload: &[u8]) -> Result<JobId, StoreError> {
		self.write(|tx| {
			let mut counters = tx.open_table(COUNTERS)?;
			let id = counters.get(NEXT_ID)?.map(|v| v.value()).unwrap_or(0);
			counters.insert(NEXT_ID, id.saturating_add(1))?;
			job.id = JobId(id);
			tx.open_table(JOBS)?.insert(id, to_json(&job).as_slice())?;
			tx.open_table(PAYLOADS)?.insert(id, payload)?;
			Ok(JobId(id))
		})
	}

	/// A job.
	pub fn job(&self, id: JobId) -> Result<Option<Job>, StoreError> {
		let found = self.read()?.open_table(JOBS)?.get(id.0)?.map(|v| decode(id.0, v.value()));
		found.transpose()
	}

	/// A job's payload (the anonymized record), while it has one.
	pub fn payload(&self, id: JobId) -> Result<Option<Vec<u8>>, StoreError> {
		Ok(self.read()?.open_table(PAYLOADS)?.get(id.0)?.map(|v| v.value().to_vec()))
	}

	/// Every job, oldest first, that `keep` selects.
	pub fn jobs_where(&self, keep: impl Fn(&Job) -> bool) -> Result<Vec<Job>, StoreError> {
		self.json_where(JOBS, keep)
	}

	/// Jobs in each state (for metrics), and the number of payloads waiting.
	pub fn counts(&self) -> Result<(Vec<(&'static str, u64)>, u64), StoreError> {
		let mut counts: Vec<(&'static str, u64)> = JobState::LABELS.iter().map(|l| (*l, 0)).collect();
		for job in self.jobs_where(|_| true)? {
			if let Some(c) = counts.iter_mut().find(|(l, _)| *l == job.state.label()) {
				c.1 += 1;
			}
		}
		let waiting = self.read()?.open_table(PAYLOADS)?.len()?;
		Ok((counts, waiting))
	}

	/// Moves a job to `state`, changing the indexes in the same transaction. Returns the job
	/// as stored.
	pub fn transition(&self, id: JobId, state: JobState, ix: Indexes<'_>) -> Result<Job, StoreError> {
		self.write(|tx| {
			let mut jobs = tx.open_table(JOBS)?;
			let mut job = match jobs.get(id.0)? {
				Some(v) => decode(id.0, v.value())?,
				None => return Err(StoreError::UnknownJob(id)),
			};
			job.state = state;
			job.updated_at = crate::job::now_millis();
			jobs.insert(id.0, to_json(&job).as_slice())?;
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
			Ok(job)
		})
	}

	/// The job awaiting an anchor with this ciphertext hash.
	pub fn awaiting(&self, ciphertext_hash: &Hash32) -> Result<Option<JobId>, StoreError> {
		Ok(self.read()?.open_table(AWAITING)?.get(&ciphertext_hash[..])?.map(|v| JobId(v.value())))
	}

	/// The job that pinned `cid` on this node.
	pub fn pinned_by(&self, cid: &str) -> Result<Option<JobId>, StoreError> {
		Ok(self.read()?.open_table(PINS)?.get(cid)?.map(|v| JobId(v.value())))
	}
}

#[cfg(test)]
pub(crate) mod tests {
	use super::*;
	use crate::job::*;

	/// A store with every role's tables, as the worker opens it.
	pub(crate) fn open(path: &std::path::Path) -> Store {
		crate::open_store(path).unwrap()
	}

	pub(crate) fn job() -> Job {
		Job {
			id: JobId(0),
			format: RecordFormat::Fhir,
			request: AnchorRequest {
				patient: 1,
				category: "presentIllness".into(),
				target: AnchorTarget::Record { hospital: 0, visit_date: 28_11_2026, course_end: None },
				signer: None,
				author: Some("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY".into()),
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
			let store = open(&path);
			(store.accept(job(), b"one").unwrap(), store.accept(job(), b"two").unwrap())
		};
		assert_ne!(a, b);
		let store = open(&path);
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
		drop(open(&path));
		assert_eq!(mode(), 0o600);
		// A queue an older node left world-readable is closed on the next start.
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
		open(&path).accept(job(), b"an anonymized record").unwrap();
		assert_eq!(mode(), 0o600);
	}

	#[test]
	fn a_transition_moves_state_indexes_and_payload_together() {
		let dir = tempfile::tempdir().unwrap();
		let store = open(&dir.path().join("q.redb"));
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
		let store = open(&dir.path().join("q.redb"));
		store.accept(job(), b"x").unwrap();
		let id = store.accept(job(), b"y").unwrap();
		store
			.transition(id, JobState::Expired { anchor_by: 0 }, Indexes { drop_payload: true, ..Default::default() })
			.unwrap();
		let (counts, waiting) = store.counts().unwrap();
		assert!(counts.contains(&("queued", 1)));
		assert!(counts.contains(&("expired", 1)));
		assert_eq!(waiting, 1);
	}
}
