//! The pallet's calls, one file per feature, and the helpers they share.

mod amend;
mod appointments;
mod correction;
mod create;
mod erasure;
mod manifest;
mod reclaim;

use crate::*;
use frame_support::{
	pallet_prelude::*,
	traits::{tokens::nonfungibles_v2::Create, UnixTime},
};
use frame_system::pallet_prelude::BlockNumberFor;
use pmr_primitives::{
	AccessPolicy, AccessTarget, DoctorId, PmrItemId, Purpose, RegistryInspect, VisitDate,
};

impl<T: Config> Pallet<T> {
	/// The current block number.
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// Today's UTC date by the chain's clock, or `None` while the clock is not set (genesis,
	/// benchmarks).
	pub(crate) fn today() -> Option<VisitDate> {
		VisitDate::from_clock_millis(T::UnixTime::now().as_millis())
	}

	/// The records collection, created (owned by the keyless collection owner) on first use.
	pub(crate) fn collection() -> Result<T::CollectionId, DispatchError> {
		if let Some(collection) = RecordsCollection::<T>::get() {
			return Ok(collection);
		}
		let owner = T::CollectionOwner::get();
		let collection =
			T::Nfts::create_collection(&owner, &owner, &T::RecordsCollectionConfig::get())?;
		RecordsCollection::<T>::put(collection);
		Ok(collection)
	}

	/// A record that exists and is not erased.
	pub(crate) fn live_record(item: PmrItemId) -> Result<RecordInfo<T>, Error<T>> {
		let record = Records::<T>::get(item).ok_or(Error::<T>::UnknownRecord)?;
		ensure!(record.erased.is_none(), Error::<T>::RecordErased);
		Ok(record)
	}

	/// The caller's Doctor-ID if the caller may amend the record (or reject a correction of
	/// it): an active doctor the consent decision lets treat this record now — the patient's
	/// registering hospital's standing access, a grant or break-glass. The author is no
	/// exception: writing a record gives no right that outlives the author's own access
	/// ground, and working at the hospital that wrote it gives none either.
	pub(crate) fn ensure_may_amend(
		who: &T::AccountId,
		item: PmrItemId,
		record: &RecordInfo<T>,
	) -> Result<DoctorId, Error<T>> {
		let doctor = T::Registry::active_doctor(who).ok_or(Error::<T>::NotDoctor)?;
		T::Access::can_access(
			who,
			record.patient,
			AccessTarget::Record { item, category: record.category },
			Purpose::Treatment,
		)
		.map_err(|_| Error::<T>::NotAllowedToAmend)?;
		Ok(doctor)
	}

	/// Checks the content a doctor submits: its CID, and its manifest's CID when it carries
	/// a manifest.
	pub(crate) fn ensure_valid_content(content: &EncryptedContent) -> Result<(), Error<T>> {
		ensure!(!content.cid.is_empty(), Error::<T>::EmptyCid);
		if let Some(manifest) = &content.manifest {
			ensure!(!manifest.cid.is_empty(), Error::<T>::EmptyCid);
		}
		Ok(())
	}
}
