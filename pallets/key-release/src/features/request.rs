//! Asking for a key: the runtime decides with the consent pallet's `AccessPolicy`, and the
//! decision (allowed or refused) goes into the patient's audit trail.

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::{
	AccessPolicy, Accessor, KeyAuditEvent, KeyCustody, PatientAudit, Purpose,
	SealedContentInspect, SealedTarget,
};
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_request_key(
		who: T::AccountId,
		target: SealedTarget,
		purpose: Purpose,
	) -> DispatchResult {
		let accessor = Accessor::of::<T::AccountId, T::Registry>(&who)
			.ok_or(Error::<T>::NotDoctorOrLab)?;
		let reader_key = T::Custody::staff_encryption_key(&who).ok_or(Error::<T>::NoEncryptionKey)?;
		let sealed = T::Sealed::sealed(target).ok_or(Error::<T>::UnknownContent)?;
		let patient = sealed.patient;

		let ground = match T::Access::can_access(&who, patient, sealed.access, purpose) {
			Ok(ground) => ground,
			Err(reason) => {
				ensure!(T::Audit::note_refusal(patient, accessor), Error::<T>::RefusalNotLogged);
				let audit_index = T::Audit::log_key_event(
					patient,
					&who,
					KeyAuditEvent::KeyRefused { accessor, target, purpose, reason },
				);
				Self::deposit_event(Event::KeyRequestRefused {
					patient,
					requester: accessor,
					target,
					reason,
					audit_index,
				});
				return Ok(());
			},
		};
		// Allowed and live, so the content exists; it still needs its manifest on chain.
		let content = sealed.content.ok_or(Error::<T>::UnknownContent)?;
		let manifest = content.manifest.clone().ok_or(Error::<T>::NotSealed)?;

		let now = Self::now();
		let lifetime_end = now.saturating_add(T::RequestLifetime::get());
		let valid_until = match T::Audit::ground_expires_at(ground) {
			// `expires_at` is the first block in which the ground no longer applies.
			Some(expires_at) => lifetime_end.min(expires_at.saturating_sub(1u32.into())),
			None => lifetime_end,
		};
		let id = NextKeyRequestId::<T>::get();
		NextKeyRequestId::<T>::put(id.checked_next().ok_or(Error::<T>::IdOverflow)?);
		let custodian_set = manifest.custodian_set;
		KeyRequests::<T>::insert(
			id,
			KeyRequest {
				requester: who.clone(),
				accessor,
				patient,
				target,
				access: sealed.access,
				purpose,
				ground,
				reader_key,
				content,
				manifest,
				requested_at: now,
				valid_until,
				answers: Default::default(),
				essential: None,
			},
		);
		let audit_index = T::Audit::log_key_event(
			patient,
			&who,
			KeyAuditEvent::KeyRequested { request: id, accessor, target, purpose, ground },
		);
		Self::deposit_event(Event::KeyRequested {
			request: id,
			patient,
			requester: accessor,
			target,
			ground,
			custodian_set,
			valid_until,
			audit_index,
		});
		Ok(())
	}
}
