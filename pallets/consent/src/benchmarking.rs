//! Benchmarks of every consent call, the access check and the sweep, each in its worst case:
//! scopes and notes at their maximum size, the accessor's grant list full (so an access
//! check reads every slot), stale grants and requests to clean up on the way.

use super::*;
use crate::Pallet as Consent;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{pallet_prelude::*, traits::EnsureOrigin};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use pmr_primitives::{
	AccessDenied, AccessPolicy, AccessTarget, Accessor, AccountRecoveryHooks, DoctorId, PatientId,
	Purpose, RecordCategory, RecordsInspect, RegistryBenchmarkHelper,
};
use sp_runtime::traits::{One, Saturating};

type Helper<T> = <T as Config>::BenchmarkHelper;

/// A record-list scope of maximum size (the largest to store and the slowest to match).
fn max_scope<T: Config>(offset: u128) -> Scope<T> {
	let items: Vec<u128> = (0..T::MaxScopeItems::get() as u128).map(|i| offset + i).collect();
	Scope::Records(BoundedVec::truncate_from(items))
}

/// The hash of a note kept off chain.
fn note_hash() -> pmr_primitives::NoteHash {
	[7; 32]
}

/// A live record of `patient` (lab diagnostics) as the target: asking about one record also
/// reads the records pallet and matches the record against every record-list scope.
fn record_target<T: Config>(patient: PatientId) -> AccessTarget {
	let category = RecordCategory::LabDiagnostics;
	AccessTarget::Record { item: T::Records::benchmark_record(patient, category), category }
}

fn now<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number()
}

fn advance<T: Config>(by: BlockNumberFor<T>) {
	frame_system::Pallet::<T>::set_block_number(now::<T>().saturating_add(by));
}

/// The patient grants the doctor every consent slot of the pair (research purpose, maximum
/// scope) lasting `blocks`.
fn fill_consent_slots<T: Config>(
	patient: &T::AccountId,
	id: PatientId,
	doctor: DoctorId,
	blocks: BlockNumberFor<T>,
) -> Result<(), BenchmarkError> {
	for i in 0..T::MaxGrantsPerPair::get().saturating_sub(1) {
		Consent::<T>::grant_access(
			RawOrigin::Signed(patient.clone()).into(),
			id,
			Accessor::Doctor(doctor),
			max_scope::<T>(1_000 * u128::from(i)),
			Purpose::Research,
			Expiry::After(blocks),
		)?;
	}
	Ok(())
}

/// A pair whose every slot is taken (consent grants lasting `consent_blocks`, then a
/// break-glass grant), returned as (patient account, patient, doctor account, doctor).
fn full_pair<T: Config>(
	consent_blocks: BlockNumberFor<T>,
) -> Result<(T::AccountId, PatientId, T::AccountId, DoctorId), BenchmarkError> {
	let (patient, id) = Helper::<T>::patient(0);
	let (doctor, doctor_id) = Helper::<T>::doctor(0);
	fill_consent_slots::<T>(&patient, id, doctor_id, consent_blocks)?;
	Consent::<T>::declare_emergency(RawOrigin::Signed(doctor.clone()).into(), id, note_hash())?;
	Ok((patient, id, doctor, doctor_id))
}

/// As [`full_pair`] (consent slots lasting the maximum, break-glass since expired), but the
/// doctor works for the patient's registering hospital and the patient has withdrawn its
/// standing access: a treatment access then reads the hospital relationship, the withdrawal
/// and every grant of the pair before it is refused. Returns (patient, doctor account).
fn full_withdrawn_pair<T: Config>() -> Result<(PatientId, T::AccountId), BenchmarkError> {
	let (doctor, doctor_id, _, patient, id) = Helper::<T>::treating_doctor(0);
	fill_consent_slots::<T>(&patient, id, doctor_id, T::MaxGrantDuration::get())?;
	Consent::<T>::declare_emergency(RawOrigin::Signed(doctor.clone()).into(), id, note_hash())?;
	Consent::<T>::set_standing_access(RawOrigin::Signed(patient).into(), id, false)?;
	recovered_and_confirmed::<T>(id, doctor_id);
	advance::<T>(T::BreakGlassDuration::get());
	Ok((id, doctor))
}

/// The doctor's account was recovered, and the patient confirmed every grant of the pair
/// again: each access check then reads the recovery and each grant's confirmation before it
/// goes on to the grant's purpose and scope.
fn recovered_and_confirmed<T: Config>(patient: PatientId, doctor: DoctorId) {
	let accessor = Accessor::Doctor(doctor);
	<Consent<T> as AccountRecoveryHooks<T::AccountId>>::staff_recovered(accessor);
	for grant in PairGrants::<T>::get(patient, accessor) {
		GrantConfirmedAfter::<T>::insert(grant, now::<T>());
	}
}

/// Advances past the break-glass window, so every short grant of [`full_pair`] is stale.
fn past_window<T: Config>() {
	advance::<T>(T::BreakGlassWindow::get().saturating_add(One::one()));
}

/// The patient's side at its most expensive: the last of `MaxGuardians` guardians (the
/// patient check fails and the whole guardian list is read).
fn guardian<T: Config>(patient: &T::AccountId, id: PatientId) -> Result<T::AccountId, BenchmarkError> {
	let guardians = T::MaxGuardians::get();
	for i in 0..guardians {
		Consent::<T>::appoint_guardian(
			RawOrigin::Signed(patient.clone()).into(),
			id,
			account("guardian", i, 0),
			None,
		)?;
	}
	Ok(account("guardian", guardians.saturating_sub(1), 0))
}

fn regulator<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::RegulatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn grant_access() -> Result<(), BenchmarkError> {
		// Every slot of the pair holds a stale grant that must be cleaned up first.
		let (patient, id, _, doctor) = full_pair::<T>(One::one())?;
		past_window::<T>();
		let scope = max_scope::<T>(0);
		let guardian = guardian::<T>(&patient, id)?;

		#[extrinsic_call]
		_(
			RawOrigin::Signed(guardian),
			id,
			Accessor::Doctor(doctor),
			scope,
			Purpose::SecondOpinion,
			Expiry::After(T::MaxGrantDuration::get()),
		);

		assert_eq!(PairGrants::<T>::get(id, Accessor::Doctor(doctor)).len(), 1);
		Ok(())
	}

	#[benchmark]
	fn revoke_grant() -> Result<(), BenchmarkError> {
		let (patient, id, _, doctor) = full_pair::<T>(T::MaxGrantDuration::get())?;
		let grant = PairGrants::<T>::get(id, Accessor::Doctor(doctor))[0];
		let guardian = guardian::<T>(&patient, id)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(guardian), grant);

		assert!(!Grants::<T>::contains_key(grant));
		Ok(())
	}

	#[benchmark]
	fn end_session() -> Result<(), BenchmarkError> {
		let (_, id, doctor, doctor_id) = full_pair::<T>(T::MaxGrantDuration::get())?;
		let grant = PairGrants::<T>::get(id, Accessor::Doctor(doctor_id))[0];

		#[extrinsic_call]
		_(RawOrigin::Signed(doctor), grant);

		assert!(!Grants::<T>::contains_key(grant));
		Ok(())
	}

	#[benchmark]
	fn request_access() -> Result<(), BenchmarkError> {
		// The patient's request list is full of lapsed requests (from labs), which are cleaned
		// up before the new one is filed.
		let (_, id) = Helper::<T>::patient(0);
		let (doctor, doctor_id) = Helper::<T>::doctor(0);
		for i in 0..T::MaxPendingRequests::get() {
			let (lab, _) = Helper::<T>::lab(i);
			Consent::<T>::request_access(
				RawOrigin::Signed(lab).into(),
				id,
				max_scope::<T>(0),
				Purpose::LabWork,
				T::MaxGrantDuration::get(),
				Some(note_hash()),
			)?;
		}
		advance::<T>(T::RequestTimeout::get());

		#[extrinsic_call]
		_(
			RawOrigin::Signed(doctor),
			id,
			max_scope::<T>(0),
			Purpose::SecondOpinion,
			T::MaxGrantDuration::get(),
			Some(note_hash()),
		);

		assert!(PendingRequests::<T>::contains_key(id, Accessor::Doctor(doctor_id)));
		assert_eq!(PendingRequestCount::<T>::get(id), 1);
		Ok(())
	}

	#[benchmark]
	fn approve_request(k: Linear<0, { T::MaxKeysPerApproval::get() }>) -> Result<(), BenchmarkError> {
		// The approval narrows a maximum scope, stale grants of the pair are cleaned up, and it
		// hands over `k` essential shares of the largest size.
		let (patient, id, doctor, doctor_id) = full_pair::<T>(One::one())?;
		past_window::<T>();
		let request = NextRequestId::<T>::get();
		Consent::<T>::request_access(
			RawOrigin::Signed(doctor).into(),
			id,
			max_scope::<T>(0),
			Purpose::SecondOpinion,
			T::MaxGrantDuration::get(),
			Some(note_hash()),
		)?;
		let narrower = max_scope::<T>(0);
		let guardian = guardian::<T>(&patient, id)?;
		let envelope = pmr_primitives::EssentialEnvelope::truncate_from(
			alloc::vec![7u8; pmr_primitives::MAX_ESSENTIAL_ENVELOPE as usize],
		);
		let keys = KeysOf::<T>::truncate_from(
			(0..k)
				.map(|i| {
					let target = pmr_primitives::SealedTarget::RecordVersion { item: u128::from(i), version: i };
					(target, envelope.clone())
				})
				.collect(),
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(guardian), request, Some(narrower), Some(One::one()), keys);

		let grant = PairGrants::<T>::get(id, Accessor::Doctor(doctor_id));
		assert_eq!(grant.len(), 1);
		assert_eq!(GrantKeys::<T>::get(grant[0]).map_or(0, |keys| keys.len() as u32), k);
		Ok(())
	}

	#[benchmark]
	fn deny_request() -> Result<(), BenchmarkError> {
		let (patient, id) = Helper::<T>::patient(0);
		let (doctor, _) = Helper::<T>::doctor(0);
		let request = NextRequestId::<T>::get();
		Consent::<T>::request_access(
			RawOrigin::Signed(doctor).into(),
			id,
			max_scope::<T>(0),
			Purpose::SecondOpinion,
			T::MaxGrantDuration::get(),
			Some(note_hash()),
		)?;

		let guardian = guardian::<T>(&patient, id)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(guardian), request);

		assert!(!Requests::<T>::contains_key(request));
		Ok(())
	}

	#[benchmark]
	fn cancel_request() -> Result<(), BenchmarkError> {
		let (_, id) = Helper::<T>::patient(0);
		let (doctor, _) = Helper::<T>::doctor(0);
		let request = NextRequestId::<T>::get();
		Consent::<T>::request_access(
			RawOrigin::Signed(doctor.clone()).into(),
			id,
			max_scope::<T>(0),
			Purpose::SecondOpinion,
			T::MaxGrantDuration::get(),
			Some(note_hash()),
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(doctor), request);

		assert!(!Requests::<T>::contains_key(request));
		Ok(())
	}

	#[benchmark]
	fn declare_emergency() -> Result<(), BenchmarkError> {
		// The pair is full of stale grants (including an old break-glass) and the doctor's
		// rate-limit log has all but one slot taken by recent emergencies.
		let (_, id, doctor, doctor_id) = full_pair::<T>(One::one())?;
		past_window::<T>();
		for i in 1..T::MaxBreakGlassPerWindow::get() {
			let (_, other) = Helper::<T>::patient(i);
			Consent::<T>::declare_emergency(
				RawOrigin::Signed(doctor.clone()).into(),
				other,
				note_hash(),
			)?;
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(doctor), id, note_hash());

		assert_eq!(
			BreakGlassLog::<T>::get(doctor_id).len() as u32,
			T::MaxBreakGlassPerWindow::get()
		);
		Ok(())
	}

	#[benchmark]
	fn review_emergency() -> Result<(), BenchmarkError> {
		let (_, id) = Helper::<T>::patient(0);
		let (doctor, _) = Helper::<T>::doctor(0);
		let grant = NextGrantId::<T>::get();
		Consent::<T>::declare_emergency(RawOrigin::Signed(doctor).into(), id, note_hash())?;
		let origin = regulator::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, grant, true);

		assert!(!PendingReviews::<T>::contains_key(grant));
		Ok(())
	}

	#[benchmark]
	fn appoint_guardian() -> Result<(), BenchmarkError> {
		let (patient, id) = Helper::<T>::patient(0);
		for i in 1..T::MaxGuardians::get() {
			Consent::<T>::appoint_guardian(
				RawOrigin::Signed(patient.clone()).into(),
				id,
				account("guardian", i, 0),
				None,
			)?;
		}
		let guardian: T::AccountId = account("guardian", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(patient), id, guardian.clone(), None);

		assert!(Wards::<T>::contains_key(&guardian, id));
		Ok(())
	}

	#[benchmark]
	fn remove_guardian() -> Result<(), BenchmarkError> {
		let (patient, id) = Helper::<T>::patient(0);
		for i in 0..T::MaxGuardians::get() {
			Consent::<T>::appoint_guardian(
				RawOrigin::Signed(patient.clone()).into(),
				id,
				account("guardian", i, 0),
				None,
			)?;
		}
		let last: T::AccountId = account("guardian", T::MaxGuardians::get().saturating_sub(1), 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(patient), id, last.clone(), None);

		assert!(!Wards::<T>::contains_key(&last, id));
		Ok(())
	}

	#[benchmark]
	fn record_access_logged() -> Result<(), BenchmarkError> {
		// Only the last slot (break-glass) matches, so every grant of the pair is read.
		let (_, id, doctor, doctor_id) = full_pair::<T>(T::MaxGrantDuration::get())?;
		recovered_and_confirmed::<T>(id, doctor_id);
		let target = record_target::<T>(id);

		#[extrinsic_call]
		record_access(RawOrigin::Signed(doctor), id, target, Purpose::Emergency);

		assert_eq!(AuditLength::<T>::get(id), T::MaxGrantsPerPair::get() as u64 + 1);
		Ok(())
	}

	#[benchmark]
	fn record_access_refused() -> Result<(), BenchmarkError> {
		// A doctor of the registering hospital, whose standing access the patient withdrew,
		// and no slot matches (research grants, expired break-glass): the relationship, the
		// withdrawal and every grant are read and the refusal is logged.
		let (id, doctor) = full_withdrawn_pair::<T>()?;
		let target = record_target::<T>(id);

		#[extrinsic_call]
		record_access(RawOrigin::Signed(doctor), id, target, Purpose::Treatment);

		// The grants, the withdrawal of standing access, and the refusal.
		assert_eq!(AuditLength::<T>::get(id), T::MaxGrantsPerPair::get() as u64 + 2);
		Ok(())
	}

	#[benchmark]
	fn set_standing_access() -> Result<(), BenchmarkError> {
		// The caller is the last of the patient's guardians (the longest patient-side check).
		let (patient, id) = Helper::<T>::patient(0);
		let guardian = guardian::<T>(&patient, id)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(guardian), id, false);

		assert!(!Consent::<T>::standing_access_allowed(id));
		Ok(())
	}

	#[benchmark]
	fn confirm_grant() -> Result<(), BenchmarkError> {
		// The last of the patient's guardians confirms a grant its doctor's recovery suspended.
		let (patient, id, _, doctor) = full_pair::<T>(T::MaxGrantDuration::get())?;
		let grant = PairGrants::<T>::get(id, Accessor::Doctor(doctor))[0];
		let guardian = guardian::<T>(&patient, id)?;
		<Consent<T> as AccountRecoveryHooks<T::AccountId>>::staff_recovered(Accessor::Doctor(doctor));
		assert!(Consent::<T>::grant_suspended(grant).is_some());

		#[extrinsic_call]
		_(RawOrigin::Signed(guardian), grant);

		assert_eq!(Consent::<T>::grant_suspended(grant), None);
		Ok(())
	}

	#[benchmark]
	fn can_access() -> Result<(), BenchmarkError> {
		// The longest path: as in `record_access_refused`.
		let (id, doctor) = full_withdrawn_pair::<T>()?;
		let target = record_target::<T>(id);
		let verdict;

		#[block]
		{
			verdict = Consent::<T>::can_access(&doctor, id, target, Purpose::Treatment);
		}

		// Refused for the research grants' purpose, after the withdrawal was read.
		assert_eq!(verdict, Err(AccessDenied::PurposeMismatch));
		assert!(!Consent::<T>::standing_access_allowed(id));
		Ok(())
	}

	#[benchmark]
	fn sweep_grants(n: Linear<0, { T::MaxSweepPerBlock::get() }>) -> Result<(), BenchmarkError> {
		// Grants to n labs (the sweep never asks the registry, so the cheapest accessors do).
		let (patient, id) = Helper::<T>::patient(0);
		for i in 0..n {
			let (_, lab) = Helper::<T>::lab(i);
			Consent::<T>::grant_access(
				RawOrigin::Signed(patient.clone()).into(),
				id,
				Accessor::Lab(lab),
				max_scope::<T>(0),
				Purpose::SecondOpinion,
				Expiry::After(One::one()),
			)?;
		}
		advance::<T>(One::one());
		let visited;

		#[block]
		{
			visited = Consent::<T>::sweep_grants(now::<T>(), n);
		}

		assert_eq!(visited, n);
		assert_eq!(Grants::<T>::iter().count(), 0);
		Ok(())
	}

	#[benchmark]
	fn sweep_requests(n: Linear<0, { T::MaxSweepPerBlock::get() }>) -> Result<(), BenchmarkError> {
		let (doctor, _) = Helper::<T>::doctor(0);
		for i in 0..n {
			let (_, id) = Helper::<T>::patient(i);
			Consent::<T>::request_access(
				RawOrigin::Signed(doctor.clone()).into(),
				id,
				max_scope::<T>(0),
				Purpose::SecondOpinion,
				T::MaxGrantDuration::get(),
				Some(note_hash()),
			)?;
		}
		advance::<T>(T::RequestTimeout::get());
		let visited;

		#[block]
		{
			visited = Consent::<T>::sweep_requests(now::<T>(), n);
		}

		assert_eq!(visited, n);
		assert_eq!(Requests::<T>::iter().count(), 0);
		Ok(())
	}

	impl_benchmark_test_suite!(Consent, crate::mock::new_test_ext(), crate::mock::Test);
}
