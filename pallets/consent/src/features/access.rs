//! Opening records: the access check, logged in the patient's audit trail.

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::{AccessTarget, PatientId, Purpose, RegistryInspect};
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_record_access(
		who: T::AccountId,
		patient: PatientId,
		target: AccessTarget,
		purpose: Purpose,
	) -> DispatchResult {
		let accessor = Self::ensure_accessor(&who)?;
		ensure!(T::Registry::patient_account(patient).is_some(), Error::<T>::UnknownPatient);
		match Self::decide(&who, accessor, patient, target, purpose) {
			Ok(ground) => {
				let audit_index = Self::log(
					patient,
					Some(who),
					AuditEvent::Accessed { accessor, target, purpose, ground },
				);
				Self::deposit_event(Event::AccessLogged {
					patient,
					accessor,
					target,
					purpose,
					ground,
					audit_index,
				});
				Ok(())
			},
			Err(reason) => {
				let now = Self::now();
				let recently = LastRefusalLogged::<T>::get(patient, accessor)
					.is_some_and(|at| now < at.saturating_add(T::RefusalLogInterval::get()));
				ensure!(!recently, Error::<T>::RefusalNotLogged);
				LastRefusalLogged::<T>::insert(patient, accessor, now);
				let audit_index = Self::log(
					patient,
					Some(who),
					AuditEvent::Refused { accessor, target, purpose, reason },
				);
				Self::deposit_event(Event::AccessRefused {
					patient,
					accessor,
					target,
					reason,
					audit_index,
				});
				Ok(())
			},
		}
	}

	/// Appends an entry to the patient's audit trail (overwriting the oldest once the trail
	/// holds [`Config::MaxAuditEntries`]); returns the entry's index.
	pub(crate) fn log(patient: PatientId, actor: Option<T::AccountId>, event: AuditEvent) -> u64 {
		let index = AuditLength::<T>::get(patient);
		let slot = (index % u64::from(T::MaxAuditEntries::get())) as u32;
		AuditLog::<T>::insert(patient, slot, AuditEntry { index, at: Self::now(), actor, event });
		AuditLength::<T>::insert(patient, index.saturating_add(1));
		index
	}
}
