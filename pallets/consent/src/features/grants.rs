//! Consent grants: issue, revoke, end of session, confirm again after the grantee's account
//! recovery; and the storage bookkeeping every grant (consent or break-glass) shares.

use crate::*;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use pmr_primitives::{Accessor, GrantId, PatientId, Purpose};
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_grant_access(
		who: T::AccountId,
		patient: PatientId,
		accessor: Accessor,
		scope: Scope<T>,
		purpose: Purpose,
		expiry: Expiry<BlockNumberFor<T>>,
	) -> DispatchResult {
		let by = Self::ensure_patient_side(&who, patient)?;
		ensure!(Self::accessor_is_active(accessor), Error::<T>::AccessorNotActive);
		ensure!(purpose != Purpose::Emergency, Error::<T>::EmergencyPurpose);
		Self::ensure_valid_scope(&scope)?;
		let now = Self::now();
		let expires_at = match expiry {
			Expiry::AtBlock(at) => {
				ensure!(at > now, Error::<T>::ExpiryNotInFuture);
				Self::ensure_valid_duration(at.saturating_sub(now))?;
				at
			},
			Expiry::After(duration) => {
				Self::ensure_valid_duration(duration)?;
				now.saturating_add(duration)
			},
		};
		let info = GrantInfo {
			patient,
			accessor,
			scope,
			purpose,
			kind: GrantKind::Consent { by, request: None },
			granted_at: now,
			expires_at,
		};
		Self::issue_consent(info, who).map(|_| ())
	}

	/// Stores a consent grant, counts it and tells everyone; returns its ID.
	pub(crate) fn issue_consent(
		info: GrantInfo<T>,
		by: T::AccountId,
	) -> Result<GrantId, DispatchError> {
		let (patient, accessor, purpose, expires_at) =
			(info.patient, info.accessor, info.purpose, info.expires_at);
		let grant = Self::insert_grant(info)?;
		GrantsIssued::<T>::try_mutate(patient, |n| {
			*n = n.checked_add(1).ok_or(Error::<T>::CounterOverflow)?;
			Ok::<_, Error<T>>(())
		})?;
		Self::log(patient, Some(by.clone()), AuditEvent::GrantIssued { grant, accessor });
		Self::deposit_event(Event::GrantIssued { grant, patient, accessor, purpose, expires_at, by });
		Ok(grant)
	}

	pub(crate) fn do_revoke_grant(who: T::AccountId, grant: GrantId) -> DispatchResult {
		let info = Self::live_grant(grant)?;
		Self::ensure_patient_side(&who, info.patient)?;
		Self::remove_grant(grant, &info, GrantEnd::Revoked);
		Self::log(info.patient, Some(who.clone()), AuditEvent::GrantClosed { grant });
		Self::deposit_event(Event::GrantRevoked { grant, patient: info.patient, by: who });
		Ok(())
	}

	pub(crate) fn do_confirm_grant(who: T::AccountId, grant: GrantId) -> DispatchResult {
		let info = Self::live_grant(grant)?;
		Self::ensure_patient_side(&who, info.patient)?;
		let recovered_at = Self::suspended_by(grant, &info).ok_or(Error::<T>::GrantNotSuspended)?;
		GrantConfirmedAfter::<T>::insert(grant, recovered_at);
		Self::log(info.patient, Some(who.clone()), AuditEvent::GrantConfirmed { grant });
		Self::deposit_event(Event::GrantConfirmed { grant, patient: info.patient, by: who });
		Ok(())
	}

	/// The block of the grantee's account recovery that suspends `grant`, if one does: a
	/// recovery in or after the block the grant was given in, and not confirmed since. (A
	/// grant given in the very block of the recovery is suspended too: the block does not say
	/// which came first.)
	pub(crate) fn suspended_by(grant: GrantId, info: &GrantInfo<T>) -> Option<BlockNumberFor<T>> {
		let recovered_at = RecoveredAt::<T>::get(info.accessor).filter(|at| info.granted_at <= *at)?;
		let confirmed = GrantConfirmedAfter::<T>::get(grant).is_some_and(|after| after >= recovered_at);
		(!confirmed).then_some(recovered_at)
	}

	pub(crate) fn do_end_session(who: T::AccountId, grant: GrantId) -> DispatchResult {
		let info = Self::live_grant(grant)?;
		let accessor = Self::ensure_accessor(&who).map_err(|_| Error::<T>::NotGrantee)?;
		ensure!(info.accessor == accessor, Error::<T>::NotGrantee);
		Self::remove_grant(grant, &info, GrantEnd::SessionEnded);
		Self::log(info.patient, Some(who.clone()), AuditEvent::GrantClosed { grant });
		Self::deposit_event(Event::SessionEnded { grant, patient: info.patient, by: who });
		Ok(())
	}

	/// A grant that exists and applies now: an expired one awaiting the sweep cannot be revoked
	/// or ended, it is already over.
	fn live_grant(grant: GrantId) -> Result<GrantInfo<T>, Error<T>> {
		Grants::<T>::get(grant).filter(|g| g.is_live(Self::now())).ok_or(Error::<T>::UnknownGrant)
	}

	/// Stores a grant under a fresh ID in every index. Expired grants of the same accessor and
	/// patient are deleted first (cleanup, so that stale grants cannot block new ones). A
	/// consent grant may fill all but the last of the pair's [`Config::MaxGrantsPerPair`]
	/// slots; the last is kept for break-glass.
	pub(crate) fn insert_grant(info: GrantInfo<T>) -> Result<GrantId, DispatchError> {
		let (patient, accessor) = (info.patient, info.accessor);
		let now = Self::now();
		let mut pair = PairGrants::<T>::get(patient, accessor);
		pair.retain(|id| match Grants::<T>::get(*id) {
			Some(old) if !old.is_live(now) => {
				Self::remove_grant_indexes(*id, &old, GrantEnd::Expired);
				Self::deposit_event(Event::GrantExpired { grant: *id, patient });
				false
			},
			Some(_) => true,
			None => false,
		});
		// The last slot is kept for a break-glass grant, so consent grants can never keep an
		// emergency out.
		if !info.is_break_glass() {
			let consent_slots = T::MaxGrantsPerPair::get().saturating_sub(1) as usize;
			ensure!(pair.len() < consent_slots, Error::<T>::TooManyGrants);
		}
		let grant = NextGrantId::<T>::get();
		NextGrantId::<T>::put(grant.checked_next().ok_or(Error::<T>::IdOverflow)?);
		pair.try_push(grant).map_err(|_| Error::<T>::TooManyGrants)?;
		PairGrants::<T>::insert(patient, accessor, pair);
		PatientGrants::<T>::insert(patient, grant, ());
		AccessorGrants::<T>::insert(accessor, grant, patient);
		Grants::<T>::insert(grant, info);
		Ok(grant)
	}

	/// Deletes a grant from every index, remembering `how` it ended for the pair.
	pub(crate) fn remove_grant(grant: GrantId, info: &GrantInfo<T>, how: GrantEnd) {
		PairGrants::<T>::mutate_exists(info.patient, info.accessor, |maybe| {
			if let Some(pair) = maybe {
				pair.retain(|id| *id != grant);
				if pair.is_empty() {
					*maybe = None;
				}
			}
		});
		Self::remove_grant_indexes(grant, info, how);
	}

	/// Deletes a grant from every index but [`PairGrants`], remembering `how` it ended for
	/// the pair (an expired grant ended in its expiry block).
	fn remove_grant_indexes(grant: GrantId, info: &GrantInfo<T>, how: GrantEnd) {
		let at = match how {
			GrantEnd::Expired => info.expires_at,
			GrantEnd::Revoked | GrantEnd::SessionEnded => Self::now(),
		};
		EndedGrants::<T>::insert(info.patient, info.accessor, EndedGrant { grant, how, at });
		Grants::<T>::remove(grant);
		GrantKeys::<T>::remove(grant);
		GrantConfirmedAfter::<T>::remove(grant);
		PatientGrants::<T>::remove(info.patient, grant);
		AccessorGrants::<T>::remove(info.accessor, grant);
	}
}
