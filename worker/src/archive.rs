//! The audit archive (its role and its table): every entry of every patient's audit trail that
//! the finalized blocks this node scanned wrote, kept for good.
//!
//! The chain keeps the last `MaxAuditEntries` entries of each trail, as a ring, and rewrites an
//! accessor's latest access of the day in place (so that nobody can flush the ring). Every
//! entry written, new or rewritten, is also emitted whole in a `consent.Audited` event; the
//! scan stores each one here under (patient, index, block, event), so what the ring overwrote stays
//! readable, every version of it. `pmr_auditArchive` serves it, newest first.
//!
//! A node archives from the first block its worker scanned (`archived_since`): a node that ran
//! since genesis has every entry; a node that joined later has what came after.

use crate::{
	chain::{AuditSeen, Chain},
	job::parse_hex,
	store::{Store, StoreError},
	Worker,
};
use redb::TableDefinition;
use serde::{Deserialize, Serialize};

/// (patient, index, block, event) → the entry, SCALE-encoded.
const ARCHIVE: TableDefinition<(u64, u64, u64, u32), &[u8]> = TableDefinition::new("audit_archive");
/// The first block the scan archived.
const ARCHIVED_SINCE: &str = "audit_archived_since";
/// The most entries one page holds.
pub const MAX_PAGE: u32 = 256;

/// Creates the archive's table.
pub(crate) fn create_tables(tx: &redb::WriteTransaction) -> Result<(), StoreError> {
	tx.open_table(ARCHIVE)?;
	Ok(())
}

/// One archived entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchivedEntry {
	/// The entry's index in the patient's trail.
	pub index: u64,
	/// The block that wrote this version of it.
	pub block: u64,
	/// The position of the `Audited` event in that block.
	pub event: u32,
	/// The entry (SCALE `pallet_consent::AuditEntry`, its type in the runtime metadata),
	/// `0x`-hex.
	pub entry: String,
}

/// A page of a patient's archived trail, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchivePage {
	/// The entries, by index and then by when each version was written, newest first.
	pub entries: Vec<ArchivedEntry>,
	/// Ask again with `before` = this for the next (older) page; `None` at the trail's start.
	pub next: Option<u64>,
	/// The first block this node archived (it holds every entry written since).
	pub archived_since: Option<u64>,
}

/// The archive's table.
impl Store {
	/// Keeps the entries block `block` wrote (again: the same versions change nothing).
	pub fn archive(&self, block: u64, seen: &[AuditSeen]) -> Result<(), StoreError> {
		if seen.is_empty() {
			return Ok(());
		}
		self.write(|tx| {
			let mut table = tx.open_table(ARCHIVE)?;
			for s in seen {
				let bytes = parse_hex(&s.entry).ok_or_else(|| StoreError::Corrupt(format!("audit entry {} of patient {}", s.index, s.patient)))?;
				table.insert((s.patient, s.index, block, s.event), bytes.as_slice())?;
			}
			Ok(())
		})
	}

	/// Notes the first block the archive holds, unless one is noted already.
	pub fn archive_since(&self, block: u64) -> Result<(), StoreError> {
		if self.counter(ARCHIVED_SINCE)?.is_none() {
			self.write(|tx| {
				tx.open_table(crate::store::COUNTERS)?.insert(ARCHIVED_SINCE, block)?;
				Ok(())
			})?;
		}
		Ok(())
	}

	/// Up to `limit` (at most [`MAX_PAGE`]) of `patient`'s entries with an index below
	/// `before` (all when `None`), newest first; every version of an entry is returned.
	pub fn archived(&self, patient: u64, before: Option<u64>, limit: u32) -> Result<ArchivePage, StoreError> {
		let limit = limit.clamp(1, MAX_PAGE) as usize;
		let tx = self.read()?;
		let table = tx.open_table(ARCHIVE)?;
		let end = (patient, before.unwrap_or(u64::MAX), 0, 0);
		let mut entries = Vec::new();
		let mut next = None;
		for row in table.range((patient, 0, 0, 0)..end)?.rev() {
			let (key, value) = row?;
			let (_, index, block, event) = key.value();
			// A page ends between two entries, never between two versions of one.
			if entries.len() >= limit && entries.last().is_some_and(|e: &ArchivedEntry| e.index != index) {
				next = entries.last().map(|e| e.index);
				break;
			}
			entries.push(ArchivedEntry { index, block, event, entry: format!("0x{}", pmr_vault::hex::encode(value.value())) });
		}
		Ok(ArchivePage { entries, next, archived_since: self.counter(ARCHIVED_SINCE)? })
	}
}

impl<C: Chain> Worker<C> {
	/// A page of `patient`'s archived audit trail ([`Store::archived`]).
	pub fn audit_archive(&self, patient: u64, before: Option<u64>, limit: u32) -> Result<ArchivePage, StoreError> {
		self.store.archived(patient, before, limit)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn seen(patient: u64, index: u64, byte: u8) -> AuditSeen {
		AuditSeen { patient, index, event: u32::from(byte), entry: format!("0x{}", pmr_vault::hex::encode(&[byte; 3])) }
	}

	fn store() -> (tempfile::TempDir, Store) {
		let dir = tempfile::tempdir().expect("temp dir");
		let store = Store::open(&dir.path().join("queue.redb"), &[create_tables]).expect("store");
		(dir, store)
	}

	#[test]
	fn every_version_of_every_entry_is_kept_and_served_newest_first_in_pages() {
		let (_dir, store) = store();
		store.archive_since(10).unwrap();
		store.archive_since(99).unwrap();
		store.archive(10, &[seen(1, 0, 0xa0), seen(1, 1, 0xa1), seen(2, 0, 0xb0)]).unwrap();
		// Entry 1 rewritten in place by later accesses the same day (twice in one block), then
		// a new entry.
		store.archive(11, &[seen(1, 1, 0x02), seen(1, 1, 0xa2)]).unwrap();
		store.archive(12, &[seen(1, 2, 0xa3)]).unwrap();
		// Scanning a block again changes nothing.
		store.archive(12, &[seen(1, 2, 0xa3)]).unwrap();

		let page = store.archived(1, None, 2).unwrap();
		let got: Vec<_> = page.entries.iter().map(|e| (e.index, e.block, e.entry.as_str())).collect();
		// Two entries asked; entry 1 comes with both its versions.
		assert_eq!(got, vec![(2, 12, "0xa3a3a3"), (1, 11, "0xa2a2a2"), (1, 11, "0x020202"), (1, 10, "0xa1a1a1")]);
		assert_eq!(page.next, Some(1));
		assert_eq!(page.archived_since, Some(10), "the first block noted stays");
		let rest = store.archived(1, page.next, 2).unwrap();
		assert_eq!(rest.entries.iter().map(|e| (e.index, e.block)).collect::<Vec<_>>(), vec![(0, 10)]);
		assert_eq!(rest.next, None);
		// Another patient's trail is apart.
		assert_eq!(store.archived(2, None, 10).unwrap().entries.len(), 1);
		assert!(store.archived(3, None, 10).unwrap().entries.is_empty());
	}

	#[test]
	fn an_entry_that_is_not_hex_is_refused_and_nothing_of_its_block_is_kept() {
		let (_dir, store) = store();
		let bad = AuditSeen { patient: 1, index: 1, event: 2, entry: "not hex".into() };
		assert!(store.archive(5, &[seen(1, 0, 1), bad]).is_err());
		assert!(store.archived(1, None, 10).unwrap().entries.is_empty());
	}
}
