//! Guardians: people who may grant, revoke and answer requests on a patient's behalf.

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::{PatientId, RegistryInspect};

impl<T: Config> Pallet<T> {
	/// `by` is `None` for a regulator, or the signing account.
	pub(crate) fn do_appoint_guardian(
		by: Option<T::AccountId>,
		patient: PatientId,
		guardian: T::AccountId,
	) -> DispatchResult {
		let account = T::Registry::patient_account(patient).ok_or(Error::<T>::UnknownPatient)?;
		if let Some(by) = &by {
			ensure!(*by == account, Error::<T>::NotPatientOrGuardian);
		}
		ensure!(guardian != account, Error::<T>::GuardianIsPatient);
		Guardians::<T>::try_mutate(patient, |guardians| {
			ensure!(!guardians.contains(&guardian), Error::<T>::AlreadyGuardian);
			guardians.try_push(guardian.clone()).map_err(|_| Error::<T>::TooManyGuardians)
		})?;
		Wards::<T>::insert(&guardian, patient, ());
		Self::deposit_event(Event::GuardianAppointed { patient, guardian });
		Ok(())
	}

	/// `by` is `None` for a regulator, or the signing account (the patient or the guardian).
	pub(crate) fn do_remove_guardian(
		by: Option<T::AccountId>,
		patient: PatientId,
		guardian: T::AccountId,
	) -> DispatchResult {
		let account = T::Registry::patient_account(patient).ok_or(Error::<T>::UnknownPatient)?;
		if let Some(by) = &by {
			ensure!(*by == account || *by == guardian, Error::<T>::NotPatientOrGuardian);
		}
		Guardians::<T>::try_mutate_exists(patient, |maybe| {
			let guardians = maybe.as_mut().ok_or(Error::<T>::NotGuardian)?;
			let position =
				guardians.iter().position(|g| *g == guardian).ok_or(Error::<T>::NotGuardian)?;
			guardians.remove(position);
			if guardians.is_empty() {
				*maybe = None;
			}
			Ok::<_, Error<T>>(())
		})?;
		Wards::<T>::remove(&guardian, patient);
		Self::deposit_event(Event::GuardianRemoved { patient, guardian });
		Ok(())
	}
}
