//! Storage invariants, checked by `try-runtime` and after every test.

use crate::*;
use pmr_primitives::SealedContentInspect;
use alloc::collections::btree_set::BTreeSet;
use frame_support::ensure;
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks the key-release pallet's invariants:
	/// - every open request is below `NextKeyRequestId` and answerable no earlier than it was
	///   decided;
	/// - its manifest is the one its content was anchored with;
	/// - each custodian answered it at most once;
	/// - the sweep's cursor is not past `NextKeyRequestId`, and no open request is below it;
	/// - every re-wrapped essential share is a whole compact envelope of content that exists.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next = NextKeyRequestId::<T>::get();
		let swept = SweepCursor::<T>::get();
		ensure!(swept <= next, "the sweep cursor is past NextKeyRequestId");
		for (id, request) in KeyRequests::<T>::iter() {
			ensure!(id < next, "key request id not below NextKeyRequestId");
			ensure!(id >= swept, "an open request is below the sweep cursor");
			ensure!(request.requested_at <= request.valid_until, "request ends before it starts");
			ensure!(
				request.content.manifest.as_ref() == Some(&request.manifest),
				"request manifest differs from its content's"
			);
			let custodians: BTreeSet<_> = request.answers.iter().map(|(h, _)| *h).collect();
			ensure!(custodians.len() == request.answers.len(), "a custodian answered twice");
		}
		for (target, rewrapped) in RewrappedEssentials::<T>::iter() {
			ensure!(
				rewrapped.envelope.len() == pmr_primitives::ESSENTIAL_ENVELOPE_LEN as usize,
				"a re-wrapped essential share is not a compact envelope"
			);
			ensure!(T::Sealed::sealed(target).is_some(), "a re-wrapped essential share of unknown content");
		}
		Ok(())
	}
}
