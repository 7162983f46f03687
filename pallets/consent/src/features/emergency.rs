//! Break-glass: a doctor opens a patient's records in an emergency, for a short window that
//! cannot be extended or chained, and a regulator reviews it afterwards.

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::{Accessor, GrantId, PatientId, Purpose, RegistryInspect};
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_declare_emergency(
		who: T::AccountId,
		patient: PatientId,
		reason: pmr_primitives::NoteHash,
	) -> DispatchResult {
		let doctor = T::Registry::active_doctor(&who).ok_or(Error::<T>::NotDoctor)?;
		ensure!(T::Registry::patient_account(patient).is_some(), Error::<T>::UnknownPatient);
		let now = Self::now();

		let window = T::BreakGlassWindow::get();
		let mut recent = BreakGlassLog::<T>::get(doctor);
		recent.retain(|(_, at)| now < at.saturating_add(window));
		ensure!(recent.iter().all(|(p, _)| *p != patient), Error::<T>::BreakGlassCooldown);
		recent.try_push((patient, now)).map_err(|_| Error::<T>::BreakGlassRateLimited)?;

		let expires_at = now.saturating_add(T::BreakGlassDuration::get());
		let grant = Self::insert_grant(GrantInfo {
			patient,
			accessor: Accessor::Doctor(doctor),
			scope: Scope::AllRecords,
			purpose: Purpose::Emergency,
			kind: GrantKind::BreakGlass { declared_by: who.clone() },
			granted_at: now,
			expires_at,
		})?;
		BreakGlassLog::<T>::insert(doctor, recent);
		PendingReviews::<T>::insert(
			grant,
			EmergencyRecord { patient, doctor, account: who.clone(), reason, declared_at: now, expires_at },
		);
		Self::log(patient, Some(who), AuditEvent::EmergencyDeclared { grant, doctor });
		Self::deposit_event(Event::EmergencyDeclared { grant, patient, doctor, expires_at });
		Ok(())
	}

	pub(crate) fn do_review_emergency(grant: GrantId, justified: bool) -> DispatchResult {
		let record = PendingReviews::<T>::take(grant).ok_or(Error::<T>::UnknownEmergency)?;
		Self::log(record.patient, None, AuditEvent::EmergencyReviewed { grant, justified });
		Self::deposit_event(Event::EmergencyReviewed { grant, patient: record.patient, justified });
		Ok(())
	}
}
