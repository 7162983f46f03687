//! Storage invariants, checked by `try-runtime` and after every test.

use crate::*;
use alloc::collections::btree_map::BTreeMap;
use frame_support::{ensure, traits::Get};
use pmr_primitives::{PatientId, RegistryInspect};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks the consent pallet's invariants:
	/// - every grant is below `NextGrantId`, expires after it was granted, has a non-empty
	///   scope, and is in exactly the pair, patient and accessor indexes it names;
	/// - every index entry points at an existing grant with matching patient and accessor;
	///   a pair holds at most one break-glass grant;
	/// - an ended grant a pair remembers ([`EndedGrants`]) was issued and is deleted;
	/// - essential shares handed over with an approval ([`GrantKeys`]) belong to a stored grant;
	/// - a grant confirmed again after its grantee's recovery ([`GrantConfirmedAfter`]) is
	///   stored, and its grantee was recovered in that block or later;
	/// - every request is below `NextRequestId`, is the pending request of its pair, and the
	///   pending counters match;
	/// - guardians and wards mirror each other; no patient is their own guardian;
	/// - every audit trail's slots hold the entries the length says.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next_grant = NextGrantId::<T>::get();
		for (id, grant) in Grants::<T>::iter() {
			ensure!(id < next_grant, "grant id not below NextGrantId");
			ensure!(grant.granted_at < grant.expires_at, "grant expires before it starts");
			ensure!(!grant.scope.is_empty(), "grant with an empty scope");
			ensure!(
				PairGrants::<T>::get(grant.patient, grant.accessor).contains(&id),
				"grant missing from its pair index"
			);
			ensure!(
				PatientGrants::<T>::contains_key(grant.patient, id),
				"grant missing from the patient index"
			);
			ensure!(
				AccessorGrants::<T>::get(grant.accessor, id) == Some(grant.patient),
				"grant missing from the accessor index"
			);
		}
		for (patient, accessor, ids) in PairGrants::<T>::iter() {
			ensure!(!ids.is_empty(), "empty pair index kept in storage");
			let mut break_glass = 0u32;
			for id in ids.iter() {
				let grant = Grants::<T>::get(id).ok_or("pair index points at a missing grant")?;
				ensure!(
					grant.patient == patient && grant.accessor == accessor,
					"pair index points at another pair's grant"
				);
				break_glass += u32::from(grant.is_break_glass());
			}
			ensure!(break_glass <= 1, "more than one break-glass grant for a pair");
		}
		for (id, keys) in GrantKeys::<T>::iter() {
			ensure!(Grants::<T>::contains_key(id), "essential shares kept for a grant that is gone");
			ensure!(!keys.is_empty(), "an empty set of essential shares kept in storage");
		}
		for (id, after) in GrantConfirmedAfter::<T>::iter() {
			let grant = Grants::<T>::get(id).ok_or("a confirmation kept for a grant that is gone")?;
			ensure!(
				RecoveredAt::<T>::get(grant.accessor).is_some_and(|at| after <= at),
				"a grant confirmed after a recovery its grantee never had"
			);
		}
		for (_, _, ended) in EndedGrants::<T>::iter() {
			ensure!(ended.grant < next_grant, "ended grant id not below NextGrantId");
			ensure!(!Grants::<T>::contains_key(ended.grant), "an ended grant is still stored");
		}
		for (patient, id, ()) in PatientGrants::<T>::iter() {
			ensure!(
				Grants::<T>::get(id).is_some_and(|g| g.patient == patient),
				"patient index out of sync"
			);
		}
		for (accessor, id, patient) in AccessorGrants::<T>::iter() {
			ensure!(
				Grants::<T>::get(id).is_some_and(|g| g.accessor == accessor && g.patient == patient),
				"accessor index out of sync"
			);
		}

		let next_request = NextRequestId::<T>::get();
		let mut pending = BTreeMap::<PatientId, u32>::new();
		for (id, request) in Requests::<T>::iter() {
			ensure!(id < next_request, "request id not below NextRequestId");
			ensure!(
				PendingRequests::<T>::get(request.patient, request.requester) == Some(id),
				"request is not its pair's pending request"
			);
			*pending.entry(request.patient).or_default() += 1;
		}
		for (patient, requester, id) in PendingRequests::<T>::iter() {
			ensure!(
				Requests::<T>::get(id).is_some_and(|r| r.patient == patient && r.requester == requester),
				"pending index out of sync"
			);
		}
		for (patient, count) in PendingRequestCount::<T>::iter() {
			ensure!(pending.get(&patient) == Some(&count), "pending request counter mismatch");
			ensure!(count <= T::MaxPendingRequests::get(), "too many pending requests");
		}
		ensure!(
			pending.len() == PendingRequestCount::<T>::iter().count(),
			"pending request counter missing"
		);

		for (patient, guardians) in Guardians::<T>::iter() {
			ensure!(!guardians.is_empty(), "empty guardian list kept in storage");
			if let Some(account) = T::Registry::patient_account(patient) {
				ensure!(!guardians.contains(&account), "a patient is their own guardian");
			}
			for g in guardians.iter() {
				ensure!(Wards::<T>::contains_key(g, patient), "guardian without ward entry");
			}
		}
		for (guardian, patient, ()) in Wards::<T>::iter() {
			ensure!(Guardians::<T>::get(patient).contains(&guardian), "ward without guardian entry");
		}

		let ring = u64::from(T::MaxAuditEntries::get());
		for (patient, length) in AuditLength::<T>::iter() {
			let slots = AuditLog::<T>::iter_key_prefix(patient).count() as u64;
			ensure!(slots == length.min(ring), "audit slots do not match the trail length");
		}
		for (patient, slot, entry) in AuditLog::<T>::iter() {
			ensure!(
				entry.index % ring == u64::from(slot) &&
					entry.index < AuditLength::<T>::get(patient),
				"audit entry in the wrong slot"
			);
		}

		Ok(())
	}
}
