//! Storage invariants, checked by `try-runtime` and after every test.

use crate::*;
use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use frame_support::{ensure, traits::Get};
use pmr_primitives::{CustodianSetVersion, HospitalId, HospitalStatus};
use sp_runtime::{traits::Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Checks the registry's invariants:
	/// - every ID in storage is below its `Next*Id` counter;
	/// - each hospital's member, admin, staff and patient counters match storage, and it has
	///   at least one admin; the reverse indexes agree with the forward maps;
	/// - every doctor's hospitals exist and list the doctor as staff, and vice versa;
	/// - every lab points at an existing hospital; active labs are its staff, inactive ones not;
	/// - every patient points at an existing hospital;
	/// - custodians are unique by hospital and by key, and every custodian's hospital is
	///   verified; so is every hospital with a pending custodian key;
	/// - the custodian threshold is 0 (not configured) or within `1..=MaxCustodians`; before
	///   the first change (version 0) there are no custodians and no threshold;
	/// - every staff encryption key belongs to a doctor's or a lab's account;
	/// - every affiliation offer names an existing doctor and hospital the doctor does not yet
	///   work for;
	/// - every account index (doctor, lab, patient) points at an entry that names that account;
	/// - every pending recovery names a known hospital and a new account other than the lost one;
	/// - every application deposit still held is on hold on its applicant's account (also after
	///   the applicant rotated their key), and the applicant is a member of that hospital.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next_hospital = NextHospitalId::<T>::get();
		let mut patients_per_hospital = BTreeMap::<HospitalId, u32>::new();

		for (id, info) in Hospitals::<T>::iter() {
			if info.deposit_held {
				// A member of one hospital only, so one held deposit per applicant.
				use frame_support::traits::fungible::InspectHold;
				ensure!(
					MemberOf::<T>::get(&info.applicant) == Some(id),
					"a pending application's applicant is not its member"
				);
				let reason = HoldReason::HospitalApplication.into();
				ensure!(
					T::Currency::balance_on_hold(&reason, &info.applicant) >= T::ApplicationDeposit::get(),
					"an application deposit is not on hold on its applicant's account"
				);
			}
			ensure!(id < next_hospital, "hospital id not below NextHospitalId");
			ensure!(
				HospitalByRegistrationId::<T>::get(&info.details.registration_id) == Some(id),
				"registration-id index out of sync"
			);
			let members: alloc::vec::Vec<_> = HospitalMembers::<T>::iter_prefix(id).collect();
			ensure!(members.len() as u32 == info.members, "member counter mismatch");
			let admins = members.iter().filter(|(_, r)| *r == HospitalRole::Admin).count() as u32;
			ensure!(admins == info.admins, "admin counter mismatch");
			ensure!(admins >= 1, "hospital without admin");
			for (account, _) in members {
				ensure!(MemberOf::<T>::get(&account) == Some(id), "MemberOf out of sync");
			}
			let staff = HospitalStaff::<T>::iter_key_prefix(id).count() as u32;
			ensure!(staff == info.staff, "staff counter mismatch");
			ensure!(staff <= T::MaxStaffPerHospital::get(), "too many staff");
			ensure!(info.members <= T::MaxMembersPerHospital::get(), "too many members");
		}
		for (account, hospital) in MemberOf::<T>::iter() {
			ensure!(
				HospitalMembers::<T>::contains_key(hospital, &account),
				"MemberOf points at a non-member"
			);
		}

		let next_doctor = NextDoctorId::<T>::get();
		for (id, info) in Doctors::<T>::iter() {
			ensure!(id < next_doctor, "doctor id not below NextDoctorId");
			ensure!(DoctorByAccount::<T>::get(&info.account) == Some(id), "doctor index out of sync");
			for h in info.hospitals.iter() {
				ensure!(Hospitals::<T>::contains_key(h), "doctor points at a missing hospital");
				ensure!(
					HospitalStaff::<T>::contains_key(h, StaffMember::Doctor(id)),
					"doctor's hospital does not list the doctor"
				);
			}
		}

		let next_lab = NextLabId::<T>::get();
		for (id, info) in Labs::<T>::iter() {
			ensure!(id < next_lab, "lab id not below NextLabId");
			ensure!(Hospitals::<T>::contains_key(info.hospital), "lab points at a missing hospital");
			ensure!(LabByAccount::<T>::get(&info.account) == Some(id), "lab index out of sync");
			ensure!(
				HospitalStaff::<T>::contains_key(info.hospital, StaffMember::Lab(id)) == info.active,
				"lab staff entry does not match its active flag"
			);
		}

		for (hospital, member, ()) in HospitalStaff::<T>::iter() {
			match member {
				StaffMember::Doctor(d) => ensure!(
					Doctors::<T>::get(d).is_some_and(|i| i.hospitals.contains(&hospital)),
					"staff entry for a doctor who does not work there"
				),
				StaffMember::Lab(l) => ensure!(
					Labs::<T>::get(l).is_some_and(|i| i.hospital == hospital && i.active),
					"staff entry for a lab that is not active there"
				),
			}
		}

		let next_patient = NextPatientId::<T>::get();
		for (id, info) in Patients::<T>::iter() {
			ensure!(id < next_patient, "patient id not below NextPatientId");
			ensure!(PatientByAccount::<T>::get(&info.account) == Some(id), "patient index out of sync");
			ensure!(
				Hospitals::<T>::contains_key(info.registered_by),
				"patient points at a missing hospital"
			);
			let n = patients_per_hospital.entry(info.registered_by).or_default();
			*n = n.saturating_add(1);
		}
		for (id, info) in Hospitals::<T>::iter() {
			ensure!(
				patients_per_hospital.get(&id).copied().unwrap_or(0) == info.patients,
				"patient counter mismatch"
			);
		}

		let verified = |h: HospitalId| {
			Hospitals::<T>::get(h).is_some_and(|i| i.status == HospitalStatus::Verified)
		};
		let custodians = Custodians::<T>::get();
		let mut custodian_hospitals = BTreeSet::new();
		let mut custodian_keys = BTreeSet::new();
		for custodian in custodians.iter() {
			ensure!(custodian_hospitals.insert(custodian.hospital), "a hospital is a custodian twice");
			ensure!(custodian_keys.insert(custodian.key), "two custodians share a key");
			ensure!(verified(custodian.hospital), "a custodian's hospital is not verified");
		}
		for hospital in PendingCustodianKeys::<T>::iter_keys() {
			ensure!(verified(hospital), "a pending custodian key of a hospital that is not verified");
		}
		let threshold = CustodianThreshold::<T>::get();
		ensure!(
			u32::from(threshold) <= T::MaxCustodians::get(),
			"custodian threshold above MaxCustodians"
		);
		if CurrentCustodianSetVersion::<T>::get() == CustodianSetVersion(0) {
			ensure!(
				custodians.is_empty() && threshold == 0,
				"custodian set or threshold changed without a version bump"
			);
		}
		for account in StaffEncryptionKeys::<T>::iter_keys() {
			ensure!(
				DoctorByAccount::<T>::contains_key(&account) ||
					LabByAccount::<T>::contains_key(&account),
				"staff encryption key of an account that is neither a doctor nor a lab"
			);
		}
		for (doctor, hospital, ()) in AffiliationOffers::<T>::iter() {
			let info = Doctors::<T>::get(doctor).ok_or("an offer names an unknown doctor")?;
			ensure!(Hospitals::<T>::contains_key(hospital), "an offer names an unknown hospital");
			ensure!(!info.hospitals.contains(&hospital), "an offer for a hospital the doctor works for");
		}
		// The account indexes point back (a rotation moves both sides).
		for (account, id) in DoctorByAccount::<T>::iter() {
			ensure!(Doctors::<T>::get(id).is_some_and(|i| i.account == account), "stale doctor index");
		}
		for (account, id) in LabByAccount::<T>::iter() {
			ensure!(Labs::<T>::get(id).is_some_and(|i| i.account == account), "stale lab index");
		}
		for (account, id) in PatientByAccount::<T>::iter() {
			ensure!(Patients::<T>::get(id).is_some_and(|i| i.account == account), "stale patient index");
		}
		for (lost, recovery) in PendingRecoveries::<T>::iter() {
			ensure!(lost != recovery.new, "a recovery to the lost account itself");
			ensure!(
				Hospitals::<T>::contains_key(recovery.hospital),
				"a recovery proposed by an unknown hospital"
			);
			ensure!(
				recovery.executable_at >= recovery.proposed_at.saturating_add(T::RecoveryDelay::get()),
				"a recovery without its delay"
			);
		}
		Ok(())
	}
}
