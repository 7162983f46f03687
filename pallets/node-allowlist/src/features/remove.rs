//! Removing a node from the list.

use crate::*;
use frame_support::{ensure, pallet_prelude::DispatchResult};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_remove_node(peer_id: NodePeerId) -> DispatchResult {
		let entry = Nodes::<T>::get(&peer_id).ok_or(Error::<T>::NotListed)?;
		ensure!(!Enforced::<T>::get() || Nodes::<T>::count() > 1, Error::<T>::LastNode);
		Nodes::<T>::remove(&peer_id);
		Self::deposit_event(Event::NodeRemoved { peer_id, hospital: entry.hospital });
		Ok(())
	}
}
