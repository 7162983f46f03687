//! Benchmarks of every registry call and of `CheckPermissioned`, each in its worst case:
//! text fields at their maximum length, the most specializations, the deposit held and
//! released, a doctor at the most hospitals, a full custodian set (searched to its end, and
//! left by a hospital that stops being verified).

use super::*;
use crate::Pallet as Registry;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{
	dispatch::{DispatchInfo, PostDispatchInfo},
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		EnsureOrigin,
	},
};
use frame_system::RawOrigin;
use pmr_primitives::{
	CustodianSetVersion, DoctorId, EncryptionPublicKey, HospitalId, HospitalStatus, LabId,
	PatientId,
};
use sp_runtime::traits::{DispatchTransaction, Dispatchable, Saturating, Zero};

/// A text of maximum length, unique for `seed`.
fn text<T: Config>(seed: u32) -> Text<T> {
	let mut bytes = vec![b'x'; T::MaxTextLen::get() as usize];
	for (b, s) in bytes.iter_mut().zip(seed.to_le_bytes()) {
		*b = s;
	}
	BoundedVec::truncate_from(bytes)
}

fn hospital_details<T: Config>(seed: u32) -> HospitalDetails<T> {
	HospitalDetails {
		registration_id: text::<T>(seed),
		name: text::<T>(seed),
		location: text::<T>(seed),
		specializations: BoundedVec::truncate_from(vec![
			text::<T>(seed);
			T::MaxSpecializations::get() as usize
		]),
		contact: text::<T>(seed),
	}
}

fn doctor_details<T: Config>(seed: u32) -> DoctorDetails<T> {
	DoctorDetails {
		registration_number: text::<T>(seed),
		name: text::<T>(seed),
		specialization: text::<T>(seed),
		contact: text::<T>(seed),
	}
}

fn lab_details<T: Config>(seed: u32) -> LabDetails<T> {
	LabDetails {
		registration_number: text::<T>(seed),
		name: text::<T>(seed),
		specialization: text::<T>(seed),
	}
}

/// An account with enough funds for the application deposit.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	fund::<T>(&who);
	who
}

/// Gives `who` enough funds for the application deposit.
fn fund<T: Config>(who: &T::AccountId) {
	let amount = T::ApplicationDeposit::get()
		.saturating_mul(10u32.into())
		.saturating_add(T::Currency::minimum_balance());
	T::Currency::set_balance(who, amount);
}

fn regulator<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::RegulatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

/// A pending hospital applied for by a fresh admin; returns (id, admin).
fn pending_hospital<T: Config>(seed: u32) -> Result<(HospitalId, T::AccountId), BenchmarkError> {
	let admin = funded::<T>("admin", seed);
	let id = NextHospitalId::<T>::get();
	Registry::<T>::apply_for_registration(
		RawOrigin::Signed(admin.clone()).into(),
		hospital_details::<T>(seed),
	)?;
	Ok((id, admin))
}

/// A verified hospital; returns (id, admin).
fn verified_hospital<T: Config>(seed: u32) -> Result<(HospitalId, T::AccountId), BenchmarkError> {
	let (id, admin) = pending_hospital::<T>(seed)?;
	Registry::<T>::verify_hospital(regulator::<T>()?, id)?;
	Ok((id, admin))
}

/// A doctor working for `MaxHospitalsPerDoctor - 1` verified hospitals (their seeds start at
/// 1000); returns the doctor's account and Doctor-ID.
fn busy_doctor<T: Config>() -> Result<(T::AccountId, DoctorId), BenchmarkError> {
	let doctor = doctor_account::<T>();
	for i in 0..T::MaxHospitalsPerDoctor::get().saturating_sub(1) {
		let (h, admin) = verified_hospital::<T>(1000 + i)?;
		Registry::<T>::onboard_doctor(
			RawOrigin::Signed(admin).into(),
			h,
			doctor.clone(),
			doctor_details::<T>(0),
		)?;
		if i > 0 {
			Registry::<T>::accept_affiliation(RawOrigin::Signed(doctor.clone()).into(), h)?;
		}
	}
	let id = DoctorByAccount::<T>::get(&doctor).ok_or(BenchmarkError::Weightless)?;
	Ok((doctor, id))
}

/// An account holding every role a rotation moves: a doctor at the most hospitals, with an
/// encryption key, who is also a desk member and a patient of the last of them (a verified
/// hospital responsible for all of it); returns (account, that hospital, its admin).
fn holder_of_every_role<T: Config>() -> Result<(T::AccountId, HospitalId, T::AccountId), BenchmarkError> {
	let (doctor, _) = busy_doctor::<T>()?;
	let (hospital, admin) = verified_hospital::<T>(0)?;
	let signed = |who: &T::AccountId| -> T::RuntimeOrigin { RawOrigin::Signed(who.clone()).into() };
	Registry::<T>::onboard_doctor(signed(&admin), hospital, doctor.clone(), doctor_details::<T>(0))?;
	Registry::<T>::accept_affiliation(signed(&doctor), hospital)?;
	Registry::<T>::add_member(signed(&admin), hospital, doctor.clone(), HospitalRole::Desk)?;
	Registry::<T>::register_patient(signed(&admin), hospital, doctor.clone(), [1u8; 32], [2u8; 32])?;
	Registry::<T>::set_encryption_key(signed(&doctor), key(0))?;
	Ok((doctor, hospital, admin))
}

fn doctor_account<T: Config>() -> T::AccountId {
	account("doctor", 0, 0)
}

/// A doctor onboarded by a fresh verified hospital; returns the Doctor-ID.
fn onboarded_doctor<T: Config>() -> Result<DoctorId, BenchmarkError> {
	let (id, admin) = verified_hospital::<T>(0)?;
	Registry::<T>::onboard_doctor(
		RawOrigin::Signed(admin).into(),
		id,
		doctor_account::<T>(),
		doctor_details::<T>(0),
	)?;
	DoctorByAccount::<T>::get(doctor_account::<T>()).ok_or(BenchmarkError::Weightless)
}

/// A patient registered at a fresh verified hospital; returns the patient's account.
fn registered_patient<T: Config>() -> Result<T::AccountId, BenchmarkError> {
	let (id, admin) = verified_hospital::<T>(0)?;
	let patient: T::AccountId = account("patient", 0, 0);
	Registry::<T>::register_patient(
		RawOrigin::Signed(admin).into(),
		id,
		patient.clone(),
		[1u8; 32],
		[2u8; 32],
	)?;
	Ok(patient)
}

/// An X25519 key unique for `seed`.
fn key(seed: u32) -> EncryptionPublicKey {
	let mut key = [0xc5u8; 32];
	for (b, s) in key.iter_mut().zip(seed.to_le_bytes()) {
		*b = s;
	}
	key
}

/// Makes a verified hospital a custodian with `key` (its admin proposes, a regulator approves).
fn make_custodian<T: Config>(
	hospital: HospitalId,
	admin: &T::AccountId,
	key: EncryptionPublicKey,
) -> Result<(), BenchmarkError> {
	Registry::<T>::propose_custodian_key(RawOrigin::Signed(admin.clone()).into(), hospital, key)?;
	Registry::<T>::approve_custodian_key(regulator::<T>()?, hospital)?;
	Ok(())
}

/// `n` custodians, each a fresh verified hospital (seeds from 2000 up).
fn custodians<T: Config>(n: u32) -> Result<(), BenchmarkError> {
	for i in 0..n {
		let (hospital, admin) = verified_hospital::<T>(2000 + i)?;
		make_custodian::<T>(hospital, &admin, key(2000 + i))?;
	}
	Ok(())
}

/// Makes the verified hospital `hospital` the last of a full custodian set, with a rotation
/// key pending: the worst case of leaving the set (searched to its end, a pending key to drop).
fn last_of_full_custodian_set<T: Config>(
	hospital: HospitalId,
	admin: &T::AccountId,
) -> Result<(), BenchmarkError> {
	custodians::<T>(T::MaxCustodians::get().saturating_sub(1))?;
	make_custodian::<T>(hospital, admin, key(1))?;
	Registry::<T>::propose_custodian_key(RawOrigin::Signed(admin.clone()).into(), hospital, key(2))?;
	assert_eq!(Custodians::<T>::get().len() as u32, T::MaxCustodians::get());
	Ok(())
}

/// A patient's account replaced for other pallets' benchmarks (the medical-records pallet's
/// `reclaim_records`).
impl<T: Config> pmr_primitives::PatientRotationBenchmarkHelper<T::AccountId> for Pallet<T> {
	fn rotate_patient(patient: PatientId, new: T::AccountId) -> sp_runtime::DispatchResult {
		let old = Patients::<T>::get(patient).ok_or(Error::<T>::NotPatient)?.account;
		Registry::<T>::move_account(&old, &new, true).map(|_| ())
	}
}

/// Real registry state for other pallets' benchmarks: each participant gets its own verified
/// hospital (seeds from 10 000 up, so they never clash with this pallet's own benchmarks).
impl<T: Config> pmr_primitives::RegistryBenchmarkHelper<T::AccountId> for Pallet<T> {
	/// The worst case for look-ups: the doctor works for `MaxHospitalsPerDoctor` hospitals and
	/// all but the last are suspended, so "is this doctor active?" reads every one of them.
	fn doctor(seed: u32) -> (T::AccountId, DoctorId) {
		let who: T::AccountId = account("helper-doctor", seed, 0);
		let hospitals = T::MaxHospitalsPerDoctor::get();
		for i in 0..hospitals {
			let (hospital, admin) =
				verified_hospital::<T>(10_000 + seed * 64 + i).expect("hospital");
			Registry::<T>::onboard_doctor(
				RawOrigin::Signed(admin).into(),
				hospital,
				who.clone(),
				doctor_details::<T>(10_000 + seed),
			)
			.expect("doctor onboarded");
			if i > 0 {
				Registry::<T>::accept_affiliation(RawOrigin::Signed(who.clone()).into(), hospital)
					.expect("affiliation accepted");
			}
			if i + 1 < hospitals {
				Registry::<T>::suspend_hospital(regulator::<T>().expect("regulator"), hospital)
					.expect("suspended");
			}
		}
		let id = DoctorByAccount::<T>::get(&who).expect("doctor registered");
		Registry::<T>::confirm_doctor_licence(regulator::<T>().expect("regulator"), id)
			.expect("licence confirmed");
		(who, id)
	}

	fn lab(seed: u32) -> (T::AccountId, LabId) {
		let (hospital, admin) = verified_hospital::<T>(20_000 + seed).expect("hospital");
		let who: T::AccountId = account("helper-lab", seed, 0);
		Registry::<T>::onboard_lab(
			RawOrigin::Signed(admin).into(),
			hospital,
			who.clone(),
			lab_details::<T>(20_000 + seed),
		)
		.expect("lab onboarded");
		(who.clone(), LabByAccount::<T>::get(&who).expect("lab registered"))
	}

	fn patient(seed: u32) -> (T::AccountId, PatientId) {
		let (hospital, admin) = verified_hospital::<T>(30_000 + seed).expect("hospital");
		let who: T::AccountId = account("helper-patient", seed, 0);
		Registry::<T>::register_patient(
			RawOrigin::Signed(admin).into(),
			hospital,
			who.clone(),
			[1u8; 32],
			[2u8; 32],
		)
		.expect("patient registered");
		(who.clone(), PatientByAccount::<T>::get(&who).expect("patient registered"))
	}

	fn treating_doctor(seed: u32) -> (T::AccountId, DoctorId, HospitalId, T::AccountId, PatientId) {
		let (doctor, doctor_id) = <Self as pmr_primitives::RegistryBenchmarkHelper<_>>::doctor(seed);
		let hospital = Doctors::<T>::get(doctor_id)
			.and_then(|d| d.hospitals.last().copied())
			.expect("the doctor works somewhere");
		let admin = <Self as pmr_primitives::RegistryBenchmarkHelper<_>>::hospital_admin(hospital);
		let who: T::AccountId = account("helper-treated", seed, 0);
		Registry::<T>::register_patient(
			RawOrigin::Signed(admin).into(),
			hospital,
			who.clone(),
			[1u8; 32],
			[2u8; 32],
		)
		.expect("patient registered");
		let patient = PatientByAccount::<T>::get(&who).expect("patient registered");
		(doctor, doctor_id, hospital, who, patient)
	}

	fn hospital_admin(hospital: HospitalId) -> T::AccountId {
		HospitalMembers::<T>::iter_prefix(hospital)
			.find(|(_, role)| *role == HospitalRole::Admin)
			.map(|(admin, _)| admin)
			.expect("the hospital has an admin")
	}
}

#[benchmarks(where
	<T as frame_system::Config>::RuntimeCall:
		Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo> + From<Call<T>>,
	T: Send + Sync,
)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn apply_for_registration() {
		let applicant = funded::<T>("applicant", 0);
		let details = hospital_details::<T>(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(applicant.clone()), details);

		assert_eq!(MemberOf::<T>::get(&applicant), Some(HospitalId(0)));
	}

	#[benchmark]
	fn update_hospital_details() -> Result<(), BenchmarkError> {
		let (id, admin) = verified_hospital::<T>(0)?;
		// the hospital leaves a full custodian set when it goes back to pending
		last_of_full_custodian_set::<T>(id, &admin)?;
		// a new registration ID: both index entries change, and re-verification is required
		let details = hospital_details::<T>(1);

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id, details);

		assert_eq!(Hospitals::<T>::get(id).map(|h| h.status), Some(HospitalStatus::Pending));
		assert!(!Custodians::<T>::get().iter().any(|c| c.hospital == id));
		Ok(())
	}

	#[benchmark]
	fn add_member() -> Result<(), BenchmarkError> {
		let (id, admin) = verified_hospital::<T>(0)?;
		let member: T::AccountId = account("member", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id, member.clone(), HospitalRole::Admin);

		assert_eq!(MemberOf::<T>::get(&member), Some(id));
		Ok(())
	}

	#[benchmark]
	fn remove_member() -> Result<(), BenchmarkError> {
		let (id, admin) = verified_hospital::<T>(0)?;
		let member: T::AccountId = account("member", 0, 0);
		Registry::<T>::add_member(
			RawOrigin::Signed(admin.clone()).into(),
			id,
			member.clone(),
			HospitalRole::Admin,
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id, member.clone());

		assert_eq!(MemberOf::<T>::get(&member), None);
		Ok(())
	}

	#[benchmark]
	fn verify_hospital() -> Result<(), BenchmarkError> {
		let (id, _) = pending_hospital::<T>(0)?;
		let origin = regulator::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert_eq!(Hospitals::<T>::get(id).map(|h| h.status), Some(HospitalStatus::Verified));
		Ok(())
	}

	/// The hospital is the last of a full custodian set, with a rotation key pending.
	#[benchmark]
	fn suspend_hospital() -> Result<(), BenchmarkError> {
		let (id, admin) = verified_hospital::<T>(0)?;
		last_of_full_custodian_set::<T>(id, &admin)?;
		let origin = regulator::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert_eq!(Hospitals::<T>::get(id).map(|h| h.status), Some(HospitalStatus::Suspended));
		assert!(!Custodians::<T>::get().iter().any(|c| c.hospital == id));
		assert!(!PendingCustodianKeys::<T>::contains_key(id));
		Ok(())
	}

	#[benchmark]
	fn reinstate_hospital() -> Result<(), BenchmarkError> {
		let (id, _) = verified_hospital::<T>(0)?;
		Registry::<T>::suspend_hospital(regulator::<T>()?, id)?;
		let origin = regulator::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert_eq!(Hospitals::<T>::get(id).map(|h| h.status), Some(HospitalStatus::Verified));
		Ok(())
	}

	/// Both costly paths at once: the hospital leaves a full custodian set (it is the last
	/// custodian, with a rotation key pending) and its application deposit is burnt. A real
	/// hospital has one or the other (only a pending application still holds a deposit, and
	/// only a verified hospital is a custodian), so the application is made pending again
	/// here to bound both.
	#[benchmark]
	fn revoke_hospital() -> Result<(), BenchmarkError> {
		let (id, admin) = verified_hospital::<T>(0)?;
		last_of_full_custodian_set::<T>(id, &admin)?;
		T::Currency::hold(
			&HoldReason::HospitalApplication.into(),
			&admin,
			T::ApplicationDeposit::get(),
		)?;
		Hospitals::<T>::mutate(id, |h| {
			if let Some(h) = h {
				h.deposit_held = true;
				h.status = HospitalStatus::Pending;
			}
		});
		let origin = regulator::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert!(T::Currency::balance_on_hold(&HoldReason::HospitalApplication.into(), &admin).is_zero());

		assert_eq!(Hospitals::<T>::get(id).map(|h| h.status), Some(HospitalStatus::Revoked));
		assert!(!Custodians::<T>::get().iter().any(|c| c.hospital == id));
		assert_eq!(Hospitals::<T>::get(id).map(|h| h.deposit_held), Some(false));
		Ok(())
	}

	#[benchmark]
	fn onboard_new_doctor() -> Result<(), BenchmarkError> {
		let (id, admin) = verified_hospital::<T>(0)?;
		let doctor: T::AccountId = account("doctor", 1, 0);

		#[extrinsic_call]
		onboard_doctor(RawOrigin::Signed(admin), id, doctor.clone(), doctor_details::<T>(1));

		assert!(DoctorByAccount::<T>::contains_key(&doctor));
		Ok(())
	}

	#[benchmark]
	fn onboard_existing_doctor() -> Result<(), BenchmarkError> {
		let (doctor, doctor_id) = busy_doctor::<T>()?;
		let (id, admin) = verified_hospital::<T>(0)?;

		#[extrinsic_call]
		onboard_doctor(RawOrigin::Signed(admin), id, doctor, doctor_details::<T>(0));

		assert!(AffiliationOffers::<T>::contains_key(doctor_id, id));
		Ok(())
	}

	#[benchmark]
	fn accept_affiliation() -> Result<(), BenchmarkError> {
		let (doctor, doctor_id) = busy_doctor::<T>()?;
		let (id, admin) = verified_hospital::<T>(0)?;
		Registry::<T>::onboard_doctor(
			RawOrigin::Signed(admin).into(),
			id,
			doctor.clone(),
			doctor_details::<T>(0),
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(doctor), id);

		assert!(HospitalStaff::<T>::contains_key(id, StaffMember::Doctor(doctor_id)));
		Ok(())
	}

	#[benchmark]
	fn set_doctor_contact() -> Result<(), BenchmarkError> {
		// A doctor at the most hospitals (the largest entry to read and write back).
		let (doctor, doctor_id) = busy_doctor::<T>()?;
		let contact = text::<T>(1);

		#[extrinsic_call]
		_(RawOrigin::Signed(doctor), contact.clone());

		let info = Doctors::<T>::get(doctor_id).ok_or(BenchmarkError::Weightless)?;
		assert_eq!(info.details.contact, contact);
		Ok(())
	}

	#[benchmark]
	fn rotate_account() -> Result<(), BenchmarkError> {
		// Every role a rotation moves, with the costliest membership: the applicant of a
		// pending hospital, whose held application deposit moves too.
		let (old, hospital, admin) = holder_of_every_role::<T>()?;
		Registry::<T>::remove_member(RawOrigin::Signed(admin).into(), hospital, old.clone())?;
		fund::<T>(&old);
		let pending = NextHospitalId::<T>::get();
		Registry::<T>::apply_for_registration(RawOrigin::Signed(old.clone()).into(), hospital_details::<T>(1))?;
		let new = funded::<T>("new", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(old.clone()), new.clone());

		assert!(Registry::<T>::roles_of(&old).is_empty());
		assert!(StaffEncryptionKeys::<T>::contains_key(&new));
		let application = Hospitals::<T>::get(pending).ok_or(BenchmarkError::Weightless)?;
		assert!(application.deposit_held && application.applicant == new);
		Ok(())
	}

	#[benchmark]
	fn propose_recovery() -> Result<(), BenchmarkError> {
		let (lost, hospital, admin) = holder_of_every_role::<T>()?;
		let new: T::AccountId = account("new", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), hospital, lost.clone(), new);

		assert!(PendingRecoveries::<T>::contains_key(&lost));
		Ok(())
	}

	#[benchmark]
	fn approve_recovery() -> Result<(), BenchmarkError> {
		let (lost, hospital, admin) = holder_of_every_role::<T>()?;
		let new: T::AccountId = account("new", 0, 0);
		Registry::<T>::propose_recovery(RawOrigin::Signed(admin).into(), hospital, lost.clone(), new.clone())?;
		Registry::<T>::object_recovery(RawOrigin::Signed(lost.clone()).into(), lost.clone())?;
		let after_delay = frame_system::Pallet::<T>::block_number().saturating_add(T::RecoveryDelay::get());
		frame_system::Pallet::<T>::set_block_number(after_delay);
		let origin = T::RecoveryOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lost.clone());

		assert!(Registry::<T>::roles_of(&lost).is_empty());
		assert!(!Registry::<T>::roles_of(&new).is_empty());
		Ok(())
	}

	#[benchmark]
	fn object_recovery() -> Result<(), BenchmarkError> {
		// The holder of a patient account (also asked whether it is a guardian), logged in
		// the patient's trail.
		let (lost, hospital, admin) = holder_of_every_role::<T>()?;
		let new: T::AccountId = account("new", 0, 0);
		Registry::<T>::propose_recovery(RawOrigin::Signed(admin).into(), hospital, lost.clone(), new)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(lost.clone()), lost.clone());

		assert!(PendingRecoveries::<T>::get(&lost).is_some_and(|r| r.objected_by == Some(lost.clone())));
		Ok(())
	}

	#[benchmark]
	fn cancel_recovery() -> Result<(), BenchmarkError> {
		let (lost, hospital, admin) = holder_of_every_role::<T>()?;
		let new: T::AccountId = account("new", 0, 0);
		Registry::<T>::propose_recovery(RawOrigin::Signed(admin.clone()).into(), hospital, lost.clone(), new)?;

		// An admin of the hospital (the longest permission path).
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), lost.clone());

		assert!(!PendingRecoveries::<T>::contains_key(&lost));
		Ok(())
	}

	#[benchmark]
	fn offboard_doctor() -> Result<(), BenchmarkError> {
		let (doctor, doctor_id) = busy_doctor::<T>()?;
		let (id, admin) = verified_hospital::<T>(0)?;
		Registry::<T>::onboard_doctor(
			RawOrigin::Signed(admin.clone()).into(),
			id,
			doctor.clone(),
			doctor_details::<T>(0),
		)?;
		Registry::<T>::accept_affiliation(RawOrigin::Signed(doctor).into(), id)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id, doctor_id);

		assert!(!HospitalStaff::<T>::contains_key(id, StaffMember::Doctor(doctor_id)));
		Ok(())
	}

	#[benchmark]
	fn confirm_doctor_licence() -> Result<(), BenchmarkError> {
		let doctor = onboarded_doctor::<T>()?;
		// a runtime that does not require confirmation onboards doctors as confirmed
		Doctors::<T>::mutate(doctor, |d| {
			if let Some(d) = d {
				d.licence = LicenceStatus::Unconfirmed;
			}
		});
		let origin = regulator::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, doctor);

		assert_eq!(Doctors::<T>::get(doctor).map(|d| d.licence), Some(LicenceStatus::Confirmed));
		Ok(())
	}

	#[benchmark]
	fn revoke_doctor_licence() -> Result<(), BenchmarkError> {
		let doctor = onboarded_doctor::<T>()?;
		let origin = regulator::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, doctor);

		assert_eq!(Doctors::<T>::get(doctor).map(|d| d.licence), Some(LicenceStatus::Revoked));
		Ok(())
	}

	#[benchmark]
	fn onboard_lab() -> Result<(), BenchmarkError> {
		let (id, admin) = verified_hospital::<T>(0)?;
		let lab: T::AccountId = account("lab", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id, lab.clone(), lab_details::<T>(0));

		assert!(LabByAccount::<T>::contains_key(&lab));
		Ok(())
	}

	#[benchmark]
	fn offboard_lab() -> Result<(), BenchmarkError> {
		let (id, admin) = verified_hospital::<T>(0)?;
		let lab: T::AccountId = account("lab", 0, 0);
		Registry::<T>::onboard_lab(
			RawOrigin::Signed(admin.clone()).into(),
			id,
			lab.clone(),
			lab_details::<T>(0),
		)?;
		let lab_id = LabByAccount::<T>::get(&lab).ok_or(BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id, lab_id);

		assert_eq!(Labs::<T>::get(lab_id).map(|l| l.active), Some(false));
		Ok(())
	}

	#[benchmark]
	fn register_patient() -> Result<(), BenchmarkError> {
		let (id, admin) = verified_hospital::<T>(0)?;
		let patient: T::AccountId = account("patient", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id, patient.clone(), [1u8; 32], [2u8; 32]);

		assert!(PatientByAccount::<T>::contains_key(&patient));
		Ok(())
	}

	#[benchmark]
	fn update_patient() -> Result<(), BenchmarkError> {
		let patient = registered_patient::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), [3u8; 32], [4u8; 32]);

		let p = PatientByAccount::<T>::get(&patient).ok_or(BenchmarkError::Weightless)?;
		assert_eq!(Patients::<T>::get(p).map(|i| i.commitment), Some([3u8; 32]));
		Ok(())
	}

	/// A full custodian set of other hospitals to check the key against, and a pending
	/// proposal to replace.
	#[benchmark]
	fn propose_custodian_key() -> Result<(), BenchmarkError> {
		let (id, admin) = verified_hospital::<T>(0)?;
		custodians::<T>(T::MaxCustodians::get())?;
		Registry::<T>::propose_custodian_key(RawOrigin::Signed(admin.clone()).into(), id, key(1))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id, key(2));

		assert_eq!(PendingCustodianKeys::<T>::get(id), Some(key(2)));
		Ok(())
	}

	/// The approved hospital fills the custodian set (every entry is checked for its key and
	/// hospital first).
	#[benchmark]
	fn approve_custodian_key() -> Result<(), BenchmarkError> {
		let (id, admin) = verified_hospital::<T>(0)?;
		custodians::<T>(T::MaxCustodians::get().saturating_sub(1))?;
		Registry::<T>::propose_custodian_key(RawOrigin::Signed(admin).into(), id, key(1))?;
		let before = CurrentCustodianSetVersion::<T>::get();
		let origin = regulator::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert_eq!(Custodians::<T>::get().len() as u32, T::MaxCustodians::get());
		assert_eq!(CurrentCustodianSetVersion::<T>::get(), CustodianSetVersion(before.0 + 1));
		Ok(())
	}

	/// The removed hospital is the last of a full custodian set.
	#[benchmark]
	fn remove_custodian() -> Result<(), BenchmarkError> {
		let (id, admin) = verified_hospital::<T>(0)?;
		custodians::<T>(T::MaxCustodians::get().saturating_sub(1))?;
		make_custodian::<T>(id, &admin, key(1))?;
		let origin = regulator::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert!(!Custodians::<T>::get().iter().any(|c| c.hospital == id));
		Ok(())
	}

	#[benchmark]
	fn set_custodian_threshold() -> Result<(), BenchmarkError> {
		let threshold = u8::try_from(T::MaxCustodians::get()).unwrap_or(u8::MAX);
		let origin = regulator::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, threshold);

		assert_eq!(CustodianThreshold::<T>::get(), threshold);
		Ok(())
	}

	/// For a lab (the doctor look-up misses first) replacing its key.
	#[benchmark]
	fn set_encryption_key() -> Result<(), BenchmarkError> {
		let (id, admin) = verified_hospital::<T>(0)?;
		let lab: T::AccountId = account("lab", 0, 0);
		Registry::<T>::onboard_lab(
			RawOrigin::Signed(admin).into(),
			id,
			lab.clone(),
			lab_details::<T>(0),
		)?;
		Registry::<T>::set_encryption_key(RawOrigin::Signed(lab.clone()).into(), key(1))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(lab.clone()), key(2));

		assert_eq!(StaffEncryptionKeys::<T>::get(&lab), Some(key(2)));
		Ok(())
	}

	/// The transaction extension, for a patient: every look-up (operators, regulators, other
	/// participants, then each of the registry's roles, the patient's last) runs.
	#[benchmark]
	fn check_permissioned() -> Result<(), BenchmarkError> {
		let patient = registered_patient::<T>()?;
		let call: <T as frame_system::Config>::RuntimeCall =
			Call::<T>::set_encryption_key { key: key(1) }.into();
		let info = DispatchInfo::default();
		let post_info = PostDispatchInfo::default();

		#[block]
		{
			let outcome = CheckPermissioned::<T>::new().test_run(
				RawOrigin::Signed(patient).into(),
				&call,
				&info,
				0,
				0,
				|_| Ok(post_info),
			);
			assert!(outcome.is_ok_and(|dispatched| dispatched.is_ok()));
		}
		Ok(())
	}

	impl_benchmark_test_suite!(Registry, crate::mock::new_test_ext(), crate::mock::Test);
}
