//! The medical-records runtime API (`api.call.recordsApi.*` in Polkadot.js).

use crate::queries::RecordFilter;
use alloc::vec::Vec;
use codec::Codec;
use pmr_primitives::{AppointmentId, DoctorId, Page, PatientId, PmrItemId, Purpose, SealedTarget};

sp_api::decl_runtime_apis! {
	/// Records, their history, what a doctor may see, and appointments. The info types are the pallet's
	/// stored types (`RecordInfo<Runtime>`, `VersionInfo<Runtime>`, `CorrectionRequest<Runtime>`).
	pub trait RecordsApi<AccountId, Record, Version, Correction, Appointment>
	where
		AccountId: Codec,
		Record: Codec,
		Version: Codec,
		Correction: Codec,
		Appointment: Codec,
	{
		/// A page of a patient's records matching the filter, paged as `visible_records` (in
		/// storage order: sort by `(visit_date, sequence)` for the visit order).
		fn patient_records(
			patient: PatientId,
			filter: RecordFilter,
			after: Option<PmrItemId>,
			take: u32,
		) -> Page<(PmrItemId, Record), PmrItemId>;
		/// A record with every version, oldest first.
		fn record(item: PmrItemId) -> Option<(Record, Vec<Version>)>;
		/// The record's pending correction request, if any.
		fn correction(item: PmrItemId) -> Option<Correction>;
		/// The one anchor (record version, lab report or IoMT batch, live or erased) that named
		/// the content address `cid` (a CID's text bytes), if any did: a worker unpins a CID
		/// only when no live anchor names it.
		fn content_anchor(cid: Vec<u8>) -> Option<SealedTarget>;
		/// A page of the patient's records `account` may open now for `purpose` (agrees exactly
		/// with the consent check), after the record `after`; `take` at most 256. Each call reads
		/// at most 256 of the patient's records: call again with `after = page.next` until
		/// `next` is `None`.
		fn visible_records(
			account: AccountId,
			patient: PatientId,
			purpose: Purpose,
			after: Option<PmrItemId>,
			take: u32,
		) -> Page<PmrItemId, PmrItemId>;
		/// A page of the patient's active medications (prescriptions whose course has not
		/// ended), paged as `visible_records`.
		fn active_medications(patient: PatientId, after: Option<PmrItemId>, take: u32)
			-> Page<(PmrItemId, Record), PmrItemId>;
		/// A page of the patient's active medications that `account` may see for treatment
		/// now, paged as `visible_records`.
		fn medications_visible_to(
			account: AccountId,
			patient: PatientId,
			after: Option<PmrItemId>,
			take: u32,
		) -> Page<(PmrItemId, Record), PmrItemId>;
		/// A page of a patient's appointments after the appointment `after`, paged as
		/// `visible_records` (an appointment's ID orders them by booking; its time is in the
		/// details sealed off chain).
		fn patient_appointments(patient: PatientId, after: Option<AppointmentId>, take: u32)
			-> Page<(AppointmentId, Appointment), AppointmentId>;
		/// A page of a doctor's appointments, paged as `patient_appointments`.
		fn doctor_appointments(doctor: DoctorId, after: Option<AppointmentId>, take: u32)
			-> Page<(AppointmentId, Appointment), AppointmentId>;
	}
}
