//! Read-only queries behind the runtime API. Visibility is decided by the consent pallet's
//! check itself, so what a doctor is shown agrees exactly with what the doctor may open.

use crate::*;
use alloc::vec::Vec;
use pmr_primitives::{
	AccessPolicy, AccessTarget, AppointmentId, DoctorId, Page, PatientId, PmrItemId, Purpose,
	RecordCategory, VisitDate,
};

/// Which of a patient's records a query returns.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	scale_info::TypeInfo,
)]
pub struct RecordFilter {
	/// Only this category.
	pub category: Option<RecordCategory>,
	/// Only visits on or after this date.
	pub from: Option<VisitDate>,
	/// Only visits on or before this date.
	pub to: Option<VisitDate>,
	/// Also erased records (their hashes and erasure stay on chain).
	pub include_erased: bool,
}

impl RecordFilter {
	fn matches<T: Config>(&self, record: &RecordInfo<T>) -> bool {
		self.category.is_none_or(|c| c == record.category) &&
			self.from.is_none_or(|d| record.visit_date >= d) &&
			self.to.is_none_or(|d| record.visit_date <= d) &&
			(self.include_erased || record.erased.is_none())
	}
}

impl<T: Config> Pallet<T> {
	/// A page of a patient's records matching `filter`, after the record `after` (see
	/// [`Page`]: storage order, at most [`MAX_PAGE_SCAN`](pmr_primitives::MAX_PAGE_SCAN) records
	/// read per call; sort by `(visit_date, sequence)` for the visit order).
	pub fn patient_records(
		patient: PatientId,
		filter: RecordFilter,
		after: Option<PmrItemId>,
		take: u32,
	) -> Page<(PmrItemId, RecordInfo<T>), PmrItemId> {
		Page::collect(Self::records_after(patient, after), take, |item| *item, |item| {
			let record = Records::<T>::get(item).filter(|r| filter.matches(r))?;
			Some((item, record))
		})
	}

	/// A record with every version, oldest first (its provenance).
	pub fn record_history(item: PmrItemId) -> Option<(RecordInfo<T>, Vec<VersionInfo<T>>)> {
		let record = Records::<T>::get(item)?;
		let versions = (0..record.versions).filter_map(|v| Versions::<T>::get(item, v)).collect();
		Some((record, versions))
	}

	/// A page of the patient's records (not erased) that `who` may open right now for
	/// `purpose`, after the record `after` (see [`Page`]: at most [`MAX_PAGE_SCAN`](pmr_primitives::MAX_PAGE_SCAN) of the
	/// patient's records are read per call). Each is exactly what `AccessPolicy::can_access`
	/// answers for it at this block.
	pub fn visible_records(
		who: &T::AccountId,
		patient: PatientId,
		purpose: Purpose,
		after: Option<PmrItemId>,
		take: u32,
	) -> Page<PmrItemId, PmrItemId> {
		Page::collect(Self::records_after(patient, after), take, |item| *item, |item| {
			let record = Records::<T>::get(item).filter(|r| r.erased.is_none())?;
			Self::visible(who, patient, item, &record, purpose).then_some(item)
		})
	}

	/// A page of the patient's prescriptions whose course has not ended by today (or has no
	/// end), after the record `after` (see [`Page`]).
	pub fn active_medications(
		patient: PatientId,
		after: Option<PmrItemId>,
		take: u32,
	) -> Page<(PmrItemId, RecordInfo<T>), PmrItemId> {
		Self::medications(patient, after, take, |_, _| true)
	}

	/// A page of the patient's active medications that `who` (a doctor) may see for treatment
	/// now, after the record `after` (see [`Page`]).
	pub fn medications_visible_to(
		who: &T::AccountId,
		patient: PatientId,
		after: Option<PmrItemId>,
		take: u32,
	) -> Page<(PmrItemId, RecordInfo<T>), PmrItemId> {
		Self::medications(patient, after, take, |item, record| {
			Self::visible(who, patient, item, record, Purpose::Treatment)
		})
	}

	fn medications(
		patient: PatientId,
		after: Option<PmrItemId>,
		take: u32,
		shown: impl Fn(PmrItemId, &RecordInfo<T>) -> bool,
	) -> Page<(PmrItemId, RecordInfo<T>), PmrItemId> {
		let today = Self::today();
		let active = |r: &RecordInfo<T>| {
			r.category == RecordCategory::Prescription &&
				r.erased.is_none() &&
				match (r.course_end, today) {
					(Some(end), Some(today)) => end >= today,
					_ => true,
				}
		};
		Page::collect(Self::records_after(patient, after), take, |item| *item, |item| {
			let record = Records::<T>::get(item).filter(|r| active(r) && shown(item, r))?;
			Some((item, record))
		})
	}

	/// The patient's record IDs in storage order, after `after`.
	pub(crate) fn records_after(patient: PatientId, after: Option<PmrItemId>) -> impl Iterator<Item = PmrItemId> {
		match after {
			Some(item) => PatientRecords::<T>::iter_key_prefix_from(
				patient,
				PatientRecords::<T>::hashed_key_for(patient, item),
			),
			None => PatientRecords::<T>::iter_key_prefix(patient),
		}
	}

	fn visible(
		who: &T::AccountId,
		patient: PatientId,
		item: PmrItemId,
		record: &RecordInfo<T>,
		purpose: Purpose,
	) -> bool {
		let target = AccessTarget::Record { item, category: record.category };
		T::Access::can_access(who, patient, target, purpose).is_ok()
	}
}

impl<T: Config> Pallet<T> {
	/// A page of a patient's appointments, after the appointment `after` (see [`Page`]:
	/// storage order; an appointment's ID orders them by booking, its time is in the sealed
	/// details).
	pub fn patient_appointments(
		patient: PatientId,
		after: Option<AppointmentId>,
		take: u32,
	) -> Page<(AppointmentId, Appointment<T>), AppointmentId> {
		let ids = match after {
			Some(id) => PatientAppointments::<T>::iter_key_prefix_from(
				patient,
				PatientAppointments::<T>::hashed_key_for(patient, id),
			),
			None => PatientAppointments::<T>::iter_key_prefix(patient),
		};
		Self::appointments(ids, take)
	}

	/// A page of a doctor's appointments, paged as [`Self::patient_appointments`].
	pub fn doctor_appointments(
		doctor: DoctorId,
		after: Option<AppointmentId>,
		take: u32,
	) -> Page<(AppointmentId, Appointment<T>), AppointmentId> {
		let ids = match after {
			Some(id) => DoctorAppointments::<T>::iter_key_prefix_from(
				doctor,
				DoctorAppointments::<T>::hashed_key_for(doctor, id),
			),
			None => DoctorAppointments::<T>::iter_key_prefix(doctor),
		};
		Self::appointments(ids, take)
	}

	fn appointments(
		ids: impl Iterator<Item = AppointmentId>,
		take: u32,
	) -> Page<(AppointmentId, Appointment<T>), AppointmentId> {
		Page::collect(ids, take, |id| *id, |id| Appointments::<T>::get(id).map(|a| (id, a)))
	}
}

impl<T: Config> Pallet<T> {
	/// One version of a record as sealed content (for the key-release pallet): whose it is,
	/// the access target that opens it, and its anchored ciphertext and manifest (`None` once
	/// the record is erased). `None` if the record or version never existed.
	pub fn sealed_version(item: PmrItemId, version: u32) -> Option<pmr_primitives::SealedContent> {
		let record = Records::<T>::get(item)?;
		let info = Versions::<T>::get(item, version)?;
		let content = match (record.erased, info.cid) {
			(None, Some(cid)) => Some(pmr_primitives::EncryptedContent {
				cid,
				plaintext_hash: info.plaintext_hash,
				ciphertext_hash: info.ciphertext_hash,
				manifest: info.manifest,
			}),
			_ => None,
		};
		Some(pmr_primitives::SealedContent {
			patient: record.patient,
			access: AccessTarget::Record { item, category: record.category },
			content,
		})
	}
}

impl<T: Config> pmr_primitives::RecordsInspect for Pallet<T> {
	fn live_record(item: PmrItemId) -> Option<(PatientId, RecordCategory)> {
		Records::<T>::get(item).filter(|r| r.erased.is_none()).map(|r| (r.patient, r.category))
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_record(patient: PatientId, category: RecordCategory) -> PmrItemId {
		// The next PMR-ID of the patient's first of January 2026; its index entries, without an
		// NFT or content (what `live_record` and the patient's index read).
		let Ok(date) = VisitDate::new(1, 1, 2026) else { return 0 };
		let sequence = NextSequence::<T>::get(patient, date);
		let Ok(id) = pmr_primitives::PmrId::new(patient, date, sequence) else { return 0 };
		let item = id.item_id();
		NextSequence::<T>::insert(patient, date, sequence.saturating_add(1));
		Records::<T>::insert(
			item,
			RecordInfo {
				patient,
				category,
				hospital: Default::default(),
				doctor: Default::default(),
				visit_date: date,
				sequence,
				course_end: None,
				versions: 1,
				created_at: Self::now(),
				erased: None,
			},
		);
		PatientRecords::<T>::insert(patient, item, ());
		item
	}
}
