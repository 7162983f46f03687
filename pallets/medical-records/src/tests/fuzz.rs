//! Random call sequences against the mock runtime, with `try_state` after every call.
//!
//! Every call of the pallet (records, amendments, manifests, corrections, erasure,
//! appointments, reclaims), made by every kind of account (the home doctor, doctors of the
//! other hospital, a lab, desks, patients, an outsider, the regulator), with arguments drawn
//! from small pools so that calls meet each other's records; in between, the world the pallet
//! depends on changes as the other pallets would change it: consent given and revoked, doctors
//! switched off and on, patients' keys rotated (the registry's hook), the clock and blocks advancing.
//! After each call:
//! - the pallet's invariants hold (`do_try_state`: every record has its soulbound NFT with the
//!   patient's current account, version chains, per-day sequences, appointment books);
//! - a prepared amendment (`prepared_for`) signed by anyone but its clinician fails with
//!   `PreparedForAnother`;
//! - a call that fails, fails with a typed error (a pallet error or `BadOrigin`), never with
//!   an untyped, arithmetic or token one. (It is applied in a storage layer, as dispatch does,
//!   so a failed call changes nothing.) The mock's consent stub refuses a duplicate
//!   appointment request with the consent pallet's error ([`CONSENT_DUPLICATE_REQUEST`]).
//!
//! `PMR_FUZZ_CASES` sets the number of sequences (default 256, each of up to 63 steps);
//! `docs/performance.md` records the long run.

use super::*;
use frame_support::{dispatch::RawOrigin, traits::UnixTime};
use codec::Encode;
use pmr_primitives::{AccessTarget, AppointmentId, ErasedContent, PatientId};
use proptest::prelude::*;
use pmr_pallet_test_support::{fuzz::{self, who_among}, StubAudit};

const ACCOUNTS: [AccountId; 11] = [
	HOME_DOCTOR,
	DOCTOR,
	OTHER_DOCTOR,
	LAB,
	DESK,
	OTHER_DESK,
	PATIENT,
	OTHER_PATIENT,
	OUTSIDER,
	REGULATOR,
	acc(40),
];
const PATIENTS: [PatientId; 3] = [P, P2, PatientId(77)];
const HOSPITALS: [pmr_primitives::HospitalId; 3] = [H1, H2, pmr_primitives::HospitalId(9)];
const CATEGORIES: [RecordCategory; 4] = [
	RecordCategory::PresentIllness,
	RecordCategory::Prescription,
	RecordCategory::LabDiagnostics,
	RecordCategory::TreatmentSummary,
];
/// Visit days: 24–26 January 2021 (the clock starts at noon on the 26th) and the 27th (in the
/// future until the clock passes it).
const DAYS: [(u8, u8, u16); 4] = [(24, 1, 2021), (25, 1, 2021), (26, 1, 2021), (27, 1, 2021)];

/// A call, or a change of the world around the pallet, with indexes into the pools above.
#[derive(Clone, Debug)]
enum Step {
	/// `hospital: None`: the doctor's own hospital.
	Create { by: usize, patient: usize, hospital: Option<usize>, day: usize, category: usize, content: u8, course: Option<usize> },
	Amend { by: usize, item: u8, content: u8, prepared: Option<usize> },
	Manifest { by: usize, item: u8, version: u32, set: u32 },
	/// `by: None`: the record's patient.
	RequestCorrection { by: Option<usize>, item: u8 },
	/// `by: None`: the record's author; `item: None`: a record with a pending correction.
	RejectCorrection { by: Option<usize>, item: Option<u8> },
	Erase { by: Option<usize>, item: u8 },
	/// `hospital: None`: the doctor's own hospital.
	Book { by: usize, patient: usize, hospital: Option<usize>, doctor: usize, details: u8, consent: bool },
	Complete { by: usize, appointment: u8 },
	Cancel { by: usize, appointment: u8 },
	Reclaim { by: usize, patient: usize },
	Consent { who: usize, patient: usize, category: Option<usize>, give: bool },
	Active { who: usize, off: bool },
	Rotate { patient: usize, to: u8 },
	Advance { blocks: u64, hours: u64 },
}

/// Doctors (`ACCOUNTS[0..3]`).
const DOCTORS: &[usize] = &[0, 1, 2];
/// The home doctor, who wrote the [`SEED`] records.
const AUTHOR: &[usize] = &[0];
/// Doctors, desks and patients.
const CARE: &[usize] = &[0, 1, 2, 4, 5, 6, 7];
/// Patients `P` and `P2` mostly; the unknown patient sometimes.
fn patient() -> impl Strategy<Value = usize> {
	prop_oneof![4 => 0..2usize, 1 => Just(2usize)]
}
/// Past days and today mostly; the future day sometimes.
fn day_index() -> impl Strategy<Value = usize> {
	prop_oneof![4 => 0..3usize, 1 => Just(3usize)]
}

fn step() -> impl Strategy<Value = Step> {
	let who = 0..ACCOUNTS.len();
	let hospital = prop_oneof![4 => 0..2usize, 1 => Just(2usize)];
	let category = 0..CATEGORIES.len();
	prop_oneof![
		8 => (who_among(DOCTORS, ACCOUNTS.len()), patient(), proptest::option::weighted(0.25, 0..HOSPITALS.len()), day_index(), category.clone(), 0..48u8, proptest::option::weighted(0.2, day_index()))
			.prop_map(|(by, patient, hospital, day, category, content, course)| Step::Create { by, patient, hospital, day, category, content, course }),
		3 => (who_among(DOCTORS, ACCOUNTS.len()), fuzz::pick(), 0..48u8, proptest::option::weighted(0.3, who_among(DOCTORS, ACCOUNTS.len())))
			.prop_map(|(by, item, content, prepared)| Step::Amend { by, item, content, prepared }),
		2 => (who_among(AUTHOR, ACCOUNTS.len()), fuzz::pick(), 0..2u32, 0..3u32).prop_map(|(by, item, version, set)| Step::Manifest { by, item, version, set }),
		2 => (proptest::option::of(who_among(&[6, 7], ACCOUNTS.len())), fuzz::pick()).prop_map(|(by, item)| Step::RequestCorrection { by, item }),
		2 => (proptest::option::of(who_among(DOCTORS, ACCOUNTS.len())), proptest::option::of(fuzz::pick())).prop_map(|(by, item)| Step::RejectCorrection { by, item }),
		1 => (proptest::option::of(who_among(&[6, 7, 9], ACCOUNTS.len())), fuzz::pick()).prop_map(|(by, item)| Step::Erase { by, item }),
		3 => (who_among(CARE, ACCOUNTS.len()), patient(), proptest::option::weighted(0.25, hospital), who_among(DOCTORS, ACCOUNTS.len()), any::<u8>(), any::<bool>())
			.prop_map(|(by, patient, hospital, doctor, details, consent)| Step::Book { by, patient, hospital, doctor, details, consent }),
		2 => (who_among(CARE, ACCOUNTS.len()), fuzz::pick()).prop_map(|(by, appointment)| Step::Complete { by, appointment }),
		2 => (who_among(CARE, ACCOUNTS.len()), fuzz::pick()).prop_map(|(by, appointment)| Step::Cancel { by, appointment }),
		1 => (who.clone(), patient()).prop_map(|(by, patient)| Step::Reclaim { by, patient }),
		3 => (who_among(DOCTORS, ACCOUNTS.len()), patient(), proptest::option::of(category), proptest::bool::weighted(0.8))
			.prop_map(|(who, patient, category, give)| Step::Consent { who, patient, category, give }),
		1 => (0..3usize, proptest::bool::weighted(0.3)).prop_map(|(who, off)| Step::Active { who, off }),
		1 => (0..2usize, 41..44u8).prop_map(|(patient, to)| Step::Rotate { patient, to }),
		2 => (0..20u64, 0..30u64).prop_map(|(blocks, hours)| Step::Advance { blocks, hours }),
	]
}

fn day(i: usize) -> VisitDate {
	let (d, m, y) = DAYS[i];
	date(d, m, y)
}

/// The record a [`fuzz::pick`] names: one of the first four (by item ID) that exist, or a
/// PMR-ID nobody created.
fn item_id(pick: u8) -> PmrItemId {
	let mut items: Vec<_> = Records::<Test>::iter_keys().collect();
	items.sort_unstable();
	items.get(usize::from(pick)).copied().unwrap_or_else(|| {
		PmrId::new(P2, day(0), 99).map(|id| id.item_id()).unwrap_or(0)
	})
}

fn appointment_id(pick: u8) -> AppointmentId {
	AppointmentId(fuzz::recent(NextAppointmentId::<Test>::get().0, pick))
}

/// The hospital a doctor of the stub registry works for (hospital 1 for anybody else).
fn own_hospital(by: usize) -> pmr_primitives::HospitalId {
	if [DOCTOR, OTHER_DOCTOR].contains(&ACCOUNTS[by]) { H2 } else { H1 }
}

fn signed(i: usize) -> RuntimeOrigin {
	RuntimeOrigin::signed(ACCOUNTS[i].clone())
}

fn now_ms() -> u64 {
	<MockTime as UnixTime>::now().as_millis() as u64
}

fn apply(step: &Step) -> sp_runtime::DispatchResult {
	match step.clone() {
		Step::Create { by, patient, hospital, day: d, category, content: n, course } => fuzz::plain(MedicalRecords::create_record(
			signed(by),
			PATIENTS[patient],
			hospital.map_or_else(|| own_hospital(by), |h| HOSPITALS[h]),
			day(d),
			CATEGORIES[category],
			if n % 2 == 0 { content(n) } else { content_with_manifest(n) },
			course.map(day),
			None,
		)),
		Step::Amend { by, item, content: n, prepared } => {
			let result = fuzz::plain(MedicalRecords::amend_record(
				signed(by),
				item_id(item),
				content(n),
				note(),
				prepared.map(|p| ACCOUNTS[p].clone()),
			));
			// A prepared amendment is made by the clinician it was prepared for, or not at all.
			if prepared.is_some_and(|p| ACCOUNTS[p] != ACCOUNTS[by]) {
				assert_eq!(result, Err(Error::<Test>::PreparedForAnother.into()), "signed by another clinician");
			}
			result
		},
		Step::Manifest { by, item, version, set } => fuzz::plain(MedicalRecords::attach_manifest(
			signed(by),
			item_id(item),
			version,
			manifest(&alloc::format!("bafy-manifest-fuzz-{version}"), set),
		)),
		Step::RequestCorrection { by, item } => {
			let item = item_id(item);
			// `PATIENTS[i]`'s account is `ACCOUNTS[6 + i]`.
			let patient = Records::<Test>::get(item).and_then(|r| PATIENTS.iter().position(|p| *p == r.patient)).map(|i| 6 + i);
			MedicalRecords::request_correction(signed(by.or(patient).unwrap_or(8)), item, note())
		},
		Step::RejectCorrection { by, item } => {
			let item = item.map_or_else(|| Corrections::<Test>::iter_keys().next().unwrap_or(0), item_id);
			let author = Records::<Test>::get(item).and_then(|r| ACCOUNTS.iter().position(|a| doctor_id(a) == r.doctor));
			fuzz::plain(MedicalRecords::reject_correction(signed(by.or(author).unwrap_or(8)), item, note()))
		},
		// `None`: an order of the regulators (root in the mock).
		Step::Erase { by, item } => match by {
			Some(by) => MedicalRecords::erase_record(signed(by), item_id(item)),
			None => MedicalRecords::order_record_erasure(RawOrigin::Root.into(), item_id(item), note()),
		}
		.map(|_| ())
		.map_err(|e| e.error),
		Step::Book { by, patient, hospital, doctor, details, consent } => MedicalRecords::book_appointment(
			signed(by),
			PATIENTS[patient],
			hospital.map_or_else(|| own_hospital(doctor), |h| HOSPITALS[h]),
			ACCOUNTS[doctor].clone(),
			[details; 32],
			consent.then_some((AccessTarget::AllRecords, 100)),
		),
		Step::Complete { by, appointment } =>
			MedicalRecords::complete_appointment(signed(by), appointment_id(appointment)),
		Step::Cancel { by, appointment } => MedicalRecords::cancel_appointment(signed(by), appointment_id(appointment)),
		Step::Reclaim { by, patient } => MedicalRecords::reclaim_records(signed(by), PATIENTS[patient])
			.map(|_| ())
			.map_err(|e| e.error),
		Step::Consent { who, patient, category, give } => {
			let category = category.map(|c| CATEGORIES[c]);
			if give {
				consent(&ACCOUNTS[who], PATIENTS[patient], category);
			} else {
				revoke_consent(&ACCOUNTS[who], PATIENTS[patient], category);
			}
			Ok(())
		},
		Step::Active { who, off } => {
			if off {
				deactivate(&ACCOUNTS[who]);
			} else {
				reactivate(&ACCOUNTS[who]);
			}
			Ok(())
		},
		Step::Rotate { patient, to } => {
			rotate_patient(PATIENTS[patient], acc(to));
			Ok(())
		},
		Step::Advance { blocks, hours } => {
			System::set_block_number(System::block_number() + blocks);
			set_now(now_ms() + hours * 3_600_000);
			Ok(())
		},
	}
}

/// Where every sequence starts, so that its first steps have something to act on: the home
/// doctor's records of `P` (a present illness on the 24th, a prescription on the 25th) and of
/// `P2` (on the 26th), and an appointment of `P` with the home doctor.
const SEED: [Step; 4] = [
	Step::Create { by: 0, patient: 0, hospital: None, day: 0, category: 0, content: 0, course: None },
	Step::Create { by: 0, patient: 0, hospital: None, day: 1, category: 1, content: 1, course: None },
	Step::Create { by: 0, patient: 1, hospital: None, day: 2, category: 0, content: 2, course: None },
	Step::Book { by: 4, patient: 0, hospital: None, doctor: 0, details: 0, consent: false },
];

/// The kinds of step that must succeed at least once in a run (all of them: a call that never
/// succeeds is a call the fuzzer never tested past its checks).
const REACHED: &[&str] = &["Create", "Amend", "Manifest", "RequestCorrection", "RejectCorrection", "Erase", "Book", "Complete", "Cancel", "Reclaim", "Consent", "Active", "Rotate", "Advance"];

/// The pallet's `try_state`, and: every erased record was logged in its patient's audit
/// trail exactly once, with who erased it.
fn every_erasure_is_in_the_trail() -> Result<(), sp_runtime::TryRuntimeError> {
	MedicalRecords::do_try_state()?;
	let mut erased: Vec<_> = Records::<Test>::iter()
		.filter_map(|(item, r)| r.erased.map(|(_, by)| (r.patient, ErasedContent::Record(item), by)))
		.collect();
	let mut logged: Vec<_> = StubAudit::erasures::<AccountId>()
		.into_iter()
		.map(|(patient, _, what, by)| (patient, what, by))
		.collect();
	erased.sort_by_key(|e| e.encode());
	logged.sort_by_key(|e| e.encode());
	frame_support::ensure!(erased == logged, "an erasure is missing from, or doubled in, the patient's trail");
	Ok(())
}

#[test]
fn random_call_sequences_keep_every_invariant() {
	fuzz::check(
		file!(),
		step(),
		|steps| {
			test(|| {
				fuzz::apply_seed(&SEED, apply);
				fuzz::run_sequence(steps, apply, every_erasure_is_in_the_trail)
			})
		},
		REACHED,
	);
}
