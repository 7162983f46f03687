//! End-to-end: a visit on a real `pmr-node --dev`, driven over JSON-RPC the way an integrator
//! would: a hospital is registered and verified, onboards a doctor and registers a patient;
//! the doctor writes a record (a soulbound NFT owned by the patient); the patient grants the
//! doctor time-limited access for a second opinion; the doctor opens the records (logged in
//! the patient's audit trail); a guardian (no other role) revokes the grant. The runtime APIs
//! (`RecordsApi`, `ConsentApi`) show each step.

mod common;

use common::{chain, test_dev, Node};
use pallet_consent::{AuditEntry, AuditEvent, Expiry, GrantInfo, Scope};
use pallet_medical_records::{RecordFilter, RecordInfo};
use pallet_registry::{DoctorDetails, HospitalDetails};
use pmr_primitives::{
	AccessDenied, AccessGround, AccessTarget, Accessor, DoctorId, GrantId, HospitalId, PatientId,
	Page, PmrId, PmrItemId, Purpose, RecordCategory, VisitDate,
};
use pmr_runtime::{Runtime, RuntimeCall};
use sp_keyring::Sr25519Keyring::{AliceStash, Bob, Charlie, Dave, Eve};
use sp_runtime::BoundedVec;
use std::time::Duration;

/// The patient's active grants (one page holds them: the test makes one or two).
fn active_grants(node: &Node, patient: PatientId) -> Vec<(GrantId, GrantInfo<Runtime>)> {
	let page: Page<(GrantId, GrantInfo<Runtime>), GrantId> =
		chain::runtime_api(node, "ConsentApi_active_grants", (patient, None::<GrantId>, 10u32));
	assert_eq!(page.next, None);
	page.items
}

fn text<S: sp_runtime::traits::Get<u32>>(s: &str) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

#[test]
fn a_doctor_records_the_patient_grants_the_doctor_opens_a_guardian_revokes() {
	let node = Node::start("consent", &test_dev(&["--tmp"]));
	node.wait_for("block #1", Duration::from_secs(240), |n| n.best_number().filter(|b| *b >= 1));

	// The registry: Charlie's hospital (verified by Bob, the dev regulator), Dave its doctor,
	// Eve its patient.
	let hospital = HospitalId(0);
	chain::submit(
		&node,
		Charlie,
		RuntimeCall::Registry(pallet_registry::Call::apply_for_registration {
			details: HospitalDetails::<Runtime> {
				registration_id: text("GOV-0001"),
				name: text("City Hospital"),
				location: text("Coimbatore"),
				specializations: BoundedVec::truncate_from(vec![text("cardiology")]),
				contact: text("+91 422 000 0000"),
			},
		}),
	);
	chain::submit(&node, Bob, RuntimeCall::Registry(pallet_registry::Call::verify_hospital { hospital }));
	chain::submit(
		&node,
		Charlie,
		RuntimeCall::Registry(pallet_registry::Call::onboard_doctor {
			hospital,
			doctor: Dave.to_account_id(),
			details: DoctorDetails::<Runtime> {
				registration_number: text("MCI-42"),
				name: text("Dr. Dave"),
				specialization: text("cardiology"),
				contact: text("dave@hospital"),
			},
		}),
	);
	let doctor = DoctorId(0);
	chain::submit(&node, Bob, RuntimeCall::Registry(pallet_registry::Call::confirm_doctor_licence { doctor }));
	chain::submit(
		&node,
		Charlie,
		RuntimeCall::Registry(pallet_registry::Call::register_patient {
			hospital,
			patient: Eve.to_account_id(),
			commitment: [1; 32],
			encryption_key: [2; 32],
		}),
	);
	let patient = PatientId(0);

	// Dave writes today's record of Eve's visit; it is minted to Eve under its PMR-ID.
	let today = {
		let millis = std::time::SystemTime::now()
			.duration_since(std::time::UNIX_EPOCH)
			.expect("clock after 1970")
			.as_millis() as u64;
		// The chain's clock lags the wall clock by up to a block: use yesterday's date, which
		// is in the past for both.
		VisitDate::from_unix_millis(millis - 86_400_000).expect("a date")
	};
	chain::submit(
		&node,
		Dave,
		RuntimeCall::MedicalRecords(pallet_medical_records::Call::create_record {
			patient,
			hospital,
			visit_date: today,
			category: RecordCategory::PresentIllness,
			content: pallet_medical_records::EncryptedContent {
				cid: pmr_primitives::cid::from_digest(pmr_primitives::cid::CidCodec::Raw, [2; 32]),
				plaintext_hash: [3; 32],
				ciphertext_hash: [4; 32],
				manifest: None,
			},
			course_end: None,
			prepared_for: None,
		}),
	);
	let records: Page<(PmrItemId, RecordInfo<Runtime>), PmrItemId> = chain::runtime_api(
		&node,
		"RecordsApi_patient_records",
		(patient, RecordFilter::default(), None::<PmrItemId>, 10u32),
	);
	assert_eq!(records.next, None, "one page holds them all");
	let records = records.items;
	assert_eq!(records.len(), 1, "the record is listed");
	let item = records[0].0;
	assert_eq!(item, PmrId::new(patient, today, 0).expect("PMR-ID").item_id());
	let owner: Option<sp_runtime::AccountId32> =
		chain::runtime_api(&node, "NftsApi_owner", (0u32, item));
	assert_eq!(owner, Some(Eve.to_account_id()), "the patient owns the record's NFT");

	// Eve grants Dave a second opinion for 100 blocks.
	chain::submit(
		&node,
		Eve,
		RuntimeCall::Consent(pallet_consent::Call::grant_access {
			patient,
			accessor: Accessor::Doctor(doctor),
			scope: Scope::AllRecords,
			purpose: Purpose::SecondOpinion,
			expiry: Expiry::After(100),
		}),
	);
	let grants: Vec<(GrantId, GrantInfo<Runtime>)> = active_grants(&node, patient);
	assert_eq!(grants.len(), 1, "the grant is active");
	assert_eq!(grants[0].1.accessor, Accessor::Doctor(doctor));
	let my_patients: Page<(PatientId, GrantId, u32), GrantId> =
		chain::runtime_api(&node, "ConsentApi_consenting_patients", (Dave.to_account_id(), None::<GrantId>, 10u32));
	let my_patients = my_patients.items;
	assert_eq!(my_patients.iter().map(|p| p.0).collect::<Vec<_>>(), vec![patient]);
	// The dry run agrees: the grant covers a second opinion, not research.
	let research: Result<AccessGround, AccessDenied> = chain::runtime_api(
		&node,
		"ConsentApi_can_access",
		(Dave.to_account_id(), patient, AccessTarget::AllRecords, Purpose::Research),
	);
	assert_eq!(research, Err(AccessDenied::PurposeMismatch));

	// Dave opens the records; the release is in Eve's audit trail under the grant.
	chain::submit(
		&node,
		Dave,
		RuntimeCall::Consent(pallet_consent::Call::record_access {
			patient,
			target: AccessTarget::AllRecords,
			purpose: Purpose::SecondOpinion,
		}),
	);
	let trail: Vec<AuditEntry<Runtime>> =
		chain::runtime_api(&node, "ConsentApi_audit_log", (patient, 0u32, 10u32));
	assert_eq!(trail.len(), 2, "grant and access are logged");
	assert_eq!(
		trail[0].event,
		AuditEvent::Accessed {
			accessor: Accessor::Doctor(doctor),
			target: AccessTarget::AllRecords,
			purpose: Purpose::SecondOpinion,
			ground: AccessGround::Grant(grants[0].0),
		}
	);
	assert_eq!(trail[0].actor, Some(Dave.to_account_id()));

	// Eve appoints a guardian, who has no other role: the permissioned chain admits the
	// guardian, and the guardian's revocation ends Dave's access at once.
	chain::submit(
		&node,
		Eve,
		RuntimeCall::Consent(pallet_consent::Call::appoint_guardian {
			patient,
			guardian: AliceStash.to_account_id(),
			legal_basis: None,
		}),
	);
	chain::submit(
		&node,
		AliceStash,
		RuntimeCall::Consent(pallet_consent::Call::revoke_grant { grant: grants[0].0 }),
	);
	let grants = active_grants(&node, patient);
	assert!(grants.is_empty(), "the guardian revoked the grant");
	let second_opinion: Result<AccessGround, AccessDenied> = chain::runtime_api(
		&node,
		"ConsentApi_can_access",
		(Dave.to_account_id(), patient, AccessTarget::AllRecords, Purpose::SecondOpinion),
	);
	assert_eq!(second_opinion, Err(AccessDenied::Revoked));
	let trail: Vec<AuditEntry<Runtime>> =
		chain::runtime_api(&node, "ConsentApi_audit_log", (patient, 0u32, 1u32));
	assert_eq!(trail[0].actor, Some(AliceStash.to_account_id()), "the guardian is named");
}
