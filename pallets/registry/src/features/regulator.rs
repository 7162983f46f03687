//! What regulators do: hospital verification lifecycle and doctors' licences. (The custodian
//! set is in `custodians.rs`; a hospital that stops being verified leaves it here.)

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::{DoctorId, HospitalId, HospitalStatus};

impl<T: Config> Pallet<T> {
	fn set_status(
		hospital: HospitalId,
		allowed_from: impl Fn(HospitalStatus) -> Result<(), Error<T>>,
		to: HospitalStatus,
	) -> Result<HospitalInfo<T>, DispatchError> {
		let mut info = Self::hospital(hospital)?;
		allowed_from(info.status)?;
		info.status = to;
		info.status_changed_at = Self::now();
		Ok(info)
	}

	pub(crate) fn do_verify_hospital(hospital: HospitalId) -> DispatchResult {
		let mut info = Self::set_status(
			hospital,
			|s| match s {
				HospitalStatus::Pending => Ok(()),
				HospitalStatus::Revoked => Err(Error::<T>::HospitalRevoked),
				_ => Err(Error::<T>::HospitalNotPending),
			},
			HospitalStatus::Verified,
		)?;
		Self::release_deposit(&mut info)?;
		Hospitals::<T>::insert(hospital, info);
		Self::deposit_event(Event::HospitalVerified { hospital });
		Ok(())
	}

	pub(crate) fn do_suspend_hospital(hospital: HospitalId) -> DispatchResult {
		let info = Self::set_status(
			hospital,
			|s| match s {
				HospitalStatus::Verified => Ok(()),
				HospitalStatus::Revoked => Err(Error::<T>::HospitalRevoked),
				_ => Err(Error::<T>::HospitalNotVerified),
			},
			HospitalStatus::Suspended,
		)?;
		Hospitals::<T>::insert(hospital, info);
		Self::deposit_event(Event::HospitalSuspended { hospital });
		Self::leave_custodian_set(hospital)
	}

	pub(crate) fn do_reinstate_hospital(hospital: HospitalId) -> DispatchResult {
		let info = Self::set_status(
			hospital,
			|s| match s {
				HospitalStatus::Suspended => Ok(()),
				HospitalStatus::Revoked => Err(Error::<T>::HospitalRevoked),
				_ => Err(Error::<T>::HospitalNotSuspended),
			},
			HospitalStatus::Verified,
		)?;
		Hospitals::<T>::insert(hospital, info);
		Self::deposit_event(Event::HospitalReinstated { hospital });
		Ok(())
	}

	pub(crate) fn do_revoke_hospital(hospital: HospitalId) -> DispatchResult {
		let mut info = Self::set_status(
			hospital,
			|s| match s {
				HospitalStatus::Revoked => Err(Error::<T>::HospitalRevoked),
				_ => Ok(()),
			},
			HospitalStatus::Revoked,
		)?;
		// Only an application never verified still holds its deposit (verification releases
		// it): a rejected application forfeits it (burnt: the chain has no treasury), which
		// is what makes flooding the regulators with applications costly.
		Self::burn_deposit(hospital, &mut info)?;
		Hospitals::<T>::insert(hospital, info);
		Self::deposit_event(Event::HospitalRevoked { hospital });
		Self::leave_custodian_set(hospital)
	}

	pub(crate) fn do_set_licence(doctor: DoctorId, to: LicenceStatus) -> DispatchResult {
		Doctors::<T>::try_mutate(doctor, |maybe| -> DispatchResult {
			let info = maybe.as_mut().ok_or(Error::<T>::UnknownDoctor)?;
			match (info.licence, to) {
				(LicenceStatus::Confirmed, LicenceStatus::Confirmed) =>
					return Err(Error::<T>::LicenceAlreadyConfirmed.into()),
				(LicenceStatus::Revoked, LicenceStatus::Revoked) =>
					return Err(Error::<T>::LicenceAlreadyRevoked.into()),
				_ => {},
			}
			info.licence = to;
			Ok(())
		})?;
		Self::deposit_event(match to {
			LicenceStatus::Revoked => Event::DoctorLicenceRevoked { doctor },
			_ => Event::DoctorLicenceConfirmed { doctor },
		});
		Ok(())
	}
}
