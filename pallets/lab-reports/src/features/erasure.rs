//! Erasure of lab reports and IoMT batches by crypto-shredding, on the patient's request, a
//! regulator's order, or with the record a report was ordered under.
//!
//! The CIDs leave state (listed in the event for the hospitals' IPFS nodes to unpin), the key
//! shares are never released again (the content reads as erased to the key-release pallet),
//! the hashes and the Merkle root stay.

use crate::*;
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::Get};
use pmr_primitives::{DeviceId, ErasedBy, LabReportId, OnRecordErased, PatientId, PmrItemId, RegistryInspect};

impl<T: Config> Pallet<T> {
	/// `by` is `None` for a regulator's order, or the signing account (must be the patient).
	pub(crate) fn do_erase_lab_report(by: Option<T::AccountId>, report: LabReportId) -> DispatchResult {
		let info = LabReports::<T>::get(report).ok_or(Error::<T>::UnknownReport)?;
		let erased_by = Self::ensure_may_erase(by, info.patient)?;
		ensure!(info.erased.is_none(), Error::<T>::AlreadyErased);
		Self::erase_report(report, info, erased_by);
		Ok(())
	}

	/// `by` is `None` for a regulator's order, or the signing account (must be the patient).
	pub(crate) fn do_erase_iomt_batch(
		by: Option<T::AccountId>,
		device: DeviceId,
		batch: u32,
	) -> DispatchResult {
		let patient = Devices::<T>::get(device).ok_or(Error::<T>::UnknownDevice)?.patient;
		let mut info = IomtBatches::<T>::get(device, batch).ok_or(Error::<T>::UnknownBatch)?;
		let erased_by = Self::ensure_may_erase(by, patient)?;
		ensure!(info.erased.is_none(), Error::<T>::AlreadyErased);
		let mut unpin = Vec::new();
		shred(&mut info.content, &mut unpin);
		info.erased = Some((Self::now(), erased_by));
		IomtBatches::<T>::insert(device, batch, info);
		Self::deposit_event(Event::IomtBatchErased { device, batch, by: erased_by, unpin });
		Ok(())
	}

	/// Erases every report ordered under `item` that is not erased yet; returns how many
	/// reports it visited (for the weight).
	pub(crate) fn erase_reports_of_record(item: PmrItemId, by: ErasedBy) -> u32 {
		let reports: Vec<LabReportId> = ReportsByRecord::<T>::iter_key_prefix(item).collect();
		for report in &reports {
			if let Some(info) = LabReports::<T>::get(report).filter(|r| r.erased.is_none()) {
				Self::erase_report(*report, info, by);
			}
		}
		reports.len() as u32
	}

	/// Who erases: the patient's own account, or a regulator's order (`None`).
	fn ensure_may_erase(by: Option<T::AccountId>, patient: PatientId) -> Result<ErasedBy, Error<T>> {
		match by {
			Some(who) => {
				ensure!(T::Registry::patient_account(patient).as_ref() == Some(&who), Error::<T>::NotPatient);
				Ok(ErasedBy::Patient)
			},
			None => Ok(ErasedBy::Regulator),
		}
	}

	fn erase_report(report: LabReportId, mut info: LabReport<T>, by: ErasedBy) {
		let mut unpin = Vec::new();
		shred(&mut info.study, &mut unpin);
		if let Some(observations) = info.observations.as_mut() {
			shred(observations, &mut unpin);
		}
		info.erased = Some((Self::now(), by));
		let patient = info.patient;
		LabReports::<T>::insert(report, info);
		Self::deposit_event(Event::LabReportErased { report, patient, by, unpin });
	}
}

/// Clears content's CID and manifest (moving their CIDs to `unpin`); the hashes stay.
fn shred(content: &mut EncryptedContent, unpin: &mut Vec<Cid>) {
	unpin.push(core::mem::take(&mut content.cid));
	unpin.extend(content.manifest.take().map(|manifest| manifest.cid));
}

/// Erasing a record erases the lab reports ordered under it.
impl<T: Config> OnRecordErased for Pallet<T> {
	fn record_erased(item: PmrItemId, by: ErasedBy) -> Weight {
		T::WeightInfo::erase_reports_of_record(Self::erase_reports_of_record(item, by))
	}

	fn record_erased_weight() -> Weight {
		T::WeightInfo::erase_reports_of_record(T::MaxOrdersPerRecord::get())
	}
}
