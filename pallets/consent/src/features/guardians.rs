//! Guardians: people who may grant, revoke and answer requests on a patient's behalf.

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::{NoteHash, PatientId, RegistryInspect};

impl<T: Config> Pallet<T> {
	/// `by` is `None` for [`Config::GuardianOrigin`], or the signing account.
	pub(crate) fn do_appoint_guardian(
		by: Option<T::AccountId>,
		patient: PatientId,
		guardian: T::AccountId,
		legal_basis: Option<NoteHash>,
	) -> DispatchResult {
		let account = T::Registry::patient_account(patient).ok_or(Error::<T>::UnknownPatient)?;
		let authority = match &by {
			Some(by) => {
				ensure!(*by == account, Error::<T>::NotPatientOrGuardian);
				GuardianAuthority::Patient
			},
			None => {
				ensure!(legal_basis.is_some(), Error::<T>::LegalBasisRequired);
				GuardianAuthority::Regulators
			},
		};
		ensure!(guardian != account, Error::<T>::GuardianIsPatient);
		Guardians::<T>::try_mutate(patient, |guardians| {
			ensure!(!guardians.contains(&guardian), Error::<T>::AlreadyGuardian);
			guardians.try_push(guardian.clone()).map_err(|_| Error::<T>::TooManyGuardians)
		})?;
		Wards::<T>::insert(&guardian, patient, ());
		let event = AuditEvent::GuardianAppointed { guardian: guardian.clone(), by: authority, legal_basis };
		Self::log(patient, by, event);
		Self::deposit_event(Event::GuardianAppointed { patient, guardian, by: authority, legal_basis });
		Ok(())
	}

	/// `by` is `None` for [`Config::GuardianOrigin`], or the signing account (the patient or
	/// the guardian).
	pub(crate) fn do_remove_guardian(
		by: Option<T::AccountId>,
		patient: PatientId,
		guardian: T::AccountId,
		legal_basis: Option<NoteHash>,
	) -> DispatchResult {
		let account = T::Registry::patient_account(patient).ok_or(Error::<T>::UnknownPatient)?;
		let authority = match &by {
			Some(by) if *by == account => GuardianAuthority::Patient,
			Some(by) if *by == guardian => GuardianAuthority::Guardian,
			Some(_) => return Err(Error::<T>::NotPatientOrGuardian.into()),
			None => {
				ensure!(legal_basis.is_some(), Error::<T>::LegalBasisRequired);
				GuardianAuthority::Regulators
			},
		};
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
		let event = AuditEvent::GuardianRemoved { guardian: guardian.clone(), by: authority, legal_basis };
		Self::log(patient, by, event);
		Self::deposit_event(Event::GuardianRemoved { patient, guardian, by: authority, legal_basis });
		Ok(())
	}
}
