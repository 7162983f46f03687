//! Opening records: the access check, logged in the patient's audit trail.

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::{
	AccessGround, AccessTarget, Accessor, KeyAuditEvent, PatientAudit, PatientId, Purpose,
	RegistryInspect,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{CheckedDiv, Saturating};

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
				let audit_index = Self::log_access(
					patient,
					accessor,
					who,
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
				ensure!(Self::note_refusal(patient, accessor), Error::<T>::RefusalNotLogged);
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

	/// Whether a refusal of `accessor` for `patient` may be logged now: at most once per
	/// [`Config::RefusalLogInterval`], so nobody can flush a patient's trail with refusals.
	/// Notes the time when it may.
	pub(crate) fn note_refusal(patient: PatientId, accessor: Accessor) -> bool {
		let now = Self::now();
		let recently = LastRefusalLogged::<T>::get(patient, accessor)
			.is_some_and(|at| now < at.saturating_add(T::RefusalLogInterval::get()));
		if !recently {
			LastRefusalLogged::<T>::insert(patient, accessor, now);
		}
		!recently
	}

	/// Logs a successful access (a record opened, a key requested or released for a doctor
	/// or lab) so that no accessor can flush the trail: an accessor's first access to the
	/// patient on an audit day gets an entry of its own, the second another, and every later
	/// one that day rewrites the second (block, target, purpose, ground): the ring keeps the
	/// first and the latest access per accessor and day, and every version is emitted
	/// (`Audited`) for the nodes' archive. Returns the entry's index.
	fn log_access(patient: PatientId, accessor: Accessor, who: T::AccountId, event: AuditEvent<T::AccountId>) -> u64 {
		let now = Self::now();
		let day = now.checked_div(&T::AuditDay::get()).unwrap_or(now);
		let ring = u64::from(T::MaxAuditEntries::get());
		let today = DailyAccess::<T>::get(patient, accessor).filter(|d| d.day == day);
		match today.map(|d| d.latest) {
			// The day's latest-access entry, if the ring still holds it: rewrite it.
			Some(Some(index)) if AuditLength::<T>::get(patient).saturating_sub(index) <= ring => {
				let slot = (index % ring) as u32;
				Self::write_entry(patient, slot, AuditEntry { index, at: now, actor: Some(who), event });
				index
			},
			// The day's second access (or the latest entry was pushed out): a new entry.
			Some(_) => {
				let index = Self::log(patient, Some(who), event);
				DailyAccess::<T>::insert(patient, accessor, AccessDay { day, latest: Some(index) });
				index
			},
			// The first access of the day.
			None => {
				let index = Self::log(patient, Some(who), event);
				DailyAccess::<T>::insert(patient, accessor, AccessDay { day, latest: None });
				index
			},
		}
	}

	/// Appends an entry to the patient's audit trail (overwriting the oldest once the trail
	/// holds [`Config::MaxAuditEntries`]); returns the entry's index.
	pub(crate) fn log(patient: PatientId, actor: Option<T::AccountId>, event: AuditEvent<T::AccountId>) -> u64 {
		let index = AuditLength::<T>::get(patient);
		let slot = (index % u64::from(T::MaxAuditEntries::get())) as u32;
		Self::write_entry(patient, slot, AuditEntry { index, at: Self::now(), actor, event });
		AuditLength::<T>::insert(patient, index.saturating_add(1));
		index
	}

	/// Writes an entry into its slot of the ring and emits it whole (`Audited`): what the ring
	/// overwrites later (the oldest entries, a day's latest access rewritten in place) stays
	/// in the events of finalized blocks, which the nodes archive (`pmr_auditArchive`).
	fn write_entry(patient: PatientId, slot: u32, entry: AuditEntry<T>) {
		AuditLog::<T>::insert(patient, slot, entry.clone());
		Self::deposit_event(Event::Audited { patient, entry });
	}
}

/// The records and lab-report pallets log erasures into the patient's audit trail through
/// this.
impl<T: Config> pmr_primitives::ErasureAudit<T::AccountId> for Pallet<T> {
	fn log_erasure(
		patient: PatientId,
		actor: Option<&T::AccountId>,
		erased: pmr_primitives::ErasedContent,
		by: pmr_primitives::ErasedBy,
	) {
		Self::log(patient, actor.cloned(), AuditEvent::Erased { erased, by });
	}
}

/// The registry tells the consent pallet of every step of an account recovery through this.
impl<T: Config> pmr_primitives::AccountRecoveryHooks<T::AccountId> for Pallet<T> {
	fn log_recovery(
		patient: PatientId,
		actor: Option<&T::AccountId>,
		step: pmr_primitives::RecoveryStep<T::AccountId>,
	) {
		Self::log(patient, actor.cloned(), AuditEvent::Recovery(step));
	}

	fn is_guardian(who: &T::AccountId, patient: PatientId) -> bool {
		Wards::<T>::contains_key(who, patient)
	}

	fn staff_recovered(accessor: Accessor) {
		RecoveredAt::<T>::insert(accessor, Self::now());
	}
}

/// The key-release pallet logs into the patient's audit trail through this.
impl<T: Config> PatientAudit<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn log_key_event(patient: PatientId, actor: &T::AccountId, event: KeyAuditEvent) -> u64 {
		Self::log(patient, Some(actor.clone()), AuditEvent::Key(event))
	}

	fn log_key_access(
		patient: PatientId,
		accessor: Accessor,
		actor: &T::AccountId,
		event: KeyAuditEvent,
	) -> u64 {
		Self::log_access(patient, accessor, actor.clone(), AuditEvent::Key(event))
	}

	fn note_refusal(patient: PatientId, accessor: Accessor) -> bool {
		Self::note_refusal(patient, accessor)
	}

	fn ground_expires_at(ground: AccessGround) -> Option<BlockNumberFor<T>> {
		match ground {
			AccessGround::Grant(id) | AccessGround::BreakGlass(id) =>
				Grants::<T>::get(id).map(|g| g.expires_at),
			AccessGround::RegisteringHospital(_) | AccessGround::PatientSide => None,
		}
	}

	fn is_patient_side(who: &T::AccountId, patient: PatientId) -> bool {
		Self::ensure_patient_side(who, patient).is_ok()
	}
}
