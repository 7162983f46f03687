//! Hospital applications, detail changes and member accounts.

use crate::*;
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::MutateHold, Get},
};
use frame_system::pallet_prelude::BlockNumberFor;
use pmr_primitives::{HospitalId, HospitalStatus};

impl<T: Config> Pallet<T> {
	/// The hospital, if it exists.
	pub(crate) fn hospital(hospital: HospitalId) -> Result<HospitalInfo<T>, DispatchError> {
		Hospitals::<T>::get(hospital).ok_or_else(|| Error::<T>::UnknownHospital.into())
	}

	/// Fails unless `who` is an admin of `hospital`.
	pub(crate) fn ensure_admin(who: &T::AccountId, hospital: HospitalId) -> DispatchResult {
		match HospitalMembers::<T>::get(hospital, who) {
			Some(HospitalRole::Admin) => Ok(()),
			_ => Err(Error::<T>::NotHospitalAdmin.into()),
		}
	}

	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// A registry entry needs its registration number (or ID) and its name.
	pub(crate) fn ensure_named(registration: &Text<T>, name: &Text<T>) -> DispatchResult {
		ensure!(!registration.is_empty() && !name.is_empty(), Error::<T>::MissingDetails);
		Ok(())
	}

	pub(crate) fn do_apply_for_registration(
		applicant: T::AccountId,
		details: HospitalDetails<T>,
	) -> DispatchResult {
		Self::ensure_named(&details.registration_id, &details.name)?;
		ensure!(!MemberOf::<T>::contains_key(&applicant), Error::<T>::AlreadyMember);
		ensure!(
			!HospitalByRegistrationId::<T>::contains_key(&details.registration_id),
			Error::<T>::RegistrationIdTaken
		);
		let hospital = NextHospitalId::<T>::get();
		let next = hospital.checked_next().ok_or(Error::<T>::IdOverflow)?;
		T::Currency::hold(
			&HoldReason::HospitalApplication.into(),
			&applicant,
			T::ApplicationDeposit::get(),
		)?;

		let now = Self::now();
		HospitalByRegistrationId::<T>::insert(&details.registration_id, hospital);
		Hospitals::<T>::insert(
			hospital,
			HospitalInfo {
				details,
				status: HospitalStatus::Pending,
				applicant: applicant.clone(),
				deposit_held: true,
				applied_at: now,
				status_changed_at: now,
				members: 1,
				admins: 1,
				staff: 0,
				patients: 0,
			},
		);
		HospitalMembers::<T>::insert(hospital, &applicant, HospitalRole::Admin);
		MemberOf::<T>::insert(&applicant, hospital);
		NextHospitalId::<T>::put(next);
		Self::deposit_event(Event::HospitalApplied { hospital, applicant });
		Ok(())
	}

	pub(crate) fn do_update_hospital_details(
		who: T::AccountId,
		hospital: HospitalId,
		details: HospitalDetails<T>,
	) -> DispatchResult {
		let mut info = Self::hospital(hospital)?;
		Self::ensure_admin(&who, hospital)?;
		Self::ensure_named(&details.registration_id, &details.name)?;
		ensure!(info.status != HospitalStatus::Revoked, Error::<T>::HospitalRevoked);
		if details.registration_id != info.details.registration_id {
			ensure!(
				!HospitalByRegistrationId::<T>::contains_key(&details.registration_id),
				Error::<T>::RegistrationIdTaken
			);
			HospitalByRegistrationId::<T>::remove(&info.details.registration_id);
			HospitalByRegistrationId::<T>::insert(&details.registration_id, hospital);
		}
		let reverification_required = info.status == HospitalStatus::Verified;
		if reverification_required {
			info.status = HospitalStatus::Pending;
			info.status_changed_at = Self::now();
		}
		info.details = details;
		Hospitals::<T>::insert(hospital, info);
		Self::deposit_event(Event::HospitalDetailsUpdated { hospital, reverification_required });
		if reverification_required {
			// Custodians are verified hospitals only.
			Self::leave_custodian_set(hospital)?;
		}
		Ok(())
	}

	pub(crate) fn do_add_member(
		who: T::AccountId,
		hospital: HospitalId,
		member: T::AccountId,
		role: HospitalRole,
	) -> DispatchResult {
		let mut info = Self::hospital(hospital)?;
		Self::ensure_admin(&who, hospital)?;
		ensure!(info.status != HospitalStatus::Revoked, Error::<T>::HospitalRevoked);
		ensure!(!MemberOf::<T>::contains_key(&member), Error::<T>::AlreadyMember);
		ensure!(info.members < T::MaxMembersPerHospital::get(), Error::<T>::TooManyMembers);
		info.members = info.members.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;
		if role == HospitalRole::Admin {
			info.admins = info.admins.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;
		}
		Hospitals::<T>::insert(hospital, info);
		HospitalMembers::<T>::insert(hospital, &member, role);
		MemberOf::<T>::insert(&member, hospital);
		Self::deposit_event(Event::MemberAdded { hospital, who: member, role });
		Ok(())
	}

	pub(crate) fn do_remove_member(
		who: T::AccountId,
		hospital: HospitalId,
		member: T::AccountId,
	) -> DispatchResult {
		let mut info = Self::hospital(hospital)?;
		Self::ensure_admin(&who, hospital)?;
		let role = HospitalMembers::<T>::get(hospital, &member).ok_or(Error::<T>::NotMember)?;
		ensure!(!(info.deposit_held && info.applicant == member), Error::<T>::ApplicantCannotLeave);
		if role == HospitalRole::Admin {
			ensure!(info.admins > 1, Error::<T>::LastAdmin);
			info.admins = info.admins.checked_sub(1).ok_or(Error::<T>::CounterOverflow)?;
		}
		info.members = info.members.checked_sub(1).ok_or(Error::<T>::CounterOverflow)?;
		Hospitals::<T>::insert(hospital, info);
		HospitalMembers::<T>::remove(hospital, &member);
		MemberOf::<T>::remove(&member);
		Self::deposit_event(Event::MemberRemoved { hospital, who: member });
		Ok(())
	}

	/// Burns the application deposit if it is still held (a rejected application).
	pub(crate) fn burn_deposit(hospital: HospitalId, info: &mut HospitalInfo<T>) -> DispatchResult {
		if info.deposit_held {
			let amount = T::Currency::burn_held(
				&HoldReason::HospitalApplication.into(),
				&info.applicant,
				T::ApplicationDeposit::get(),
				frame_support::traits::tokens::Precision::BestEffort,
				frame_support::traits::tokens::Fortitude::Force,
			)?;
			info.deposit_held = false;
			Self::deposit_event(Event::ApplicationDepositBurned {
				hospital,
				applicant: info.applicant.clone(),
				amount,
			});
		}
		Ok(())
	}

	/// Releases the application deposit if it is still held.
	pub(crate) fn release_deposit(info: &mut HospitalInfo<T>) -> DispatchResult {
		if info.deposit_held {
			T::Currency::release(
				&HoldReason::HospitalApplication.into(),
				&info.applicant,
				T::ApplicationDeposit::get(),
				frame_support::traits::tokens::Precision::BestEffort,
			)?;
			info.deposit_held = false;
		}
		Ok(())
	}
}
