//! The pallet's calls, one file per feature, and the helpers they share.

mod amend;
mod appointments;
mod content;
mod correction;
mod create;
mod erasure;
mod manifest;
mod reclaim;

use crate::*;
use frame_support::{
	dispatch::PostDispatchInfo,
	pallet_prelude::*,
	traits::UnixTime,
};
use frame_system::pallet_prelude::BlockNumberFor;
use pmr_primitives::{
	AccessGround, AccessPolicy, AccessTarget, DoctorId, PmrItemId, Purpose, RegistryInspect,
	VisitDate,
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

	/// The records collection (created at genesis).
	pub(crate) fn collection() -> Result<T::CollectionId, Error<T>> {
		RecordsCollection::<T>::get().ok_or(Error::<T>::NoRecordsCollection)
	}

	/// A record that exists and is not erased.
	pub(crate) fn live_record(item: PmrItemId) -> Result<RecordInfo<T>, Error<T>> {
		let record = Records::<T>::get(item).ok_or(Error::<T>::UnknownRecord)?;
		ensure!(record.erased.is_none(), Error::<T>::RecordErased);
		Ok(record)
	}

	/// The caller's Doctor-ID, and the ground of its access, if the caller may amend the
	/// record (or reject a correction of it): an active doctor the consent decision lets treat
	/// this record now — the patient's registering hospital's standing access, a grant or
	/// break-glass. The author is no exception: writing a record gives no right that outlives
	/// the author's own access ground, and working at the hospital that wrote it gives none
	/// either.
	pub(crate) fn ensure_may_amend(
		who: &T::AccountId,
		item: PmrItemId,
		record: &RecordInfo<T>,
	) -> Result<(DoctorId, AccessGround), Error<T>> {
		let doctor = T::Registry::active_doctor(who).ok_or(Error::<T>::NotDoctor)?;
		let ground = T::Access::can_access(
			who,
			record.patient,
			AccessTarget::Record { item, category: record.category },
			Purpose::Treatment,
		)
		.map_err(|_| Error::<T>::NotAllowedToAmend)?;
		Ok((doctor, ground))
	}

	/// The post-dispatch weight of a call charged `weight` plus the access check's worst case,
	/// once the check granted access on `ground` (see
	/// [`AccessPolicy::weight_beyond_standing_access`]: the call's benchmark ran the check on
	/// the registering hospital's standing access).
	pub(crate) fn refund_access_check(weight: Weight, ground: AccessGround) -> PostDispatchInfo {
		Some(weight.saturating_add(T::Access::weight_beyond_standing_access(ground))).into()
	}

	/// Checks that a prepared anchor is signed by the clinician it was prepared for (nothing
	/// to check when it names none).
	pub(crate) fn ensure_prepared_for(
		who: &T::AccountId,
		prepared_for: Option<T::AccountId>,
	) -> Result<(), Error<T>> {
		match prepared_for {
			Some(author) if &author != who => Err(Error::<T>::PreparedForAnother),
			_ => Ok(()),
		}
	}

	/// Checks the content a doctor submits: its CID, and its manifest's CID when it carries
	/// a manifest.
	pub(crate) fn ensure_valid_content(content: &EncryptedContent) -> Result<(), Error<T>> {
		ensure!(pmr_primitives::cid::is_valid(&content.cid), Error::<T>::InvalidCid);
		if let Some(manifest) = &content.manifest {
			ensure!(pmr_primitives::cid::is_valid(&manifest.cid), Error::<T>::InvalidCid);
		}
		Ok(())
	}
}
