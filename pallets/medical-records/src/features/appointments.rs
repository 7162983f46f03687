//! Appointments: booked by the doctor or the hospital's desk, possibly with a consent
//! request; closed (completed or cancelled) by either side.

use crate::*;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use pmr_primitives::{
	AccessTarget, AppointmentId, ConsentRequests, HospitalId, NoteHash, PatientId, Purpose,
	RegistryInspect,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_book_appointment(
		who: T::AccountId,
		patient: PatientId,
		hospital: HospitalId,
		doctor_account: T::AccountId,
		details: NoteHash,
		consent: Option<(AccessTarget, BlockNumberFor<T>)>,
	) -> DispatchResult {
		let doctor = T::Registry::active_doctor_of(&doctor_account, hospital)
			.ok_or(Error::<T>::DoctorNotAtHospital)?;
		ensure!(
			who == doctor_account || T::Registry::is_hospital_member(&who, hospital),
			Error::<T>::NotDoctorOrDesk
		);
		ensure!(T::Registry::patient_account(patient).is_some(), Error::<T>::UnknownPatient);

		let appointment = NextAppointmentId::<T>::get();
		NextAppointmentId::<T>::put(appointment.checked_next().ok_or(Error::<T>::IdOverflow)?);
		let consent_request = match consent {
			Some((target, duration)) => Some(T::ConsentRequests::file_request(
				&doctor_account,
				patient,
				target,
				Purpose::Treatment,
				duration,
			)?),
			None => None,
		};
		Appointments::<T>::insert(
			appointment,
			Appointment {
				patient,
				doctor,
				doctor_account,
				hospital,
				details,
				booked_by: who,
				status: AppointmentStatus::Scheduled,
				consent_request,
			},
		);
		PatientAppointments::<T>::insert(patient, appointment, ());
		DoctorAppointments::<T>::insert(doctor, appointment, ());
		Self::deposit_event(Event::AppointmentBooked {
			appointment,
			patient,
			doctor,
			details,
			consent_request,
		});
		Ok(())
	}

	pub(crate) fn do_close_appointment(
		who: T::AccountId,
		appointment: AppointmentId,
		to: AppointmentStatus,
	) -> DispatchResult {
		let request = Appointments::<T>::try_mutate(appointment, |maybe| {
			let info = maybe.as_mut().ok_or(Error::<T>::UnknownAppointment)?;
			let party = who == info.doctor_account ||
				T::Registry::patient_account(info.patient).as_ref() == Some(&who) ||
				T::Registry::is_hospital_member(&who, info.hospital);
			ensure!(party, Error::<T>::NotAppointmentParty);
			ensure!(info.status == AppointmentStatus::Scheduled, Error::<T>::AppointmentClosed);
			info.status = to;
			Ok::<_, Error<T>>(info.consent_request)
		})?;
		match to {
			AppointmentStatus::Cancelled => {
				if let Some(request) = request {
					T::ConsentRequests::withdraw_request(request);
				}
				Self::deposit_event(Event::AppointmentCancelled { appointment, by: who });
			},
			AppointmentStatus::Completed =>
				Self::deposit_event(Event::AppointmentCompleted { appointment, by: who }),
			// Nothing closes an appointment back to scheduled.
			AppointmentStatus::Scheduled => {},
		}
		Ok(())
	}
}
