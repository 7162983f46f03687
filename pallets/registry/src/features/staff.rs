//! Doctors and labs: onboarding and offboarding by a hospital's admin.

use crate::*;
use frame_support::{pallet_prelude::*, traits::Get};
use pmr_primitives::{DoctorId, HospitalId, HospitalStatus, LabId};

impl<T: Config> Pallet<T> {
	/// Checks that `who` administers `hospital` and that it is verified; returns the hospital.
	pub(crate) fn verified_hospital_of_admin(
		who: &T::AccountId,
		hospital: HospitalId,
	) -> Result<HospitalInfo<T>, DispatchError> {
		let info = Self::hospital(hospital)?;
		Self::ensure_admin(who, hospital)?;
		ensure!(info.status == HospitalStatus::Verified, Error::<T>::HospitalNotVerified);
		Ok(info)
	}

	fn add_staff(info: &mut HospitalInfo<T>) -> DispatchResult {
		ensure!(info.staff < T::MaxStaffPerHospital::get(), Error::<T>::TooManyStaff);
		info.staff = info.staff.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;
		Ok(())
	}

	fn remove_staff(hospital: HospitalId, member: StaffMember) -> DispatchResult {
		ensure!(HospitalStaff::<T>::contains_key(hospital, member), Error::<T>::NotStaffOfHospital);
		Hospitals::<T>::try_mutate(hospital, |maybe| -> DispatchResult {
			let info = maybe.as_mut().ok_or(Error::<T>::UnknownHospital)?;
			info.staff = info.staff.checked_sub(1).ok_or(Error::<T>::CounterOverflow)?;
			Ok(())
		})?;
		HospitalStaff::<T>::remove(hospital, member);
		Ok(())
	}

	pub(crate) fn do_onboard_doctor(
		who: T::AccountId,
		hospital: HospitalId,
		account: T::AccountId,
		details: DoctorDetails<T>,
	) -> DispatchResult {
		let mut info = Self::verified_hospital_of_admin(&who, hospital)?;
		Self::ensure_named(&details.registration_number, &details.name)?;
		// One account, one clinical role: access decisions resolve an account to the doctor or
		// the lab it is, so it cannot be both.
		ensure!(!LabByAccount::<T>::contains_key(&account), Error::<T>::AccountHasAnotherRole);

		if let Some(doctor) = DoctorByAccount::<T>::get(&account) {
			// A doctor already in the registry: an offer the doctor accepts or not. Nothing of
			// the doctor's changes without the doctor.
			let existing = Doctors::<T>::get(doctor).ok_or(Error::<T>::UnknownDoctor)?;
			ensure!(
				existing.details.registration_number == details.registration_number,
				Error::<T>::DoctorAccountMismatch
			);
			ensure!(!existing.hospitals.contains(&hospital), Error::<T>::AlreadyOnboarded);
			ensure!(
				(existing.hospitals.len() as u32) < T::MaxHospitalsPerDoctor::get(),
				Error::<T>::TooManyHospitals
			);
			ensure!(
				!AffiliationOffers::<T>::contains_key(doctor, hospital),
				Error::<T>::AffiliationAlreadyOffered
			);
			AffiliationOffers::<T>::insert(doctor, hospital, ());
			Self::deposit_event(Event::AffiliationOffered { hospital, doctor });
			return Ok(());
		}
		// A doctor new to the registry: the hospital creates the doctor's entry.
		ensure!(
			!DoctorByRegistrationNumber::<T>::contains_key(&details.registration_number),
			Error::<T>::RegistrationNumberTaken
		);
		let doctor = NextDoctorId::<T>::get();
		NextDoctorId::<T>::put(doctor.checked_next().ok_or(Error::<T>::IdOverflow)?);
		let mut hospitals = BoundedVec::new();
		hospitals.try_push(hospital).map_err(|_| Error::<T>::TooManyHospitals)?;
		DoctorByAccount::<T>::insert(&account, doctor);
		DoctorByRegistrationNumber::<T>::insert(&details.registration_number, doctor);
		let licence = if T::LicenceConfirmationRequired::get() {
			LicenceStatus::Unconfirmed
		} else {
			LicenceStatus::Confirmed
		};
		let doctor_info = DoctorInfo { account, details, licence, hospitals };
		Self::add_staff(&mut info)?;

		Hospitals::<T>::insert(hospital, info);
		HospitalStaff::<T>::insert(hospital, StaffMember::Doctor(doctor), ());
		Doctors::<T>::insert(doctor, doctor_info);
		Self::deposit_event(Event::DoctorOnboarded { hospital, doctor, new: true });
		Ok(())
	}

	pub(crate) fn do_offboard_doctor(
		who: T::AccountId,
		hospital: HospitalId,
		doctor: DoctorId,
	) -> DispatchResult {
		Self::hospital(hospital)?;
		Self::ensure_admin(&who, hospital)?;
		if AffiliationOffers::<T>::take(doctor, hospital).is_some() {
			Self::deposit_event(Event::AffiliationWithdrawn { hospital, doctor });
			return Ok(());
		}
		let mut info = Doctors::<T>::get(doctor).ok_or(Error::<T>::UnknownDoctor)?;
		let position = info
			.hospitals
			.iter()
			.position(|h| *h == hospital)
			.ok_or(Error::<T>::NotStaffOfHospital)?;
		Self::remove_staff(hospital, StaffMember::Doctor(doctor))?;
		info.hospitals.remove(position);
		Doctors::<T>::insert(doctor, info);
		Self::deposit_event(Event::DoctorOffboarded { hospital, doctor });
		Ok(())
	}

	pub(crate) fn do_set_doctor_contact(who: T::AccountId, contact: Text<T>) -> DispatchResult {
		let doctor = DoctorByAccount::<T>::get(&who).ok_or(Error::<T>::NotDoctor)?;
		Doctors::<T>::try_mutate(doctor, |info| {
			let info = info.as_mut().ok_or(Error::<T>::UnknownDoctor)?;
			ensure!(info.details.contact != contact, Error::<T>::ContactUnchanged);
			info.details.contact = contact;
			Self::deposit_event(Event::DoctorContactChanged {
				doctor,
				removed: info.details.contact.is_empty(),
			});
			Ok(())
		})
	}

	pub(crate) fn do_accept_affiliation(who: T::AccountId, hospital: HospitalId) -> DispatchResult {
		let doctor = DoctorByAccount::<T>::get(&who).ok_or(Error::<T>::NoAffiliationOffer)?;
		ensure!(AffiliationOffers::<T>::contains_key(doctor, hospital), Error::<T>::NoAffiliationOffer);
		let mut info = Self::hospital(hospital)?;
		ensure!(info.status == HospitalStatus::Verified, Error::<T>::HospitalNotVerified);
		let mut doctor_info = Doctors::<T>::get(doctor).ok_or(Error::<T>::UnknownDoctor)?;
		ensure!(!doctor_info.hospitals.contains(&hospital), Error::<T>::AlreadyOnboarded);
		doctor_info.hospitals.try_push(hospital).map_err(|_| Error::<T>::TooManyHospitals)?;
		Self::add_staff(&mut info)?;

		AffiliationOffers::<T>::remove(doctor, hospital);
		Hospitals::<T>::insert(hospital, info);
		HospitalStaff::<T>::insert(hospital, StaffMember::Doctor(doctor), ());
		Doctors::<T>::insert(doctor, doctor_info);
		Self::deposit_event(Event::DoctorOnboarded { hospital, doctor, new: false });
		Ok(())
	}

	pub(crate) fn do_onboard_lab(
		who: T::AccountId,
		hospital: HospitalId,
		account: T::AccountId,
		details: LabDetails<T>,
	) -> DispatchResult {
		let mut info = Self::verified_hospital_of_admin(&who, hospital)?;
		Self::ensure_named(&details.registration_number, &details.name)?;
		ensure!(!LabByAccount::<T>::contains_key(&account), Error::<T>::LabAccountTaken);
		ensure!(!DoctorByAccount::<T>::contains_key(&account), Error::<T>::AccountHasAnotherRole);
		ensure!(
			!LabByRegistrationNumber::<T>::contains_key(&details.registration_number),
			Error::<T>::RegistrationNumberTaken
		);
		Self::add_staff(&mut info)?;
		let lab = NextLabId::<T>::get();
		NextLabId::<T>::put(lab.checked_next().ok_or(Error::<T>::IdOverflow)?);

		Hospitals::<T>::insert(hospital, info);
		HospitalStaff::<T>::insert(hospital, StaffMember::Lab(lab), ());
		LabByAccount::<T>::insert(&account, lab);
		LabByRegistrationNumber::<T>::insert(&details.registration_number, lab);
		Labs::<T>::insert(lab, LabInfo { account, hospital, details, active: true });
		Self::deposit_event(Event::LabOnboarded { hospital, lab });
		Ok(())
	}

	pub(crate) fn do_offboard_lab(
		who: T::AccountId,
		hospital: HospitalId,
		lab: LabId,
	) -> DispatchResult {
		Self::hospital(hospital)?;
		Self::ensure_admin(&who, hospital)?;
		let mut info = Labs::<T>::get(lab).ok_or(Error::<T>::UnknownLab)?;
		ensure!(info.hospital == hospital, Error::<T>::NotStaffOfHospital);
		ensure!(info.active, Error::<T>::LabInactive);
		Self::remove_staff(hospital, StaffMember::Lab(lab))?;
		info.active = false;
		Labs::<T>::insert(lab, info);
		Self::deposit_event(Event::LabOffboarded { hospital, lab });
		Ok(())
	}
}
