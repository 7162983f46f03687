//! Storage invariants, checked by `try-runtime` and after every test.

use crate::*;
use frame_support::{ensure, traits::Get};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks the node-allowlist pallet's invariants:
	/// - the list's counter matches its entries, and it holds at most `MaxNodes`;
	/// - every listed peer ID is a valid Ed25519 peer ID;
	/// - enforcement is never on with an empty list.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut entries = 0u32;
		for (peer_id, _) in Nodes::<T>::iter() {
			ensure!(peer_id.ed25519_public_key().is_some(), "a listed peer ID is invalid");
			entries += 1;
		}
		ensure!(entries == Nodes::<T>::count(), "the node counter differs from the entries");
		ensure!(entries <= T::MaxNodes::get(), "more nodes than MaxNodes");
		ensure!(!Enforced::<T>::get() || entries > 0, "enforcement on an empty list");
		Ok(())
	}
}
