//! Benchmarks of every medical-records call in its worst case: CIDs at their
//! maximum size, content anchored with its manifest, a correction to resolve, erasure of a
//! record with every version and manifest. The calls that check access do so as the doctor of
//! the patient's registering hospital at the most hospitals, so their weights hold the access
//! check on standing access at its longest (the calls refund the policy's worst case they
//! charge on top when that is the ground, `AccessPolicy::weight_beyond_standing_access`).

use super::*;
use crate::Pallet as MedicalRecords;
use frame_benchmarking::v2::*;
use frame_support::pallet_prelude::*;
use frame_system::RawOrigin;
use pmr_primitives::{
	bench::{self, Anchorer},
	AccessGround, AccessPolicy, AccessTarget, EncryptedContent, ManifestRef, PatientId,
	PatientRotationBenchmarkHelper, PmrId, PmrItemId, Purpose, RecordCategory,
	RegistryBenchmarkHelper, VisitDate,
};

type Helper<T> = <T as Config>::BenchmarkHelper;

/// Records' benchmark content (distinct CIDs for distinct seeds).
fn manifest(seed: u32) -> ManifestRef {
	bench::manifest(Anchorer::Records, seed)
}

/// Content anchored with its manifest (the ingest worker's anchor, the larger one).
fn content(seed: u32) -> EncryptedContent {
	bench::content(Anchorer::Records, seed)
}

/// Content anchored without a manifest (attached later).
fn bare_content(seed: u32) -> EncryptedContent {
	bench::bare_content(Anchorer::Records, seed)
}

fn note<T: Config>() -> pmr_primitives::NoteHash {
	[7; 32]
}

fn visit() -> VisitDate {
	VisitDate::new(26, 1, 2021).expect("a real date")
}

/// Checks that `doctor` treats `patient` on the registering hospital's standing access (the
/// path the weights of the calls that check access are measured on).
fn assert_standing_access<T: Config>(doctor: &T::AccountId, patient: PatientId) {
	let target = AccessTarget::Category(RecordCategory::Prescription);
	assert!(matches!(
		T::Access::can_access(doctor, patient, target, Purpose::Treatment),
		Ok(AccessGround::RegisteringHospital(_))
	));
}

/// A prescription created by a doctor of the patient's hospital, without a manifest yet;
/// returns (doctor, patient, item).
fn record<T: Config>() -> Result<(T::AccountId, T::AccountId, PmrItemId), BenchmarkError> {
	let (doctor, _, hospital, patient_account, patient) = Helper::<T>::treating_doctor(0);
	MedicalRecords::<T>::create_record(
		RawOrigin::Signed(doctor.clone()).into(),
		patient,
		hospital,
		visit(),
		RecordCategory::Prescription,
		bare_content(0),
		Some(visit()),
		None,
	)?;
	let item = PmrId::new(patient, visit(), 0).map_err(|_| "PMR-ID")?.item_id();
	Ok((doctor, patient_account, item))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_record() -> Result<(), BenchmarkError> {
		let (doctor, _, hospital, _, patient) = Helper::<T>::treating_doctor(0);
		assert_standing_access::<T>(&doctor, patient);

		// Prepared for the doctor who signs it (the two-phase ingest's call).
		let prepared_for = Some(doctor.clone());

		#[extrinsic_call]
		_(
			RawOrigin::Signed(doctor),
			patient,
			hospital,
			visit(),
			RecordCategory::Prescription,
			content(1),
			Some(visit()),
			prepared_for,
		);

		assert_eq!(PatientRecords::<T>::iter_prefix(patient).count(), 1);
		Ok(())
	}

	#[benchmark]
	fn amend_record() -> Result<(), BenchmarkError> {
		let (doctor, patient, item) = record::<T>()?;
		MedicalRecords::<T>::request_correction(RawOrigin::Signed(patient).into(), item, note::<T>())?;
		assert_standing_access::<T>(&doctor, Records::<T>::get(item).ok_or("record")?.patient);

		let prepared_for = Some(doctor.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(doctor), item, content(2), note::<T>(), prepared_for);

		assert_eq!(Records::<T>::get(item).map(|r| r.versions), Some(2));
		assert!(!Corrections::<T>::contains_key(item));
		Ok(())
	}

	#[benchmark]
	fn attach_manifest() -> Result<(), BenchmarkError> {
		let (doctor, _, item) = record::<T>()?;
		assert_standing_access::<T>(&doctor, Records::<T>::get(item).ok_or("record")?.patient);

		#[extrinsic_call]
		_(RawOrigin::Signed(doctor), item, 0, manifest(0));

		assert!(Versions::<T>::get(item, 0).is_some_and(|v| v.manifest.is_some()));
		Ok(())
	}

	#[benchmark]
	fn request_correction() -> Result<(), BenchmarkError> {
		let (_, patient, item) = record::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(patient), item, note::<T>());

		assert!(Corrections::<T>::contains_key(item));
		Ok(())
	}

	#[benchmark]
	fn reject_correction() -> Result<(), BenchmarkError> {
		let (doctor, patient, item) = record::<T>()?;
		MedicalRecords::<T>::request_correction(RawOrigin::Signed(patient).into(), item, note::<T>())?;
		assert_standing_access::<T>(&doctor, Records::<T>::get(item).ok_or("record")?.patient);

		#[extrinsic_call]
		_(RawOrigin::Signed(doctor), item, note::<T>());

		assert!(!Corrections::<T>::contains_key(item));
		Ok(())
	}

	/// `v` versions, each with its content and manifest CID to clear and list for unpinning
	/// (the amendments are anchored with their manifests, the original gets its own attached).
	#[benchmark]
	fn erase_record(v: Linear<1, { T::MaxVersions::get() }>) -> Result<(), BenchmarkError> {
		let (doctor, patient, item) = record::<T>()?;
		for version in 1..v {
			MedicalRecords::<T>::amend_record(
				RawOrigin::Signed(doctor.clone()).into(),
				item,
				content(version),
				note::<T>(),
				None,
			)?;
		}
		MedicalRecords::<T>::attach_manifest(
			RawOrigin::Signed(doctor.clone()).into(),
			item,
			0,
			manifest(0),
		)?;
		MedicalRecords::<T>::request_correction(RawOrigin::Signed(patient.clone()).into(), item, note::<T>())?;

		#[extrinsic_call]
		_(RawOrigin::Signed(patient), item);

		assert!(Records::<T>::get(item).is_some_and(|r| r.erased.is_some()));
		Ok(())
	}

	/// Booked by the hospital's desk (the longer permission path).
	#[benchmark]
	fn book_appointment() -> Result<(), BenchmarkError> {
		let (doctor, doctor_id, hospital, _, patient) = Helper::<T>::treating_doctor(0);
		let desk = Helper::<T>::hospital_admin(hospital);

		#[extrinsic_call]
		_(RawOrigin::Signed(desk), patient, hospital, doctor, [3; 32], None);

		assert_eq!(DoctorAppointments::<T>::iter_prefix(doctor_id).count(), 1);
		Ok(())
	}

	/// Closed by the hospital's desk (the last permission checked).
	#[benchmark]
	fn close_appointment() -> Result<(), BenchmarkError> {
		let (doctor, _, hospital, _, patient) = Helper::<T>::treating_doctor(0);
		let desk = Helper::<T>::hospital_admin(hospital);
		MedicalRecords::<T>::book_appointment(
			RawOrigin::Signed(desk.clone()).into(),
			patient,
			hospital,
			doctor,
			[3; 32],
			None,
		)?;
		let appointment = pmr_primitives::AppointmentId(0);

		#[extrinsic_call]
		cancel_appointment(RawOrigin::Signed(desk), appointment);

		assert!(Appointments::<T>::get(appointment)
			.is_some_and(|a| a.status == AppointmentStatus::Cancelled));
		Ok(())
	}

	/// `n` records of a patient whose account changed, every NFT still with the old account
	/// (each is re-issued).
	#[benchmark]
	fn reclaim_records(n: Linear<1, { T::MaxReclaimPerCall::get() }>) -> Result<(), BenchmarkError> {
		let (doctor, _, hospital, _, patient) = Helper::<T>::treating_doctor(0);
		for i in 0..n {
			MedicalRecords::<T>::create_record(
				RawOrigin::Signed(doctor.clone()).into(),
				patient,
				hospital,
				visit(),
				RecordCategory::Prescription,
				content(i),
				None,
				None,
			)?;
		}
		let new: T::AccountId = account("new-patient-account", 0, 0);
		Helper::<T>::rotate_patient(patient, new.clone())?;
		assert!(Reclaims::<T>::contains_key(patient));

		#[extrinsic_call]
		_(RawOrigin::Signed(new), patient);

		Ok(())
	}

	/// The registry's hook when a patient's account changes (the patient has records).
	#[benchmark]
	fn patient_account_changed() -> Result<(), BenchmarkError> {
		let (_, _, item) = record::<T>()?;
		let patient = Records::<T>::get(item).ok_or("record")?.patient;

		#[block]
		{
			<MedicalRecords<T> as pmr_primitives::OnPatientAccountChanged>::patient_account_changed(patient);
		}

		assert!(Reclaims::<T>::contains_key(patient));
		Ok(())
	}

	impl_benchmark_test_suite!(MedicalRecords, crate::mock::new_test_ext(), crate::mock::Test);
}
