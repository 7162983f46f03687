//! Replacing an account: key rotation by the holder, and recovery of a lost account: proposed
//! by the responsible hospital, announced, open to objection for `RecoveryDelay` blocks, then
//! confirmed by the regulator council.
//!
//! Every role is keyed by an ID (Doctor-ID, Lab-ID, Patient-ID) or by the hospital, so moving
//! the account → ID maps moves everything that hangs off the ID: grants, requests, audit trail,
//! records, lab reports. Nothing but the account changes.

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::{
	Accessor, AccountRecoveryHooks, HospitalId, HospitalStatus, OnPatientAccountChanged,
	RecoveryStep,
};
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// The registry roles `who` holds.
	pub fn roles_of(who: &T::AccountId) -> AccountRoles {
		AccountRoles {
			doctor: DoctorByAccount::<T>::get(who),
			lab: LabByAccount::<T>::get(who),
			patient: PatientByAccount::<T>::get(who),
			member_of: MemberOf::<T>::get(who),
		}
	}

	pub(crate) fn do_rotate_account(old: T::AccountId, new: T::AccountId) -> DispatchResult {
		ensure!(!PendingRecoveries::<T>::contains_key(&old), Error::<T>::RecoveryPending);
		let roles = Self::move_account(&old, &new, true)?;
		if let Some(hospital) = roles.member_of {
			Self::move_application_deposit(hospital, &old, &new)?;
		}
		Self::deposit_event(Event::AccountRotated { old, new, roles, recovered_by: None });
		Ok(())
	}

	pub(crate) fn do_propose_recovery(
		admin: T::AccountId,
		hospital: HospitalId,
		lost: T::AccountId,
		new: T::AccountId,
	) -> DispatchResult {
		Self::verified_hospital_of_admin(&admin, hospital)?;
		ensure!(admin != lost, Error::<T>::CannotRecoverOwnAccount);
		let roles = Self::roles_of(&lost);
		Self::ensure_responsible(hospital, &roles)?;
		Self::ensure_fresh(&lost, &new)?;
		ensure!(!PendingRecoveries::<T>::contains_key(&lost), Error::<T>::RecoveryPending);
		let now = Self::now();
		let executable_at = now.saturating_add(T::RecoveryDelay::get());
		let recovery = Recovery {
			new: new.clone(),
			hospital,
			proposed_by: admin.clone(),
			proposed_at: now,
			executable_at,
			objected_by: None,
		};
		PendingRecoveries::<T>::insert(&lost, recovery);
		if let Some(patient) = roles.patient {
			T::RecoveryHooks::log_recovery(
				patient,
				Some(&admin),
				RecoveryStep::Proposed { hospital, new: new.clone() },
			);
		}
		Self::deposit_event(Event::RecoveryProposed { lost, new, hospital, executable_at });
		Ok(())
	}

	pub(crate) fn do_object_recovery(who: T::AccountId, lost: T::AccountId) -> DispatchResult {
		let patient = PatientByAccount::<T>::get(&lost);
		// Asked even of the holder, so every objection costs what the benchmark measured.
		let guardian = patient.is_some_and(|p| T::RecoveryHooks::is_guardian(&who, p));
		PendingRecoveries::<T>::try_mutate(&lost, |recovery| {
			let recovery = recovery.as_mut().ok_or(Error::<T>::NoRecoveryPending)?;
			ensure!(who == lost || guardian, Error::<T>::NotAllowedToObject);
			ensure!(recovery.objected_by.is_none(), Error::<T>::AlreadyObjected);
			recovery.objected_by = Some(who.clone());
			Ok::<_, Error<T>>(())
		})?;
		if let Some(patient) = patient {
			T::RecoveryHooks::log_recovery(patient, Some(&who), RecoveryStep::Objected);
		}
		Self::deposit_event(Event::RecoveryObjected { lost, by: who });
		Ok(())
	}

	pub(crate) fn do_approve_recovery(lost: T::AccountId) -> DispatchResult {
		let recovery = PendingRecoveries::<T>::get(&lost).ok_or(Error::<T>::NoRecoveryPending)?;
		ensure!(Self::now() >= recovery.executable_at, Error::<T>::RecoveryDelayNotOver);
		// Checked again: the roles or the hospital's standing may have changed since.
		let hospital = Self::hospital(recovery.hospital)?;
		ensure!(hospital.status == HospitalStatus::Verified, Error::<T>::HospitalNotVerified);
		Self::ensure_responsible(recovery.hospital, &Self::roles_of(&lost))?;
		// A recovered account's encryption key is dropped: whoever holds the lost account may
		// hold that key too. The holder registers a new one.
		let roles = Self::move_account(&lost, &recovery.new, false)?;
		PendingRecoveries::<T>::remove(&lost);
		// Whoever holds the new account is not yet known to the patients who trusted the
		// doctor or lab: their grants wait for each patient to confirm them again.
		if let Some(doctor) = roles.doctor {
			T::RecoveryHooks::staff_recovered(Accessor::Doctor(doctor));
		}
		if let Some(lab) = roles.lab {
			T::RecoveryHooks::staff_recovered(Accessor::Lab(lab));
		}
		if let Some(patient) = roles.patient {
			T::RecoveryHooks::log_recovery(
				patient,
				None,
				RecoveryStep::Confirmed { new: recovery.new.clone() },
			);
		}
		Self::deposit_event(Event::AccountRotated {
			old: lost,
			new: recovery.new,
			roles,
			recovered_by: Some(recovery.hospital),
		});
		Ok(())
	}

	/// `by` is `None` for a regulator.
	pub(crate) fn do_cancel_recovery(by: Option<T::AccountId>, lost: T::AccountId) -> DispatchResult {
		let recovery = PendingRecoveries::<T>::get(&lost).ok_or(Error::<T>::NoRecoveryPending)?;
		if let Some(by) = &by {
			// An admin of the proposing hospital. Not the holder: a thief who holds the key
			// (or rotated it first) would cancel every recovery; the holder objects instead.
			ensure!(
				Self::ensure_admin(by, recovery.hospital).is_ok(),
				Error::<T>::NotAllowedToCancelRecovery
			);
		}
		PendingRecoveries::<T>::remove(&lost);
		if let Some(patient) = PatientByAccount::<T>::get(&lost) {
			T::RecoveryHooks::log_recovery(patient, by.as_ref(), RecoveryStep::Cancelled);
		}
		Self::deposit_event(Event::RecoveryCancelled { lost, hospital: recovery.hospital });
		Ok(())
	}

	/// The deposit of `hospital`'s pending application, if `old` applied and it is still
	/// held, moves to `new` (held there for the same reason) and `new` becomes the applicant:
	/// the old key may be why the holder rotates, and the deposit's release on verification
	/// or burn on rejection must not go to it. (A recovery never meets a held deposit: only a
	/// verified hospital proposes one, and verification releases the deposit.)
	fn move_application_deposit(hospital: HospitalId, old: &T::AccountId, new: &T::AccountId) -> DispatchResult {
		use frame_support::traits::{
			fungible::{InspectHold, MutateHold},
			tokens::{Fortitude, Precision, Restriction},
		};
		Hospitals::<T>::try_mutate(hospital, |info| {
			let Some(info) = info.as_mut().filter(|i| i.deposit_held && i.applicant == *old) else {
				return Ok(());
			};
			let reason = HoldReason::HospitalApplication.into();
			ensure!(T::Currency::hold_available(&reason, new), Error::<T>::NewAccountCannotHoldDeposit);
			T::Currency::transfer_on_hold(
				&reason,
				old,
				new,
				T::ApplicationDeposit::get(),
				Precision::BestEffort,
				Restriction::OnHold,
				Fortitude::Polite,
			)?;
			info.applicant = new.clone();
			Ok(())
		})
	}

	/// `hospital` is responsible for every role in `roles` (and there is at least one): it
	/// employs the doctor, hosts the lab, registered the patient, has the member.
	fn ensure_responsible(hospital: HospitalId, roles: &AccountRoles) -> DispatchResult {
		ensure!(!roles.is_empty(), Error::<T>::NoRoleToMove);
		let employs = roles.doctor.is_none_or(|d| {
			Doctors::<T>::get(d).is_some_and(|info| info.hospitals.contains(&hospital))
		});
		let hosts = roles.lab.is_none_or(|l| Labs::<T>::get(l).is_some_and(|i| i.hospital == hospital));
		let registered = roles
			.patient
			.is_none_or(|p| Patients::<T>::get(p).is_some_and(|i| i.registered_by == hospital));
		let member = roles.member_of.is_none_or(|h| h == hospital);
		ensure!(employs && hosts && registered && member, Error::<T>::NotResponsibleHospital);
		Ok(())
	}

	/// `new` is another account than `old` and holds no registry role.
	fn ensure_fresh(old: &T::AccountId, new: &T::AccountId) -> DispatchResult {
		ensure!(old != new, Error::<T>::SameAccount);
		ensure!(Self::roles_of(new).is_empty(), Error::<T>::AccountHasAnotherRole);
		Ok(())
	}

	/// Moves every role of `old` to `new`; `keep_key`: whether the doctor's or lab's
	/// encryption key moves too.
	pub(crate) fn move_account(old: &T::AccountId, new: &T::AccountId, keep_key: bool) -> Result<AccountRoles, DispatchError> {
		Self::ensure_fresh(old, new)?;
		let roles = Self::roles_of(old);
		ensure!(!roles.is_empty(), Error::<T>::NoRoleToMove);
		if let Some(doctor) = roles.doctor {
			Doctors::<T>::try_mutate(doctor, |info| {
				info.as_mut().ok_or(Error::<T>::UnknownDoctor)?.account = new.clone();
				Ok::<_, Error<T>>(())
			})?;
			DoctorByAccount::<T>::remove(old);
			DoctorByAccount::<T>::insert(new, doctor);
		}
		if let Some(lab) = roles.lab {
			Labs::<T>::try_mutate(lab, |info| {
				info.as_mut().ok_or(Error::<T>::UnknownLab)?.account = new.clone();
				Ok::<_, Error<T>>(())
			})?;
			LabByAccount::<T>::remove(old);
			LabByAccount::<T>::insert(new, lab);
		}
		if let Some(patient) = roles.patient {
			Patients::<T>::try_mutate(patient, |info| {
				info.as_mut().ok_or(Error::<T>::NotPatient)?.account = new.clone();
				Ok::<_, Error<T>>(())
			})?;
			PatientByAccount::<T>::remove(old);
			PatientByAccount::<T>::insert(new, patient);
			T::OnPatientAccountChanged::patient_account_changed(patient);
		}
		if let Some(hospital) = roles.member_of {
			let role = HospitalMembers::<T>::take(hospital, old).ok_or(Error::<T>::NotMember)?;
			HospitalMembers::<T>::insert(hospital, new, role);
			MemberOf::<T>::remove(old);
			MemberOf::<T>::insert(new, hospital);
		}
		if let Some(key) = StaffEncryptionKeys::<T>::take(old) {
			if keep_key {
				StaffEncryptionKeys::<T>::insert(new, key);
			}
		}
		Ok(roles)
	}
}
