//! Registry tests, one file per action. `World` sets up one account in every role, so each
//! call can be tried by every role that must not succeed.

mod accounts;
mod apply;
mod custodians;
mod doctors;
mod encryption_keys;
mod extension;
mod fuzz;
mod inspect;
mod labs;
mod members;
mod patients;
mod recovery;
mod regulator;
mod update_details;

use crate::{mock::*, *};
use frame_support::{assert_ok, BoundedVec};
use pmr_primitives::{DoctorId, HospitalId, LabId, PatientId};

/// X25519 keys of small order the registry must refuse: all zeros, and 1 written as p + 1 with
/// the top bit set (the whole list is checked against X25519 in `pmr-primitives`).
pub const SMALL_ORDER_KEYS: [[u8; 32]; 2] = [[0; 32], {
	let mut p_plus_1 = [0xff; 32];
	p_plus_1[0] = 0xee;
	p_plus_1
}];

/// A bounded text from a string (panics in tests if too long).
pub fn text(s: &str) -> Text<Test> {
	BoundedVec::try_from(s.as_bytes().to_vec()).expect("test text fits")
}

/// Hospital details with the given government registration ID.
pub fn hospital_details(registration_id: &str) -> HospitalDetails<Test> {
	HospitalDetails {
		registration_id: text(registration_id),
		name: text("City Hospital"),
		location: text("Coimbatore"),
		specializations: BoundedVec::try_from(vec![text("cardiology"), text("radiology")])
			.expect("fits"),
		contact: text("+91 422 000 0000"),
	}
}

/// Doctor details with the given registration number.
pub fn doctor_details(registration_number: &str) -> DoctorDetails<Test> {
	DoctorDetails {
		registration_number: text(registration_number),
		name: text("Dr. A"),
		specialization: text("cardiology"),
		contact: text("dr.a@hospital"),
	}
}

/// Lab details with the given registration number.
pub fn lab_details(registration_number: &str) -> LabDetails<Test> {
	LabDetails {
		registration_number: text(registration_number),
		name: text("Radiology lab"),
		specialization: text("radiology"),
	}
}

/// `admin` applies and the regulator verifies; returns the Hospital-ID.
pub fn verified_hospital(admin: u64, registration_id: &str) -> HospitalId {
	let id = NextHospitalId::<Test>::get();
	assert_ok!(Registry::apply_for_registration(
		RuntimeOrigin::signed(admin),
		hospital_details(registration_id)
	));
	assert_ok!(Registry::verify_hospital(RuntimeOrigin::signed(REGULATOR), id));
	id
}

/// Onboards `account` as a doctor of `hospital` (by `admin`) and confirms the licence.
pub fn licensed_doctor(admin: u64, hospital: HospitalId, account: u64, reg: &str) -> DoctorId {
	assert_ok!(Registry::onboard_doctor(
		RuntimeOrigin::signed(admin),
		hospital,
		account,
		doctor_details(reg)
	));
	let id = DoctorByAccount::<Test>::get(account).expect("onboarded");
	if Doctors::<Test>::get(id).map(|d| d.licence) != Some(LicenceStatus::Confirmed) {
		assert_ok!(Registry::confirm_doctor_licence(RuntimeOrigin::signed(REGULATOR), id));
	}
	id
}

/// The commitment and key a test patient registers with.
pub const COMMITMENT: [u8; 32] = [7; 32];
/// A test patient's public encryption key.
pub const PATIENT_KEY: [u8; 32] = [9; 32];

/// One account in every role.
pub struct World {
	/// Hospital 0 (verified).
	pub hospital: HospitalId,
	/// Another verified hospital.
	pub other_hospital: HospitalId,
	/// The doctor of hospital 0.
	pub doctor: DoctorId,
	/// The lab of hospital 0.
	pub lab: LabId,
	/// The patient registered at hospital 0.
	pub patient: PatientId,
}

/// Admin of hospital 0.
pub const ADMIN: u64 = 10;
/// Desk of hospital 0.
pub const DESK: u64 = 11;
/// Admin of the other hospital.
pub const OTHER_ADMIN: u64 = 12;
/// Desk of the other hospital.
pub const OTHER_DESK: u64 = 13;
/// Doctor of hospital 0.
pub const DOCTOR: u64 = 20;
/// Lab of hospital 0.
pub const LAB: u64 = 30;
/// Patient registered at hospital 0.
pub const PATIENT: u64 = 40;

/// Every signed account of the world, with a label for failure messages.
pub const EVERYONE: [(u64, &str); 9] = [
	(REGULATOR, "regulator"),
	(OPERATOR, "operator"),
	(OUTSIDER, "outsider"),
	(ADMIN, "admin"),
	(DESK, "desk"),
	(OTHER_ADMIN, "other hospital's admin"),
	(OTHER_DESK, "other hospital's desk"),
	(DOCTOR, "doctor"),
	(LAB, "lab"),
];

impl World {
	/// Builds the world.
	pub fn new() -> Self {
		let hospital = verified_hospital(ADMIN, "GOV-0");
		let other_hospital = verified_hospital(OTHER_ADMIN, "GOV-1");
		assert_ok!(Registry::add_member(
			RuntimeOrigin::signed(ADMIN),
			hospital,
			DESK,
			HospitalRole::Desk
		));
		assert_ok!(Registry::add_member(
			RuntimeOrigin::signed(OTHER_ADMIN),
			other_hospital,
			OTHER_DESK,
			HospitalRole::Desk
		));
		let doctor = licensed_doctor(ADMIN, hospital, DOCTOR, "UPRN-20");
		assert_ok!(Registry::onboard_lab(
			RuntimeOrigin::signed(ADMIN),
			hospital,
			LAB,
			lab_details("LAB-30")
		));
		let lab = LabByAccount::<Test>::get(LAB).expect("onboarded");
		assert_ok!(Registry::register_patient(
			RuntimeOrigin::signed(DESK),
			hospital,
			PATIENT,
			COMMITMENT,
			PATIENT_KEY
		));
		let patient = PatientByAccount::<Test>::get(PATIENT).expect("registered");
		System::reset_events();
		World { hospital, other_hospital, doctor, lab, patient }
	}

	/// Every signed role except the ones in `allowed`, plus the patient.
	pub fn all_but(allowed: &[u64]) -> Vec<(u64, &'static str)> {
		EVERYONE
			.iter()
			.copied()
			.chain(core::iter::once((PATIENT, "patient")))
			.filter(|(who, _)| !allowed.contains(who))
			.collect()
	}
}

/// Asserts that every role except `allowed` fails `call` with `expected` and changes nothing.
pub fn assert_wrong_roles_fail(
	allowed: &[u64],
	expected: impl Into<sp_runtime::DispatchError>,
	call: impl Fn(RuntimeOrigin) -> sp_runtime::DispatchResult,
) {
	let expected = expected.into();
	for (who, role) in World::all_but(allowed) {
		let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
		assert_eq!(call(RuntimeOrigin::signed(who)), Err(expected), "as {role} ({who})");
		assert_eq!(
			sp_io::storage::root(sp_runtime::StateVersion::V1),
			before,
			"a failed call as {role} changed storage"
		);
	}
}

/// The last event the registry deposited.
pub fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::Registry(e) => Some(e),
			_ => None,
		})
		.expect("an event was deposited")
}
