//! Lab reports: the ordered lab anchors the report of an open order (with the key-share
//! manifests of its contents), and attaches the study's manifest later if the anchor lacked
//! it.

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::{
	ContentAddresses, LabOrderId, LabReportId, RecordsInspect, RegistryInspect, SealedTarget,
	VisitDate,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_anchor_lab_report(
		who: T::AccountId,
		order: LabOrderId,
		captured_on: VisitDate,
		study: EncryptedContent,
		observations: Option<EncryptedContent>,
	) -> DispatchResult {
		let mut info = LabOrders::<T>::get(order).ok_or(Error::<T>::UnknownOrder)?;
		ensure!(T::Registry::active_lab(&who) == Some(info.lab), Error::<T>::NotOrderedLab);
		ensure!(info.status == OrderStatus::Open, Error::<T>::OrderNotOpen);
		// A report cannot land under a record erased since the order: the doctor cancels it.
		if let Some(item) = info.record {
			ensure!(T::Records::live_record(item).is_some(), Error::<T>::RecordMismatch);
		}
		Self::ensure_valid_content(&study)?;
		if let Some(observations) = &observations {
			Self::ensure_valid_content(observations)?;
		}
		if let Some(today) = Self::today() {
			ensure!(captured_on <= today, Error::<T>::CaptureInFuture);
		}

		let study_hash = study.ciphertext_hash;
		let report = NextReportId::<T>::get();
		NextReportId::<T>::put(report.checked_next().ok_or(Error::<T>::IdOverflow)?);
		let contents: alloc::vec::Vec<&EncryptedContent> =
			core::iter::once(&study).chain(observations.as_ref()).collect();
		Self::claim_content(SealedTarget::LabStudy(report), &contents)?;
		info.status = OrderStatus::Fulfilled(report);
		OpenOrders::<T>::remove(info.lab, order);
		if let Some(item) = info.record {
			ReportsByRecord::<T>::insert(item, report, ());
		}
		ReportsByPatient::<T>::insert(info.patient, report, ());
		LabReports::<T>::insert(
			report,
			LabReport {
				order,
				patient: info.patient,
				lab: info.lab,
				lab_account: who,
				record: info.record,
				modality: info.modality,
				captured_on,
				study,
				observations,
				anchored_at: Self::now(),
				erased: None,
			},
		);
		let patient = info.patient;
		LabOrders::<T>::insert(order, info);
		Self::deposit_event(Event::LabReportAnchored { report, order, patient, study_hash });
		Ok(())
	}

	pub(crate) fn do_attach_report_manifest(
		who: T::AccountId,
		report: LabReportId,
		manifest: ManifestRef,
	) -> DispatchResult {
		ensure!(pmr_primitives::cid::is_valid(&manifest.cid), Error::<T>::InvalidCid);
		LabReports::<T>::try_mutate(report, |maybe| {
			let info = maybe.as_mut().ok_or(Error::<T>::UnknownReport)?;
			ensure!(info.lab_account == who, Error::<T>::NotReportingLab);
			ensure!(info.erased.is_none(), Error::<T>::AlreadyErased);
			ensure!(info.study.manifest.is_none(), Error::<T>::ManifestAlreadySet);
			T::Content::claim(SealedTarget::LabStudy(report), &[&manifest.cid])
				.map_err(|_| Error::<T>::ContentAlreadyAnchored)?;
			info.study.manifest = Some(manifest);
			Ok::<_, Error<T>>(())
		})?;
		Self::deposit_event(Event::ReportManifestAttached { report });
		Ok(())
	}
}
