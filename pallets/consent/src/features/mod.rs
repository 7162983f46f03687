//! The pallet's calls, one file per feature, and the helpers they share.

mod access;
mod emergency;
mod grants;
mod guardians;
mod requests;
mod standing;
mod sweep;

use crate::*;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;
use pmr_primitives::{Accessor, PatientId, RegistryInspect};

impl<T: Config> Pallet<T> {
	/// The current block number: the clock every expiry is compared with.
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// The caller's standing towards `patient`: the patient, or one of the patient's current
	/// guardians.
	pub(crate) fn ensure_patient_side(
		who: &T::AccountId,
		patient: PatientId,
	) -> Result<Actor<T::AccountId>, Error<T>> {
		let account = T::Registry::patient_account(patient).ok_or(Error::<T>::UnknownPatient)?;
		if &account == who {
			Ok(Actor::Patient)
		} else if Guardians::<T>::get(patient).contains(who) {
			Ok(Actor::Guardian(who.clone()))
		} else {
			Err(Error::<T>::NotPatientOrGuardian)
		}
	}

	/// The doctor or lab the caller acts as right now.
	pub(crate) fn ensure_accessor(who: &T::AccountId) -> Result<Accessor, Error<T>> {
		Accessor::of::<T::AccountId, T::Registry>(who).ok_or(Error::<T>::NotDoctorOrLab)
	}

	/// Whether a doctor or lab to receive access is active in the registry.
	pub(crate) fn accessor_is_active(accessor: Accessor) -> bool {
		match accessor {
			Accessor::Doctor(d) => T::Registry::doctor_is_active(d),
			Accessor::Lab(l) => T::Registry::lab_is_active(l),
		}
	}

	/// Checks a scope a patient grants or a doctor requests.
	pub(crate) fn ensure_valid_scope(scope: &Scope<T>) -> Result<(), Error<T>> {
		ensure!(!scope.is_empty(), Error::<T>::EmptyScope);
		Ok(())
	}

	/// Checks a duration of a grant or request: positive and at most the maximum.
	pub(crate) fn ensure_valid_duration(duration: BlockNumberFor<T>) -> Result<(), Error<T>> {
		ensure!(!duration.is_zero(), Error::<T>::ZeroDuration);
		ensure!(duration <= T::MaxGrantDuration::get(), Error::<T>::DurationTooLong);
		Ok(())
	}
}
