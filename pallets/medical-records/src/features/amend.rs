//! Amendments: a new version linked to the previous one, with author and reason.

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::PmrItemId;

impl<T: Config> Pallet<T> {
	/// Amends the record; returns the ground the amending doctor's access check granted on.
	pub(crate) fn do_amend_record(
		who: T::AccountId,
		item: PmrItemId,
		content: EncryptedContent,
		reason: pmr_primitives::NoteHash,
	) -> Result<pmr_primitives::AccessGround, DispatchError> {
		let mut record = Self::live_record(item)?;
		let (doctor, ground) = Self::ensure_may_amend(&who, item, &record)?;
		Self::ensure_valid_content(&content)?;
		ensure!(record.versions < T::MaxVersions::get(), Error::<T>::TooManyVersions);

		let version = record.versions;
		Self::claim_content(item, version, &content)?;
		record.versions = version.saturating_add(1);
		let ciphertext_hash = content.ciphertext_hash;
		Versions::<T>::insert(
			item,
			version,
			VersionInfo {
				cid: Some(content.cid),
				plaintext_hash: content.plaintext_hash,
				ciphertext_hash,
				manifest: content.manifest,
				author: doctor,
				author_account: who.clone(),
				amends: version.checked_sub(1),
				reason: Some(reason),
				at: Self::now(),
			},
		);
		Records::<T>::insert(item, record);
		let resolved_correction = Corrections::<T>::take(item).is_some();
		Self::deposit_event(Event::RecordAmended {
			item,
			version,
			by: who,
			resolved_correction,
			ciphertext_hash,
		});
		Ok(ground)
	}
}
