//! IoMT devices: bound to a patient by the patient's hospital; they anchor batches of
//! readings as Merkle roots over non-overlapping time windows.

use crate::*;
use frame_support::{pallet_prelude::*, traits::UnixTime};
use pmr_primitives::{AccessPolicy, ContentHash, DeviceId, HospitalStatus, PatientId, RegistryInspect};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register_device(
		who: T::AccountId,
		patient: PatientId,
		device: T::AccountId,
		kind: DeviceKindCommitment,
	) -> DispatchResult {
		let hospital =
			T::Registry::registering_hospital(patient).ok_or(Error::<T>::UnknownPatient)?;
		ensure!(
			T::Registry::is_hospital_member(&who, hospital) &&
				T::Registry::hospital_status(hospital) == Some(HospitalStatus::Verified),
			Error::<T>::NotPatientsHospital
		);
		ensure!(T::Access::standing_access_allowed(patient), Error::<T>::StandingAccessWithdrawn);
		ensure!(!DeviceByAccount::<T>::contains_key(&device), Error::<T>::DeviceAccountTaken);

		let id = NextDeviceId::<T>::get();
		PatientDevices::<T>::try_mutate(patient, |devices| {
			devices.try_push(id).map_err(|_| Error::<T>::TooManyDevices)
		})?;
		NextDeviceId::<T>::put(id.checked_next().ok_or(Error::<T>::IdOverflow)?);
		DeviceByAccount::<T>::insert(&device, id);
		Devices::<T>::insert(
			id,
			DeviceInfo {
				account: device,
				patient,
				hospital,
				kind,
				active: true,
				batches: 0,
				last_window_end: 0,
			},
		);
		Self::deposit_event(Event::DeviceRegistered { device: id, patient });
		Ok(())
	}

	pub(crate) fn do_deactivate_device(who: T::AccountId, device: DeviceId) -> DispatchResult {
		Devices::<T>::try_mutate(device, |maybe| {
			let info = maybe.as_mut().ok_or(Error::<T>::UnknownDevice)?;
			let allowed = T::Registry::is_hospital_member(&who, info.hospital) ||
				T::Registry::patient_account(info.patient).as_ref() == Some(&who);
			ensure!(allowed, Error::<T>::NotDeviceManager);
			ensure!(info.active, Error::<T>::NotActiveDevice);
			info.active = false;
			// The slot in the patient's list is freed; the device's history stays.
			PatientDevices::<T>::mutate(info.patient, |devices| devices.retain(|d| *d != device));
			Ok::<_, Error<T>>(())
		})?;
		Self::deposit_event(Event::DeviceDeactivated { device });
		Ok(())
	}

	pub(crate) fn do_anchor_iomt_batch(
		who: T::AccountId,
		root: ContentHash,
		window_start: u64,
		window_end: u64,
		samples: u32,
		content: EncryptedContent,
	) -> DispatchResult {
		let device = DeviceByAccount::<T>::get(&who).ok_or(Error::<T>::NotActiveDevice)?;
		let mut info = Devices::<T>::get(device).ok_or(Error::<T>::NotActiveDevice)?;
		ensure!(info.active, Error::<T>::NotActiveDevice);
		ensure!(window_start <= window_end && samples > 0, Error::<T>::InvalidWindow);
		// A window ending in the future (beyond clock skew) would lock the device out.
		let now_ms = T::UnixTime::now().as_millis();
		ensure!(
			now_ms == 0 ||
				u128::from(window_end) <= now_ms.saturating_add(u128::from(T::MaxClockSkew::get())),
			Error::<T>::WindowInFuture
		);
		ensure!(
			info.batches == 0 || window_start > info.last_window_end,
			Error::<T>::OverlappingWindow
		);
		Self::ensure_valid_content(&content)?;

		let ciphertext_hash = content.ciphertext_hash;
		let batch = info.batches;
		Self::claim_content(pmr_primitives::SealedTarget::IomtBatch { device, batch }, &[&content])?;
		info.batches = batch.checked_add(1).ok_or(Error::<T>::IdOverflow)?;
		info.last_window_end = window_end;
		IomtBatches::<T>::insert(
			device,
			batch,
			IomtBatch {
				root,
				window_start,
				window_end,
				samples,
				content,
				anchored_at: Self::now(),
				erased: None,
			},
		);
		Devices::<T>::insert(device, info);
		Self::deposit_event(Event::IomtBatchAnchored { device, batch, root, samples, ciphertext_hash });
		Ok(())
	}
}
