//! Random call sequences against the mock runtime, with `try_state` after every call.
//!
//! Every call of the pallet, made by every kind of account (patients, a guardian, doctors,
//! labs, an outsider, the regulator, root), with arguments drawn from small pools so that
//! calls meet each other's grants, requests and emergencies; blocks pass and the sweep runs in
//! between. After each call:
//! - the pallet's invariants hold (`do_try_state`);
//! - a call that fails, fails with a typed error (a pallet error or `BadOrigin`), never with
//!   an untyped or arithmetic one. (It is applied in a storage layer, as dispatch does, so a
//!   failed call changes nothing.)
//!
//! `PMR_FUZZ_CASES` sets the number of sequences (default 64, each of up to 64 steps: about
//! 4 000 calls in CI); `docs/performance.md` records the long run.

use super::*;
use frame_support::dispatch::RawOrigin;
use pmr_primitives::{AccessTarget, GrantId, NoteHash, RecordCategory, RequestId};
use proptest::prelude::*;
use pmr_pallet_test_support::fuzz;

const ACCOUNTS: [u64; 11] =
	[PATIENT, OTHER_PATIENT, GUARDIAN, HOME_DOCTOR, DOCTOR, OTHER_DOCTOR, LAB, OTHER_LAB, OUTSIDER, REGULATOR, 41];
const PATIENTS: [PatientId; 3] = [P, P2, PatientId(77)];
const PURPOSES: [Purpose; 6] = [
	Purpose::Treatment,
	Purpose::SecondOpinion,
	Purpose::LabWork,
	Purpose::Insurance,
	Purpose::Research,
	Purpose::Emergency,
];

/// A call, with indexes into the pools above.
#[derive(Clone, Debug)]
enum Step {
	Grant { by: usize, patient: usize, to: usize, scope: u8, purpose: usize, blocks: u64 },
	Revoke { by: usize, grant: u64 },
	EndSession { by: usize, grant: u64 },
	Request { by: usize, patient: usize, scope: u8, purpose: usize, blocks: u64 },
	Approve { by: usize, request: u64, narrower: bool, duration: Option<u64> },
	Deny { by: usize, request: u64 },
	Cancel { by: usize, request: u64 },
	Emergency { by: usize, patient: usize },
	Review { by: usize, grant: u64, justified: bool },
	Guardian { appoint: bool, by: Option<usize>, patient: usize, who: usize },
	Access { by: usize, patient: usize, target: u8, purpose: usize },
	Standing { by: usize, patient: usize, allowed: bool },
	Advance { blocks: u64, sweep: bool },
}

fn step() -> impl Strategy<Value = Step> {
	let who = 0..ACCOUNTS.len();
	let patient = 0..PATIENTS.len();
	let purpose = 0..PURPOSES.len();
	prop_oneof![
		(who.clone(), patient.clone(), who.clone(), 0..4u8, purpose.clone(), 0..120u64).prop_map(
			|(by, patient, to, scope, purpose, blocks)| Step::Grant { by, patient, to, scope, purpose, blocks }
		),
		(who.clone(), 0..8u64).prop_map(|(by, grant)| Step::Revoke { by, grant }),
		(who.clone(), 0..8u64).prop_map(|(by, grant)| Step::EndSession { by, grant }),
		(who.clone(), patient.clone(), 0..4u8, purpose.clone(), 0..120u64)
			.prop_map(|(by, patient, scope, purpose, blocks)| Step::Request { by, patient, scope, purpose, blocks }),
		(who.clone(), 0..6u64, any::<bool>(), proptest::option::of(0..120u64))
			.prop_map(|(by, request, narrower, duration)| Step::Approve { by, request, narrower, duration }),
		(who.clone(), 0..6u64).prop_map(|(by, request)| Step::Deny { by, request }),
		(who.clone(), 0..6u64).prop_map(|(by, request)| Step::Cancel { by, request }),
		(who.clone(), patient.clone()).prop_map(|(by, patient)| Step::Emergency { by, patient }),
		(who.clone(), 0..8u64, any::<bool>()).prop_map(|(by, grant, justified)| Step::Review { by, grant, justified }),
		(any::<bool>(), proptest::option::of(who.clone()), patient.clone(), who.clone())
			.prop_map(|(appoint, by, patient, who)| Step::Guardian { appoint, by, patient, who }),
		(who.clone(), patient.clone(), 0..12u8, purpose.clone())
			.prop_map(|(by, patient, target, purpose)| Step::Access { by, patient, target, purpose }),
		(who.clone(), patient, any::<bool>()).prop_map(|(by, patient, allowed)| Step::Standing { by, patient, allowed }),
		(0..40u64, any::<bool>()).prop_map(|(blocks, sweep)| Step::Advance { blocks, sweep }),
	]
}

fn scope(kind: u8) -> Scope<Test> {
	match kind {
		0 => all(),
		1 => categories(&[RecordCategory::LabDiagnostics]),
		2 => categories(&[RecordCategory::Prescription, RecordCategory::PastIllness]),
		_ => records(&[17, 1_000_004]),
	}
}

fn accessor(i: usize) -> Accessor {
	match ACCOUNTS[i] {
		LAB => Accessor::Lab(LAB_ID),
		OTHER_LAB => Accessor::Lab(OTHER_LAB_ID),
		account => doc(account),
	}
}

fn target(kind: u8) -> AccessTarget {
	match kind {
		0 => AccessTarget::AllRecords,
		1..=8 => AccessTarget::Category(match kind {
			1 => RecordCategory::PresentIllness,
			2 => RecordCategory::LabDiagnostics,
			3 => RecordCategory::Prescription,
			4 => RecordCategory::IomtData,
			5 => RecordCategory::Insurance,
			6 => RecordCategory::PastIllness,
			7 => RecordCategory::TreatmentSummary,
			_ => RecordCategory::ProvisionalDiagnosis,
		}),
		// Records of P (17: prescription, 24: lab diagnostics) and of P2, with right and wrong
		// categories.
		9 => AccessTarget::Record { item: 17, category: RecordCategory::Prescription },
		10 => AccessTarget::Record { item: 24, category: RecordCategory::Prescription },
		_ => AccessTarget::Record { item: 1_000_004, category: RecordCategory::LabDiagnostics },
	}
}

fn signed(i: usize) -> RuntimeOrigin {
	RuntimeOrigin::signed(ACCOUNTS[i])
}

/// Root stands in for the regulator council in the mock; every fourth guardian act by it.
fn guardian_origin(by: Option<usize>) -> RuntimeOrigin {
	by.map_or(RawOrigin::Root.into(), signed)
}

fn apply(step: &Step) -> sp_runtime::DispatchResult {
	let note: NoteHash = [3; 32];
	match step.clone() {
		Step::Grant { by, patient, to, scope: s, purpose, blocks } => Consent::grant_access(
			signed(by),
			PATIENTS[patient],
			accessor(to),
			scope(s),
			PURPOSES[purpose],
			Expiry::After(blocks),
		),
		Step::Revoke { by, grant } => Consent::revoke_grant(signed(by), GrantId(grant)),
		Step::EndSession { by, grant } => Consent::end_session(signed(by), GrantId(grant)),
		Step::Request { by, patient, scope: s, purpose, blocks } =>
			Consent::request_access(signed(by), PATIENTS[patient], scope(s), PURPOSES[purpose], blocks, Some(note)),
		Step::Approve { by, request, narrower, duration } => Consent::approve_request(
			signed(by),
			RequestId(request),
			narrower.then(|| categories(&[RecordCategory::LabDiagnostics])),
			duration,
		),
		Step::Deny { by, request } => Consent::deny_request(signed(by), RequestId(request)),
		Step::Cancel { by, request } => Consent::cancel_request(signed(by), RequestId(request)),
		Step::Emergency { by, patient } => Consent::declare_emergency(signed(by), PATIENTS[patient], note),
		Step::Review { by, grant, justified } => Consent::review_emergency(signed(by), GrantId(grant), justified),
		Step::Guardian { appoint, by, patient, who } => {
			let basis = by.is_none().then_some(note);
			if appoint {
				Consent::appoint_guardian(guardian_origin(by), PATIENTS[patient], ACCOUNTS[who], basis)
			} else {
				Consent::remove_guardian(guardian_origin(by), PATIENTS[patient], ACCOUNTS[who], basis)
			}
		},
		Step::Access { by, patient, target: t, purpose } =>
			Consent::record_access(signed(by), PATIENTS[patient], target(t), PURPOSES[purpose]),
		Step::Standing { by, patient, allowed } =>
			Consent::set_standing_access(signed(by), PATIENTS[patient], allowed),
		Step::Advance { blocks, sweep: run } => {
			go_to(System::block_number() + blocks);
			if run {
				sweep();
			}
			Ok(())
		},
	}
}

proptest! {
	#![proptest_config(fuzz::config())]

	#[test]
	fn random_call_sequences_keep_every_invariant(steps in proptest::collection::vec(step(), 1..64)) {
		test(|| fuzz::run_sequence(&steps, apply, Consent::do_try_state));
	}
}
