//! Benchmarks of every key-release call in its worst case: CIDs at their maximum length, a
//! request decided on a consent grant (the costlier decision), a request whose answers are
//! full but for the last custodian.

use super::*;
use crate::Pallet as KeyRelease;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::pallet_prelude::*;
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use pmr_primitives::{
	AnsweredShareRequest, Cid, EssentialEnvelope, HospitalId, KeyReleaseBenchmarkHelper, KeyRequestId, Purpose,
	ShareAnswer, ShareRefusal, ShareRequest,
};
use sp_runtime::traits::Zero;

type Helper<T> = <T as Config>::BenchmarkHelper;

fn cid(seed: u8) -> Cid {
	pmr_primitives::cid::from_digest(pmr_primitives::cid::CidCodec::DagPb, [seed; 32])
}

/// An allowed request by a doctor with a consent grant; returns (request, doctor, patient).
fn request<T: Config>() -> Result<(KeyRequestId, T::AccountId, T::AccountId), BenchmarkError> {
	let (doctor, patient, target) = Helper::<T>::sealed_with_access(0);
	let id = NextKeyRequestId::<T>::get();
	KeyRelease::<T>::request_key(RawOrigin::Signed(doctor.clone()).into(), target, Purpose::SecondOpinion)?;
	ensure!(KeyRequests::<T>::contains_key(id), "the benchmark request was refused");
	Ok((id, doctor, patient))
}

/// Fills the request's answers with refusals of other hospitals, all but one slot.
fn all_but_one_answered<T: Config>(id: KeyRequestId) -> Result<(), BenchmarkError> {
	let mut request = KeyRequests::<T>::get(id).ok_or("no request")?;
	for i in 1..T::MaxCustodians::get() {
		request
			.answers
			.try_push((HospitalId(u32::MAX - i), Answer::Refused(ShareRefusal::ManifestUnavailable)))
			.map_err(|_| "answers full")?;
	}
	KeyRequests::<T>::insert(id, request);
	Ok(())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn request_key() -> Result<(), BenchmarkError> {
		let (doctor, _, target) = Helper::<T>::sealed_with_access(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(doctor), target, Purpose::SecondOpinion);

		ensure!(KeyRequests::<T>::contains_key(KeyRequestId(0)), "request not stored");
		Ok(())
	}

	#[benchmark]
	fn request_key_refused() -> Result<(), BenchmarkError> {
		// The doctor's consent covers second opinions, not research: refused and logged.
		let (doctor, _, target) = Helper::<T>::sealed_with_access(0);

		#[extrinsic_call]
		request_key(RawOrigin::Signed(doctor), target, Purpose::Research);

		ensure!(KeyRequests::<T>::iter().next().is_none(), "a refused request was stored");
		Ok(())
	}

	#[benchmark]
	fn request_own_key() -> Result<(), BenchmarkError> {
		let (_, patient, target) = Helper::<T>::sealed_with_access(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(patient), target);

		ensure!(KeyRequests::<T>::contains_key(KeyRequestId(0)), "request not stored");
		Ok(())
	}

	#[benchmark]
	fn release_share() -> Result<(), BenchmarkError> {
		let (id, _, _) = request::<T>()?;
		all_but_one_answered::<T>(id)?;
		let custodian = Helper::<T>::custodian(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(custodian), id, cid(1));

		ensure!(KeyRequests::<T>::get(id).is_some_and(|r| r.released().count() == 1), "not released");
		Ok(())
	}

	#[benchmark]
	fn refuse_share() -> Result<(), BenchmarkError> {
		let (id, _, _) = request::<T>()?;
		all_but_one_answered::<T>(id)?;
		let custodian = Helper::<T>::custodian(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(custodian), id, ShareRefusal::ManifestMismatch);

		ensure!(
			KeyRequests::<T>::get(id).is_some_and(|r| r.answers.len() as u32 == T::MaxCustodians::get()),
			"not refused"
		);
		Ok(())
	}

	#[benchmark]
	fn release_essential_share() -> Result<(), BenchmarkError> {
		let (id, _, patient) = request::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(patient), id, cid(2));

		ensure!(KeyRequests::<T>::get(id).is_some_and(|r| r.essential.is_some()), "not handed over");
		Ok(())
	}

	#[benchmark]
	fn close_key_request() -> Result<(), BenchmarkError> {
		// Closed by a third party after the deadline, with every answer in.
		let (id, _, _) = request::<T>()?;
		all_but_one_answered::<T>(id)?;
		let valid_until = KeyRequests::<T>::get(id).ok_or("no request")?.valid_until;
		frame_system::Pallet::<T>::set_block_number(valid_until + BlockNumberFor::<T>::from(1u32));
		let anyone: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(anyone), id);

		ensure!(!KeyRequests::<T>::contains_key(id), "not closed");
		Ok(())
	}

	#[benchmark]
	fn sweep_key_requests(n: Linear<0, { T::MaxSweepPerBlock::get() }>) -> Result<(), BenchmarkError> {
		// n requests past their deadline, each with every answer in (the largest to remove).
		let (id, _, _) = request::<T>()?;
		all_but_one_answered::<T>(id)?;
		let mut full = KeyRequests::<T>::get(id).ok_or("no request")?;
		full.answers
			.try_push((HospitalId(0), Answer::Refused(ShareRefusal::ManifestUnavailable)))
			.map_err(|_| "answers full")?;
		KeyRequests::<T>::remove(id);
		for i in 0..u64::from(n) {
			KeyRequests::<T>::insert(KeyRequestId(i), full.clone());
		}
		NextKeyRequestId::<T>::put(KeyRequestId(u64::from(n)));
		let after = full.valid_until + BlockNumberFor::<T>::from(1u32);
		let visited;

		#[block]
		{
			visited = KeyRelease::<T>::sweep_key_requests(after, n);
		}

		ensure!(visited == n, "not every request visited");
		ensure!(KeyRequests::<T>::iter().next().is_none(), "not every request closed");
		Ok(())
	}

	#[benchmark]
	fn rewrap_essential_shares(n: Linear<1, { T::MaxRewrapBatch::get() }>) -> Result<(), BenchmarkError> {
		// Each share's content is looked up (record and version) before any is kept.
		let (patient_account, patient, targets) = Helper::<T>::patient_content(n);
		let envelope = |seed: u8| -> EssentialEnvelope {
			BoundedVec::truncate_from(alloc::vec![seed; pmr_primitives::ESSENTIAL_ENVELOPE_LEN as usize])
		};
		let shares: Vec<_> = targets.iter().map(|t| (*t, envelope(2))).collect();

		#[extrinsic_call]
		_(RawOrigin::Signed(patient_account), patient, BoundedVec::truncate_from(shares));

		for t in targets {
			ensure!(RewrappedEssentials::<T>::get(t).map(|r| r.envelope) == Some(envelope(2)), "share not kept");
		}
		Ok(())
	}

	#[benchmark]
	fn record_share_answers(n: Linear<1, { T::MaxAnswerBatch::get() }>) -> Result<(), BenchmarkError> {
		// Each answer's signature is over the wallet-wrapped bytes, so both forms are tried.
		let (_, _, target) = Helper::<T>::sealed_with_access(0);
		let custodian = Helper::<T>::custodian(0);
		let requester = Helper::<T>::share_requester();
		let mut genesis = [0u8; 32];
		genesis.copy_from_slice(frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero()).as_ref());
		let now = frame_system::Pallet::<T>::block_number();
		let answers: Vec<AnswerOf<T>> = (0..n)
			.map(|i| {
				let request = ShareRequest {
					genesis,
					at: now,
					requester: requester.clone(),
					target,
					purpose: Some(Purpose::SecondOpinion),
					reader_key: [i as u8; 32],
				};
				let mut wrapped = b"<Bytes>".to_vec();
				wrapped.extend(request.signing_payload());
				wrapped.extend(b"</Bytes>");
				let signature = Helper::<T>::sign(&requester, &wrapped);
				AnsweredShareRequest { request, signature, decided_at: now, answer: ShareAnswer::Released }
			})
			.collect();
		// Every answer passes the checks, so each is recorded (the costlier path).
		for a in &answers {
			ensure!(KeyRelease::<T>::check_signed(&a.request, &a.signature, now).is_ok(), "answer not valid");
		}
		frame_system::Pallet::<T>::reset_events();

		#[extrinsic_call]
		_(RawOrigin::Signed(custodian), BoundedVec::truncate_from(answers));

		// Each answer recorded: one `ShareAnswerRecorded` per answer (beside the events of the
		// audit trail's pallet), matched by the event's pallet and variant, its first two bytes.
		let recorded = <T as frame_system::Config>::RuntimeEvent::from(Event::<T>::ShareAnswerRecorded {
			patient: pmr_primitives::PatientId(0),
			custodian: pmr_primitives::HospitalId(0),
			requester,
			target,
			request: [0; 32],
			answer: ShareAnswer::Released,
			audit_index: 0,
		})
		.encode();
		let count = frame_system::Pallet::<T>::events()
			.iter()
			.filter(|r| r.event.encode().get(..2) == recorded.get(..2))
			.count();
		ensure!(count == n as usize, "not one recorded answer per answer");
		Ok(())
	}

	impl_benchmark_test_suite!(KeyRelease, crate::mock::benchmark_ext(), crate::mock::Test);
}
