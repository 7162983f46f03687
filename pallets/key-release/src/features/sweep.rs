//! The `on_idle` sweep: closes key requests that can no longer be answered, oldest first.
//!
//! Storage cleanup only: every answer is checked against the request's deadline at the block
//! it comes in, so a request the sweep has not reached is already closed to answers. Request
//! IDs grow with time and a request is answerable for at most [`Config::RequestLifetime`]
//! blocks, so the sweep walks the IDs in order from [`SweepCursor`] and stops at the first
//! request still answerable: a later one that ended sooner (its consent ended) waits at most
//! `RequestLifetime` blocks behind it.

use crate::*;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use pmr_primitives::{sweep::affordable, KeyRequestId};

impl<T: Config> Pallet<T> {
	/// Spends at most `remaining` on closing requests past their deadline; returns the weight
	/// used.
	pub(crate) fn sweep(now: BlockNumberFor<T>, remaining: Weight) -> Weight {
		let limit =
			affordable(remaining, T::WeightInfo::sweep_key_requests, T::MaxSweepPerBlock::get());
		if limit == 0 {
			return Weight::zero();
		}
		let visited = Self::sweep_key_requests(now, limit);
		T::WeightInfo::sweep_key_requests(visited)
	}

	/// Visits up to `limit` request IDs from the cursor: closes those past their deadline,
	/// passes over those already closed, stops at the first still answerable. Returns how many
	/// it visited.
	pub(crate) fn sweep_key_requests(now: BlockNumberFor<T>, limit: u32) -> u32 {
		let next = NextKeyRequestId::<T>::get();
		let mut cursor = SweepCursor::<T>::get();
		let mut visited = 0;
		while visited < limit && cursor < next {
			visited += 1;
			match KeyRequests::<T>::get(cursor) {
				Some(request) if request.is_answerable(now) => break,
				Some(request) => {
					KeyRequests::<T>::remove(cursor);
					Self::deposit_event(Event::KeyRequestClosed {
						request: cursor,
						patient: request.patient,
					});
				},
				None => {},
			}
			// `cursor < next`, so this cannot overflow.
			cursor = KeyRequestId(cursor.0.saturating_add(1));
		}
		SweepCursor::<T>::put(cursor);
		visited
	}
}
