//! Erasure by crypto-shredding: the CIDs leave state (listed in the event for unpinning), the
//! record is refused by every consent check from then on, the hashes and the event stay. What
//! was anchored under the record (its lab reports) is erased with it ([`Config::OnErased`]),
//! and the erasure goes into the patient's audit trail ([`Config::Audit`]).

use crate::*;
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use pmr_primitives::{ErasedContent, ErasureAudit, OnRecordErased, PmrItemId, RegistryInspect};

impl<T: Config> Pallet<T> {
	/// `who` is the signing account, which must be the record's patient, or `None` for an
	/// order of the regulators (`erased_by` names the order's legal basis). Returns the number
	/// of versions the record had and the weight the cascade used.
	pub(crate) fn do_erase_record(
		who: Option<T::AccountId>,
		item: PmrItemId,
		erased_by: ErasedBy,
	) -> Result<(u32, Weight), DispatchError> {
		let mut record = Self::live_record(item)?;
		if let Some(who) = &who {
			ensure!(
				T::Registry::patient_account(record.patient).as_ref() == Some(who),
				Error::<T>::NotPatient
			);
		}

		let mut cids = Vec::new();
		for version in 0..record.versions {
			Versions::<T>::mutate(item, version, |maybe| {
				if let Some(info) = maybe {
					cids.extend(info.cid.take());
					cids.extend(info.manifest.take().map(|manifest| manifest.cid));
				}
			});
		}
		record.erased = Some((Self::now(), erased_by));
		let (versions, patient) = (record.versions, record.patient);
		Records::<T>::insert(item, record);
		Corrections::<T>::remove(item);
		T::Audit::log_erasure(patient, who.as_ref(), ErasedContent::Record(item), erased_by);
		Self::deposit_event(Event::RecordErased { item, by: erased_by, unpin: cids });
		let cascade = T::OnErased::record_erased(item, erased_by);
		Ok((versions, cascade))
	}
}
