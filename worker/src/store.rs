//! The worker's persistent store: one [redb](https://docs.rs/redb) file beside the chain
//! database. It knows no role: each role defines its own tables and operations over it — the
//! ingest queue ([`crate::queue`]), the chain scan ([`crate::scan`]), custody
//! ([`crate::custody`]), off-chain share answers ([`crate::share`]), replication
//! ([`crate::replica`]) and the audit archive ([`crate::archive`]) — and the worker creates
//! them all when it opens the file.
//!
//! Why redb and not the node's offchain DB: an accepted job must survive `kill -9` from the
//! moment its id is returned, so acceptance commits with an fsync before the RPC answers.
//! redb commits are ACID and durable on return (copy-on-write B-trees, checksummed), it
//! iterates tables (the offchain DB is a key-value store without iteration), and it is a
//! maintained pure-Rust crate with no C++ build. Every change a role makes is one
//! transaction, so its tables change together or not at all.

use redb::{Database, ReadableTable, TableDefinition, TableHandle};
use serde::{de::DeserializeOwned, Serialize};
use std::path::Path;

/// Counters of any role, by name (the next job id, the last block scanned).
pub(crate) const COUNTERS: TableDefinition<&str, u64> = TableDefinition::new("meta");

/// What can go wrong with the store's file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	/// The database failed (I/O, corruption).
	#[error("job store: {0}")]
	Db(String),
	/// A stored value could not be decoded.
	#[error("job store: {0} is unreadable")]
	Corrupt(String),
	/// No such job.
	#[error("job store: no {0}")]
	UnknownJob(crate::job::JobId),
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

/// Creates a role's tables (in the transaction that opens the store).
pub type CreateTables = fn(&redb::WriteTransaction) -> Result<(), StoreError>;

/// The store.
pub struct Store {
	db: Database,
}

impl Store {
	/// Opens (or creates) the store at `path`, readable by the node's user alone (it holds
	/// anonymized records until they are encrypted), with the tables `roles` create.
	pub fn open(path: &Path, roles: &[CreateTables]) -> Result<Self, StoreError> {
		if let Some(dir) = path.parent() {
			std::fs::create_dir_all(dir).map_err(|e| StoreError::Db(e.to_string()))?;
		}
		let db = Database::create(path)?;
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
				.map_err(|e| StoreError::Db(e.to_string()))?;
		}
		let store = Self { db };
		store.write(|tx| {
			tx.open_table(COUNTERS)?;
			roles.iter().try_for_each(|create| create(tx))
		})?;
		Ok(store)
	}

	/// A read transaction.
	pub(crate) fn read(&self) -> Result<redb::ReadTransaction, StoreError> {
		Ok(self.db.begin_read()?)
	}

	/// Runs `change` in one write transaction and commits it (durably) if it succeeds.
	pub(crate) fn write<R>(
		&self,
		change: impl FnOnce(&redb::WriteTransaction) -> Result<R, StoreError>,
	) -> Result<R, StoreError> {
		let tx = self.db.begin_write()?;
		let out = change(&tx)?;
		tx.commit()?;
		Ok(out)
	}

	/// A counter (`None` if never set).
	pub(crate) fn counter(&self, name: &str) -> Result<Option<u64>, StoreError> {
		Ok(self.read()?.open_table(COUNTERS)?.get(name)?.map(|v| v.value()))
	}

	/// Every value of the JSON table `table` that `keep` selects, in key order.
	pub(crate) fn json_where<K: redb::Key + 'static, T: DeserializeOwned>(
		&self,
		table: TableDefinition<K, &[u8]>,
		keep: impl Fn(&T) -> bool,
	) -> Result<Vec<T>, StoreError> {
		let tx = self.read()?;
		let mut out = Vec::new();
		for entry in tx.open_table(table)?.iter()? {
			let value: T = from_json(entry?.1.value(), table.name())?;
			if keep(&value) {
				out.push(value);
			}
		}
		Ok(out)
	}
}

/// A value as a JSON table stores it. The stored types are plain data of strings, integers
/// and enums: serialising them cannot fail.
pub(crate) fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
	serde_json::to_vec(value).unwrap_or_default()
}

/// A value of the JSON table `table`.
pub(crate) fn from_json<T: DeserializeOwned>(bytes: &[u8], table: &str) -> Result<T, StoreError> {
	serde_json::from_slice(bytes).map_err(|_| StoreError::Corrupt(format!("an entry of {table}")))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn counters_survive_reopening_and_roles_create_their_tables() {
		const ROLE: TableDefinition<u64, &[u8]> = TableDefinition::new("a_role");
		fn create(tx: &redb::WriteTransaction) -> Result<(), StoreError> {
			tx.open_table(ROLE)?;
			Ok(())
		}
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("store.redb");
		{
			let store = Store::open(&path, &[create]).unwrap();
			assert_eq!(store.counter("n").unwrap(), None);
			store
				.write(|tx| {
					tx.open_table(COUNTERS)?.insert("n", 41)?;
					tx.open_table(ROLE)?.insert(1, to_json(&"one").as_slice())?;
					Ok(())
				})
				.unwrap();
		}
		let store = Store::open(&path, &[create]).unwrap();
		assert_eq!(store.counter("n").unwrap(), Some(41));
		assert_eq!(store.json_where(ROLE, |_: &String| true).unwrap(), vec!["one".to_string()]);
	}
}
