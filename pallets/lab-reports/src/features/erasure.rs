//! Erasure of lab reports and IoMT batches by crypto-shredding, on the patient's request, an
//! order of the regulators as a body, or with the record a report was ordered under. The
//! patient's audit trail logs each erasure ([`Config::Audit`]); a report erased with its
//! record is covered by the record's entry.
//!
//! The CIDs leave state (listed in the event for the hospitals' IPFS nodes to unpin), the key
//! shares are never released again (the content reads as erased to the key-release pallet),
//! the hashes and the Merkle root stay.

use crate::*;
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::Get};
use pmr_primitives::{
	DeviceId, ErasedBy, ErasedContent, ErasureAudit, LabReportId, OnRecordErased, PatientId, PmrItemId,
	RegistryInspect,
};

impl<T: Config> Pallet<T> {
	/// `who` is the signing account, which must be the report's patient, or `None` for an
	/// order of the regulators (`erased_by` names the order's legal basis).
	pub(crate) fn do_erase_lab_report(
		who: Option<T::AccountId>,
		report: LabReportId,
		erased_by: ErasedBy,
	) -> DispatchResult {
		let info = LabReports::<T>::get(report).ok_or(Error::<T>::UnknownReport)?;
		Self::ensure_patient(who.as_ref(), info.patient)?;
		ensure!(info.erased.is_none(), Error::<T>::AlreadyErased);
		T::Audit::log_erasure(info.patient, who.as_ref(), ErasedContent::LabReport(report), erased_by);
		Self::erase_report(report, info, erased_by);
		Ok(())
	}

	/// `who` is the signing account, which must be the device's patient, or `None` for an
	/// order of the regulators (`erased_by` names the order's legal basis).
	pub(crate) fn do_erase_iomt_batch(
		who: Option<T::AccountId>,
		device: DeviceId,
		batch: u32,
		erased_by: ErasedBy,
	) -> DispatchResult {
		let patient = Devices::<T>::get(device).ok_or(Error::<T>::UnknownDevice)?.patient;
		let mut info = IomtBatches::<T>::get(device, batch).ok_or(Error::<T>::UnknownBatch)?;
		Self::ensure_patient(who.as_ref(), patient)?;
		ensure!(info.erased.is_none(), Error::<T>::AlreadyErased);
		let mut unpin = Vec::new();
		shred(&mut info.content, &mut unpin);
		info.erased = Some((Self::now(), erased_by));
		IomtBatches::<T>::insert(device, batch, info);
		T::Audit::log_erasure(patient, who.as_ref(), ErasedContent::IomtBatch { device, batch }, erased_by);
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

	/// A signing account erases only its own patient's content; an order (`None`) may erase
	/// any patient's.
	fn ensure_patient(who: Option<&T::AccountId>, patient: PatientId) -> Result<(), Error<T>> {
		if let Some(who) = who {
			ensure!(T::Registry::patient_account(patient).as_ref() == Some(who), Error::<T>::NotPatient);
		}
		Ok(())
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
