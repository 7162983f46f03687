//! Read-only queries behind the runtime API, and the devices' admission to the permissioned
//! chain.

use crate::*;
use alloc::vec::Vec;
use pmr_primitives::{DeviceId, LabId, LabOrderId, LabReportId, Page, PatientId, PmrItemId};

impl<T: Config> Pallet<T> {
	fn reports(ids: impl Iterator<Item = LabReportId>) -> Vec<(LabReportId, LabReport<T>)> {
		let mut reports: Vec<_> =
			ids.filter_map(|id| LabReports::<T>::get(id).map(|r| (id, r))).collect();
		reports.sort_by_key(|(id, _)| *id);
		reports
	}

	/// The lab reports under a record, oldest first.
	pub fn reports_of_record(item: PmrItemId) -> Vec<(LabReportId, LabReport<T>)> {
		Self::reports(ReportsByRecord::<T>::iter_key_prefix(item))
	}

	/// A lab report's study as sealed content (for the key-release pallet): whose it is, and
	/// its anchored ciphertext and manifest. A consent for lab diagnostics (or all records)
	/// opens it; an erased report has no content (the decision says `NoSuchRecord`). `None`
	/// if no such report exists.
	pub fn sealed_study(id: LabReportId) -> Option<pmr_primitives::SealedContent> {
		let report = LabReports::<T>::get(id)?;
		Some(pmr_primitives::SealedContent {
			patient: report.patient,
			access: pmr_primitives::AccessTarget::Category(
				pmr_primitives::RecordCategory::LabDiagnostics,
			),
			content: report.erased.is_none().then_some(report.study),
		})
	}

	/// An IoMT batch as sealed content (for the key-release pallet): the device's patient, and
	/// the batch's anchored ciphertext and manifest. A consent for IoMT data (or all records)
	/// opens it; an erased batch has no content. `None` if no such batch exists.
	pub fn sealed_batch(device: DeviceId, batch: u32) -> Option<pmr_primitives::SealedContent> {
		let info = Devices::<T>::get(device)?;
		let batch = IomtBatches::<T>::get(device, batch)?;
		Some(pmr_primitives::SealedContent {
			patient: info.patient,
			access: pmr_primitives::AccessTarget::Category(pmr_primitives::RecordCategory::IomtData),
			content: batch.erased.is_none().then_some(batch.content),
		})
	}

	/// A page of a patient's lab reports after the report `after`, in storage order (see
	/// [`Page`]).
	pub fn patient_reports(
		patient: PatientId,
		after: Option<LabReportId>,
		take: u32,
	) -> Page<(LabReportId, LabReport<T>), LabReportId> {
		let ids = match after {
			Some(report) => ReportsByPatient::<T>::iter_key_prefix_from(
				patient,
				ReportsByPatient::<T>::hashed_key_for(patient, report),
			),
			None => ReportsByPatient::<T>::iter_key_prefix(patient),
		};
		Page::collect(ids, take, |id| *id, |id| LabReports::<T>::get(id).map(|r| (id, r)))
	}

	/// A page of a lab's open orders (its work list) after the order `after`, in storage order
	/// (see [`Page`]).
	pub fn open_orders(lab: LabId, after: Option<LabOrderId>, take: u32) -> Page<(LabOrderId, LabOrder<T>), LabOrderId> {
		let ids = match after {
			Some(order) => OpenOrders::<T>::iter_key_prefix_from(lab, OpenOrders::<T>::hashed_key_for(lab, order)),
			None => OpenOrders::<T>::iter_key_prefix(lab),
		};
		Page::collect(ids, take, |id| *id, |id| LabOrders::<T>::get(id).map(|o| (id, o)))
	}

	/// A patient's active devices.
	pub fn patient_devices(patient: PatientId) -> Vec<(DeviceId, DeviceInfo<T>)> {
		PatientDevices::<T>::get(patient)
			.into_iter()
			.filter_map(|id| Devices::<T>::get(id).map(|d| (id, d)))
			.collect()
	}

	/// A page of a device's batches, oldest first.
	pub fn device_batches(device: DeviceId, skip: u32, take: u32) -> Vec<IomtBatch<T>> {
		let count = Devices::<T>::get(device).map_or(0, |d| d.batches);
		(skip..count)
			.take(take as usize)
			.filter_map(|n| IomtBatches::<T>::get(device, n))
			.collect()
	}
}

/// Admits active IoMT devices to the consortium (for the registry's permissioned transaction
/// extension), so a device can sign its own batches.
pub struct DeviceAccounts<T>(core::marker::PhantomData<T>);
impl<T: Config> frame_support::traits::Contains<T::AccountId> for DeviceAccounts<T> {
	fn contains(who: &T::AccountId) -> bool {
		DeviceByAccount::<T>::get(who)
			.and_then(Devices::<T>::get)
			.is_some_and(|d| d.active)
	}
}
