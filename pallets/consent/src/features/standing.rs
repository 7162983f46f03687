//! The registering hospital's standing access for treatment, which the patient controls.

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::{HospitalId, PatientId, RegistryInspect};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_set_standing_access(
		who: T::AccountId,
		patient: PatientId,
		allowed: bool,
	) -> DispatchResult {
		Self::ensure_patient_side(&who, patient)?;
		let hospital =
			T::Registry::registering_hospital(patient).ok_or(Error::<T>::UnknownPatient)?;
		ensure!(Self::standing_access_allowed(patient) != allowed, Error::<T>::StandingAccessUnchanged);
		if allowed {
			StandingAccessWithdrawnAt::<T>::remove(patient);
		} else {
			StandingAccessWithdrawnAt::<T>::insert(patient, Self::now());
		}
		Self::log(patient, Some(who.clone()), AuditEvent::StandingAccessChanged { hospital, allowed });
		Self::deposit_event(Event::StandingAccessChanged { patient, hospital, allowed, by: who });
		Ok(())
	}

	/// Whether the patient's registering hospital's active doctors may access the patient's
	/// records for treatment without a grant (the patient has not withdrawn it).
	pub fn standing_access_allowed(patient: PatientId) -> bool {
		!StandingAccessWithdrawnAt::<T>::contains_key(patient)
	}

	/// The patient's registering hospital and whether its standing access applies (what the
	/// patient's wallet shows).
	pub fn standing_access(patient: PatientId) -> Option<(HospitalId, bool)> {
		T::Registry::registering_hospital(patient)
			.map(|hospital| (hospital, Self::standing_access_allowed(patient)))
	}
}
