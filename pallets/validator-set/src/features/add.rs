//! Admitting a hospital's validator.

use crate::*;
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Contains};
use pmr_primitives::{HospitalId, HospitalStatus, RegistryInspect};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_add_validator(hospital: HospitalId, account: T::AccountId) -> DispatchResult {
		ensure!(
			T::Registry::hospital_status(hospital) == Some(HospitalStatus::Verified),
			Error::<T>::HospitalNotVerified
		);
		ensure!(T::Registry::is_hospital_admin(&account, hospital), Error::<T>::NotHospitalAdmin);
		ensure!(T::HasSessionKeys::contains(&account), Error::<T>::NoSessionKeys);
		Validators::<T>::try_mutate(|set| {
			ensure!(!set.iter().any(|v| v.account == account), Error::<T>::AlreadyValidator);
			ensure!(
				!set.iter().any(|v| v.hospital == Some(hospital)),
				Error::<T>::HospitalAlreadyValidates
			);
			set.try_push(Validator { account: account.clone(), hospital: Some(hospital) })
				.map_err(|_| Error::<T>::TooManyValidators)?;
			Ok::<_, Error<T>>(())
		})?;
		SetChanged::<T>::put(true);
		Self::deposit_event(Event::ValidatorAdded { account, hospital });
		Ok(())
	}
}
