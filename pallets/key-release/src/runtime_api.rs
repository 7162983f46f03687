//! The key-release runtime API: what custodian nodes, the reader's client and the patient's
//! wallet call (`state_call` / `api.call.keyReleaseApi.*`).

use crate::{Config, KeyRequest, KeyRequests, Pallet};
use alloc::vec::Vec;
use codec::Codec;
use pmr_primitives::{
	HospitalId, KeyRequestId, PatientId, SealedContent, SealedTarget, ShareRefusal,
};

sp_api::decl_runtime_apis! {
	/// Key requests and the release decision, computed against the block the call runs at.
	///
	/// `Request` is the pallet's stored `KeyRequest<Runtime>`; its layout is in the runtime
	/// metadata.
	pub trait KeyReleaseApi<AccountId, Request>
	where
		AccountId: Codec,
		Request: Codec,
	{
		/// An open key request.
		fn key_request(request: KeyRequestId) -> Option<Request>;
		/// Whether a custodian may release its share for `request` at this block: what every
		/// custodian node checks, at the finalized block it acts on, before it opens its
		/// share. `None` if no such request is open.
		fn release_check(request: KeyRequestId) -> Option<Result<(), ShareRefusal>>;
		/// The open key requests for a patient's content (what the patient's wallet answers).
		fn patient_key_requests(patient: PatientId) -> Vec<(KeyRequestId, Request)>;
		/// The open key requests an account made (what the reader's client collects).
		fn requester_key_requests(account: AccountId) -> Vec<(KeyRequestId, Request)>;
		/// The custodian hospital `account` answers key requests for, if any (what a
		/// custodian node checks its configured account with).
		fn custodian_of(account: AccountId) -> Option<HospitalId>;
		/// What a sealed target is: whose, what consent opens it, its anchored CIDs and hashes
		/// (what custodian nodes replicate and what a patient's export reads).
		fn sealed(target: SealedTarget) -> Option<SealedContent>;
	}
}

impl<T: Config> Pallet<T> {
	/// See [`KeyReleaseApi::release_check`].
	pub fn release_check(id: KeyRequestId) -> Option<Result<(), ShareRefusal>> {
		let request = KeyRequests::<T>::get(id)?;
		Some(if !request.is_answerable(Self::now()) {
			Err(ShareRefusal::RequestExpired)
		} else {
			Self::decision(&request).map(|_| ()).map_err(ShareRefusal::Denied)
		})
	}

	/// See [`KeyReleaseApi::patient_key_requests`].
	pub fn patient_key_requests(patient: PatientId) -> Vec<(KeyRequestId, KeyRequest<T>)> {
		KeyRequests::<T>::iter().filter(|(_, r)| r.patient == patient).collect()
	}

	/// See [`KeyReleaseApi::requester_key_requests`].
	pub fn requester_key_requests(account: &T::AccountId) -> Vec<(KeyRequestId, KeyRequest<T>)> {
		KeyRequests::<T>::iter().filter(|(_, r)| r.requester == *account).collect()
	}
}
