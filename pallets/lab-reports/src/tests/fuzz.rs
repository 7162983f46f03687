//! Random call sequences against the mock runtime, with `try_state` after every call.
//!
//! Every call of the pallet (lab orders and their cancellation, report anchors and manifests,
//! devices, IoMT batches, erasure of reports and batches), made by every kind of account
//! (doctors, labs, desks, patients, devices, an outsider, root as the regulator), with
//! arguments drawn from small pools so that calls meet each other's orders, reports and
//! devices; in between, the world the pallet depends on changes as the other pallets would
//! change it: consent given, records created and erased (with the records pallet's erasure
//! hook), doctors and labs switched off and on, the clock and blocks advancing. After each call:
//! - the pallet's invariants hold (`do_try_state`);
//! - a call that fails, fails with a typed error (a pallet error or `BadOrigin`), never with
//!   an untyped or arithmetic one. (It is applied in a storage layer, as dispatch does, so a
//!   failed call changes nothing.)
//!
//! `PMR_FUZZ_CASES` sets the number of sequences (default 256, each of up to 63 steps);
//! `docs/performance.md` records the long run.

use super::*;
use frame_support::dispatch::RawOrigin;
use pmr_primitives::{DeviceId, ErasedBy, LabReportId, OnRecordErased};
use proptest::prelude::*;
use pmr_pallet_test_support::fuzz::{self, who_among};

const ACCOUNTS: [u64; 12] =
	[HOME_DOCTOR, DOCTOR, LAB, OTHER_LAB, DESK, OTHER_DESK, PATIENT, OTHER_PATIENT, DEVICE, OTHER_DEVICE, 52, OUTSIDER];
const DEVICES: [u64; 3] = [DEVICE, OTHER_DEVICE, 52];
const PATIENTS: [PatientId; 3] = [P, P2, PatientId(77)];
const LABS: [LabId; 3] = [L1, L2, LabId(9)];
const MODALITIES: [Modality; 3] = [Modality::Ct, Modality::Mr, Modality::Us];
/// Records the stub records pallet may hold (a few per patient).
const ITEMS: [PmrItemId; 4] = [100, 101, 200, 300];
/// Capture days around the clock's start (noon, 26 January 2021): past, today, tomorrow.
const DAYS: [(u8, u8, u16); 3] = [(20, 1, 2021), (26, 1, 2021), (27, 1, 2021)];

/// A call, or a change of the world around the pallet, with indexes into the pools above.
#[derive(Clone, Debug)]
enum Step {
	Order { by: usize, patient: usize, lab: usize, modality: usize, record: Option<usize> },
	/// `by: None`: the ordering doctor.
	CancelOrder { by: Option<usize>, order: u8 },
	/// `by: None`: the order's lab.
	Anchor { by: Option<usize>, order: u8, day: usize, study: u8, observations: bool },
	/// `by: None`: the reporting lab.
	ReportManifest { by: Option<usize>, report: u8, set: u32 },
	RegisterDevice { by: usize, patient: usize, device: usize, kind: u8 },
	DeactivateDevice { by: usize, device: u8 },
	Batch { by: usize, start_minutes_ago: u64, minutes: u64, samples: u32, content: u8 },
	EraseReport { by: Option<usize>, report: u8 },
	EraseBatch { by: Option<usize>, device: u8, batch: u32 },
	Consent { who: usize, patient: usize },
	AddRecord { item: usize, patient: usize },
	EraseRecord { item: usize, by_patient: bool },
	Active { who: usize, off: bool },
	Advance { blocks: u64, minutes: u64 },
}

/// Doctors, labs, desks, devices (indexes into [`ACCOUNTS`]).
const DOCTORS: &[usize] = &[0, 1];
const LAB_ACCOUNTS: &[usize] = &[2, 3];
const DESKS: &[usize] = &[4, 5];
const DEVICE_ACCOUNTS: &[usize] = &[8, 9, 10];

/// Patients `P` and `P2` mostly; the unknown patient sometimes.
fn patient() -> impl Strategy<Value = usize> {
	prop_oneof![4 => 0..2usize, 1 => Just(2usize)]
}

fn step() -> impl Strategy<Value = Step> {
	prop_oneof![
		4 => (who_among(DOCTORS, ACCOUNTS.len()), patient(), prop_oneof![4 => 0..2usize, 1 => Just(2usize)], 0..MODALITIES.len(), proptest::option::weighted(0.25, 0..ITEMS.len()))
			.prop_map(|(by, patient, lab, modality, record)| Step::Order { by, patient, lab, modality, record }),
		1 => (proptest::option::of(who_among(DOCTORS, ACCOUNTS.len())), fuzz::pick()).prop_map(|(by, order)| Step::CancelOrder { by, order }),
		4 => (proptest::option::of(who_among(LAB_ACCOUNTS, ACCOUNTS.len())), fuzz::pick(), prop_oneof![4 => 0..2usize, 1 => Just(2usize)], 0..48u8, any::<bool>())
			.prop_map(|(by, order, day, study, observations)| Step::Anchor { by, order, day, study, observations }),
		2 => (proptest::option::of(who_among(LAB_ACCOUNTS, ACCOUNTS.len())), fuzz::pick(), 0..3u32).prop_map(|(by, report, set)| Step::ReportManifest { by, report, set }),
		3 => (who_among(DESKS, ACCOUNTS.len()), patient(), 0..DEVICES.len(), 0..3u8)
			.prop_map(|(by, patient, device, kind)| Step::RegisterDevice { by, patient, device, kind }),
		1 => (who_among(DESKS, ACCOUNTS.len()), fuzz::pick()).prop_map(|(by, device)| Step::DeactivateDevice { by, device }),
		4 => (prop_oneof![2 => Just(8usize), 1 => who_among(DEVICE_ACCOUNTS, ACCOUNTS.len())], 0..120u64, 0..90u64, 0..5u32, 0..48u8)
			.prop_map(|(by, start_minutes_ago, minutes, samples, content)| Step::Batch { by, start_minutes_ago, minutes, samples, content }),
		1 => (proptest::option::of(who_among(&[6, 7], ACCOUNTS.len())), fuzz::pick()).prop_map(|(by, report)| Step::EraseReport { by, report }),
		2 => (proptest::option::of(who_among(&[6, 7], ACCOUNTS.len())), fuzz::pick(), prop_oneof![3 => Just(0u32), 1 => 1..3u32]).prop_map(|(by, device, batch)| Step::EraseBatch { by, device, batch }),
		2 => (who_among(&[0, 1, 2, 3], ACCOUNTS.len()), patient()).prop_map(|(who, patient)| Step::Consent { who, patient }),
		2 => (0..ITEMS.len(), patient()).prop_map(|(item, patient)| Step::AddRecord { item, patient }),
		1 => (0..ITEMS.len(), any::<bool>()).prop_map(|(item, by_patient)| Step::EraseRecord { item, by_patient }),
		1 => (0..4usize, proptest::bool::weighted(0.3)).prop_map(|(who, off)| Step::Active { who, off }),
		2 => (0..20u64, 0..240u64).prop_map(|(blocks, minutes)| Step::Advance { blocks, minutes }),
	]
}

fn signed(i: usize) -> RuntimeOrigin {
	RuntimeOrigin::signed(ACCOUNTS[i])
}

fn legal_basis() -> pmr_primitives::NoteHash {
	[7; 32].into()
}

/// The account of a lab of the stub registry (the outsider for none).
fn lab_account(lab: Option<LabId>) -> RuntimeOrigin {
	RuntimeOrigin::signed(match lab {
		Some(L1) => LAB,
		Some(L2) => OTHER_LAB,
		_ => OUTSIDER,
	})
}

fn order_id(pick: u8) -> LabOrderId {
	LabOrderId(fuzz::recent(NextOrderId::<Test>::get().0, pick))
}

fn report_id(pick: u8) -> LabReportId {
	LabReportId(fuzz::recent(NextReportId::<Test>::get().0, pick))
}

fn device_id(pick: u8) -> DeviceId {
	DeviceId(fuzz::recent(NextDeviceId::<Test>::get().0.into(), pick) as u32)
}

fn now_ms() -> u64 {
	<MockTime as frame_support::traits::UnixTime>::now().as_millis() as u64
}

fn apply(step: &Step) -> sp_runtime::DispatchResult {
	match step.clone() {
		Step::Order { by, patient, lab, modality, record } => fuzz::plain(Labs::order_lab_work(
			signed(by),
			PATIENTS[patient],
			LABS[lab],
			MODALITIES[modality],
			record.map(|i| ITEMS[i]),
			[9; 32],
		)),
		Step::CancelOrder { by, order } => {
			let order = order_id(order);
			let doctor = LabOrders::<Test>::get(order).map_or(OUTSIDER, |o| o.doctor_account);
			Labs::cancel_lab_order(by.map_or(RuntimeOrigin::signed(doctor), signed), order)
		},
		Step::Anchor { by, order, day, study, observations } => {
			let (d, m, y) = DAYS[day];
			let order = order_id(order);
			let lab = LabOrders::<Test>::get(order).map(|o| o.lab);
			Labs::anchor_lab_report(
				by.map_or_else(|| lab_account(lab), signed),
				order,
				date(d, m, y),
				if study % 2 == 0 { content(study) } else { content_with_manifest(study) },
				observations.then(|| content(study.wrapping_add(50))),
			)
		},
		Step::ReportManifest { by, report, set } => Labs::attach_report_manifest(
			by.map_or_else(|| lab_account(LabReports::<Test>::get(report_id(report)).map(|r| r.lab)), signed),
			report_id(report),
			manifest(&alloc::format!("bafy-report-manifest-{report}"), set),
		),
		Step::RegisterDevice { by, patient, device, kind } =>
			Labs::register_device(signed(by), PATIENTS[patient], DEVICES[device], [kind; 32]),
		Step::DeactivateDevice { by, device } => Labs::deactivate_device(signed(by), device_id(device)),
		Step::Batch { by, start_minutes_ago, minutes, samples, content: n } => {
			let start = now_ms().saturating_sub(start_minutes_ago * 60_000);
			Labs::anchor_iomt_batch(signed(by), [n; 32], start, start + minutes * 60_000, samples, content(n.wrapping_add(100)))
		},
		// `by: None`: an order of the regulators (root in the mock).
		Step::EraseReport { by: Some(by), report } => Labs::erase_lab_report(signed(by), report_id(report)),
		Step::EraseReport { by: None, report } =>
			Labs::order_lab_report_erasure(RawOrigin::Root.into(), report_id(report), legal_basis()),
		Step::EraseBatch { by: Some(by), device, batch } => Labs::erase_iomt_batch(signed(by), device_id(device), batch),
		Step::EraseBatch { by: None, device, batch } =>
			Labs::order_iomt_batch_erasure(RawOrigin::Root.into(), device_id(device), batch, legal_basis()),
		Step::Consent { who, patient } => {
			consent(ACCOUNTS[who], PATIENTS[patient]);
			Ok(())
		},
		Step::AddRecord { item, patient } => {
			add_record(ITEMS[item], PATIENTS[patient]);
			Ok(())
		},
		// The records pallet erases the record and tells this pallet (the cascade).
		Step::EraseRecord { item, by_patient } => {
			remove_record(ITEMS[item]);
			let by = if by_patient { ErasedBy::Patient } else { ErasedBy::Regulators { legal_basis: legal_basis() } };
			Labs::record_erased(ITEMS[item], by);
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
		Step::Advance { blocks, minutes } => {
			System::set_block_number(System::block_number() + blocks);
			set_now(now_ms() + minutes * 60_000);
			Ok(())
		},
	}
}

/// Where every sequence starts, so that its first steps have something to act on: the home
/// doctor's open CT order for `P` at lab 1, and a device of `P` registered by the desk.
const SEED: [Step; 2] = [
	Step::Order { by: 0, patient: 0, lab: 0, modality: 0, record: None },
	Step::RegisterDevice { by: 4, patient: 0, device: 0, kind: 1 },
];

/// The kinds of step that must succeed at least once in a run (all of them: a call that never
/// succeeds is a call the fuzzer never tested past its checks).
const REACHED: &[&str] = &["Order", "CancelOrder", "Anchor", "ReportManifest", "RegisterDevice", "DeactivateDevice", "Batch", "EraseReport", "EraseBatch", "Consent", "AddRecord", "EraseRecord", "Active", "Advance"];

/// The pallet's `try_state`, and: every report and batch erased on its own (not with its
/// record) was logged in its patient's audit trail exactly once, with who erased it.
fn every_erasure_is_in_the_trail() -> Result<(), sp_runtime::TryRuntimeError> {
	use codec::Encode;
	use pmr_pallet_test_support::StubAudit;
	use pmr_primitives::ErasedContent;
	Labs::do_try_state()?;
	let logged: Vec<_> =
		StubAudit::erasures::<u64>().into_iter().map(|(patient, _, what, by)| (patient, what, by)).collect();
	let mut seen = logged.clone();
	seen.sort_by_key(|e| e.encode());
	seen.dedup();
	frame_support::ensure!(seen.len() == logged.len(), "an erasure is doubled in the patient's trail");
	for (patient, what, by) in &logged {
		let erased = match what {
			ErasedContent::LabReport(r) =>
				LabReports::<Test>::get(r).filter(|r| r.patient == *patient).and_then(|r| r.erased),
			ErasedContent::IomtBatch { device, batch } => IomtBatches::<Test>::get(device, batch).and_then(|b| b.erased),
			ErasedContent::Record(_) => None,
		};
		frame_support::ensure!(erased.map(|(_, b)| b) == Some(*by), "a logged erasure did not happen");
	}
	let batches = IomtBatches::<Test>::iter().filter(|(_, _, b)| b.erased.is_some()).count();
	let logged_batches = logged.iter().filter(|(_, what, _)| matches!(what, ErasedContent::IomtBatch { .. })).count();
	frame_support::ensure!(batches == logged_batches, "an IoMT batch's erasure is missing from the trail");
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
