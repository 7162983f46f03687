//! The calls, one file per feature: asking for a key ([`request`]), answering it
//! ([`answer`]: custodians and the patient's side), the patient's essential shares after a
//! rotation of the patient's key ([`rewrap`]), closing it ([`close`]; the `on_idle`
//! [`sweep`] closes what nobody did), and share requests answered off chain by custodian nodes
//! and recorded for the audit trail ([`offchain`]).

use crate::*;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use pmr_primitives::{
	AccessDenied, AccessGround, AccessPolicy, KeyRequestId, KeyRequester, PatientAudit,
	SealedContentInspect,
};

mod answer;
mod close;
mod offchain;

pub use offchain::ShareRequestOf;
mod request;
mod rewrap;
mod sweep;

impl<T: Config> Pallet<T> {
	/// The current block number.
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// An open request, or `UnknownRequest`.
	pub(crate) fn open_request(id: KeyRequestId) -> Result<KeyRequest<T>, DispatchError> {
		KeyRequests::<T>::get(id).ok_or_else(|| Error::<T>::UnknownRequest.into())
	}

	/// The request's access decision at this block: for a doctor or lab, the consent pallet's
	/// answer for the requester, the content and the purpose the request was decided for; for
	/// the patient's side, that the requester still is the patient or a guardian and the content
	/// is not erased.
	pub(crate) fn decision(request: &KeyRequest<T>) -> Result<AccessGround, AccessDenied> {
		match request.by {
			KeyRequester::Staff { purpose, .. } =>
				T::Access::can_access(&request.requester, request.patient, request.access, purpose),
			KeyRequester::PatientSide => {
				let live = T::Sealed::sealed(request.target)
					.is_some_and(|s| s.patient == request.patient && s.content.is_some());
				if !live {
					Err(AccessDenied::NoSuchRecord)
				} else if !T::Audit::is_patient_side(&request.requester, request.patient) {
					Err(AccessDenied::NoConsent)
				} else {
					Ok(AccessGround::PatientSide)
				}
			},
		}
	}
}
