//! Erasure by crypto-shredding: the CIDs leave state (listed in the event for unpinning), the
//! record is refused by every consent check from then on, the hashes and the event stay. What
//! was anchored under the record (its lab reports) is erased with it ([`Config::OnErased`]).

use crate::*;
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use pmr_primitives::{OnRecordErased, PmrItemId, RegistryInspect};

impl<T: Config> Pallet<T> {
	/// `by` is `None` for a regulator's order, or the signing account (must be the patient).
	/// Returns the number of versions the record had and the weight the cascade used.
	pub(crate) fn do_erase_record(
		by: Option<T::AccountId>,
		item: PmrItemId,
	) -> Result<(u32, Weight), DispatchError> {
		let mut record = Self::live_record(item)?;
		let erased_by = match by {
			Some(who) => {
				ensure!(
					T::Registry::patient_account(record.patient).as_ref() == Some(&who),
					Error::<T>::NotPatient
				);
				ErasedBy::Patient
			},
			None => ErasedBy::Regulator,
		};

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
		let versions = record.versions;
		Records::<T>::insert(item, record);
		Corrections::<T>::remove(item);
		Self::deposit_event(Event::RecordErased { item, by: erased_by, unpin: cids });
		let cascade = T::OnErased::record_erased(item, erased_by);
		Ok((versions, cascade))
	}
}
