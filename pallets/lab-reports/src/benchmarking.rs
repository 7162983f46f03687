//! Benchmarks of every lab-reports call in its worst case: CIDs and labels at their maximum
//! size, a report with observations and both manifests, a device deactivated by its patient
//! (the longest permission path). Orders name a record of the patient (the record is read,
//! and the record's order count and report index are kept), and are placed by the doctor of
//! the patient's registering hospital at the most hospitals: the order's weight holds the
//! access check on standing access at its longest (`AccessPolicy::weight_beyond_standing_access`).

use super::*;
use crate::Pallet as Labs;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::pallet_prelude::*;
use frame_system::RawOrigin;
use pmr_primitives::{
	bench::{self, Anchorer},
	AccessGround, AccessPolicy, AccessTarget, EncryptedContent, ErasedBy, LabOrderId, ManifestRef,
	PatientId, PmrItemId, Purpose, RecordCategory, RecordsInspect, RegistryBenchmarkHelper,
	VisitDate,
};

type Helper<T> = <T as Config>::BenchmarkHelper;

/// Lab reports' benchmark content (distinct CIDs for distinct seeds).
fn manifest(seed: u32) -> ManifestRef {
	bench::manifest(Anchorer::Labs, seed)
}

/// Content anchored with its manifest (the ingest worker's anchor, the larger one).
fn content(seed: u32) -> EncryptedContent {
	bench::content(Anchorer::Labs, seed)
}

/// Content anchored without a manifest (attached later).
fn bare_content(seed: u32) -> EncryptedContent {
	bench::bare_content(Anchorer::Labs, seed)
}

/// A live record of `patient` for an order to name.
fn record<T: Config>(patient: PatientId) -> Option<PmrItemId> {
	Some(T::Records::benchmark_record(patient, RecordCategory::LabDiagnostics))
}

fn captured() -> VisitDate {
	VisitDate::new(26, 1, 2021).expect("a real date")
}

/// An open order from a treating doctor to a lab; returns (lab account, order).
fn open_order<T: Config>() -> Result<(T::AccountId, LabOrderId), BenchmarkError> {
	let (doctor, _, _, _, patient) = Helper::<T>::treating_doctor(0);
	let (lab_account, lab) = Helper::<T>::lab(0);
	let order = NextOrderId::<T>::get();
	Labs::<T>::order_lab_work(
		RawOrigin::Signed(doctor).into(),
		patient,
		lab,
		Modality::Ct,
		record::<T>(patient),
		[5; 32],
	)?;
	Ok((lab_account, order))
}

/// `n` reports with observations and both manifests, each anchored against its own order of
/// one treating doctor to one lab, all under one record of the patient; returns the patient's
/// account, the reports and the record.
fn reports<T: Config>(
	n: u32,
) -> Result<(T::AccountId, Vec<pmr_primitives::LabReportId>, Option<PmrItemId>), BenchmarkError> {
	let (doctor, _, _, patient_account, patient) = Helper::<T>::treating_doctor(0);
	let (lab_account, lab) = Helper::<T>::lab(0);
	let item = record::<T>(patient);
	let mut reports = Vec::new();
	for i in 0..n {
		let order = NextOrderId::<T>::get();
		Labs::<T>::order_lab_work(
			RawOrigin::Signed(doctor.clone()).into(),
			patient,
			lab,
			Modality::Ct,
			item,
			[5; 32],
		)?;
		reports.push(NextReportId::<T>::get());
		Labs::<T>::anchor_lab_report(
			RawOrigin::Signed(lab_account.clone()).into(),
			order,
			captured(),
			content(2 * i),
			Some(content(2 * i + 1)),
		)?;
	}
	Ok((patient_account, reports, item))
}

/// A device bound to a treated patient; returns its account and the patient's.
fn device<T: Config>() -> Result<(T::AccountId, T::AccountId), BenchmarkError> {
	let (_, _, hospital, patient_account, patient) = Helper::<T>::treating_doctor(0);
	let desk = Helper::<T>::hospital_admin(hospital);
	let device: T::AccountId = account("device", 0, 0);
	Labs::<T>::register_device(
		RawOrigin::Signed(desk).into(),
		patient,
		device.clone(),
		[0x6b; 32],
	)?;
	Ok((device, patient_account))
}

/// The device's first batch: the first minute, 60 readings.
fn first_batch<T: Config>(device: &T::AccountId) -> Result<(), BenchmarkError> {
	Labs::<T>::anchor_iomt_batch(RawOrigin::Signed(device.clone()).into(), [1; 32], 0, 59_999, 60, content(1))?;
	Ok(())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn order_lab_work() -> Result<(), BenchmarkError> {
		let (doctor, _, _, _, patient) = Helper::<T>::treating_doctor(0);
		let (_, lab) = Helper::<T>::lab(0);
		let record = record::<T>(patient);
		let target = AccessTarget::Category(RecordCategory::LabDiagnostics);
		assert!(matches!(
			T::Access::can_access(&doctor, patient, target, Purpose::Treatment),
			Ok(AccessGround::RegisteringHospital(_))
		));

		#[extrinsic_call]
		_(RawOrigin::Signed(doctor), patient, lab, Modality::Mr, record, [5; 32]);

		assert_eq!(OpenOrders::<T>::iter_prefix(lab).count(), 1);
		Ok(())
	}

	#[benchmark]
	fn cancel_lab_order() -> Result<(), BenchmarkError> {
		let (_, order) = open_order::<T>()?;
		let doctor = LabOrders::<T>::get(order).map(|o| o.doctor_account).ok_or("order")?;

		#[extrinsic_call]
		_(RawOrigin::Signed(doctor), order);

		assert!(LabOrders::<T>::get(order).is_some_and(|o| o.status == OrderStatus::Cancelled));
		Ok(())
	}

	#[benchmark]
	fn anchor_lab_report() -> Result<(), BenchmarkError> {
		let (lab, order) = open_order::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(lab), order, captured(), content(1), Some(content(2)));

		assert!(LabReports::<T>::contains_key(pmr_primitives::LabReportId(0)));
		Ok(())
	}

	#[benchmark]
	fn attach_report_manifest() -> Result<(), BenchmarkError> {
		let (lab, order) = open_order::<T>()?;
		Labs::<T>::anchor_lab_report(
			RawOrigin::Signed(lab.clone()).into(),
			order,
			captured(),
			bare_content(1),
			None,
		)?;
		let report = pmr_primitives::LabReportId(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(lab), report, manifest(1));

		assert!(LabReports::<T>::get(report).is_some_and(|r| r.study.manifest.is_some()));
		Ok(())
	}

	#[benchmark]
	fn register_device() -> Result<(), BenchmarkError> {
		let (_, _, hospital, _, patient) = Helper::<T>::treating_doctor(0);
		let desk = Helper::<T>::hospital_admin(hospital);
		let device: T::AccountId = account("device", 0, 0);
		let kind = [0x6b; 32];

		#[extrinsic_call]
		_(RawOrigin::Signed(desk), patient, device.clone(), kind);

		assert!(DeviceByAccount::<T>::contains_key(&device));
		Ok(())
	}

	#[benchmark]
	fn deactivate_device() -> Result<(), BenchmarkError> {
		let (device, patient) = device::<T>()?;
		let id = DeviceByAccount::<T>::get(&device).ok_or("device")?;

		#[extrinsic_call]
		_(RawOrigin::Signed(patient), id);

		assert!(Devices::<T>::get(id).is_some_and(|d| !d.active));
		Ok(())
	}

	#[benchmark]
	fn anchor_iomt_batch() -> Result<(), BenchmarkError> {
		let (device, _) = device::<T>()?;
		first_batch::<T>(&device)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(device.clone()), [2; 32], 60_000, 119_999, 60, content(2));

		let id = DeviceByAccount::<T>::get(&device).ok_or("device")?;
		assert_eq!(Devices::<T>::get(id).map(|d| d.batches), Some(2));
		Ok(())
	}

	#[benchmark]
	fn erase_lab_report() -> Result<(), BenchmarkError> {
		let (patient, reports, _) = reports::<T>(1)?;
		let report = reports[0];

		#[extrinsic_call]
		_(RawOrigin::Signed(patient), report);

		assert!(LabReports::<T>::get(report).is_some_and(|r| r.erased.is_some()));
		Ok(())
	}

	#[benchmark]
	fn erase_iomt_batch() -> Result<(), BenchmarkError> {
		let (device, patient) = device::<T>()?;
		first_batch::<T>(&device)?;
		let id = DeviceByAccount::<T>::get(&device).ok_or("device")?;

		#[extrinsic_call]
		_(RawOrigin::Signed(patient), id, 0);

		assert!(IomtBatches::<T>::get(id, 0).is_some_and(|b| b.erased.is_some()));
		Ok(())
	}

	/// The cascade when a record is erased: `n` reports under the record, each with
	/// observations and both manifests.
	#[benchmark]
	fn erase_reports_of_record(n: Linear<0, { T::MaxOrdersPerRecord::get() }>) -> Result<(), BenchmarkError> {
		let (_, reports, item) = reports::<T>(n)?;
		let item = item.ok_or("the reports are under a record")?;
		assert_eq!(ReportsByRecord::<T>::iter_key_prefix(item).count(), reports.len());

		#[block]
		{
			Labs::<T>::erase_reports_of_record(item, ErasedBy::Regulators { legal_basis: [7; 32].into() });
		}

		assert!(ReportsByRecord::<T>::iter_key_prefix(item)
			.all(|r| LabReports::<T>::get(r).is_some_and(|r| r.erased.is_some())));
		Ok(())
	}

	impl_benchmark_test_suite!(Labs, crate::mock::new_test_ext(), crate::mock::Test);
}
