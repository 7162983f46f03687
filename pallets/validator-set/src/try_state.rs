//! Storage invariants, checked by `try-runtime` and after every test.

use crate::*;
use alloc::collections::btree_set::BTreeSet;
use frame_support::ensure;
use sp_runtime::{traits::Zero, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Checks the validator-set pallet's invariants:
	/// - no account and no hospital appears twice in the set;
	/// - the minimum is at least 1 and a session at least one block long;
	/// - the slot duration is one a genesis config may set.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let set = Validators::<T>::get();
		let accounts: BTreeSet<_> = set.iter().map(|v| v.account.clone()).collect();
		ensure!(accounts.len() == set.len(), "a validator account is listed twice");
		let hospitals: alloc::vec::Vec<_> = set.iter().filter_map(|v| v.hospital).collect();
		let unique: BTreeSet<_> = hospitals.iter().collect();
		ensure!(unique.len() == hospitals.len(), "a hospital has two validators");
		ensure!(MinValidators::<T>::get() >= 1, "the minimum is below 1");
		ensure!(!SessionLength::<T>::get().is_zero(), "sessions are zero blocks long");
		ensure!(valid_slot_duration(SlotDuration::<T>::get()), "the slot duration is invalid");
		Ok(())
	}
}
