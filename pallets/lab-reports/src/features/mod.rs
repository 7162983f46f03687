//! The pallet's calls, one file per feature, and the helpers they share.

mod devices;
mod erasure;
mod orders;
mod reports;

use crate::*;
use frame_support::{pallet_prelude::*, traits::UnixTime};
use frame_system::pallet_prelude::BlockNumberFor;
use pmr_primitives::{ContentAddresses, SealedTarget, VisitDate};

impl<T: Config> Pallet<T> {
	/// The current block number.
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// Today's UTC date by the chain's clock, or `None` while the clock is not set.
	pub(crate) fn today() -> Option<VisitDate> {
		VisitDate::from_clock_millis(T::UnixTime::now().as_millis())
	}

	/// Claims every CID of `contents` (and of their manifests) for `anchor`: none may be
	/// anchored already ([`Config::Content`]).
	pub(crate) fn claim_content(
		anchor: SealedTarget,
		contents: &[&EncryptedContent],
	) -> Result<(), Error<T>> {
		let cids: alloc::vec::Vec<&Cid> = contents
			.iter()
			.flat_map(|c| core::iter::once(&c.cid).chain(c.manifest.as_ref().map(|m| &m.cid)))
			.collect();
		T::Content::claim(anchor, &cids).map_err(|_| Error::<T>::ContentAlreadyAnchored)
	}

	/// Checks encrypted content a lab submits: its CID, and its manifest's CID when it carries
	/// a manifest.
	pub(crate) fn ensure_valid_content(content: &EncryptedContent) -> Result<(), Error<T>> {
		ensure!(pmr_primitives::cid::is_valid(&content.cid), Error::<T>::InvalidCid);
		if let Some(manifest) = &content.manifest {
			ensure!(pmr_primitives::cid::is_valid(&manifest.cid), Error::<T>::InvalidCid);
		}
		Ok(())
	}
}
