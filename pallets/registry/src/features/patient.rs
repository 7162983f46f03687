//! Patients: registration by a hospital desk, and self-service key/commitment updates.

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::{ContentHash, EncryptionPublicKey, HospitalId, HospitalStatus};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register_patient(
		who: T::AccountId,
		hospital: HospitalId,
		account: T::AccountId,
		commitment: ContentHash,
		encryption_key: EncryptionPublicKey,
	) -> DispatchResult {
		let mut info = Self::hospital(hospital)?;
		ensure!(
			matches!(
				HospitalMembers::<T>::get(hospital, &who),
				Some(HospitalRole::Admin | HospitalRole::Desk)
			),
			Error::<T>::NotHospitalDesk
		);
		ensure!(info.status == HospitalStatus::Verified, Error::<T>::HospitalNotVerified);
		Self::ensure_usable_key(&encryption_key)?;
		ensure!(!PatientByAccount::<T>::contains_key(&account), Error::<T>::PatientAccountTaken);

		let patient = NextPatientId::<T>::get();
		NextPatientId::<T>::put(patient.checked_next().ok_or(Error::<T>::IdOverflow)?);
		info.patients = info.patients.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;

		Hospitals::<T>::insert(hospital, info);
		PatientByAccount::<T>::insert(&account, patient);
		Patients::<T>::insert(
			patient,
			PatientInfo {
				account,
				registered_by: hospital,
				commitment,
				encryption_key,
				registered_at: Self::now(),
			},
		);
		Self::deposit_event(Event::PatientRegistered { patient, hospital });
		Ok(())
	}

	pub(crate) fn do_update_patient(
		who: T::AccountId,
		commitment: ContentHash,
		encryption_key: EncryptionPublicKey,
	) -> DispatchResult {
		let patient = PatientByAccount::<T>::get(&who).ok_or(Error::<T>::NotPatient)?;
		Self::ensure_usable_key(&encryption_key)?;
		Patients::<T>::try_mutate(patient, |maybe| -> DispatchResult {
			let info = maybe.as_mut().ok_or(Error::<T>::NotPatient)?;
			info.commitment = commitment;
			info.encryption_key = encryption_key;
			Ok(())
		})?;
		Self::deposit_event(Event::PatientUpdated { patient });
		Ok(())
	}
}
