//! Correction requests: the patient asks, a doctor who may amend resolves (by amending) or
//! rejects.

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::{PmrItemId, RegistryInspect};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_request_correction(
		who: T::AccountId,
		item: PmrItemId,
		reason: pmr_primitives::NoteHash,
	) -> DispatchResult {
		let record = Self::live_record(item)?;
		ensure!(
			T::Registry::patient_account(record.patient).as_ref() == Some(&who),
			Error::<T>::NotPatient
		);
		ensure!(!Corrections::<T>::contains_key(item), Error::<T>::CorrectionPending);
		Corrections::<T>::insert(item, CorrectionRequest { reason, at: Self::now() });
		Self::deposit_event(Event::CorrectionRequested { item, patient: record.patient });
		Ok(())
	}

	/// Rejects the pending correction; returns the ground the doctor's access check granted on.
	pub(crate) fn do_reject_correction(
		who: T::AccountId,
		item: PmrItemId,
		reason: pmr_primitives::NoteHash,
	) -> Result<pmr_primitives::AccessGround, DispatchError> {
		let record = Self::live_record(item)?;
		let (_, ground) = Self::ensure_may_amend(&who, item, &record)?;
		Corrections::<T>::take(item).ok_or(Error::<T>::NoCorrectionPending)?;
		Self::deposit_event(Event::CorrectionRejected { item, by: who, reason });
		Ok(ground)
	}
}
