//! The unauthorized-origin matrix: every call of every PMR pallet × every role that must not
//! make it, generated rather than written by hand.
//!
//! The calls are generated from the pallets' call indices (each call decoded from its index
//! followed by zero bytes: every ID 0, every list empty, every option `None` — and ID 0 is a
//! real hospital, doctor and patient of the test chain, so the calls aim at somebody). Each is
//! then tried
//! 1. in the pool (`CheckPermissioned`), by every role, against the permission table of
//!    `docs/architecture.md`, restated here independently of the runtime's `RoleCalls`;
//! 2. in a block, by every role that has no business with hospital 0, its doctor or its
//!    patient: each must fail with a typed error (a pallet error or `BadOrigin`) — except the
//!    few calls any account of that role may make about anyone, listed in [`MAY_SUCCEED`].

use crate::*;
use codec::Decode;
use frame_support::{
	assert_ok,
	traits::{GetCallIndex, GetCallName, PalletInfoAccess},
	BoundedVec,
};
use pmr_primitives::{DoctorId, HospitalId, PatientId};
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::{traits::Dispatchable, DispatchError};

/// A role of the matrix.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Role {
	Outsider,
	/// An active doctor of another hospital.
	OtherDoctor,
	/// An active lab of another hospital.
	OtherLab,
	/// The admin of another (verified) hospital.
	OtherAdmin,
	/// A patient of another hospital.
	OtherPatient,
	/// The guardian of another patient (no other role).
	OtherGuardian,
	/// The admin of a suspended hospital.
	SuspendedAdmin,
	/// A doctor of hospital 0 whose licence was revoked.
	RevokedDoctor,
}

const ROLES: [(Role, Sr25519Keyring); 8] = [
	(Role::Outsider, Ferdie),
	(Role::OtherDoctor, BobStash),
	(Role::OtherLab, CharlieStash),
	(Role::OtherAdmin, AliceStash),
	(Role::OtherPatient, DaveStash),
	(Role::OtherGuardian, EveStash),
	(Role::SuspendedAdmin, FerdieStash),
	(Role::RevokedDoctor, One),
];

/// `(pallet, call)`s that may succeed for a role even though it has nothing to do with
/// hospital 0, its doctor and its patient, and why.
const MAY_SUCCEED: &[(&str, &str, &[Role], &str)] = &[
	(
		"Registry",
		"rotate_account",
		&[Role::OtherDoctor, Role::OtherLab, Role::OtherAdmin, Role::OtherPatient, Role::SuspendedAdmin, Role::RevokedDoctor],
		"every participant may move its own roles to a fresh account",
	),
	(
		"Registry",
		"set_encryption_key",
		&[Role::OtherDoctor, Role::OtherLab, Role::RevokedDoctor],
		"doctors and labs register their own key",
	),
	("Registry", "set_doctor_contact", &[Role::OtherDoctor, Role::RevokedDoctor], "a doctor's own contact"),
	("Registry", "update_patient", &[Role::OtherPatient], "a patient's own commitment and key"),
	("Consent", "request_access", &[Role::OtherDoctor, Role::OtherLab], "anyone treating may ask a patient"),
	("Consent", "declare_emergency", &[Role::OtherDoctor], "break-glass is open to every active doctor"),
];

fn may_succeed(pallet: &str, call: &str, role: Role) -> bool {
	// Zero bytes are empty details: an application needs a registration ID and a name, so it
	// fails here, though anyone may apply.
	MAY_SUCCEED.iter().any(|(p, c, roles, _)| *p == pallet && *c == call && roles.contains(&role))
}

/// Every call of the PMR pallets, with its pallet and call names.
fn every_call() -> Vec<(&'static str, &'static str, RuntimeCall)> {
	fn of<P: PalletInfoAccess, C: GetCallIndex + GetCallName>() -> Vec<(&'static str, &'static str, RuntimeCall)> {
		let pallet = P::index() as u8;
		C::get_call_indices()
			.iter()
			.zip(C::get_call_names())
			.map(|(index, name)| {
				// Filler: the first repeating pattern of 0s and 1s (up to 8 long) the arguments
				// decode from (dates must exist, CIDs fit their 36 bytes, options are 0 or 1).
				let call = (1..=8u32)
					.flat_map(|len| (0..1u32 << len).map(move |bits| (0..len).map(|i| (bits >> i & 1) as u8).collect::<Vec<u8>>()))
					.find_map(|pattern| {
						let mut bytes = vec![pallet, *index];
						bytes.extend(pattern.iter().cycle().take(1024));
						RuntimeCall::decode(&mut &bytes[..]).ok()
					})
					.unwrap_or_else(|| panic!("{}::{name} decodes from filler bytes", P::name()));
				(P::name(), *name, call)
			})
			.collect()
	}
	[
		of::<Registry, pallet_registry::Call<Runtime>>(),
		of::<Consent, pallet_consent::Call<Runtime>>(),
		of::<KeyRelease, pallet_key_release::Call<Runtime>>(),
		of::<MedicalRecords, pallet_medical_records::Call<Runtime>>(),
		of::<LabReports, pallet_lab_reports::Call<Runtime>>(),
		of::<NodeAllowlist, pallet_node_allowlist::Call<Runtime>>(),
	]
	.concat()
}

fn text<S: frame_support::traits::Get<u32>>(s: &str) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

fn signed(k: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(k.to_account_id())
}

fn hospital(admin: Sr25519Keyring, id: &str) -> HospitalId {
	let hospital = pallet_registry::NextHospitalId::<Runtime>::get();
	assert_ok!(Registry::apply_for_registration(
		signed(admin),
		pallet_registry::HospitalDetails {
			registration_id: text(id),
			name: text(id),
			location: text("Coimbatore"),
			specializations: BoundedVec::truncate_from(vec![text("cardiology")]),
			contact: text("desk"),
		}
	));
	assert_ok!(Registry::verify_hospital(signed(Bob), hospital));
	hospital
}

fn doctor(admin: Sr25519Keyring, hospital: HospitalId, who: Sr25519Keyring, number: &str) -> DoctorId {
	assert_ok!(Registry::onboard_doctor(
		signed(admin),
		hospital,
		who.to_account_id(),
		pallet_registry::DoctorDetails {
			registration_number: text(number),
			name: text(number),
			specialization: text("cardiology"),
			contact: text("ward"),
		}
	));
	let id = pallet_registry::DoctorByAccount::<Runtime>::get(who.to_account_id()).expect("onboarded");
	assert_ok!(Registry::confirm_doctor_licence(signed(Bob), id));
	id
}

/// Hospital 0 (Charlie admin, Dave doctor 0, Eve patient 0, with a record), and one account
/// in every role of [`ROLES`].
fn world() -> sp_io::TestExternalities {
	let mut ext = crate::tests::chain_funding(&[
		Alice, Charlie, Dave, Eve, Ferdie, AliceStash, BobStash, CharlieStash, DaveStash, EveStash, FerdieStash, One,
	]);
	ext.execute_with(|| {
		let home = hospital(Charlie, "GOV-0");
		doctor(Charlie, home, Dave, "MCI-0");
		assert_ok!(Registry::register_patient(signed(Charlie), home, Eve.to_account_id(), [1; 32], [2; 32]));
		let revoked = doctor(Charlie, home, One, "MCI-9");
		assert_ok!(Registry::revoke_doctor_licence(signed(Bob), revoked));

		let other = hospital(AliceStash, "GOV-1");
		doctor(AliceStash, other, BobStash, "MCI-1");
		assert_ok!(Registry::onboard_lab(
			signed(AliceStash),
			other,
			CharlieStash.to_account_id(),
			pallet_registry::LabDetails {
				registration_number: text("LAB-1"),
				name: text("Lab"),
				specialization: text("radiology"),
			}
		));
		assert_ok!(Registry::register_patient(signed(AliceStash), other, DaveStash.to_account_id(), [3; 32], [4; 32]));
		assert_ok!(Consent::appoint_guardian(signed(DaveStash), PatientId(1), EveStash.to_account_id(), None));

		let suspended = hospital(FerdieStash, "GOV-2");
		assert_ok!(Registry::suspend_hospital(signed(Bob), suspended));
	});
	ext
}

/// The permission table (`docs/architecture.md`), for the PMR pallets' calls.
fn admitted(role: Role, pallet: &str, call: &str) -> bool {
	// Anyone may apply for a hospital's registration (it holds a deposit until verified).
	if pallet == "Registry" && call == "apply_for_registration" {
		return true;
	}
	// The node allowlist is the regulator's alone: no participant's transaction carries it.
	if pallet == "NodeAllowlist" {
		return false;
	}
	match role {
		Role::Outsider => false,
		Role::OtherDoctor | Role::OtherLab | Role::OtherAdmin | Role::OtherPatient | Role::SuspendedAdmin => true,
		Role::RevokedDoctor => pallet == "Registry",
		Role::OtherGuardian =>
			pallet == "Consent" ||
				(pallet == "KeyRelease" && matches!(call, "release_essential_share" | "request_own_key")),
	}
}

/// Whether the last call's only outcome was a refusal written to the patient's audit trail.
fn refusal_logged() -> bool {
	let events: Vec<_> = System::events().into_iter().map(|r| r.event).collect();
	!events.is_empty() &&
		events.iter().all(|e| {
			matches!(
				e,
				RuntimeEvent::Consent(pallet_consent::Event::AccessRefused { .. }) |
					RuntimeEvent::KeyRelease(pallet_key_release::Event::KeyRequestRefused { .. }) |
					RuntimeEvent::Consent(pallet_consent::Event::Audited {
						entry: pallet_consent::AuditEntry {
							event: pallet_consent::AuditEvent::Refused { .. } |
								pallet_consent::AuditEvent::Key(pmr_primitives::KeyAuditEvent::KeyRefused { .. }),
							..
						},
						..
					})
			)
		})
}

#[test]
fn the_pool_admits_each_role_to_the_calls_of_its_role_only() {
	world().execute_with(|| {
		let calls = every_call();
		assert!(calls.len() > 60, "every PMR call is generated ({})", calls.len());
		for (role, key) in ROLES {
			for (pallet, name, call) in &calls {
				assert_eq!(
					pallet_registry::CheckPermissioned::<Runtime>::is_allowed(&key.to_account_id(), call),
					admitted(role, pallet, name),
					"{role:?} and {pallet}::{name} in the pool"
				);
			}
		}
	});
}

#[test]
fn no_role_acts_on_a_hospital_doctor_or_patient_it_has_nothing_to_do_with() {
	let mut ext = world();
	ext.execute_with(|| {
		let mut tried = 0;
		for (role, key) in ROLES {
			for (pallet, name, call) in every_call() {
				if may_succeed(pallet, name, role) {
					continue;
				}
				System::reset_events();
				let result = frame_support::storage::with_storage_layer(|| {
					call.clone().dispatch(signed(key)).map(|_| ()).map_err(|e| e.error)
				});
				match result {
					Err(DispatchError::Module(_) | DispatchError::BadOrigin) => tried += 1,
					// A refused access succeeds as a call, so that the refusal stays in the
					// patient's audit trail.
					Ok(()) if refusal_logged() => tried += 1,
					other => panic!("{role:?} made {pallet}::{name}: {other:?}"),
				}
			}
		}
		assert!(tried > 400, "{tried} role × call cases");
	});
}
