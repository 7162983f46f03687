//! The key-release runtime API: what custodian nodes, the reader's client and the patient's
//! wallet call (`state_call` / `api.call.keyReleaseApi.*`).

use crate::{Config, KeyRequest, KeyRequests, Pallet, RewrappedEssential};
use codec::Codec;
use pmr_primitives::{
	HospitalId, KeyRequestId, Page, PatientId, SealedContent, SealedTarget, ShareDecision,
	ShareRefusal, ShareRequest,
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
		/// A page of the open key requests for a patient's content (what the patient's wallet
		/// answers), after the request `after` (see `pmr_primitives::Page`: at most 256 requests
		/// are read per call; pass `next` back for the rest).
		fn patient_key_requests(
			patient: PatientId,
			after: Option<KeyRequestId>,
			take: u32,
		) -> Page<(KeyRequestId, Request), KeyRequestId>;
		/// A page of the open key requests an account made (what the reader's client collects),
		/// after the request `after`.
		fn requester_key_requests(
			account: AccountId,
			after: Option<KeyRequestId>,
			take: u32,
		) -> Page<(KeyRequestId, Request), KeyRequestId>;
		/// The custodian hospital `account` answers key requests for, if any (what a
		/// custodian node checks its configured account with).
		fn custodian_of(account: AccountId) -> Option<HospitalId>;
		/// What a sealed target is: whose, what consent opens it, its anchored CIDs and hashes
		/// (what custodian nodes replicate and what a patient's export reads).
		fn sealed(target: SealedTarget) -> Option<SealedContent>;
		/// The patient's essential share of `target` re-wrapped to a newer key of the patient
		/// (after a rotation), while the content is live; `None` if it was never re-wrapped
		/// (the manifest's own entry is the one). The patient's side opens it when it is
		/// sealed to the key it holds.
		fn rewrapped_essential(target: SealedTarget) -> Option<RewrappedEssential>;
	}

	/// The decision on an off-chain share request, computed against the block the call runs
	/// at: what every custodian node checks, at its finalized block, before it answers a
	/// `pmr_requestShare`.
	pub trait ShareRequestApi<AccountId, BlockNumber, Signature>
	where
		AccountId: Codec,
		BlockNumber: Codec,
		Signature: Codec,
	{
		/// Release (with what to release), refuse (recorded for the patient), or invalid
		/// (answered with the error, recorded nowhere). Checks the chain, the request's age,
		/// the requester's signature and role, the reader key against the registered one, and
		/// the consent decision for the request's purpose (or the patient's side).
		fn check_share_request(
			request: ShareRequest<AccountId, BlockNumber>,
			signature: Signature,
		) -> ShareDecision<BlockNumber>;
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
	pub fn patient_key_requests(
		patient: PatientId,
		after: Option<KeyRequestId>,
		take: u32,
	) -> Page<(KeyRequestId, KeyRequest<T>), KeyRequestId> {
		Self::requests_page(after, take, |r| r.patient == patient)
	}

	/// See [`KeyReleaseApi::requester_key_requests`].
	pub fn requester_key_requests(
		account: &T::AccountId,
		after: Option<KeyRequestId>,
		take: u32,
	) -> Page<(KeyRequestId, KeyRequest<T>), KeyRequestId> {
		Self::requests_page(after, take, |r| r.requester == *account)
	}

	/// A page of the open key requests `keep` selects, in storage order, after `after`.
	fn requests_page(
		after: Option<KeyRequestId>,
		take: u32,
		keep: impl Fn(&KeyRequest<T>) -> bool,
	) -> Page<(KeyRequestId, KeyRequest<T>), KeyRequestId> {
		let entries = match after {
			Some(id) => KeyRequests::<T>::iter_from_key(id),
			None => KeyRequests::<T>::iter(),
		};
		Page::collect(entries, take, |(id, _)| *id, |entry| keep(&entry.1).then_some(entry))
	}
}
