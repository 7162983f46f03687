//! The `on_idle` sweep: deletes expired grants and unanswered requests past their deadline.
//!
//! This is storage cleanup only. Expiry is enforced by every access check against the block
//! number, so a grant the sweep has not reached yet is already denied.

use crate::*;
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use pmr_primitives::sweep::affordable;

impl<T: Config> Pallet<T> {
	/// Spends at most `remaining` on sweeping grants, then requests; returns the weight used.
	pub(crate) fn sweep(now: BlockNumberFor<T>, remaining: Weight) -> Weight {
		let grants = affordable(remaining, T::WeightInfo::sweep_grants, T::MaxSweepPerBlock::get());
		if grants == 0 {
			return Weight::zero();
		}
		let visited = Self::sweep_grants(now, grants);
		let used = T::WeightInfo::sweep_grants(visited);
		let left = remaining.saturating_sub(used);
		let requests = affordable(left, T::WeightInfo::sweep_requests, T::MaxSweepPerBlock::get());
		if requests == 0 {
			return used;
		}
		let visited = Self::sweep_requests(now, requests);
		used.saturating_add(T::WeightInfo::sweep_requests(visited))
	}

	/// Visits up to `limit` grants after the cursor and deletes the expired ones; returns how
	/// many it visited. Wraps around to the start when it reaches the end.
	pub(crate) fn sweep_grants(now: BlockNumberFor<T>, limit: u32) -> u32 {
		if limit == 0 {
			return 0;
		}
		let iter = match GrantSweepCursor::<T>::get() {
			Some(last) => Grants::<T>::iter_from(Grants::<T>::hashed_key_for(last)),
			None => Grants::<T>::iter(),
		};
		let batch: Vec<_> = iter.take(limit as usize).collect();
		match batch.last() {
			Some((last, _)) if batch.len() == limit as usize => GrantSweepCursor::<T>::put(last),
			_ => GrantSweepCursor::<T>::kill(),
		}
		for (grant, info) in &batch {
			if !info.is_live(now) {
				Self::remove_grant(*grant, info, GrantEnd::Expired);
				Self::deposit_event(Event::GrantExpired { grant: *grant, patient: info.patient });
			}
		}
		batch.len() as u32
	}

	/// Visits up to `limit` requests after the cursor and deletes those past their deadline;
	/// returns how many it visited.
	pub(crate) fn sweep_requests(now: BlockNumberFor<T>, limit: u32) -> u32 {
		if limit == 0 {
			return 0;
		}
		let iter = match RequestSweepCursor::<T>::get() {
			Some(last) => Requests::<T>::iter_from(Requests::<T>::hashed_key_for(last)),
			None => Requests::<T>::iter(),
		};
		let batch: Vec<_> = iter.take(limit as usize).collect();
		match batch.last() {
			Some((last, _)) if batch.len() == limit as usize => RequestSweepCursor::<T>::put(last),
			_ => RequestSweepCursor::<T>::kill(),
		}
		for (request, info) in &batch {
			if now >= info.expires_at {
				Self::expire_request(*request, info.patient, info.requester);
			}
		}
		batch.len() as u32
	}
}
