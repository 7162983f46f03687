//! Listing a node.

use crate::*;
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Get};
use pmr_primitives::{HospitalId, HospitalStanding, HospitalStatus};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_add_node(peer_id: NodePeerId, hospital: Option<HospitalId>) -> DispatchResult {
		ensure!(peer_id.ed25519_public_key().is_some(), Error::<T>::InvalidPeerId);
		if let Some(h) = hospital {
			ensure!(
				T::Hospitals::hospital_status(h) == Some(HospitalStatus::Verified),
				Error::<T>::HospitalNotVerified
			);
		}
		ensure!(!Nodes::<T>::contains_key(&peer_id), Error::<T>::AlreadyListed);
		ensure!(Nodes::<T>::count() < T::MaxNodes::get(), Error::<T>::TooManyNodes);
		let listed_at = frame_system::Pallet::<T>::block_number();
		Nodes::<T>::insert(&peer_id, NodeEntry { hospital, listed_at });
		Self::deposit_event(Event::NodeAdded { peer_id, hospital });
		Ok(())
	}
}
