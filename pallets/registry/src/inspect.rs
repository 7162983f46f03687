//! The registry's answers to other pallets ([`RegistryInspect`]) and to clients (used by the
//! runtime API).

use crate::*;
use alloc::vec::Vec;
use frame_support::traits::{ContainsPair, Get};
use pmr_primitives::{
	DoctorId, EncryptionPublicKey, HospitalId, HospitalStatus, LabId, PatientId, RegistryInspect,
};

impl<T: Config> Pallet<T> {
	fn is_verified(hospital: HospitalId) -> bool {
		Hospitals::<T>::get(hospital).is_some_and(|h| h.status == HospitalStatus::Verified)
	}

	fn licence_ok(info: &DoctorInfo<T>) -> bool {
		match info.licence {
			LicenceStatus::Confirmed => true,
			LicenceStatus::Unconfirmed => !T::LicenceConfirmationRequired::get(),
			LicenceStatus::Revoked => false,
		}
	}

	/// Whether `who` holds a registered role ([`ParticipantRole`]) that may submit `call`
	/// ([`Config::RoleCalls`]). Roles are looked up one at a time, and only as far as needed.
	pub fn may_submit(who: &T::AccountId, call: &<T as frame_system::Config>::RuntimeCall) -> bool {
		let allows = |role: ParticipantRole| T::RoleCalls::contains(&role, call);
		let member = MemberOf::<T>::get(who).filter(|h| {
			Hospitals::<T>::get(h).is_some_and(|i| i.status != HospitalStatus::Revoked)
		});
		if let Some(role) = member.and_then(|h| HospitalMembers::<T>::get(h, who)) {
			let role = match role {
				HospitalRole::Admin => ParticipantRole::HospitalAdmin,
				HospitalRole::Desk => ParticipantRole::HospitalDesk,
				HospitalRole::KeyCustodian => ParticipantRole::KeyCustodian,
			};
			if allows(role) {
				return true;
			}
		}
		if let Some(doctor) = DoctorByAccount::<T>::get(who) {
			let role = if Self::doctor_is_active(doctor) {
				ParticipantRole::Doctor
			} else {
				ParticipantRole::InactiveDoctor
			};
			if allows(role) {
				return true;
			}
		}
		let active_lab = LabByAccount::<T>::get(who).and_then(Labs::<T>::get).is_some_and(|l| l.active);
		(active_lab && allows(ParticipantRole::Lab)) ||
			(PatientByAccount::<T>::contains_key(who) && allows(ParticipantRole::Patient))
	}

	/// The staff of a hospital (bounded by [`Config::MaxStaffPerHospital`]).
	pub fn staff_of(hospital: HospitalId) -> Vec<StaffMember> {
		HospitalStaff::<T>::iter_key_prefix(hospital).collect()
	}

	/// The member accounts of a hospital and their roles (bounded by
	/// [`Config::MaxMembersPerHospital`]).
	pub fn members_of(hospital: HospitalId) -> Vec<(T::AccountId, HospitalRole)> {
		HospitalMembers::<T>::iter_prefix(hospital).collect()
	}

	/// The custodian set the ingest worker splits data keys for: its version, the threshold
	/// (0 while not configured) and the custodians in approval order.
	pub fn custodian_set() -> CustodianSetInfo {
		CustodianSetInfo {
			version: CurrentCustodianSetVersion::<T>::get(),
			threshold: CustodianThreshold::<T>::get(),
			custodians: Custodians::<T>::get().into_inner(),
		}
	}

	/// The X25519 key a doctor or lab registered for released key shares, if any.
	pub fn staff_encryption_key(who: &T::AccountId) -> Option<EncryptionPublicKey> {
		StaffEncryptionKeys::<T>::get(who)
	}
}

impl<T: Config> pmr_primitives::HospitalStanding for Pallet<T> {
	fn hospital_status(hospital: HospitalId) -> Option<HospitalStatus> {
		<Self as RegistryInspect<T::AccountId>>::hospital_status(hospital)
	}
}

impl<T: Config> RegistryInspect<T::AccountId> for Pallet<T> {
	fn hospital_status(hospital: HospitalId) -> Option<HospitalStatus> {
		Hospitals::<T>::get(hospital).map(|h| h.status)
	}

	fn is_hospital_admin(who: &T::AccountId, hospital: HospitalId) -> bool {
		HospitalMembers::<T>::get(hospital, who) == Some(HospitalRole::Admin)
	}

	fn is_hospital_member(who: &T::AccountId, hospital: HospitalId) -> bool {
		matches!(
			HospitalMembers::<T>::get(hospital, who),
			Some(HospitalRole::Admin | HospitalRole::Desk)
		)
	}

	fn active_doctor_of(who: &T::AccountId, hospital: HospitalId) -> Option<DoctorId> {
		let doctor = DoctorByAccount::<T>::get(who)?;
		let info = Doctors::<T>::get(doctor)?;
		(Self::licence_ok(&info) && info.hospitals.contains(&hospital) && Self::is_verified(hospital))
			.then_some(doctor)
	}

	fn active_doctor(who: &T::AccountId) -> Option<DoctorId> {
		let doctor = DoctorByAccount::<T>::get(who)?;
		Self::doctor_is_active(doctor).then_some(doctor)
	}

	fn active_lab_of(who: &T::AccountId, hospital: HospitalId) -> Option<LabId> {
		let lab = LabByAccount::<T>::get(who)?;
		let info = Labs::<T>::get(lab)?;
		(info.active && info.hospital == hospital && Self::is_verified(hospital)).then_some(lab)
	}

	fn active_lab(who: &T::AccountId) -> Option<LabId> {
		let lab = LabByAccount::<T>::get(who)?;
		Self::lab_is_active(lab).then_some(lab)
	}

	fn doctor_is_active(doctor: DoctorId) -> bool {
		Doctors::<T>::get(doctor).is_some_and(|info| {
			Self::licence_ok(&info) && info.hospitals.iter().any(|h| Self::is_verified(*h))
		})
	}

	fn lab_is_active(lab: LabId) -> bool {
		Labs::<T>::get(lab).is_some_and(|info| info.active && Self::is_verified(info.hospital))
	}

	fn patient_of(who: &T::AccountId) -> Option<PatientId> {
		PatientByAccount::<T>::get(who)
	}

	fn patient_account(patient: PatientId) -> Option<T::AccountId> {
		Patients::<T>::get(patient).map(|p| p.account)
	}

	fn patient_encryption_key(patient: PatientId) -> Option<EncryptionPublicKey> {
		Patients::<T>::get(patient).map(|p| p.encryption_key)
	}

	fn registering_hospital(patient: PatientId) -> Option<HospitalId> {
		Patients::<T>::get(patient).map(|p| p.registered_by)
	}
}

/// Key custody for the key-release pallet: custodian nodes answer with an admin account of
/// their hospital; readers' shares are wrapped to their registered key.
impl<T: Config> pmr_primitives::KeyCustody<T::AccountId> for Pallet<T> {
	/// A key-custodian (the custodian node's) or admin account of a verified hospital that is
	/// in the current custodian set.
	fn custodian_of(who: &T::AccountId) -> Option<HospitalId> {
		let hospital = MemberOf::<T>::get(who)?;
		let answers = matches!(
			HospitalMembers::<T>::get(hospital, who),
			Some(HospitalRole::KeyCustodian | HospitalRole::Admin)
		);
		(answers &&
			Self::is_verified(hospital) &&
			Custodians::<T>::get().iter().any(|c| c.hospital == hospital))
		.then_some(hospital)
	}

	fn staff_encryption_key(who: &T::AccountId) -> Option<EncryptionPublicKey> {
		StaffEncryptionKeys::<T>::get(who)
	}
}
