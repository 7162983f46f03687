//! The consent decision ([`AccessPolicy`]) and the read-only queries behind the runtime API.

use crate::*;
use alloc::vec::Vec;
use frame_support::{pallet_prelude::Weight, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use pmr_primitives::{
	AccessDenied, AccessGround, AccessPolicy, AccessTarget, Accessor, GrantId, Page, PatientId,
	Purpose, RecordsInspect, RegistryInspect, RequestId,
};

impl<T: Config> AccessPolicy<T::AccountId> for Pallet<T> {
	fn standing_access_allowed(patient: PatientId) -> bool {
		Self::standing_access_allowed(patient)
	}

	/// Grants are matched against the current block number: a grant applies in the blocks
	/// `granted_at .. expires_at` and in no other, whether or not the sweep has deleted it yet.
	fn can_access(
		who: &T::AccountId,
		patient: PatientId,
		target: AccessTarget,
		purpose: Purpose,
	) -> Result<AccessGround, AccessDenied> {
		let accessor =
			Accessor::of::<T::AccountId, T::Registry>(who).ok_or(AccessDenied::NotRegistered)?;
		Self::decide(who, accessor, patient, target, purpose)
	}

	/// The benchmark asks about one record (the longer path: the records pallet is read too).
	fn can_access_weight() -> Weight {
		T::WeightInfo::can_access()
	}
}

impl<T: Config> Pallet<T> {
	/// The decision of [`AccessPolicy::can_access`] for a caller already resolved to the
	/// doctor or lab it acts as (so `record_access` does not look it up twice).
	pub(crate) fn decide(
		who: &T::AccountId,
		accessor: Accessor,
		patient: PatientId,
		target: AccessTarget,
		purpose: Purpose,
	) -> Result<AccessGround, AccessDenied> {
		let hospital = T::Registry::registering_hospital(patient).ok_or(AccessDenied::UnknownPatient)?;
		// A record is what the records pallet says it is: the caller's category must match, so
		// a grant for one category cannot open a record of another.
		if let AccessTarget::Record { item, category } = target {
			if T::Records::live_record(item) != Some((patient, category)) {
				return Err(AccessDenied::NoSuchRecord);
			}
		}

		// The most telling refusal if nothing matches: a grant that would apply but waits to be
		// confirmed after the grantee's account recovery, then out of scope, then wrong purpose, then
		// expired, then (for the registering hospital's doctors) withdrawn standing access,
		// then how the pair's last grant ended (expired, revoked, session ended; kept after
		// the grant is deleted), then no grant at all.
		let mut refusal = AccessDenied::NoConsent;

		// The patient's own hospital treats the patient: its active doctors may access the
		// records for treatment without a separate grant, unless the patient withdrew that.
		if purpose == Purpose::Treatment {
			if let Accessor::Doctor(_) = accessor {
				if T::Registry::active_doctor_of(who, hospital).is_some() {
					if Self::standing_access_allowed(patient) {
						return Ok(AccessGround::RegisteringHospital(hospital));
					}
					refusal = AccessDenied::StandingAccessWithdrawn;
				}
			}
		}

		let now = Self::now();
		let rank = |r: &AccessDenied| match r {
			AccessDenied::GrantSuspended => 4,
			AccessDenied::OutOfScope => 3,
			AccessDenied::PurposeMismatch => 2,
			AccessDenied::Expired => 1,
			AccessDenied::StandingAccessWithdrawn => 1,
			_ => 0,
		};
		for id in PairGrants::<T>::get(patient, accessor) {
			let Some(grant) = Grants::<T>::get(id) else { continue };
			// Asked of every grant, so that every refusal costs what the benchmark measured.
			let suspended = Self::suspended_by(id, &grant).is_some();
			let verdict = if !grant.is_live(now) {
				Err(AccessDenied::Expired)
			} else if !grant.allows_purpose(purpose) {
				Err(AccessDenied::PurposeMismatch)
			} else if !grant.scope.covers(&target) {
				Err(AccessDenied::OutOfScope)
			} else if suspended {
				Err(AccessDenied::GrantSuspended)
			} else if grant.is_break_glass() {
				Ok(AccessGround::BreakGlass(id))
			} else {
				Ok(AccessGround::Grant(id))
			};
			match verdict {
				Ok(ground) => return Ok(ground),
				Err(r) if rank(&r) > rank(&refusal) => refusal = r,
				Err(_) => {},
			}
		}
		if refusal == AccessDenied::NoConsent {
			if let Some(ended) = EndedGrants::<T>::get(patient, accessor) {
				refusal = ended.how.refusal();
			}
		}
		Err(refusal)
	}
}

impl<T: Config> pmr_primitives::ConsentRequests<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	/// Files the request as if the requester had called `request_access` with a scope of the
	/// one target and no reason.
	fn file_request(
		requester: &T::AccountId,
		patient: PatientId,
		target: AccessTarget,
		purpose: Purpose,
		duration: BlockNumberFor<T>,
	) -> Result<RequestId, sp_runtime::DispatchError> {
		let scope = match target {
			AccessTarget::AllRecords => Scope::AllRecords,
			AccessTarget::Category(category) =>
				Scope::Categories(frame_support::BoundedVec::truncate_from(alloc::vec![category])),
			AccessTarget::Record { item, .. } =>
				Scope::Records(frame_support::BoundedVec::truncate_from(alloc::vec![item])),
		};
		Self::do_request_access(requester.clone(), patient, scope, purpose, duration, None)
	}

	fn file_request_weight() -> Weight {
		T::WeightInfo::request_access()
	}

	fn withdraw_request(request: RequestId) {
		if let Some(info) = Requests::<T>::get(request) {
			Self::remove_request(request, info.patient, info.requester);
			Self::deposit_event(Event::RequestCancelled { request, patient: info.patient });
		}
	}

	fn withdraw_request_weight() -> Weight {
		T::WeightInfo::cancel_request()
	}
}

impl<T: Config> Pallet<T> {
	/// See [`crate::runtime_api::ConsentApi::grant_suspended`].
	pub fn grant_suspended(grant: GrantId) -> Option<BlockNumberFor<T>> {
		Grants::<T>::get(grant).and_then(|info| Self::suspended_by(grant, &info))
	}

	/// See [`crate::runtime_api::ConsentApi::essential_share`].
	pub fn essential_share(
		account: &T::AccountId,
		patient: PatientId,
		target: pmr_primitives::SealedTarget,
	) -> Option<(GrantId, pmr_primitives::EssentialEnvelope)> {
		let accessor = Accessor::of::<T::AccountId, T::Registry>(account)?;
		let now = Self::now();
		PairGrants::<T>::get(patient, accessor).into_iter().find_map(|grant| {
			let live = Grants::<T>::get(grant)
				.is_some_and(|info| info.is_live(now) && Self::suspended_by(grant, &info).is_none());
			let keys = GrantKeys::<T>::get(grant).filter(|_| live)?;
			keys.into_iter().find(|(t, _)| *t == target).map(|(_, envelope)| (grant, envelope))
		})
	}

	/// A page of a patient's grants that apply now (consent and break-glass), after the grant
	/// `after`, in storage order (see [`Page`]).
	pub fn active_grants(
		patient: PatientId,
		after: Option<GrantId>,
		take: u32,
	) -> Page<(GrantId, GrantInfo<T>), GrantId> {
		let now = Self::now();
		let ids = match after {
			Some(grant) => PatientGrants::<T>::iter_key_prefix_from(
				patient,
				PatientGrants::<T>::hashed_key_for(patient, grant),
			),
			None => PatientGrants::<T>::iter_key_prefix(patient),
		};
		Page::collect(ids, take, |id| *id, |id| Grants::<T>::get(id).filter(|g| g.is_live(now)).map(|g| (id, g)))
	}

	/// A page of the patients who currently let `who` (a doctor or lab account) access their
	/// records, with the grant and its expiry (a doctor's "my patients" list), after the grant
	/// `after`, in storage order (see [`Page`]).
	pub fn consenting_patients(
		who: &T::AccountId,
		after: Option<GrantId>,
		take: u32,
	) -> Page<(PatientId, GrantId, BlockNumberFor<T>), GrantId> {
		let Some(accessor) = Accessor::of::<T::AccountId, T::Registry>(who) else {
			return Page { items: Vec::new(), next: None };
		};
		let now = Self::now();
		let grants = match after {
			Some(grant) => AccessorGrants::<T>::iter_prefix_from(
				accessor,
				AccessorGrants::<T>::hashed_key_for(accessor, grant),
			),
			None => AccessorGrants::<T>::iter_prefix(accessor),
		};
		Page::collect(grants, take, |(id, _)| *id, |(id, patient)| {
			Grants::<T>::get(id).filter(|g| g.is_live(now)).map(|g| (patient, id, g.expires_at))
		})
	}

	/// A patient's requests that can still be answered.
	pub fn pending_requests(patient: PatientId) -> Vec<(RequestId, RequestInfo<T>)> {
		let now = Self::now();
		PendingRequests::<T>::iter_prefix_values(patient)
			.filter_map(|id| Requests::<T>::get(id).map(|r| (id, r)))
			.filter(|(_, r)| now < r.expires_at)
			.collect()
	}

	/// A page of a patient's audit trail, newest first: skip `skip` entries, return at most
	/// `take` (and never more than the trail keeps).
	pub fn audit_page(patient: PatientId, skip: u32, take: u32) -> Vec<AuditEntry<T>> {
		let length = AuditLength::<T>::get(patient);
		let kept = length.min(u64::from(T::MaxAuditEntries::get()));
		let ring = u64::from(T::MaxAuditEntries::get());
		(u64::from(skip)..kept)
			.take(take as usize)
			.filter_map(|back| {
				let index = length.checked_sub(back.checked_add(1)?)?;
				AuditLog::<T>::get(patient, (index % ring) as u32)
			})
			.collect()
	}

	/// The guardians of a patient.
	pub fn guardians_of(patient: PatientId) -> Vec<T::AccountId> {
		Guardians::<T>::get(patient).into_inner()
	}

	/// A page of the patients `who` is a guardian of, after the patient `after`, in storage
	/// order (see [`Page`]).
	pub fn wards_of(who: &T::AccountId, after: Option<PatientId>, take: u32) -> Page<PatientId, PatientId> {
		let wards = match after {
			Some(patient) => Wards::<T>::iter_key_prefix_from(who, Wards::<T>::hashed_key_for(who, patient)),
			None => Wards::<T>::iter_key_prefix(who),
		};
		Page::collect(wards, take, |patient| *patient, Some)
	}

	/// A page of the break-glass declarations waiting for a regulator's review, after the
	/// grant `after` (see [`Page`]).
	pub fn emergencies_to_review(
		after: Option<GrantId>,
		take: u32,
	) -> Page<(GrantId, EmergencyRecord<T>), GrantId> {
		let pending = match after {
			Some(grant) => PendingReviews::<T>::iter_from_key(grant),
			None => PendingReviews::<T>::iter(),
		};
		Page::collect(pending, take, |(grant, _)| *grant, Some)
	}
}

/// Admits a patient's guardians to the consortium (for the registry's permissioned
/// transaction extension): an account that is a guardian of at least one patient.
pub struct GuardianAccounts<T>(core::marker::PhantomData<T>);
impl<T: Config> frame_support::traits::Contains<T::AccountId> for GuardianAccounts<T> {
	fn contains(who: &T::AccountId) -> bool {
		Wards::<T>::iter_key_prefix(who).next().is_some()
	}
}
