//! Storage invariants, checked by `try-runtime` and after every test.

use crate::*;
use frame_support::{ensure, traits::Get};
use pmr_primitives::{ContentAddresses, SealedTarget};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks the lab-reports pallet's invariants:
	/// - every order and report is below its counter; an order is open exactly when it is in
	///   its lab's open list; a fulfilled order names a report that answers it, and every
	///   report's order names it back;
	/// - every CID a report anchors (of its study, its observations and their manifests) is
	///   non-empty until the report is erased, and cleared (empty, no manifest) after; the same
	///   for an IoMT batch; every live CID is anchored by its own report or batch
	///   ([`Config::Content`]), so no CID is anchored twice;
	/// - the record and patient indexes match the reports; no record has more orders than
	///   [`Config::MaxOrdersPerRecord`], nor more reports than orders;
	/// - every device is below its counter, indexed by its account, and in its patient's list
	///   exactly while active;
	///   its batches are numbered `0..batches`, with non-overlapping, increasing windows.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next_order = NextOrderId::<T>::get();
		for (id, order) in LabOrders::<T>::iter() {
			ensure!(id < next_order, "order id not below NextOrderId");
			ensure!(
				OpenOrders::<T>::contains_key(order.lab, id) == (order.status == OrderStatus::Open),
				"open-order index out of sync"
			);
			if let OrderStatus::Fulfilled(report) = order.status {
				ensure!(
					LabReports::<T>::get(report).is_some_and(|r| r.order == id),
					"fulfilled order without its report"
				);
			}
		}
		for (lab, id, ()) in OpenOrders::<T>::iter() {
			ensure!(LabOrders::<T>::get(id).is_some_and(|o| o.lab == lab), "open order of another lab");
		}
		let next_report = NextReportId::<T>::get();
		for (id, report) in LabReports::<T>::iter() {
			ensure!(id < next_report, "report id not below NextReportId");
			ensure!(
				LabOrders::<T>::get(report.order)
					.is_some_and(|o| o.status == OrderStatus::Fulfilled(id) && o.patient == report.patient),
				"report's order does not name it"
			);
			ensure!(
				ReportsByPatient::<T>::contains_key(report.patient, id),
				"report missing from the patient index"
			);
			if let Some(item) = report.record {
				ensure!(ReportsByRecord::<T>::contains_key(item, id), "report missing from the record index");
			}
			for content in core::iter::once(&report.study).chain(report.observations.as_ref()) {
				Self::check_content(content, report.erased.is_some(), SealedTarget::LabStudy(id))?;
			}
		}
		for (item, orders) in OrdersPerRecord::<T>::iter() {
			ensure!(orders <= T::MaxOrdersPerRecord::get(), "more orders under a record than allowed");
			ensure!(
				ReportsByRecord::<T>::iter_key_prefix(item).count() as u32 <= orders,
				"more reports under a record than orders"
			);
		}
		for (item, id, ()) in ReportsByRecord::<T>::iter() {
			ensure!(
				LabReports::<T>::get(id).is_some_and(|r| r.record == Some(item)),
				"record index out of sync"
			);
		}
		for (patient, id, ()) in ReportsByPatient::<T>::iter() {
			ensure!(
				LabReports::<T>::get(id).is_some_and(|r| r.patient == patient),
				"patient index out of sync"
			);
		}
		let next_device = NextDeviceId::<T>::get();
		for (id, device) in Devices::<T>::iter() {
			ensure!(id < next_device, "device id not below NextDeviceId");
			ensure!(DeviceByAccount::<T>::get(&device.account) == Some(id), "device account index out of sync");
			ensure!(
				PatientDevices::<T>::get(device.patient).contains(&id) == device.active,
				"the patient's device list does not match the device's active flag"
			);
			let mut previous_end = None;
			for n in 0..device.batches {
				let batch = IomtBatches::<T>::get(id, n).ok_or("missing batch")?;
				Self::check_content(
					&batch.content,
					batch.erased.is_some(),
					SealedTarget::IomtBatch { device: id, batch: n },
				)?;
				ensure!(batch.window_start <= batch.window_end, "batch window ends before it starts");
				ensure!(
					previous_end.is_none_or(|end| batch.window_start > end),
					"batch windows overlap"
				);
				previous_end = Some(batch.window_end);
			}
			ensure!(
				IomtBatches::<T>::iter_key_prefix(id).count() as u32 == device.batches,
				"batches beyond the device's count"
			);
			ensure!(
				device.batches == 0 || previous_end == Some(device.last_window_end),
				"last window end out of sync"
			);
		}
		Ok(())
	}

	/// Live content has a CID (and a non-empty manifest CID when it has a manifest), each
	/// anchored by `anchor`; erased content has neither.
	fn check_content(
		content: &EncryptedContent,
		erased: bool,
		anchor: SealedTarget,
	) -> Result<(), TryRuntimeError> {
		if erased {
			ensure!(content.cid.is_empty() && content.manifest.is_none(), "erased content keeps a CID");
		} else {
			ensure!(pmr_primitives::cid::is_valid(&content.cid), "content with an invalid CID");
			ensure!(
				content.manifest.as_ref().is_none_or(|m| pmr_primitives::cid::is_valid(&m.cid)),
				"manifest with an invalid CID"
			);
			for cid in core::iter::once(&content.cid).chain(content.manifest.as_ref().map(|m| &m.cid)) {
				ensure!(
					T::Content::anchor_of(cid) == Some(anchor),
					"a live CID is not anchored by its report or batch"
				);
			}
		}
		Ok(())
	}
}
