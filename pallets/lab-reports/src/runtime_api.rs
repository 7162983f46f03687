//! The lab-reports runtime API (`api.call.labReportsApi.*` in Polkadot.js).

use alloc::vec::Vec;
use codec::Codec;
use pmr_primitives::{DeviceId, LabId, LabOrderId, LabReportId, PatientId, PmrItemId};

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
		/// A patient's lab reports, oldest first.
		fn patient_reports(patient: PatientId) -> Vec<(LabReportId, Report)>;
		/// A lab order.
		fn order(order: LabOrderId) -> Option<Order>;
		/// A lab's open orders (its work list), oldest first.
		fn open_orders(lab: LabId) -> Vec<(LabOrderId, Order)>;
		/// A patient's devices.
		fn patient_devices(patient: PatientId) -> Vec<(DeviceId, Device)>;
		/// A page of a device's batches, oldest first.
		fn device_batches(device: DeviceId, skip: u32, take: u32) -> Vec<Batch>;
	}
}
