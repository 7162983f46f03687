//! Moving a patient's record NFTs to the patient's new account after a key rotation or
//! recovery, in bounded batches.
//!
//! The registry tells this pallet when a patient's account changes
//! ([`OnPatientAccountChanged`]); from then on the records of that patient are still the
//! patient's (every check asks the registry for the patient's current account), and
//! `reclaim_records` re-issues their soulbound NFTs to the new account, at most
//! [`Config::MaxReclaimPerCall`] records per call, until none is left.

use crate::*;
use frame_support::{
	pallet_prelude::*,
	traits::tokens::nonfungibles_v2::{Inspect, Mutate},
};
use pmr_primitives::{OnPatientAccountChanged, PatientId, RegistryInspect};

impl<T: Config> Pallet<T> {
	/// Moves up to `MaxReclaimPerCall` of the patient's records to the patient's current
	/// account; returns how many records were looked at.
	pub(crate) fn do_reclaim_records(patient: PatientId) -> Result<u32, DispatchError> {
		let reclaim = Reclaims::<T>::get(patient).ok_or(Error::<T>::NothingToReclaim)?;
		let owner = T::Registry::patient_account(patient).ok_or(Error::<T>::UnknownPatient)?;
		let collection = RecordsCollection::<T>::get().ok_or(Error::<T>::NothingToReclaim)?;
		let mut records = Self::records_after(patient, reclaim.after);
		let (mut read, mut moved, mut last) = (0u32, 0u32, reclaim.after);
		let done = loop {
			if read == T::MaxReclaimPerCall::get() {
				break false;
			}
			let Some(item) = records.next() else { break true };
			read = read.saturating_add(1);
			last = Some(item);
			if T::Nfts::owner(&collection, &item).as_ref() != Some(&owner) {
				// Soulbound items cannot be transferred: the NFT is re-issued, with the same
				// item ID (the PMR-ID) and config, to the patient's current account. The
				// record itself (versions, CIDs, hashes) lives in this pallet and is untouched.
				T::Nfts::burn(&collection, &item, None)?;
				T::Nfts::mint_into(&collection, &item, &owner, &T::SoulboundItemConfig::get(), true)?;
				moved = moved.saturating_add(1);
			}
		};
		if done {
			Reclaims::<T>::remove(patient);
		} else {
			Reclaims::<T>::insert(patient, Reclaim { after: last });
		}
		Self::deposit_event(Event::RecordsReclaimed { patient, moved, done });
		Ok(read)
	}
}

/// The registry replaced a patient's account: the patient's records wait to be reclaimed.
impl<T: Config> OnPatientAccountChanged for Pallet<T> {
	fn patient_account_changed(patient: PatientId) -> Weight {
		// Start over (a second rotation before the first was reclaimed included).
		if PatientRecords::<T>::iter_key_prefix(patient).next().is_some() {
			Reclaims::<T>::insert(patient, Reclaim::default());
		}
		T::WeightInfo::patient_account_changed()
	}

	fn patient_account_changed_weight() -> Weight {
		T::WeightInfo::patient_account_changed()
	}
}
