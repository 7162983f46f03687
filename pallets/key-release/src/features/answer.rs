//! Answering a key request: custodians release or refuse their share, the patient's side
//! hands the essential share over. A release is accepted only while the request can be
//! answered and its access decision still holds at this block; each answer is logged.

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::{
	Cid, HospitalId, KeyAuditEvent, KeyCustody, KeyRequestId, PatientAudit, ShareRefusal,
};

impl<T: Config> Pallet<T> {
	/// The caller's custodian hospital and the request, if the caller may answer it now.
	fn answerable_by_custodian(
		who: &T::AccountId,
		id: KeyRequestId,
	) -> Result<(HospitalId, KeyRequest<T>), DispatchError> {
		let custodian = T::Custody::custodian_of(who).ok_or(Error::<T>::NotCustodian)?;
		let request = Self::open_request(id)?;
		ensure!(request.is_answerable(Self::now()), Error::<T>::RequestExpired);
		ensure!(!request.answered_by(custodian), Error::<T>::AlreadyAnswered);
		Ok((custodian, request))
	}

	fn record_answer(
		id: KeyRequestId,
		mut request: KeyRequest<T>,
		custodian: HospitalId,
		answer: Answer,
	) -> DispatchResult {
		request
			.answers
			.try_push((custodian, answer))
			.map_err(|_| Error::<T>::TooManyAnswers)?;
		KeyRequests::<T>::insert(id, request);
		Ok(())
	}

	pub(crate) fn do_release_share(
		who: T::AccountId,
		id: KeyRequestId,
		envelope: Cid,
	) -> DispatchResult {
		ensure!(pmr_primitives::cid::is_valid(&envelope), Error::<T>::InvalidCid);
		let (custodian, request) = Self::answerable_by_custodian(&who, id)?;
		ensure!(Self::decision(&request).is_ok(), Error::<T>::DecisionNoLongerHolds);
		let (patient, by) = (request.patient, request.by);
		Self::record_answer(id, request, custodian, Answer::Released(envelope.clone()))?;
		Self::log_for(by, patient, &who, KeyAuditEvent::ShareReleased { request: id, custodian });
		Self::deposit_event(Event::ShareReleased { request: id, patient, custodian, envelope });
		Ok(())
	}

	pub(crate) fn do_refuse_share(
		who: T::AccountId,
		id: KeyRequestId,
		reason: ShareRefusal,
	) -> DispatchResult {
		let custodian = T::Custody::custodian_of(&who).ok_or(Error::<T>::NotCustodian)?;
		let request = Self::open_request(id)?;
		// A refusal is accepted after the deadline too: it tells the requester why nothing
		// came, and refusing never releases anything.
		ensure!(!request.answered_by(custodian), Error::<T>::AlreadyAnswered);
		let (patient, by) = (request.patient, request.by);
		Self::record_answer(id, request, custodian, Answer::Refused(reason))?;
		Self::log_for(by, patient, &who, KeyAuditEvent::ShareRefused { request: id, custodian, reason });
		Self::deposit_event(Event::ShareRefused { request: id, patient, custodian, reason });
		Ok(())
	}

	pub(crate) fn do_release_essential_share(
		who: T::AccountId,
		id: KeyRequestId,
		envelope: Cid,
	) -> DispatchResult {
		ensure!(pmr_primitives::cid::is_valid(&envelope), Error::<T>::InvalidCid);
		let mut request = Self::open_request(id)?;
		ensure!(T::Audit::is_patient_side(&who, request.patient), Error::<T>::NotPatientOrGuardian);
		ensure!(request.is_answerable(Self::now()), Error::<T>::RequestExpired);
		ensure!(request.essential.is_none(), Error::<T>::EssentialAlreadyReleased);
		ensure!(Self::decision(&request).is_ok(), Error::<T>::DecisionNoLongerHolds);
		let patient = request.patient;
		request.essential = Some(envelope.clone());
		KeyRequests::<T>::insert(id, request);
		T::Audit::log_key_event(patient, &who, KeyAuditEvent::EssentialShareReleased { request: id });
		Self::deposit_event(Event::EssentialShareReleased { request: id, patient, envelope, by: who });
		Ok(())
	}
}
