//! Random call sequences against the mock runtime, with `try_state` after every call.
//!
//! Every call of the pallet, made by every kind of account (patients, a guardian, doctors,
//! labs, an outsider, the regulator, root) but mostly by the ones it is meant for, with
//! arguments drawn from small pools so that calls meet each other's grants, requests and
//! emergencies; blocks pass and the sweep runs in
//! between. After each call:
//! - the pallet's invariants hold (`do_try_state`);
//! - a call that fails, fails with a typed error (a pallet error or `BadOrigin`), never with
//!   an untyped or arithmetic one. (It is applied in a storage layer, as dispatch does, so a
//!   failed call changes nothing.)
//!
//! `PMR_FUZZ_CASES` sets the number of sequences (default 256, each of up to 63 steps: about
//! 8 000 calls in CI); `docs/performance.md` records the long run.

use super::*;
use frame_support::dispatch::RawOrigin;
use pmr_primitives::{AccessGround, AccessTarget, GrantId, NoteHash, RecordCategory, RequestId};
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

/// Who makes a call: `None` is the account the call is meant for, found at the time of the
/// call (the patient of the grant or request, its grantee or requester), `Some` an index into
/// [`ACCOUNTS`] (mostly the likely kind of caller).
type Caller = Option<usize>;

/// A call, with indexes into the pools above.
#[derive(Clone, Debug)]
enum Step {
	Grant { by: Caller, patient: usize, to: usize, scope: u8, purpose: usize, blocks: u64 },
	Revoke { by: Caller, grant: u8 },
	EndSession { by: Caller, grant: u8 },
	Request { by: usize, patient: usize, scope: u8, purpose: usize, blocks: u64 },
	Approve { by: Caller, request: u8, narrower: bool, duration: Option<u64> },
	Deny { by: Caller, request: u8 },
	Cancel { by: Caller, request: u8 },
	Emergency { by: usize, patient: usize },
	Review { by: usize, grant: u8, justified: bool },
	Guardian { appoint: bool, by: Option<usize>, patient: usize, who: usize },
	Access { by: usize, patient: usize, target: u8, purpose: usize },
	Standing { by: Caller, patient: usize, allowed: bool },
	Advance { blocks: u64, sweep: bool },
	/// The registry recovered this doctor's or lab's account (its grants are suspended).
	Recovered { who: usize },
	Confirm { by: Caller, grant: u8 },
}

/// The patients and the guardian.
const PATIENT_SIDE: &[usize] = &[0, 1, 2];
/// Doctors and labs.
const ACCESSORS: &[usize] = &[3, 4, 5, 6, 7];
const DOCTORS: &[usize] = &[3, 4, 5];

/// Mostly one of `likely`, sometimes anybody.
fn who(likely: &'static [usize]) -> impl Strategy<Value = usize> {
	fuzz::who_among(likely, ACCOUNTS.len())
}

/// Half the time the account the call is meant for, otherwise [`who`].
fn caller_among(likely: &'static [usize]) -> impl Strategy<Value = Caller> {
	proptest::option::of(who(likely))
}

fn step() -> impl Strategy<Value = Step> {
	// `P` and `P2` mostly, the unknown patient sometimes.
	let patient = || prop_oneof![4 => 0..2usize, 1 => Just(2usize)];
	let purpose = || 0..PURPOSES.len();
	prop_oneof![
		3 => (caller_among(PATIENT_SIDE), patient(), who(ACCESSORS), 0..4u8, purpose(), 0..120u64).prop_map(
			|(by, patient, to, scope, purpose, blocks)| Step::Grant { by, patient, to, scope, purpose, blocks }
		),
		1 => (caller_among(&[0, 1, 2, 3, 4, 5]), fuzz::pick()).prop_map(|(by, grant)| Step::Revoke { by, grant }),
		1 => (caller_among(ACCESSORS), fuzz::pick()).prop_map(|(by, grant)| Step::EndSession { by, grant }),
		3 => (who(ACCESSORS), patient(), 0..4u8, purpose(), 0..120u64)
			.prop_map(|(by, patient, scope, purpose, blocks)| Step::Request { by, patient, scope, purpose, blocks }),
		2 => (caller_among(PATIENT_SIDE), fuzz::pick(), any::<bool>(), proptest::option::of(0..120u64))
			.prop_map(|(by, request, narrower, duration)| Step::Approve { by, request, narrower, duration }),
		1 => (caller_among(PATIENT_SIDE), fuzz::pick()).prop_map(|(by, request)| Step::Deny { by, request }),
		1 => (caller_among(ACCESSORS), fuzz::pick()).prop_map(|(by, request)| Step::Cancel { by, request }),
		1 => (who(DOCTORS), patient()).prop_map(|(by, patient)| Step::Emergency { by, patient }),
		1 => (who(&[9]), fuzz::pick(), any::<bool>()).prop_map(|(by, grant, justified)| Step::Review { by, grant, justified }),
		1 => (any::<bool>(), proptest::option::of(who(&[0, 1, 2])), patient(), who(&[2, 10]))
			.prop_map(|(appoint, by, patient, who)| Step::Guardian { appoint, by, patient, who }),
		2 => (who(ACCESSORS), patient(), 0..12u8, purpose())
			.prop_map(|(by, patient, target, purpose)| Step::Access { by, patient, target, purpose }),
		1 => (caller_among(PATIENT_SIDE), patient(), any::<bool>()).prop_map(|(by, patient, allowed)| Step::Standing { by, patient, allowed }),
		1 => (0..40u64, any::<bool>()).prop_map(|(blocks, sweep)| Step::Advance { blocks, sweep }),
		1 => who(ACCESSORS).prop_map(|who| Step::Recovered { who }),
		2 => (caller_among(PATIENT_SIDE), fuzz::pick()).prop_map(|(by, grant)| Step::Confirm { by, grant }),
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

fn grant_id(pick: u8) -> GrantId {
	GrantId(fuzz::recent(NextGrantId::<Test>::get().0, pick))
}

fn request_id(pick: u8) -> RequestId {
	RequestId(fuzz::recent(NextRequestId::<Test>::get().0, pick))
}

fn signed(i: usize) -> RuntimeOrigin {
	RuntimeOrigin::signed(ACCOUNTS[i])
}

/// The origin of a [`Caller`]; `None` signs as the account of the patient `patient` finds
/// (the outsider when there is none).
fn caller(by: Caller, patient: impl FnOnce() -> Option<PatientId>) -> RuntimeOrigin {
	by.map_or_else(
		|| {
			let own = patient().and_then(|p| PATIENTS.iter().position(|q| *q == p)).filter(|i| *i < 2);
			signed(own.unwrap_or(8))
		},
		signed,
	)
}

/// Root stands in for the regulator council in the mock; every fourth guardian act by it.
fn guardian_origin(by: Option<usize>) -> RuntimeOrigin {
	by.map_or(RawOrigin::Root.into(), signed)
}

fn apply(step: &Step) -> sp_runtime::DispatchResult {
	let note: NoteHash = [3; 32];
	match step.clone() {
		Step::Grant { by, patient, to, scope: s, purpose, blocks } => Consent::grant_access(
			caller(by, || Some(PATIENTS[patient])),
			PATIENTS[patient],
			accessor(to),
			scope(s),
			PURPOSES[purpose],
			Expiry::After(blocks),
		),
		Step::Revoke { by, grant } => {
			let grant = grant_id(grant);
			Consent::revoke_grant(caller(by, || Grants::<Test>::get(grant).map(|g| g.patient)), grant)
		},
		Step::EndSession { by, grant } => {
			let grant = grant_id(grant);
			let grantee = Grants::<Test>::get(grant).and_then(|g| (0..ACCOUNTS.len()).find(|i| accessor(*i) == g.accessor));
			Consent::end_session(by.or(grantee).map_or(signed(8), signed), grant)
		},
		Step::Request { by, patient, scope: s, purpose, blocks } =>
			Consent::request_access(signed(by), PATIENTS[patient], scope(s), PURPOSES[purpose], blocks, Some(note)),
		Step::Approve { by, request, narrower, duration } => Consent::approve_request(
			caller(by, || Requests::<Test>::get(request_id(request)).map(|r| r.patient)),
			request_id(request),
			narrower.then(|| categories(&[RecordCategory::LabDiagnostics])),
			duration, Default::default(),
		),
		Step::Deny { by, request } => Consent::deny_request(
			caller(by, || Requests::<Test>::get(request_id(request)).map(|r| r.patient)),
			request_id(request),
		),
		Step::Cancel { by, request } => {
			let requester = Requests::<Test>::get(request_id(request)).map_or(OUTSIDER, |r| r.requester_account);
			Consent::cancel_request(by.map_or(RuntimeOrigin::signed(requester), signed), request_id(request))
		},
		Step::Emergency { by, patient } => Consent::declare_emergency(signed(by), PATIENTS[patient], note),
		Step::Review { by, grant, justified } => Consent::review_emergency(signed(by), grant_id(grant), justified),
		Step::Guardian { appoint, by, patient, who } => {
			let basis = by.is_none().then_some(note);
			if appoint {
				Consent::appoint_guardian(guardian_origin(by), PATIENTS[patient], ACCOUNTS[who], basis)
			} else {
				Consent::remove_guardian(guardian_origin(by), PATIENTS[patient], ACCOUNTS[who], basis)
			}
		},
		Step::Access { by, patient, target: t, purpose } => {
			let result = Consent::record_access(signed(by), PATIENTS[patient], target(t), PURPOSES[purpose]);
			// A grant suspended by its grantee's recovery opens nothing.
			if result.is_ok() {
				if let Event::AccessLogged { ground: AccessGround::Grant(id) | AccessGround::BreakGlass(id), .. } = last_event() {
					assert_eq!(Consent::grant_suspended(id), None, "a suspended grant opened records");
				}
			}
			result
		},
		Step::Recovered { who } => {
			<Consent as pmr_primitives::AccountRecoveryHooks<u64>>::staff_recovered(accessor(who));
			Ok(())
		},
		Step::Confirm { by, grant } => {
			let grant = grant_id(grant);
			Consent::confirm_grant(caller(by, || Grants::<Test>::get(grant).map(|g| g.patient)), grant)
		},
		Step::Standing { by, patient, allowed } =>
			Consent::set_standing_access(caller(by, || Some(PATIENTS[patient])), PATIENTS[patient], allowed),
		Step::Advance { blocks, sweep: run } => {
			go_to(System::block_number() + blocks);
			if run {
				sweep();
			}
			Ok(())
		},
	}
}

/// The kinds of step that must succeed at least once in a run (all of them: a call that never
/// succeeds is a call the fuzzer never tested past its checks).
const REACHED: &[&str] = &["Grant", "Revoke", "EndSession", "Request", "Approve", "Deny", "Cancel", "Emergency", "Review", "Guardian", "Access", "Standing", "Advance", "Recovered", "Confirm"];

/// No audit entry is lost except by age: every entry a trail ever had was emitted whole
/// (`Audited`: the archive the nodes keep), and the ring holds the last version emitted of
/// each entry it still keeps.
fn the_archive_holds_every_entry() -> Result<(), sp_runtime::TryRuntimeError> {
	let mut emitted = std::collections::BTreeMap::new();
	for record in System::events() {
		if let RuntimeEvent::Consent(Event::Audited { patient, entry }) = record.event {
			emitted.insert((patient, entry.index), entry);
		}
	}
	for patient in PATIENTS {
		for index in 0..AuditLength::<Test>::get(patient) {
			frame_support::ensure!(emitted.contains_key(&(patient, index)), "an audit entry never reached the archive");
		}
	}
	for (patient, _, entry) in AuditLog::<Test>::iter() {
		frame_support::ensure!(
			emitted.get(&(patient, entry.index)) == Some(&entry),
			"the ring holds a version of an entry the archive does not have"
		);
	}
	Ok(())
}

#[test]
fn random_call_sequences_keep_every_invariant() {
	fuzz::check(
		file!(),
		step(),
		|steps| {
			test(|| {
				fuzz::run_sequence(steps, apply, || {
					Consent::do_try_state()?;
					the_archive_holds_every_entry()
				})
			})
		},
		REACHED,
	);
}
