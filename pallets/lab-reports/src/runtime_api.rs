//! The lab-reports runtime API (`api.call.labReportsApi.*` in Polkadot.js).

use alloc::vec::Vec;
use codec::Codec;
use pmr_primitives::{DeviceId, LabId, LabOrderId, LabReportId, Page, PatientId, PmrItemId};

sp_api::decl_runtime_apis! {
	/// Lab orders and reports, devices and IoMT batches. The info types are the pallet's
	/// stored types (`LabOrder<Runtime>`, `LabReport<Runtime>`, ...).
	pub trait LabReportsApi<Order, Report, Device, Batch>
	where
		Order: Codec,
		Report: Codec,
		Device: Codec,
		Batch: Codec,
	{
		/// The lab reports under a record, oldest first.
		fn reports_of_record(item: PmrItemId) -> Vec<(LabReportId, Report)>;
		/// A page of a patient's lab reports, after the report `after` (see
		/// `pmr_primitives::Page`: at most 256 read per call; pass `next` back for the rest).
		fn patient_reports(
			patient: PatientId,
			after: Option<LabReportId>,
			take: u32,
		) -> Page<(LabReportId, Report), LabReportId>;
		/// A lab order.
		fn order(order: LabOrderId) -> Option<Order>;
		/// A page of a lab's open orders (its work list), after the order `after`.
		fn open_orders(lab: LabId, after: Option<LabOrderId>, take: u32) -> Page<(LabOrderId, Order), LabOrderId>;
		/// A patient's devices.
		fn patient_devices(patient: PatientId) -> Vec<(DeviceId, Device)>;
		/// A page of a device's batches, oldest first.
		fn device_batches(device: DeviceId, skip: u32, take: u32) -> Vec<Batch>;
	}
}
