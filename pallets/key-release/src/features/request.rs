//! Asking for a key. A doctor or lab is decided by the consent pallet's `AccessPolicy`, and the
//! decision (allowed or refused) goes into the patient's audit trail; the patient's side asks
//! for the patient's own content (an export), with shares wrapped to the patient's key.

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::{
	AccessGround, AccessPolicy, Accessor, EncryptedContent, EncryptionPublicKey, KeyAuditEvent,
	KeyCustody, KeyRequester, PatientAudit, PatientId, Purpose, RegistryInspect, SealedContent,
	SealedContentInspect, SealedTarget,
};

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
		let content = sealed.content.clone().ok_or(Error::<T>::UnknownContent)?;
		let by = KeyRequester::Staff { accessor, purpose };
		Self::store_request(who, by, target, sealed, content, ground, reader_key)
	}

	pub(crate) fn do_request_own_key(who: T::AccountId, target: SealedTarget) -> DispatchResult {
		let sealed = T::Sealed::sealed(target).ok_or(Error::<T>::UnknownContent)?;
		ensure!(T::Audit::is_patient_side(&who, sealed.patient), Error::<T>::NotPatientOrGuardian);
		let content = sealed.content.clone().ok_or(Error::<T>::Erased)?;
		let reader_key =
			T::Registry::patient_encryption_key(sealed.patient).ok_or(Error::<T>::NoEncryptionKey)?;
		let by = KeyRequester::PatientSide;
		Self::store_request(who, by, target, sealed, content, AccessGround::PatientSide, reader_key)
	}

	/// Logs a step of a request made `by` a doctor or lab as that accessor's access (the trail
	/// keeps the first and latest per day, so nobody flushes it by asking for keys), and one
	/// made by the patient's side as an entry of its own.
	pub(crate) fn log_for(by: KeyRequester, patient: PatientId, actor: &T::AccountId, event: KeyAuditEvent) -> u64 {
		match by {
			KeyRequester::Staff { accessor, .. } => T::Audit::log_key_access(patient, accessor, actor, event),
			KeyRequester::PatientSide => T::Audit::log_key_event(patient, actor, event),
		}
	}

	/// Stores an allowed request, logs it and tells the custodians.
	fn store_request(
		who: T::AccountId,
		by: KeyRequester,
		target: SealedTarget,
		sealed: SealedContent,
		content: EncryptedContent,
		ground: AccessGround,
		reader_key: EncryptionPublicKey,
	) -> DispatchResult {
		let manifest = content.manifest.clone().ok_or(Error::<T>::NotSealed)?;
		let patient = sealed.patient;
		let now = Self::now();
		let valid_until = Self::answerable_until(now, ground);
		// The access decision said the ground is live; if the ground nonetheless ends in this
		// very block, no answer could be given in time: refuse rather than store a request that
		// ends before it starts.
		ensure!(valid_until >= now, Error::<T>::DecisionNoLongerHolds);
		let id = NextKeyRequestId::<T>::get();
		NextKeyRequestId::<T>::put(id.checked_next().ok_or(Error::<T>::IdOverflow)?);
		let custodian_set = manifest.custodian_set;
		KeyRequests::<T>::insert(
			id,
			KeyRequest {
				requester: who.clone(),
				by,
				patient,
				target,
				access: sealed.access,
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
		let audit_index = Self::log_for(
			by,
			patient,
			&who,
			KeyAuditEvent::KeyRequested { request: id, requester: by, target, ground },
		);
		Self::deposit_event(Event::KeyRequested {
			request: id,
			patient,
			requester: by,
			target,
			ground,
			custodian_set,
			valid_until,
			audit_index,
		});
		Ok(())
	}
}
