//! The patient's essential shares after a rotation of the patient's key: the patient's side
//! keeps each share re-wrapped to the key registered now, next to the manifest that cannot
//! change.

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::{
	EssentialEnvelope, KeyAuditEvent, PatientAudit, PatientId, RegistryInspect,
	SealedContentInspect, SealedTarget, ESSENTIAL_ENVELOPE_LEN,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_rewrap_essential_shares(
		who: T::AccountId,
		patient: PatientId,
		shares: BoundedVec<(SealedTarget, EssentialEnvelope), T::MaxRewrapBatch>,
	) -> DispatchResult {
		ensure!(T::Audit::is_patient_side(&who, patient), Error::<T>::NotPatientOrGuardian);
		let key = T::Registry::patient_encryption_key(patient).ok_or(Error::<T>::NoEncryptionKey)?;
		ensure!(!shares.is_empty(), Error::<T>::NoShares);
		// Every share is checked before any is kept: a bad one fails the whole call.
		for (i, (target, envelope)) in shares.iter().enumerate() {
			ensure!(shares[..i].iter().all(|(t, _)| t != target), Error::<T>::DuplicateContent);
			ensure!(envelope.len() == ESSENTIAL_ENVELOPE_LEN as usize, Error::<T>::MalformedEnvelope);
			let sealed = T::Sealed::sealed(*target).ok_or(Error::<T>::UnknownContent)?;
			ensure!(sealed.patient == patient, Error::<T>::AnotherPatientsContent);
			let content = sealed.content.ok_or(Error::<T>::Erased)?;
			ensure!(content.manifest.is_some(), Error::<T>::NotSealed);
		}
		let count = shares.len() as u32;
		for (target, envelope) in shares {
			RewrappedEssentials::<T>::insert(target, RewrappedEssential { key, envelope });
		}
		let audit_index =
			T::Audit::log_key_event(patient, &who, KeyAuditEvent::EssentialSharesRewrapped { key, count });
		Self::deposit_event(Event::EssentialSharesRewrapped { patient, key, count, by: who, audit_index });
		Ok(())
	}

	/// The essential share of `target` re-wrapped to a newer key of the patient, while the
	/// content is live (see [`runtime_api::KeyReleaseApi::rewrapped_essential`]).
	pub fn rewrapped_essential(target: SealedTarget) -> Option<RewrappedEssential> {
		T::Sealed::sealed(target)?.content?;
		RewrappedEssentials::<T>::get(target)
	}
}
