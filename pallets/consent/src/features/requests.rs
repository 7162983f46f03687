//! Access requests: a doctor or lab asks, the patient's side approves (possibly narrower) or
//! denies, the requester may withdraw, and unanswered requests expire.

use crate::*;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use pmr_primitives::{PatientId, Purpose, RegistryInspect, RequestId};
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Files the request; returns its ID.
	pub(crate) fn do_request_access(
		who: T::AccountId,
		patient: PatientId,
		scope: Scope<T>,
		purpose: Purpose,
		duration: BlockNumberFor<T>,
		reason: Option<pmr_primitives::NoteHash>,
	) -> Result<RequestId, DispatchError> {
		let requester = Self::ensure_accessor(&who)?;
		ensure!(T::Registry::patient_account(patient).is_some(), Error::<T>::UnknownPatient);
		ensure!(purpose != Purpose::Emergency, Error::<T>::EmergencyPurpose);
		Self::ensure_valid_scope(&scope)?;
		Self::ensure_valid_duration(duration)?;
		let now = Self::now();

		// A previous request from the same requester that nobody answered in time is stale:
		// replace it (cleanup). A live one must be answered or withdrawn first.
		if let Some(previous) = PendingRequests::<T>::get(patient, requester) {
			match Requests::<T>::get(previous) {
				Some(old) if now < old.expires_at => Err(Error::<T>::DuplicateRequest)?,
				_ => Self::expire_request(previous, patient, requester),
			}
		}
		// Only requests that can still be answered count against the limit: when it is
		// reached, the patient's lapsed requests are cleaned up first.
		if PendingRequestCount::<T>::get(patient) >= T::MaxPendingRequests::get() {
			let lapsed: alloc::vec::Vec<_> = PendingRequests::<T>::iter_prefix(patient)
				.filter(|(_, id)| Requests::<T>::get(id).is_none_or(|r| now >= r.expires_at))
				.collect();
			for (accessor, id) in lapsed {
				Self::expire_request(id, patient, accessor);
			}
		}
		ensure!(
			PendingRequestCount::<T>::get(patient) < T::MaxPendingRequests::get(),
			Error::<T>::TooManyPendingRequests
		);

		let request = NextRequestId::<T>::get();
		NextRequestId::<T>::put(request.checked_next().ok_or(Error::<T>::IdOverflow)?);
		let expires_at = now.saturating_add(T::RequestTimeout::get());
		PendingRequests::<T>::insert(patient, requester, request);
		PendingRequestCount::<T>::try_mutate(patient, |n| {
			*n = n.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;
			Ok::<_, Error<T>>(())
		})?;
		Requests::<T>::insert(
			request,
			RequestInfo {
				patient,
				requester,
				requester_account: who,
				scope,
				purpose,
				duration,
				reason,
				requested_at: now,
				expires_at,
			},
		);
		Self::deposit_event(Event::AccessRequested {
			request,
			patient,
			requester,
			purpose,
			duration,
			expires_at,
		});
		Ok(request)
	}

	/// Deletes a lapsed request and says so (cleanup).
	pub(crate) fn expire_request(
		request: RequestId,
		patient: PatientId,
		requester: pmr_primitives::Accessor,
	) {
		Self::remove_request(request, patient, requester);
		Self::deposit_event(Event::RequestExpired { request, patient });
	}

	pub(crate) fn do_approve_request(
		who: T::AccountId,
		request: RequestId,
		scope: Option<Scope<T>>,
		duration: Option<BlockNumberFor<T>>,
		keys: KeysOf<T>,
	) -> DispatchResult {
		let info = Requests::<T>::get(request).ok_or(Error::<T>::UnknownRequest)?;
		let by = Self::ensure_patient_side(&who, info.patient)?;
		let now = Self::now();
		ensure!(now < info.expires_at, Error::<T>::RequestExpired);
		ensure!(Self::accessor_is_active(info.requester), Error::<T>::AccessorNotActive);

		let mut narrowed = false;
		let scope = match scope {
			Some(scope) => {
				Self::ensure_valid_scope(&scope)?;
				ensure!(scope.is_within(&info.scope), Error::<T>::ScopeWidened);
				narrowed |= scope != info.scope;
				scope
			},
			None => info.scope.clone(),
		};
		let duration = match duration {
			Some(duration) => {
				ensure!(duration <= info.duration, Error::<T>::DurationExtended);
				Self::ensure_valid_duration(duration)?;
				narrowed |= duration != info.duration;
				duration
			},
			None => info.duration,
		};

		Self::remove_request(request, info.patient, info.requester);
		let grant = Self::issue_consent(
			GrantInfo {
				patient: info.patient,
				accessor: info.requester,
				scope,
				purpose: info.purpose,
				kind: GrantKind::Consent { by, request: Some(request) },
				granted_at: now,
				expires_at: now.saturating_add(duration),
			},
			who.clone(),
		)?;
		let handed_over = keys.len() as u32;
		if !keys.is_empty() {
			GrantKeys::<T>::insert(grant, keys);
		}
		Self::deposit_event(Event::RequestApproved {
			request,
			grant,
			narrowed,
			essential_shares: handed_over,
			by: who,
		});
		Ok(())
	}

	pub(crate) fn do_deny_request(who: T::AccountId, request: RequestId) -> DispatchResult {
		let info = Requests::<T>::get(request).ok_or(Error::<T>::UnknownRequest)?;
		Self::ensure_patient_side(&who, info.patient)?;
		Self::remove_request(request, info.patient, info.requester);
		Self::deposit_event(Event::RequestDenied { request, patient: info.patient, by: who });
		Ok(())
	}

	pub(crate) fn do_cancel_request(who: T::AccountId, request: RequestId) -> DispatchResult {
		let info = Requests::<T>::get(request).ok_or(Error::<T>::UnknownRequest)?;
		ensure!(info.requester_account == who, Error::<T>::NotRequester);
		Self::remove_request(request, info.patient, info.requester);
		Self::deposit_event(Event::RequestCancelled { request, patient: info.patient });
		Ok(())
	}

	/// Deletes a request from every index.
	pub(crate) fn remove_request(
		request: RequestId,
		patient: PatientId,
		requester: pmr_primitives::Accessor,
	) {
		if Requests::<T>::take(request).is_some() {
			PendingRequestCount::<T>::mutate_exists(patient, |n| {
				*n = n.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0);
			});
		}
		if PendingRequests::<T>::get(patient, requester) == Some(request) {
			PendingRequests::<T>::remove(patient, requester);
		}
	}
}
