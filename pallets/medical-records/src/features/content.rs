//! Content addresses: every ciphertext and manifest CID is anchored at most once on the chain
//! ([`ContentAnchors`]), by records here and, through [`ContentAddresses`], by the lab-reports
//! pallet's reports and IoMT batches. An anchor therefore names only its own content, and an
//! erasure can only unpin what was the erased anchor's.

use crate::*;
use pmr_primitives::{
	Cid, ContentAddressTaken, ContentAddresses, ContentHash, PmrItemId, SealedTarget,
};

/// The key of a content address in [`ContentAnchors`]: blake2-256 of the CID's bytes.
pub(crate) fn content_key(cid: &[u8]) -> ContentHash {
	<sp_runtime::traits::BlakeTwo256 as sp_runtime::traits::Hash>::hash(cid).0
}

impl<T: Config> ContentAddresses for Pallet<T> {
	fn claim(anchor: SealedTarget, cids: &[&Cid]) -> Result<(), ContentAddressTaken> {
		let keys: alloc::vec::Vec<ContentHash> = cids.iter().map(|cid| content_key(cid)).collect();
		for (i, key) in keys.iter().enumerate() {
			if keys[..i].contains(key) || ContentAnchors::<T>::contains_key(key) {
				return Err(ContentAddressTaken);
			}
		}
		for key in keys {
			ContentAnchors::<T>::insert(key, anchor);
		}
		Ok(())
	}

	fn anchor_of(cid: &[u8]) -> Option<SealedTarget> {
		ContentAnchors::<T>::get(content_key(cid))
	}
}

impl<T: Config> Pallet<T> {
	/// Claims the CIDs of `content` (the ciphertext's, and the manifest's when it carries one)
	/// for version `version` of record `item`.
	pub(crate) fn claim_content(
		item: PmrItemId,
		version: u32,
		content: &EncryptedContent,
	) -> Result<(), Error<T>> {
		let mut cids = alloc::vec![&content.cid];
		if let Some(manifest) = &content.manifest {
			cids.push(&manifest.cid);
		}
		Self::claim(SealedTarget::RecordVersion { item, version }, &cids)
			.map_err(|_| Error::<T>::ContentAlreadyAnchored)
	}
}
