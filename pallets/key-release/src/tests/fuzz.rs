//! Random call sequences against the mock runtime, with `try_state` after every call.
//!
//! Every call of the pallet (a doctor's or lab's key request, the patient's own request, the
//! custodians' releases and refusals, the patient's essential share, closing, the custodians'
//! records of off-chain answers — signed, forged, fresh or stale —, the patient's side's
//! re-wrapped essential shares, whole or malformed), made by every
//! kind of account (doctors with and without an encryption key, a lab, the patient, a guardian,
//! the three custodians, an outsider), with arguments drawn from small pools so that calls meet
//! each other's requests; in between, the world the pallet depends on changes as the other
//! pallets would change it: access given on each ground and revoked, records sealed and erased,
//! accounts switched off and on, the patient's key rotated, blocks passing (requests expire;
//! each block's `on_idle` sweep runs and must leave every answerable request open). After each
//! call:
//! - a re-wrap that succeeds keeps every share it names, sealed to the key registered then;
//! - the pallet's invariants hold (`do_try_state`);
//! - a call that fails, fails with a typed error (a pallet error or `BadOrigin`), never with
//!   an untyped or arithmetic one. (It is applied in a storage layer, as dispatch does, so a
//!   failed call changes nothing.)
//!
//! `PMR_FUZZ_CASES` sets the number of sequences (default 256, each of up to 63 steps);
//! `docs/performance.md` records the long run.

use super::*;
use pmr_primitives::{
	AccessDenied, AnsweredShareRequest, GrantId, HospitalId, PmrItemId, SealedTarget, ShareAnswer, ShareRefusal,
};
use proptest::prelude::*;
use pmr_pallet_test_support::fuzz::{self, who_among};

const ACCOUNTS: [u64; 9] =
	[DOCTOR, KEYLESS_DOCTOR, LAB, PATIENT, GUARDIAN, CUSTODIAN_1, CUSTODIAN_2, CUSTODIAN_3, OUTSIDER];
/// Staff who request keys (indexes into [`ACCOUNTS`]).
const STAFF: &[usize] = &[0, 1, 2];
/// The patient's side.
const PATIENT_SIDE: &[usize] = &[3, 4];
/// The custodians.
const CUSTODIANS: &[usize] = &[5, 6, 7];
/// Records: 7 is sealed at the start, 8 when a step seals it.
const ITEMS: [PmrItemId; 2] = [7, 8];
const PURPOSES: [Purpose; 3] = [Purpose::SecondOpinion, Purpose::Treatment, Purpose::Research];
const GROUNDS: [AccessGround; 4] = [
	AccessGround::Grant(GRANT),
	AccessGround::BreakGlass(GrantId(6)),
	AccessGround::RegisteringHospital(HospitalId(1)),
	AccessGround::PatientSide,
];
const REFUSALS: [ShareRefusal; 4] = [
	ShareRefusal::Denied(AccessDenied::NoConsent),
	ShareRefusal::ManifestUnavailable,
	ShareRefusal::NoShareForCustodian,
	ShareRefusal::KeyMaterialErased,
];

/// A call, or a change of the world around the pallet, with indexes into the pools above.
#[derive(Clone, Debug)]
enum Step {
	Request { by: usize, item: usize, version: u32, purpose: usize },
	RequestOwn { by: usize, item: usize, version: u32 },
	Release { by: usize, request: u8, envelope: u8 },
	Refuse { by: usize, request: u8, reason: usize },
	Essential { by: usize, request: u8, envelope: u8 },
	Close { by: usize, request: u8 },
	Allow { who: usize, ground: usize, for_blocks: Option<u64> },
	Revoke { who: usize },
	Seal { item: usize },
	Erase { item: usize },
	Active { who: usize, off: bool },
	Advance { blocks: u64 },
	RecordAnswer { by: usize, requester: usize, item: usize, purpose: Option<usize>, age: u64, forged: bool, refusal: Option<usize> },
	Rewrap { by: usize, shares: Vec<(usize, u32, bool)> },
	Rotate { key: u8 },
}

fn version() -> impl Strategy<Value = u32> {
	prop_oneof![4 => Just(0u32), 1 => Just(1u32)]
}

fn step() -> impl Strategy<Value = Step> {
	prop_oneof![
		4 => (who_among(STAFF, ACCOUNTS.len()), 0..ITEMS.len(), version(), 0..PURPOSES.len())
			.prop_map(|(by, item, version, purpose)| Step::Request { by, item, version, purpose }),
		2 => (who_among(PATIENT_SIDE, ACCOUNTS.len()), 0..ITEMS.len(), version()).prop_map(|(by, item, version)| Step::RequestOwn { by, item, version }),
		5 => (who_among(CUSTODIANS, ACCOUNTS.len()), fuzz::pick(), any::<u8>()).prop_map(|(by, request, envelope)| Step::Release { by, request, envelope }),
		1 => (who_among(CUSTODIANS, ACCOUNTS.len()), fuzz::pick(), 0..REFUSALS.len()).prop_map(|(by, request, reason)| Step::Refuse { by, request, reason }),
		3 => (who_among(PATIENT_SIDE, ACCOUNTS.len()), fuzz::pick(), any::<u8>()).prop_map(|(by, request, envelope)| Step::Essential { by, request, envelope }),
		1 => (who_among(&[0, 1, 2, 3, 4], ACCOUNTS.len()), fuzz::pick()).prop_map(|(by, request)| Step::Close { by, request }),
		3 => (who_among(STAFF, ACCOUNTS.len()), 0..GROUNDS.len(), proptest::option::of(1..40u64))
			.prop_map(|(who, ground, for_blocks)| Step::Allow { who, ground, for_blocks }),
		1 => (0..ACCOUNTS.len()).prop_map(|who| Step::Revoke { who }),
		1 => (0..ITEMS.len()).prop_map(|item| Step::Seal { item }),
		1 => (0..ITEMS.len()).prop_map(|item| Step::Erase { item }),
		1 => (0..ACCOUNTS.len(), proptest::bool::weighted(0.3)).prop_map(|(who, off)| Step::Active { who, off }),
		2 => (0..30u64).prop_map(|blocks| Step::Advance { blocks }),
		2 => (
			who_among(PATIENT_SIDE, ACCOUNTS.len()),
			proptest::collection::vec((0..ITEMS.len(), version(), proptest::bool::weighted(0.1)), 0..4),
		)
			.prop_map(|(by, shares)| Step::Rewrap { by, shares }),
		1 => any::<u8>().prop_map(|key| Step::Rotate { key }),
		3 => (
			who_among(CUSTODIANS, ACCOUNTS.len()),
			0..ACCOUNTS.len(),
			0..ITEMS.len(),
			proptest::option::of(0..PURPOSES.len()),
			prop_oneof![4 => 0..5u64, 1 => 0..2 * LIFETIME],
			proptest::bool::weighted(0.1),
			proptest::option::weighted(0.3, 0..REFUSALS.len()),
		)
			.prop_map(|(by, requester, item, purpose, age, forged, refusal)| Step::RecordAnswer {
				by,
				requester,
				item,
				purpose,
				age,
				forged,
				refusal,
			}),
	]
}

fn signed(i: usize) -> RuntimeOrigin {
	RuntimeOrigin::signed(ACCOUNTS[i])
}

fn target(item: usize, version: u32) -> SealedTarget {
	SealedTarget::RecordVersion { item: ITEMS[item], version }
}

fn request_id(pick: u8) -> KeyRequestId {
	KeyRequestId(fuzz::recent(NextKeyRequestId::<Test>::get().0, pick))
}

fn apply(step: &Step) -> sp_runtime::DispatchResult {
	match step.clone() {
		Step::Request { by, item, version, purpose } =>
			KeyRelease::request_key(signed(by), target(item, version), PURPOSES[purpose]),
		Step::RequestOwn { by, item, version } => KeyRelease::request_own_key(signed(by), target(item, version)),
		Step::Release { by, request, envelope } =>
			KeyRelease::release_share(signed(by), request_id(request), cid(envelope)),
		Step::Refuse { by, request, reason } =>
			KeyRelease::refuse_share(signed(by), request_id(request), REFUSALS[reason]),
		Step::Essential { by, request, envelope } =>
			KeyRelease::release_essential_share(signed(by), request_id(request), cid(envelope)),
		Step::Close { by, request } => KeyRelease::close_key_request(signed(by), request_id(request)),
		Step::Allow { who, ground, for_blocks } => {
			allow(ACCOUNTS[who], GROUNDS[ground], for_blocks.map(|n| System::block_number() + n));
			Ok(())
		},
		Step::Revoke { who } => {
			revoke(ACCOUNTS[who]);
			Ok(())
		},
		Step::Seal { item } => {
			seal(ITEMS[item], content());
			Ok(())
		},
		Step::Erase { item } => {
			erase(ITEMS[item]);
			Ok(())
		},
		Step::Active { who, off } => {
			if off {
				deactivate(ACCOUNTS[who]);
			} else {
				reactivate(ACCOUNTS[who]);
			}
			Ok(())
		},
		Step::Advance { blocks } => {
			// A block passes and its spare weight goes to the sweep, which never closes a
			// request that can still be answered.
			let now = System::block_number() + blocks;
			go_to(now);
			let answerable: Vec<_> =
				KeyRequests::<Test>::iter().filter(|(_, r)| r.is_answerable(now)).map(|(id, _)| id).collect();
			<KeyRelease as frame_support::traits::Hooks<u64>>::on_idle(now, frame_support::weights::Weight::MAX);
			assert!(answerable.iter().all(|id| KeyRequests::<Test>::contains_key(id)), "the sweep closed an answerable request");
			Ok(())
		},
		Step::Rewrap { by, shares } => {
			let len = |short: bool| pmr_primitives::ESSENTIAL_ENVELOPE_LEN as usize - usize::from(short);
			let list: Vec<_> = shares
				.iter()
				.map(|&(item, version, short)| (target(item, version), vec![item as u8; len(short)].try_into().unwrap()))
				.collect();
			let result = KeyRelease::rewrap_essential_shares(signed(by), P, list.clone().try_into().unwrap());
			if result.is_ok() {
				let key = <StubRegistry as pmr_primitives::RegistryInspect<u64>>::patient_encryption_key(P);
				for (t, envelope) in list {
					assert_eq!(RewrappedEssentials::<Test>::get(t), Some(RewrappedEssential { key: key.unwrap(), envelope }));
				}
			}
			result
		},
		Step::Rotate { key } => {
			pmr_pallet_test_support::registry::add_patient(&PATIENT, P, HospitalId(1), [key; 32]);
			Ok(())
		},
		Step::RecordAnswer { by, requester, item, purpose, age, forged, refusal } => {
			let now = System::block_number();
			let request = pmr_primitives::ShareRequest {
				genesis: genesis(),
				at: now.saturating_sub(age),
				requester: ACCOUNTS[requester],
				target: target(item, 0),
				purpose: purpose.map(|p| PURPOSES[p]),
				reader_key: DOCTOR_KEY,
			};
			let signature = signature_of(if forged { OUTSIDER } else { ACCOUNTS[requester] }, &request);
			let answer = refusal.map_or(ShareAnswer::Released, |r| ShareAnswer::Refused(REFUSALS[r]));
			let answered = AnsweredShareRequest { request, signature, decided_at: now, answer };
			KeyRelease::record_share_answers(signed(by), frame_support::BoundedVec::truncate_from(vec![answered]))
		},
	}
}

/// The kinds of step that must succeed at least once in a run (all of them: a call that never
/// succeeds is a call the fuzzer never tested past its checks).
const REACHED: &[&str] = &[
	"Request", "RequestOwn", "Release", "Refuse", "Essential", "Close", "Allow", "Revoke", "Seal", "Erase", "Active",
	"Advance", "RecordAnswer", "Rewrap", "Rotate",
];

#[test]
fn random_call_sequences_keep_every_invariant() {
	fuzz::check(
		file!(),
		step(),
		|steps| test(|| fuzz::run_sequence(steps, apply, KeyRelease::do_try_state)),
		REACHED,
	);
}
