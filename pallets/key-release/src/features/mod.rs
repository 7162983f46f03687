//! The calls, one file per feature: asking for a key ([`request`]), answering it
//! ([`answer`]: custodians and the patient's side) and closing it ([`close`]).

use crate::*;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use pmr_primitives::{AccessDenied, AccessGround, AccessPolicy, KeyRequestId};

mod answer;
mod close;
mod request;

impl<T: Config> Pallet<T> {
	/// The current block number.
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// An open request, or `UnknownRequest`.
	pub(crate) fn open_request(id: KeyRequestId) -> Result<KeyRequest<T>, DispatchError> {
		KeyRequests::<T>::get(id).ok_or_else(|| Error::<T>::UnknownRequest.into())
	}

	/// The request's access decision at this block: the consent pallet's answer for the
	/// requester, the content and the purpose the request was decided for.
	pub(crate) fn decision(request: &KeyRequest<T>) -> Result<AccessGround, AccessDenied> {
		T::Access::can_access(&request.requester, request.patient, request.access, request.purpose)
	}
}
