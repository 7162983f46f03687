//! Attaching the key-share manifest of a version (its CID, hash and custodian set version),
//! once the off-chain worker has pinned it, when the version was anchored without one.

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::{AccessGround, ContentAddresses, PmrItemId, SealedTarget};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_attach_manifest(
		who: T::AccountId,
		item: PmrItemId,
		version: u32,
		manifest: ManifestRef,
	) -> Result<AccessGround, DispatchError> {
		let record = Self::live_record(item)?;
		ensure!(pmr_primitives::cid::is_valid(&manifest.cid), Error::<T>::InvalidCid);
		let info = Versions::<T>::get(item, version).ok_or(Error::<T>::UnknownVersion)?;
		ensure!(info.author_account == who, Error::<T>::NotAuthor);
		// The author alone, and only while the author may still treat this record: a doctor
		// who was suspended, or whose consent ended, attaches nothing.
		let (_, ground) = Self::ensure_may_amend(&who, item, &record)?;
		Versions::<T>::try_mutate(item, version, |maybe| {
			let info = maybe.as_mut().ok_or(Error::<T>::UnknownVersion)?;
			ensure!(info.manifest.is_none(), Error::<T>::ManifestAlreadySet);
			Self::claim(SealedTarget::RecordVersion { item, version }, &[&manifest.cid])
				.map_err(|_| Error::<T>::ContentAlreadyAnchored)?;
			info.manifest = Some(manifest);
			Ok::<_, Error<T>>(())
		})?;
		Self::deposit_event(Event::ManifestAttached { item, version });
		Ok(ground)
	}
}
