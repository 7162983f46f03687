//! Random call sequences against the mock runtime, with `try_state` after every call.
//!
//! Every registry call, made by accounts drawn from a small pool (so that calls meet each
//! other's hospitals, members, doctors, labs, patients and recoveries), by the regulator or
//! root where a call wants it. After each call the registry's invariants hold
//! (`do_try_state`: counters, reverse indexes — the account maps a rotation or recovery moves —,
//! custodian set, offers, recoveries), and a call that fails, fails with a typed error.
//! `PMR_FUZZ_CASES` sets the number of sequences (default 64, of up to 64 calls each).

use super::*;
use frame_support::dispatch::RawOrigin;
use proptest::prelude::*;
use pmr_pallet_test_support::fuzz;

/// Accounts 10..=21: enough for two or three hospitals' admins, desks, doctors, labs and
/// patients, and fresh accounts for rotations; `REGULATOR` is index 12.
const POOL: u64 = 12;

fn account(i: u8) -> u64 {
	if u64::from(i) == POOL { REGULATOR } else { 10 + u64::from(i) % POOL }
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
	ApproveRecovery { lost: u8 },
	CancelRecovery { by: Option<u8>, lost: u8 },
}

fn step() -> impl Strategy<Value = Step> {
	let a = || 0..=POOL as u8;
	let h = || 0..4u8;
	prop_oneof![
		(a(), 0..6u8).prop_map(|(by, id)| Step::Apply { by, id }),
		(a(), h(), 0..6u8).prop_map(|(by, hospital, id)| Step::UpdateDetails { by, hospital, id }),
		(a(), h(), a(), 0..3u8).prop_map(|(by, hospital, member, role)| Step::AddMember { by, hospital, member, role }),
		(a(), h(), a()).prop_map(|(by, hospital, member)| Step::RemoveMember { by, hospital, member }),
		(h(), 0..4u8).prop_map(|(hospital, action)| Step::Regulate { hospital, action }),
		(a(), h(), a(), 0..4u8).prop_map(|(by, hospital, who, number)| Step::OnboardDoctor { by, hospital, who, number }),
		(a(), h(), 0..4u8).prop_map(|(by, hospital, doctor)| Step::OffboardDoctor { by, hospital, doctor }),
		(0..4u8, any::<bool>()).prop_map(|(doctor, confirm)| Step::Licence { doctor, confirm }),
		(a(), h(), a(), 0..4u8).prop_map(|(by, hospital, who, number)| Step::OnboardLab { by, hospital, who, number }),
		(a(), h(), 0..4u8).prop_map(|(by, hospital, lab)| Step::OffboardLab { by, hospital, lab }),
		(a(), h(), a()).prop_map(|(by, hospital, who)| Step::RegisterPatient { by, hospital, who }),
		(a(), 0..3u8).prop_map(|(by, key)| Step::UpdatePatient { by, key }),
		(a(), h(), 0..3u8, 0..3u8).prop_map(|(by, hospital, action, key)| Step::Custodian { by, hospital, action, key }),
		(0..4u8).prop_map(|threshold| Step::Threshold { threshold }),
		(a(), 0..3u8).prop_map(|(by, key)| Step::EncryptionKey { by, key }),
		(a(), h()).prop_map(|(by, hospital)| Step::Accept { by, hospital }),
		(a(), any::<bool>()).prop_map(|(by, empty)| Step::Contact { by, empty }),
		(a(), a()).prop_map(|(by, new)| Step::Rotate { by, new }),
		(a(), h(), a(), a()).prop_map(|(by, hospital, lost, new)| Step::ProposeRecovery { by, hospital, lost, new }),
		a().prop_map(|lost| Step::ApproveRecovery { lost }),
		(proptest::option::of(a()), a()).prop_map(|(by, lost)| Step::CancelRecovery { by, lost }),
	]
}

fn signed(i: u8) -> RuntimeOrigin {
	RuntimeOrigin::signed(account(i))
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
			Registry::onboard_doctor(signed(by), hospital(h), account(who), doctor_details(&format!("UPRN-{number}"))),
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
		Step::ApproveRecovery { lost } => Registry::approve_recovery(regulator(), account(lost)),
		Step::CancelRecovery { by, lost } =>
			Registry::cancel_recovery(by.map_or(RawOrigin::Root.into(), signed), account(lost)),
	}
}

proptest! {
	#![proptest_config(fuzz::config())]

	#[test]
	fn random_call_sequences_keep_every_invariant(steps in proptest::collection::vec(step(), 1..64)) {
		test(|| fuzz::run_sequence(&steps, |step| apply(step.clone()), Registry::do_try_state));
	}
}
