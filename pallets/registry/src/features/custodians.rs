//! Key custodians and staff encryption keys.
//!
//! Consortium hospitals are the key custodians: a record's data key is split t-of-n among the
//! current custodian set. A verified hospital's admin proposes its custodian node's X25519 key,
//! a regulator approves it into the set (a new key of a custodian replaces the old one: key
//! rotation), removes custodians and sets the threshold. Every change of the set or the
//! threshold bumps the set's version, which key-share manifests name. A hospital that stops
//! being verified leaves the set and loses its pending key (`leave_custodian_set`, called by
//! suspension, revocation and a details change that needs re-verification).
//! Doctors and labs register the X25519 key shares released to them are wrapped to.

use crate::*;
use frame_support::{pallet_prelude::*, traits::Get};
use pmr_primitives::{
	is_usable_encryption_key, CustodianSetVersion, EncryptionPublicKey, HospitalId, HospitalStatus,
};

impl<T: Config> Pallet<T> {
	/// Refuses an X25519 key shares could not safely be wrapped to (one of small order).
	pub(crate) fn ensure_usable_key(key: &EncryptionPublicKey) -> DispatchResult {
		ensure!(is_usable_encryption_key(key), Error::<T>::UnusableEncryptionKey);
		Ok(())
	}

	/// Bumps the custodian set's version; returns the new version.
	fn bump_custodian_set_version() -> Result<CustodianSetVersion, DispatchError> {
		let version = CurrentCustodianSetVersion::<T>::get()
			.checked_next()
			.ok_or(Error::<T>::IdOverflow)?;
		CurrentCustodianSetVersion::<T>::put(version);
		Ok(version)
	}

	/// Fails if a custodian other than `hospital` already uses `key`.
	fn ensure_custodian_key_unused(
		custodians: &[Custodian],
		hospital: HospitalId,
		key: &EncryptionPublicKey,
	) -> DispatchResult {
		ensure!(
			!custodians.iter().any(|c| c.hospital != hospital && c.key == *key),
			Error::<T>::CustodianKeyInUse
		);
		Ok(())
	}

	/// Takes `hospital` out of the custodian set if it is in it: bumps the version and emits
	/// `CustodianRemoved`. Returns the new version, or `None` if it was not a custodian.
	fn remove_from_custodian_set(
		hospital: HospitalId,
	) -> Result<Option<CustodianSetVersion>, DispatchError> {
		let mut custodians = Custodians::<T>::get();
		let before = custodians.len();
		custodians.retain(|c| c.hospital != hospital);
		if custodians.len() == before {
			return Ok(None);
		}
		Custodians::<T>::put(custodians);
		let set = Self::bump_custodian_set_version()?;
		Self::deposit_event(Event::CustodianRemoved { hospital, set });
		Ok(Some(set))
	}

	/// What a hospital loses when it stops being verified (suspended, revoked, or sent back
	/// for re-verification): its place in the custodian set and its pending custodian key.
	pub(crate) fn leave_custodian_set(hospital: HospitalId) -> DispatchResult {
		PendingCustodianKeys::<T>::remove(hospital);
		Self::remove_from_custodian_set(hospital)?;
		Ok(())
	}

	/// Whether `who` may register a staff encryption key: a doctor or an active lab (the
	/// accounts key shares are released to).
	fn is_doctor_or_active_lab(who: &T::AccountId) -> bool {
		DoctorByAccount::<T>::contains_key(who) ||
			LabByAccount::<T>::get(who).and_then(Labs::<T>::get).is_some_and(|l| l.active)
	}

	pub(crate) fn do_propose_custodian_key(
		who: T::AccountId,
		hospital: HospitalId,
		key: EncryptionPublicKey,
	) -> DispatchResult {
		Self::verified_hospital_of_admin(&who, hospital)?;
		Self::ensure_usable_key(&key)?;
		Self::ensure_custodian_key_unused(&Custodians::<T>::get(), hospital, &key)?;
		PendingCustodianKeys::<T>::insert(hospital, key);
		Self::deposit_event(Event::CustodianKeyProposed { hospital });
		Ok(())
	}

	pub(crate) fn do_approve_custodian_key(hospital: HospitalId) -> DispatchResult {
		let key =
			PendingCustodianKeys::<T>::get(hospital).ok_or(Error::<T>::NoPendingCustodianKey)?;
		let info = Self::hospital(hospital)?;
		ensure!(info.status == HospitalStatus::Verified, Error::<T>::HospitalNotVerified);
		let mut custodians = Custodians::<T>::get();
		Self::ensure_custodian_key_unused(&custodians, hospital, &key)?;
		match custodians.iter_mut().find(|c| c.hospital == hospital) {
			// Key rotation: the custodian keeps its place in the set.
			Some(custodian) => custodian.key = key,
			None => custodians
				.try_push(Custodian { hospital, key })
				.map_err(|_| Error::<T>::TooManyCustodians)?,
		}
		Custodians::<T>::put(custodians);
		PendingCustodianKeys::<T>::remove(hospital);
		let set = Self::bump_custodian_set_version()?;
		Self::deposit_event(Event::CustodianApproved { hospital, set });
		Ok(())
	}

	pub(crate) fn do_remove_custodian(hospital: HospitalId) -> DispatchResult {
		Self::remove_from_custodian_set(hospital)?.ok_or(Error::<T>::NotCustodian)?;
		Ok(())
	}

	pub(crate) fn do_set_custodian_threshold(threshold: u8) -> DispatchResult {
		ensure!(
			threshold >= 1 && u32::from(threshold) <= T::MaxCustodians::get(),
			Error::<T>::InvalidCustodianThreshold
		);
		CustodianThreshold::<T>::put(threshold);
		let set = Self::bump_custodian_set_version()?;
		Self::deposit_event(Event::CustodianThresholdSet { threshold, set });
		Ok(())
	}

	pub(crate) fn do_set_encryption_key(
		who: T::AccountId,
		key: EncryptionPublicKey,
	) -> DispatchResult {
		ensure!(Self::is_doctor_or_active_lab(&who), Error::<T>::NotDoctorOrLab);
		Self::ensure_usable_key(&key)?;
		StaffEncryptionKeys::<T>::insert(&who, key);
		Self::deposit_event(Event::EncryptionKeySet { who });
		Ok(())
	}
}
