//! What the session pallet asks this pallet: when a session ends, and which validators the
//! next planned session uses.

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	traits::{EstimateNextSessionRotation, Get},
	weights::Weight,
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_session::{SessionManager, ShouldEndSession};
use pmr_primitives::{HospitalStatus, RegistryInspect};
use sp_runtime::{
	traits::{Saturating, Zero},
	Permill,
};

impl<T: Config> Pallet<T> {
	/// Why `validator` may no longer validate, if its hospital lost its standing.
	fn lost_standing(validator: &Validator<T::AccountId>) -> Option<RemovalReason> {
		let hospital = validator.hospital?;
		match T::Registry::hospital_status(hospital) {
			Some(HospitalStatus::Verified) => None,
			Some(HospitalStatus::Suspended) => Some(RemovalReason::HospitalSuspended),
			Some(HospitalStatus::Pending) => Some(RemovalReason::HospitalNotVerified),
			Some(HospitalStatus::Revoked) | None => Some(RemovalReason::HospitalRevoked),
		}
	}

	/// Removes the validators whose hospital is no longer verified, unless none would be left.
	fn remove_validators_without_standing() {
		let (mut kept, mut lost) = (Vec::new(), Vec::new());
		for validator in Validators::<T>::get() {
			match Self::lost_standing(&validator) {
				Some(reason) => lost.push((validator, reason)),
				None => kept.push(validator),
			}
		}
		if lost.is_empty() {
			return;
		}
		if kept.is_empty() {
			Self::deposit_event(Event::NoEligibleValidator);
			return;
		}
		let remaining = kept.len() as u32;
		// `kept` is a subset of a bounded set: it fits.
		Validators::<T>::put(BoundedVec::truncate_from(kept));
		SetChanged::<T>::put(true);
		for (v, reason) in lost {
			Self::deposit_event(Event::ValidatorRemoved { account: v.account, hospital: v.hospital, reason });
		}
		let minimum = MinValidators::<T>::get();
		if remaining < minimum {
			Self::deposit_event(Event::BelowMinimum { validators: remaining, minimum });
		}
	}
}

impl<T: Config> SessionManager<T::AccountId> for Pallet<T> {
	/// Plans session `new_index`: drops validators whose hospital lost its standing, then
	/// hands the set to the session pallet if it changed (`None` keeps the current one, so
	/// GRANDPA sees no needless authority-set change).
	fn new_session(new_index: u32) -> Option<Vec<T::AccountId>> {
		Self::remove_validators_without_standing();
		if !SetChanged::<T>::take() {
			return None;
		}
		let accounts = Self::validator_accounts();
		if accounts.is_empty() {
			return None;
		}
		log::info!(
			target: "runtime::validator-set",
			"session {new_index} planned with {} validators",
			accounts.len()
		);
		Some(accounts)
	}

	fn end_session(_: u32) {}

	fn start_session(_: u32) {}
}

impl<T: Config> ShouldEndSession<BlockNumberFor<T>> for Pallet<T> {
	/// A session ends every [`SessionLength`] blocks.
	fn should_end_session(now: BlockNumberFor<T>) -> bool {
		let length = SessionLength::<T>::get();
		!length.is_zero() && (now % length).is_zero()
	}
}

impl<T: Config> EstimateNextSessionRotation<BlockNumberFor<T>> for Pallet<T> {
	fn average_session_length() -> BlockNumberFor<T> {
		SessionLength::<T>::get()
	}

	fn estimate_current_session_progress(now: BlockNumberFor<T>) -> (Option<Permill>, Weight) {
		let length = SessionLength::<T>::get();
		let read = T::DbWeight::get().reads(1);
		if length.is_zero() {
			return (None, read);
		}
		// The block that ends a session (now % length == 0) completes it.
		let into = now % length;
		let progress = if into.is_zero() { length } else { into };
		(Some(Permill::from_rational(progress, length)), read)
	}

	fn estimate_next_session_rotation(now: BlockNumberFor<T>) -> (Option<BlockNumberFor<T>>, Weight) {
		let length = SessionLength::<T>::get();
		let read = T::DbWeight::get().reads(1);
		if length.is_zero() {
			return (None, read);
		}
		let into = now % length;
		(Some(now.saturating_add(length.saturating_sub(into))), read)
	}
}
