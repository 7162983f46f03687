//! Benchmarks of every registry call and of `CheckPermissioned`, each in its worst case:
//! text fields at their maximum length, the most specializations, the deposit held and
//! released, a doctor at the most hospitals.

use super::*;
use crate::Pallet as Registry;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{
	dispatch::{DispatchInfo, PostDispatchInfo},
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate},
		EnsureOrigin,
	},
};
use frame_system::RawOrigin;
use pmr_primitives::{DoctorId, HospitalId, HospitalStatus, LabId, PatientId};
use sp_runtime::traits::{DispatchTransaction, Dispatchable, Saturating};

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
	let amount = T::ApplicationDeposit::get()
		.saturating_mul(10u32.into())
		.saturating_add(T::Currency::minimum_balance());
	T::Currency::set_balance(&who, amount);
	who
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
	}
	let id = DoctorByAccount::<T>::get(&doctor).ok_or(BenchmarkError::Weightless)?;
	Ok((doctor, id))
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
		Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo>,
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
		// a new registration ID: both index entries change, and re-verification is required
		let details = hospital_details::<T>(1);

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id, details);

		assert_eq!(Hospitals::<T>::get(id).map(|h| h.status), Some(HospitalStatus::Pending));
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

	#[benchmark]
	fn suspend_hospital() -> Result<(), BenchmarkError> {
		let (id, _) = verified_hospital::<T>(0)?;
		let origin = regulator::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert_eq!(Hospitals::<T>::get(id).map(|h| h.status), Some(HospitalStatus::Suspended));
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

	#[benchmark]
	fn revoke_hospital() -> Result<(), BenchmarkError> {
		// a pending application: the deposit is released too
		let (id, _) = pending_hospital::<T>(0)?;
		let origin = regulator::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert_eq!(Hospitals::<T>::get(id).map(|h| h.status), Some(HospitalStatus::Revoked));
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

		assert!(HospitalStaff::<T>::contains_key(id, StaffMember::Doctor(doctor_id)));
		Ok(())
	}

	#[benchmark]
	fn offboard_doctor() -> Result<(), BenchmarkError> {
		let (doctor, doctor_id) = busy_doctor::<T>()?;
		let (id, admin) = verified_hospital::<T>(0)?;
		Registry::<T>::onboard_doctor(
			RawOrigin::Signed(admin.clone()).into(),
			id,
			doctor,
			doctor_details::<T>(0),
		)?;

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

	/// The transaction extension, for a patient: every look-up (operators, regulators, other
	/// participants, then the registry's own) runs.
	#[benchmark]
	fn check_permissioned() -> Result<(), BenchmarkError> {
		let patient = registered_patient::<T>()?;
		let call: <T as frame_system::Config>::RuntimeCall =
			frame_system::Call::<T>::remark { remark: vec![] }.into();
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
