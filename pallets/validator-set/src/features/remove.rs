//! The regulator's removal of a validator.

use crate::*;
use frame_support::{ensure, pallet_prelude::DispatchResult};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_remove_validator(account: T::AccountId) -> DispatchResult {
		let removed = Validators::<T>::try_mutate(|set| {
			let at = set.iter().position(|v| v.account == account).ok_or(Error::<T>::NotValidator)?;
			ensure!(
				(set.len() as u32).saturating_sub(1) >= MinValidators::<T>::get(),
				Error::<T>::TooFewValidators
			);
			Ok::<_, Error<T>>(set.remove(at))
		})?;
		SetChanged::<T>::put(true);
		Self::deposit_event(Event::ValidatorRemoved {
			account,
			hospital: removed.hospital,
			reason: RemovalReason::Regulator,
		});
		Ok(())
	}
}
