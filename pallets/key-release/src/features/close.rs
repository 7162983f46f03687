//! Closing a key request: frees its storage. The requester may close it at any time, anyone
//! once it can no longer be answered. Nothing depends on closing: every answer is checked
//! against the block number.

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::KeyRequestId;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_close_key_request(who: T::AccountId, id: KeyRequestId) -> DispatchResult {
		let request = Self::open_request(id)?;
		ensure!(
			who == request.requester || !request.is_answerable(Self::now()),
			Error::<T>::NotRequester
		);
		KeyRequests::<T>::remove(id);
		Self::deposit_event(Event::KeyRequestClosed { request: id, patient: request.patient });
		Ok(())
	}
}
