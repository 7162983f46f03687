//! Switching enforcement on and off.

use crate::*;
use frame_support::{ensure, pallet_prelude::DispatchResult};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_set_enforced(enforced: bool) -> DispatchResult {
		ensure!(!enforced || Nodes::<T>::count() > 0, Error::<T>::NoNodes);
		Enforced::<T>::put(enforced);
		Self::deposit_event(Event::EnforcementSet { enforced });
		Ok(())
	}
}
