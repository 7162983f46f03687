//! Random call sequences against the mock runtime, with `try_state` after every call.
//!
//! Every registry call, from the [`World`] of the unit tests (two verified hospitals with their
//! desks, a licensed doctor, a lab and a patient), made by accounts drawn from a small pool,
//! mostly the ones a call is meant for (so that calls meet each other's hospitals, members,
//! doctors, labs, patients and recoveries), by the regulator or root where a call wants it.
//! After each call the registry's invariants hold (`do_try_state`: counters, reverse indexes —
//! the account maps a rotation or recovery moves —, custodian set, offers, recoveries), and a
//! call that fails, fails with a typed error.
//! `PMR_FUZZ_CASES` sets the number of sequences (default 256, of up to 63 calls each).

use super::*;
use frame_support::dispatch::RawOrigin;
use proptest::prelude::*;
use pmr_pallet_test_support::fuzz;

/// The callers: the [`World`]'s admins, desks, doctor, lab and patient, five fresh accounts
/// (applicants, new staff and patients, rotation targets) and the regulator.
const ACCOUNTS: [u64; 13] = [ADMIN, DESK, OTHER_ADMIN, OTHER_DESK, DOCTOR, LAB, PATIENT, 14, 15, 16, 17, 18, REGULATOR];
const ADMINS: &[usize] = &[0, 2];
const STAFF: &[usize] = &[0, 1, 2, 3];
/// The doctor, the lab and the patient.
const PEOPLE: &[usize] = &[4, 5, 6];
const FRESH: &[usize] = &[7, 8, 9, 10, 11];
/// Everybody with a role (admins, desks, doctor, lab, patient).
const MEMBERS: &[usize] = &[0, 1, 2, 3, 4, 5, 6];

fn account(i: u8) -> u64 {
	ACCOUNTS[usize::from(i) % ACCOUNTS.len()]
}

/// Mostly one of `likely`, sometimes anybody.
fn who(likely: &'static [usize]) -> impl Strategy<Value = u8> {
	fuzz::who_among(likely, ACCOUNTS.len()).prop_map(|i| i as u8)
}

/// The world's two verified hospitals mostly; hospitals 2 and 3 (applied for in the sequence,
/// or unknown) sometimes.
fn h() -> impl Strategy<Value = u8> {
	prop_oneof![3 => 0..2u8, 1 => 2..4u8]
}

/// Mostly an admin with their own hospital, sometimes [`who`] and [`h`] apart.
fn admin_of() -> impl Strategy<Value = (u8, u8)> {
	prop_oneof![3 => prop_oneof![Just((0u8, 0u8)), Just((2, 1))], 1 => (who(ADMINS), h())]
}

/// Mostly a desk or admin with their own hospital, sometimes [`who`] and [`h`] apart.
fn staff_of() -> impl Strategy<Value = (u8, u8)> {
	prop_oneof![
		3 => prop_oneof![Just((0u8, 0u8)), Just((1, 0)), Just((2, 1)), Just((3, 1))],
		1 => (who(STAFF), h()),
	]
}

fn hospital(i: u8) -> HospitalId {
	HospitalId(u32::from(i % 4))
}

#[derive(Clone, Debug)]
enum Step {
	Apply { by: u8, id: u8 },
	UpdateDetails { by: u8, hospital: u8, id: u8 },
	AddMember { by: u8, hospital: u8, member: u8, role: u8 },
	RemoveMember { by: u8, hospital: u8, member: u8 },
	Regulate { hospital: u8, action: u8 },
	OnboardDoctor { by: u8, hospital: u8, who: u8, number: u8 },
	OffboardDoctor { by: u8, hospital: u8, doctor: u8 },
	Licence { doctor: u8, confirm: bool },
	OnboardLab { by: u8, hospital: u8, who: u8, number: u8 },
	OffboardLab { by: u8, hospital: u8, lab: u8 },
	RegisterPatient { by: u8, hospital: u8, who: u8 },
	UpdatePatient { by: u8, key: u8 },
	Custodian { by: u8, hospital: u8, action: u8, key: u8 },
	Threshold { threshold: u8 },
	EncryptionKey { by: u8, key: u8 },
	Accept { by: u8, hospital: u8 },
	Contact { by: u8, empty: bool },
	Rotate { by: u8, new: u8 },
	ProposeRecovery { by: u8, hospital: u8, lost: u8, new: u8 },
	/// `council`: the regulator council (root in the mock), else one regulator; `lost: None`:
	/// an account with a pending recovery.
	ApproveRecovery { council: bool, lost: Option<u8> },
	/// `by: None`: the patients' guardian; `lost: None`: an account with a pending recovery.
	ObjectRecovery { by: Option<u8>, lost: Option<u8> },
	/// Blocks pass (so that recoveries' delays run out).
	Wait { blocks: u64 },
	/// `by: None`: root; `lost: None`: an account with a pending recovery.
	CancelRecovery { by: Option<u8>, lost: Option<u8> },
}

fn step() -> impl Strategy<Value = Step> {
	let id = || 0..4u8;
	prop_oneof![
		1 => (who(FRESH), 0..6u8).prop_map(|(by, id)| Step::Apply { by, id }),
		1 => (admin_of(), 0..6u8).prop_map(|((by, hospital), id)| Step::UpdateDetails { by, hospital, id }),
		1 => (admin_of(), who(FRESH), 0..3u8).prop_map(|((by, hospital), member, role)| Step::AddMember { by, hospital, member, role }),
		1 => (admin_of(), who(&[1, 3, 7, 8, 9, 10, 11])).prop_map(|((by, hospital), member)| Step::RemoveMember { by, hospital, member }),
		1 => (prop_oneof![1 => 0..2u8, 2 => 2..4u8], prop_oneof![4 => Just(0u8), 2 => Just(1), 2 => Just(2), 1 => Just(3)]).prop_map(|(hospital, action)| Step::Regulate { hospital, action }),
		2 => (admin_of(), prop_oneof![Just((4u8, 0u8)), (who(FRESH), 0..4u8)]).prop_map(|((by, hospital), (who, number))| Step::OnboardDoctor { by, hospital, who, number }),
		1 => (admin_of(), id()).prop_map(|((by, hospital), doctor)| Step::OffboardDoctor { by, hospital, doctor }),
		1 => (id(), any::<bool>()).prop_map(|(doctor, confirm)| Step::Licence { doctor, confirm }),
		1 => (admin_of(), who(FRESH), 0..4u8).prop_map(|((by, hospital), who, number)| Step::OnboardLab { by, hospital, who, number }),
		1 => (admin_of(), id()).prop_map(|((by, hospital), lab)| Step::OffboardLab { by, hospital, lab }),
		1 => (staff_of(), who(FRESH)).prop_map(|((by, hospital), who)| Step::RegisterPatient { by, hospital, who }),
		1 => (who(&[6, 7, 8, 9, 10, 11]), 0..3u8).prop_map(|(by, key)| Step::UpdatePatient { by, key }),
		1 => (admin_of(), 0..3u8, 0..3u8).prop_map(|((by, hospital), action, key)| Step::Custodian { by, hospital, action, key }),
		1 => (0..4u8).prop_map(|threshold| Step::Threshold { threshold }),
		1 => (who(&[4, 5, 7, 8, 9, 10, 11]), 0..3u8).prop_map(|(by, key)| Step::EncryptionKey { by, key }),
		2 => (who(&[4]), prop_oneof![Just(1u8), h()]).prop_map(|(by, hospital)| Step::Accept { by, hospital }),
		1 => (who(&[4, 7, 8, 9, 10, 11]), any::<bool>()).prop_map(|(by, empty)| Step::Contact { by, empty }),
		1 => (who(MEMBERS), who(FRESH)).prop_map(|(by, new)| Step::Rotate { by, new }),
		3 => (admin_of(), who(PEOPLE), who(FRESH)).prop_map(|((by, hospital), lost, new)| Step::ProposeRecovery { by, hospital, lost, new }),
		// Mostly the council, mostly the pending recovery (`None`), so that a confirmation after
		// its delay is reached in most runs, not only some.
		3 => (prop_oneof![4 => Just(true), 1 => Just(false)], proptest::option::weighted(0.3, who(PEOPLE))).prop_map(|(council, lost)| Step::ApproveRecovery { council, lost }),
		1 => (proptest::option::of(who(PEOPLE)), proptest::option::of(who(PEOPLE))).prop_map(|(by, lost)| Step::ObjectRecovery { by, lost }),
		2 => prop_oneof![1 => 0..RECOVERY_DELAY, 2 => Just(RECOVERY_DELAY)].prop_map(|blocks| Step::Wait { blocks }),
		1 => (proptest::option::of(who(ADMINS)), proptest::option::of(who(PEOPLE))).prop_map(|(by, lost)| Step::CancelRecovery { by, lost }),
	]
}

fn signed(i: u8) -> RuntimeOrigin {
	RuntimeOrigin::signed(account(i))
}

/// `None`: an account with a pending recovery (the outsider when there is none).
fn lost_account(lost: Option<u8>) -> u64 {
	lost.map_or_else(|| PendingRecoveries::<Test>::iter_keys().next().unwrap_or(OUTSIDER), account)
}

fn regulator() -> RuntimeOrigin {
	RuntimeOrigin::signed(REGULATOR)
}

fn key(i: u8) -> [u8; 32] {
	[i.wrapping_add(1); 32]
}

fn role(i: u8) -> HospitalRole {
	match i {
		0 => HospitalRole::Admin,
		1 => HospitalRole::Desk,
		_ => HospitalRole::KeyCustodian,
	}
}

fn apply(step: Step) -> sp_runtime::DispatchResult {
	match step {
		Step::Apply { by, id } =>
			Registry::apply_for_registration(signed(by), hospital_details(&format!("GOV-{id}"))),
		Step::UpdateDetails { by, hospital: h, id } =>
			Registry::update_hospital_details(signed(by), hospital(h), hospital_details(&format!("GOV-{id}"))),
		Step::AddMember { by, hospital: h, member, role: r } =>
			Registry::add_member(signed(by), hospital(h), account(member), role(r)),
		Step::RemoveMember { by, hospital: h, member } =>
			Registry::remove_member(signed(by), hospital(h), account(member)),
		Step::Regulate { hospital: h, action } => match action {
			0 => Registry::verify_hospital(regulator(), hospital(h)),
			1 => Registry::suspend_hospital(regulator(), hospital(h)),
			2 => Registry::reinstate_hospital(regulator(), hospital(h)),
			_ => Registry::revoke_hospital(regulator(), hospital(h)),
		},
		Step::OnboardDoctor { by, hospital: h, who, number } =>
			Registry::onboard_doctor(signed(by), hospital(h), account(who), doctor_details(&format!("UPRN-{}", 20 + number))),
		Step::OffboardDoctor { by, hospital: h, doctor } =>
			Registry::offboard_doctor(signed(by), hospital(h), DoctorId(u32::from(doctor))),
		Step::Licence { doctor, confirm } => {
			let doctor = DoctorId(u32::from(doctor));
			if confirm {
				Registry::confirm_doctor_licence(regulator(), doctor)
			} else {
				Registry::revoke_doctor_licence(regulator(), doctor)
			}
		},
		Step::OnboardLab { by, hospital: h, who, number } =>
			Registry::onboard_lab(signed(by), hospital(h), account(who), lab_details(&format!("LAB-{number}"))),
		Step::OffboardLab { by, hospital: h, lab } =>
			Registry::offboard_lab(signed(by), hospital(h), LabId(u32::from(lab))),
		Step::RegisterPatient { by, hospital: h, who } =>
			Registry::register_patient(signed(by), hospital(h), account(who), COMMITMENT, PATIENT_KEY),
		Step::UpdatePatient { by, key: k } => Registry::update_patient(signed(by), COMMITMENT, key(k)),
		Step::Custodian { by, hospital: h, action, key: k } => match action {
			0 => Registry::propose_custodian_key(signed(by), hospital(h), key(k)),
			1 => Registry::approve_custodian_key(regulator(), hospital(h)),
			_ => Registry::remove_custodian(regulator(), hospital(h)),
		},
		Step::Threshold { threshold } => Registry::set_custodian_threshold(regulator(), threshold),
		Step::EncryptionKey { by, key: k } => Registry::set_encryption_key(signed(by), key(k)),
		Step::Accept { by, hospital: h } => Registry::accept_affiliation(signed(by), hospital(h)),
		Step::Contact { by, empty } =>
			Registry::set_doctor_contact(signed(by), text(if empty { "" } else { "desk" })),
		Step::Rotate { by, new } => Registry::rotate_account(signed(by), account(new)),
		Step::ProposeRecovery { by, hospital: h, lost, new } =>
			Registry::propose_recovery(signed(by), hospital(h), account(lost), account(new)),
		Step::ApproveRecovery { council, lost } => {
			let lost = lost_account(lost);
			let pending = PendingRecoveries::<Test>::get(lost);
			let origin = if council { RawOrigin::Root.into() } else { regulator() };
			let result = Registry::approve_recovery(origin, lost);
			// A recovery always has its delay, counted from its proposal.
			if result.is_ok() {
				let proposed_at = pending.expect("confirmed, so it was pending").proposed_at;
				assert!(System::block_number() >= proposed_at + RECOVERY_DELAY, "confirmed before its delay");
			}
			result
		},
		Step::ObjectRecovery { by, lost } =>
			Registry::object_recovery(by.map_or(RuntimeOrigin::signed(GUARDIAN), signed), lost_account(lost)),
		Step::Wait { blocks } => {
			System::set_block_number(System::block_number() + blocks);
			Ok(())
		},
		Step::CancelRecovery { by, lost } =>
			Registry::cancel_recovery(by.map_or(RawOrigin::Root.into(), signed), lost_account(lost)),
	}
}

/// The kinds of step that must succeed at least once in a run (all of them: a call that never
/// succeeds is a call the fuzzer never tested past its checks).
const REACHED: &[&str] = &["Apply", "UpdateDetails", "AddMember", "RemoveMember", "Regulate", "OnboardDoctor", "OffboardDoctor", "Licence", "OnboardLab", "OffboardLab", "RegisterPatient", "UpdatePatient", "Custodian", "Threshold", "EncryptionKey", "Accept", "Contact", "Rotate", "ProposeRecovery", "ApproveRecovery", "ObjectRecovery", "Wait", "CancelRecovery"];

#[test]
fn random_call_sequences_keep_every_invariant() {
	fuzz::check(
		file!(),
		step(),
		|steps| {
			test(|| {
				World::new();
				fuzz::run_sequence(steps, |step| apply(step.clone()), Registry::do_try_state)
			})
		},
		REACHED,
	);
}
