//! Runtime-level guarantees that no single pallet can show alone.

use crate::*;
use frame_support::{
	assert_noop, assert_ok, dispatch::GetDispatchInfo, traits::tokens::nonfungibles_v2::Inspect, BoundedVec,
};
use pallet_nfts::{Call as NftsCall, MintWitness};
use pmr_primitives::{DoctorId, HospitalId, PatientId, PmrId, PmrItemId, RecordCategory, VisitDate};
use sp_keyring::Sr25519Keyring::{Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::{traits::Dispatchable, BuildStorage, DispatchError};

fn text<S: frame_support::traits::Get<u32>>(s: &str) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

/// A chain with Bob as the one regulator and `funded` holding 1 000 UNIT each, at block 1 on
/// 26 Jan 2021, noon UTC.
pub(crate) fn chain_funding(funded: &[sp_keyring::Sr25519Keyring]) -> sp_io::TestExternalities {
	let storage = RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: funded.iter().map(|k| (k.to_account_id(), 1_000 * UNIT)).collect(),
			..Default::default()
		},
		regulator_body: RegulatorBodyConfig {
			members: BoundedVec::truncate_from(vec![Bob.to_account_id()]),
			..Default::default()
		},
		..Default::default()
	}
	.build_storage()
	.expect("genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Runtime>::put(1_611_662_400_000);
	});
	ext
}

/// A chain with Bob as regulator, Charlie's verified hospital, Dave its doctor, Eve its
/// patient, and one record of Eve's written by Dave; returns the record's item ID.
fn chain_with_a_record() -> (sp_io::TestExternalities, PmrItemId) {
	let mut ext = chain_funding(&[Charlie, Dave, Eve, Ferdie]);
	let mut item = 0;
	ext.execute_with(|| {
		let signed = |k: sp_keyring::Sr25519Keyring| RuntimeOrigin::signed(k.to_account_id());
		assert_ok!(Registry::apply_for_registration(
			signed(Charlie),
			pallet_registry::HospitalDetails {
				registration_id: text("GOV-1"),
				name: text("City Hospital"),
				location: text("Coimbatore"),
				specializations: BoundedVec::truncate_from(vec![text("cardiology")]),
				contact: text("+91"),
			}
		));
		assert_ok!(Registry::verify_hospital(signed(Bob), HospitalId(0)));
		assert_ok!(Registry::onboard_doctor(
			signed(Charlie),
			HospitalId(0),
			Dave.to_account_id(),
			pallet_registry::DoctorDetails {
				registration_number: text("MCI-1"),
				name: text("Dr. Dave"),
				specialization: text("cardiology"),
				contact: text("dave@"),
			}
		));
		assert_ok!(Registry::confirm_doctor_licence(signed(Bob), DoctorId(0)));
		assert_ok!(Registry::register_patient(
			signed(Charlie),
			HospitalId(0),
			Eve.to_account_id(),
			[1; 32],
			[2; 32]
		));
		let visit = VisitDate::new(26, 1, 2021).expect("a date");
		let created = MedicalRecords::create_record(
			signed(Dave),
			PatientId(0),
			HospitalId(0),
			visit,
			RecordCategory::PresentIllness,
			pallet_medical_records::EncryptedContent {
				cid: test_cid(b"bafy-record"),
				plaintext_hash: [3; 32],
				ciphertext_hash: [4; 32],
				manifest: None,
			},
			None,
			None,
		)
		.expect("created");
		// Dave treats Eve on his hospital's standing access: the consent pallet's worst-case
		// check, charged up front, is refunded.
		type RecordWeights = <Runtime as pallet_medical_records::Config>::WeightInfo;
		assert_eq!(
			created.actual_weight,
			Some(<RecordWeights as pallet_medical_records::WeightInfo>::create_record())
		);
		item = PmrId::new(PatientId(0), visit, 0).expect("PMR-ID").item_id();
	});
	(ext, item)
}


/// A valid CID named by `name` (its blake2-256 as the digest), distinct per name.
fn test_cid(name: &[u8]) -> pmr_primitives::Cid {
	pmr_primitives::cid::from_digest(pmr_primitives::cid::CidCodec::Raw, sp_io::hashing::blake2_256(name))
}
#[test]
fn no_signed_call_can_transfer_burn_or_reattribute_a_record() {
	let (mut ext, item) = chain_with_a_record();
	ext.execute_with(|| {
		let collection =
			pallet_medical_records::RecordsCollection::<Runtime>::get().expect("collection");
		let eve = Eve.to_account_id();
		let ferdie = Ferdie.to_account_id();
		let owner = configs::records::RecordsCollectionOwner::get();
		assert_eq!(<Nfts as Inspect<AccountId>>::owner(&collection, &item), Some(eve.clone()));

		let calls: Vec<NftsCall<Runtime>> = vec![
			NftsCall::transfer { collection, item, dest: ferdie.clone().into() },
			NftsCall::burn { collection, item },
			NftsCall::redeposit { collection, items: vec![item] },
			NftsCall::unlock_item_transfer { collection, item },
			NftsCall::lock_item_transfer { collection, item },
			NftsCall::transfer_ownership { collection, new_owner: ferdie.clone().into() },
			NftsCall::set_team {
				collection,
				issuer: Some(ferdie.clone().into()),
				admin: Some(ferdie.clone().into()),
				freezer: Some(ferdie.clone().into()),
			},
			NftsCall::set_accept_ownership { maybe_collection: Some(collection) },
			NftsCall::mint {
				collection,
				item: item + 1,
				mint_to: ferdie.clone().into(),
				witness_data: None::<MintWitness<PmrItemId, Balance>>,
			},
			NftsCall::set_metadata { collection, item, data: BoundedVec::new() },
			NftsCall::clear_metadata { collection, item },
			NftsCall::destroy {
				collection,
				witness: pallet_nfts::DestroyWitness {
					item_metadatas: 0,
					item_configs: 1,
					attributes: 0,
				},
			},
		];
		// The owner (patient), the doctor, the hospital, an outsider and even the collection
		// owner's account (which nobody can sign for) are all refused.
		// They are refused in the transaction pool already (no fee for a call that can only
		// fail), and filtered at dispatch.
		let permissioned = pallet_registry::CheckPermissioned::<Runtime>::new();
		for who in [eve.clone(), Dave.to_account_id(), Charlie.to_account_id(), ferdie, owner] {
			for call in &calls {
				let call = RuntimeCall::Nfts(call.clone());
				let validity = sp_runtime::traits::DispatchTransaction::validate_only(
					&permissioned,
					RuntimeOrigin::signed(who.clone()),
					&call,
					&call.get_dispatch_info(),
					0,
					sp_runtime::transaction_validity::TransactionSource::External,
					0,
				)
				.map(|_| ());
				assert_eq!(
					validity,
					Err(sp_runtime::transaction_validity::InvalidTransaction::Call.into()),
					"{call:?} by {who:?} must be refused by the pool"
				);
				let outcome = call.clone().dispatch(RuntimeOrigin::signed(who.clone()));
				assert_eq!(
					outcome.map_err(|e| e.error),
					Err(DispatchError::from(frame_system::Error::<Runtime>::CallFiltered)),
					"{call:?} by {who:?} must be filtered"
				);
			}
		}
		assert_eq!(<Nfts as Inspect<AccountId>>::owner(&collection, &item), Some(eve));
		// And the item is locked even for root-less paths inside pallet-nfts.
		assert!(!<Nfts as Inspect<AccountId>>::can_transfer(&collection, &item));
		assert_noop!(
			Nfts::transfer(
				RuntimeOrigin::root(),
				collection,
				item,
				Ferdie.to_account_id().into()
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn an_appointment_carries_a_consent_request_the_patient_answers() {
	let (mut ext, _) = chain_with_a_record();
	ext.execute_with(|| {
		let signed = |k: sp_keyring::Sr25519Keyring| RuntimeOrigin::signed(k.to_account_id());
		assert_ok!(MedicalRecords::book_appointment(
			signed(Charlie),
			PatientId(0),
			HospitalId(0),
			Dave.to_account_id(),
			[7; 32],
			Some((pmr_primitives::AccessTarget::AllRecords, 7 * DAYS))
		));
		let appointment = MedicalRecords::patient_appointments(PatientId(0), None, 10).items;
		let request = appointment[0].1.consent_request.expect("filed with the appointment");
		assert_eq!(Consent::pending_requests(PatientId(0))[0].0, request);
		assert_ok!(Consent::approve_request(signed(Eve), request, None, None, Default::default()));
		assert_eq!(Consent::consenting_patients(&Dave.to_account_id(), None, 10).items.len(), 1);
	});
}

#[test]
fn an_erased_record_is_never_released_again() {
	use pmr_primitives::{AccessDenied, AccessPolicy, AccessTarget, Purpose};
	let (mut ext, item) = chain_with_a_record();
	ext.execute_with(|| {
		let target = AccessTarget::Record { item, category: RecordCategory::PresentIllness };
		let check = || {
			<Consent as AccessPolicy<AccountId>>::can_access(
				&Dave.to_account_id(),
				PatientId(0),
				target,
				Purpose::Treatment,
			)
		};
		assert!(check().is_ok(), "the patient's own hospital treats");
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(Eve.to_account_id()), item));
		assert_eq!(check(), Err(AccessDenied::NoSuchRecord));
	});
}

#[test]
fn erasing_a_record_erases_the_lab_reports_ordered_under_it() {
	use pmr_primitives::{LabId, LabOrderId, LabReportId, SealedContentInspect, SealedTarget};
	let (mut ext, item) = chain_with_a_record();
	ext.execute_with(|| {
		let signed = |k: sp_keyring::Sr25519Keyring| RuntimeOrigin::signed(k.to_account_id());
		assert_ok!(Registry::onboard_lab(
			signed(Charlie),
			HospitalId(0),
			Ferdie.to_account_id(),
			pallet_registry::LabDetails {
				registration_number: text("NABL-1"),
				name: text("Radiology"),
				specialization: text("radiology"),
			}
		));
		assert_ok!(LabReports::order_lab_work(
			signed(Dave),
			PatientId(0),
			LabId(0),
			pallet_lab_reports::Modality::Ct,
			Some(item),
			[5; 32]
		));
		let study = pallet_lab_reports::EncryptedContent {
			cid: test_cid(b"bafy-study"),
			plaintext_hash: [6; 32],
			ciphertext_hash: [7; 32],
			manifest: None,
		};
		assert_ok!(LabReports::anchor_lab_report(
			signed(Ferdie),
			LabOrderId(0),
			VisitDate::new(26, 1, 2021).expect("a date"),
			study,
			None
		));
		let sealed = || {
			configs::key_release::SealedContentRouter::sealed(SealedTarget::LabStudy(LabReportId(0)))
				.expect("the report exists")
		};
		assert!(sealed().content.is_some());

		let call = RuntimeCall::MedicalRecords(pallet_medical_records::Call::erase_record { item });
		let charged = call.get_dispatch_info().call_weight;
		let used = call.dispatch(signed(Eve)).expect("the patient erases").actual_weight.expect("refunds");
		assert!(used.all_lte(charged), "the cascade stays within what erase_record charges");

		assert_eq!(sealed().content, None, "no key share of the report is released again");
		let report = pallet_lab_reports::LabReports::<Runtime>::get(LabReportId(0)).expect("kept");
		assert_eq!(report.erased.map(|(_, by)| by), Some(pmr_primitives::ErasedBy::Patient));
		assert!(System::events().iter().any(|e| matches!(
			&e.event,
			RuntimeEvent::LabReports(pallet_lab_reports::Event::LabReportErased { unpin, .. })
				if unpin.len() == 1 && unpin[0] == test_cid(b"bafy-study")
		)));
	});
}

#[test]
fn participants_transact_for_the_calls_of_their_role_only() {
	let (mut ext, item) = chain_with_a_record();
	ext.execute_with(|| {
		let allowed = |who: sp_keyring::Sr25519Keyring, call: &RuntimeCall| {
			pallet_registry::CheckPermissioned::<Runtime>::is_allowed(&who.to_account_id(), call)
		};
		let transfer = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: Bob.to_account_id().into(),
			value: UNIT,
		});
		let remark = RuntimeCall::System(frame_system::Call::remark { remark: b"HIV+".to_vec() });
		let erase = RuntimeCall::MedicalRecords(pallet_medical_records::Call::erase_record { item });
		let access = RuntimeCall::Consent(pallet_consent::Call::record_access {
			patient: PatientId(0),
			target: pmr_primitives::AccessTarget::AllRecords,
			purpose: pmr_primitives::Purpose::Treatment,
		});
		// Eve is a patient, Dave a doctor, Charlie the hospital's admin.
		assert!(allowed(Eve, &erase) && allowed(Dave, &access) && allowed(Charlie, &access));
		for who in [Eve, Dave] {
			assert!(!allowed(who, &transfer), "{who:?} may not move funds");
			assert!(!allowed(who, &remark), "{who:?} may not write free text to the ledger");
		}
		assert!(allowed(Charlie, &transfer), "an admin funds the hospital's fee accounts");
		assert!(!allowed(Charlie, &remark));
		// A custodian node's account answers key requests, and nothing else…
		assert_ok!(Registry::add_member(
			RuntimeOrigin::signed(Charlie.to_account_id()),
			HospitalId(0),
			Ferdie.to_account_id(),
			pallet_registry::HospitalRole::KeyCustodian
		));
		let answer = RuntimeCall::KeyRelease(pallet_key_release::Call::refuse_share {
			request: pmr_primitives::KeyRequestId(0),
			reason: pmr_primitives::ShareRefusal::ManifestUnavailable,
		});
		assert!(allowed(Ferdie, &answer));
		// …and records the answers its node gave off chain.
		let record = RuntimeCall::KeyRelease(pallet_key_release::Call::record_share_answers {
			answers: Default::default(),
		});
		assert!(allowed(Ferdie, &record));
		for call in [&access, &erase, &transfer] {
			assert!(!allowed(Ferdie, call));
		}
		// A doctor whose licence is revoked keeps the registry only.
		assert_ok!(Registry::revoke_doctor_licence(RuntimeOrigin::signed(Bob.to_account_id()), DoctorId(0)));
		assert!(!allowed(Dave, &access));
		let key = RuntimeCall::Registry(pallet_registry::Call::set_encryption_key { key: [8; 32] });
		assert!(allowed(Dave, &key));
	});
}

/// The pallets of the real runtime whose `try_state` fails now — FRAME's (system, balances,
/// Aura, session, nfts, …) and the PMR pallets' — each checked on its own so a failure names
/// its pallet. (`scripts/test.sh` runs the runtime's tests with `try-runtime`.)
#[cfg(feature = "try-runtime")]
fn pallets_failing_try_state() -> Vec<&'static str> {
	use frame_support::traits::{PalletsInfoAccess, TryState, TryStateSelect};
	AllPalletsWithSystem::infos()
		.into_iter()
		.filter(|info| {
			let only = TryStateSelect::Only(vec![info.name.as_bytes().to_vec()]);
			AllPalletsWithSystem::try_state(System::block_number(), only).is_err()
		})
		.map(|info| info.name)
		.collect()
}

/// Every pallet's `try_state` on the real runtime after a record and its erasure. (The
/// validator test below runs it at every block of its session changes.)
#[cfg(feature = "try-runtime")]
#[test]
fn every_pallet_of_the_real_runtime_passes_try_state() {
	use sp_consensus_aura::{sr25519::AuthorityId as AuraId, Slot};
	let (mut ext, item) = chain_with_a_record();
	ext.execute_with(|| {
		// This world has no genesis authorities; a chain always has some, and Aura checks that
		// its slot matches the clock.
		let aura: AuraId = sp_keyring::Sr25519Keyring::Alice.public().into();
		pallet_aura::Authorities::<Runtime>::put(BoundedVec::truncate_from(vec![aura]));
		let slot = pallet_timestamp::Now::<Runtime>::get() / Aura::slot_duration();
		pallet_aura::CurrentSlot::<Runtime>::put(Slot::from(slot));
		assert_eq!(pallets_failing_try_state(), Vec::<&str>::new(), "after the record flow");
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(Eve.to_account_id()), item));
		assert_eq!(pallets_failing_try_state(), Vec::<&str>::new(), "after the erasure");
	});
}

#[test]
fn guardians_transact_for_consent_only() {
	let (mut ext, _) = chain_with_a_record();
	ext.execute_with(|| {
		let guardian = Ferdie.to_account_id();
		let revoke = RuntimeCall::Consent(pallet_consent::Call::revoke_grant {
			grant: pmr_primitives::GrantId(0),
		});
		let transfer = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: Bob.to_account_id().into(),
			value: UNIT,
		});
		let allowed = |call| pallet_registry::CheckPermissioned::<Runtime>::is_allowed(&guardian, call);
		assert!(!allowed(&revoke), "not a participant yet");
		assert_ok!(Consent::appoint_guardian(
			RuntimeOrigin::signed(Eve.to_account_id()),
			PatientId(0),
			guardian.clone(),
			None
		));
		assert!(allowed(&revoke));
		assert!(!allowed(&transfer), "a guardian has no other role on the chain");
	});
}

/// Makes Alice, Bob and Ferdie the regulators (and so the council, which the regulator body
/// keeps in step).
fn council_of_three() {
	use sp_keyring::Sr25519Keyring::Alice;
	for k in [Alice, Ferdie] {
		assert_ok!(RegulatorBody::add_member(RuntimeOrigin::root(), k.to_account_id().into()));
	}
	let mut council = pallet_collective::Members::<Runtime, configs::registry::RegulatorCouncilInstance>::get();
	council.sort();
	let mut regulators: Vec<AccountId> = [Alice, Bob, Ferdie].iter().map(|k| k.to_account_id()).collect();
	regulators.sort();
	assert_eq!(council, regulators);
}

/// `call` as a council motion: Bob alone (executed by a council of one, and proposed with a
/// threshold of one) changes nothing that needs two thirds; then Bob proposes it with a
/// threshold of two, Bob and Alice vote for it and it is closed.
fn motion_of_one_then_two(call: RuntimeCall, unchanged: impl Fn()) {
	use sp_keyring::Sr25519Keyring::Alice;
	use sp_runtime::traits::Hash;
	let signed = |k: sp_keyring::Sr25519Keyring| RuntimeOrigin::signed(k.to_account_id());
	let len = codec::Encode::encoded_size(&call) as u32;
	let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
	assert_ok!(Council::execute(signed(Bob), Box::new(call.clone()), len));
	assert_ok!(Council::propose(signed(Bob), 1, Box::new(call.clone()), len));
	unchanged();
	assert_ok!(Council::propose(signed(Bob), 2, Box::new(call.clone()), len));
	assert_ok!(Council::vote(signed(Bob), hash, 0, true));
	assert_ok!(Council::vote(signed(Alice), hash, 0, true));
	let bound = call.get_dispatch_info().call_weight;
	assert_ok!(Council::close(signed(Alice), hash, 0, bound, len));
}

#[test]
fn only_two_thirds_of_the_regulator_council_appoint_a_guardian_without_the_patient() {
	use sp_keyring::Sr25519Keyring::AliceStash;
	let (mut ext, _) = chain_with_a_record();
	ext.execute_with(|| {
		council_of_three();
		let patient = PatientId(0);
		let guardian = AliceStash.to_account_id();
		let order = Some([9u8; 32]);
		let appoint = RuntimeCall::Consent(pallet_consent::Call::appoint_guardian {
			patient,
			guardian: guardian.clone(),
			legal_basis: order,
		});

		// One regulator alone, directly or by a council motion of one: refused.
		assert_noop!(
			Consent::appoint_guardian(RuntimeOrigin::signed(Bob.to_account_id()), patient, guardian.clone(), order),
			pallet_consent::Error::<Runtime>::NotPatientOrGuardian
		);
		// Two of three regulators: appointed, on the legal basis, and in the patient's trail.
		motion_of_one_then_two(appoint, || assert!(Consent::guardians_of(patient).is_empty()));
		assert_eq!(Consent::guardians_of(patient), vec![guardian.clone()]);
		let entry = &Consent::audit_page(patient, 0, 1)[0];
		assert_eq!(entry.actor, None);
		assert_eq!(
			entry.event,
			pallet_consent::AuditEvent::GuardianAppointed {
				guardian,
				by: pallet_consent::GuardianAuthority::Regulators,
				legal_basis: order,
			}
		);
	});
}

#[test]
fn only_two_thirds_of_the_regulator_council_order_an_erasure_and_the_patient_sees_it() {
	use pmr_primitives::{ErasedBy, ErasedContent};
	let (mut ext, item) = chain_with_a_record();
	ext.execute_with(|| {
		council_of_three();
		let patient = PatientId(0);
		let legal_basis = [9u8; 32].into();
		let erased = || pallet_medical_records::Records::<Runtime>::get(item).and_then(|r| r.erased);
		// One regulator alone, with a signed transaction: not the regulators' order.
		assert_noop!(
			MedicalRecords::order_record_erasure(RuntimeOrigin::signed(Bob.to_account_id()), item, legal_basis),
			DispatchError::BadOrigin
		);
		let order = RuntimeCall::MedicalRecords(pallet_medical_records::Call::order_record_erasure {
			item,
			legal_basis,
		});
		motion_of_one_then_two(order, || assert_eq!(erased(), None));
		let by = ErasedBy::Regulators { legal_basis };
		assert_eq!(erased().map(|(_, b)| b), Some(by));
		// The patient's trail names the order and its legal basis; no account acted.
		let entry = &Consent::audit_page(patient, 0, 1)[0];
		assert_eq!(entry.actor, None);
		assert_eq!(entry.event, pallet_consent::AuditEvent::Erased { erased: ErasedContent::Record(item), by });
	});
}

#[test]
fn a_patient_rotates_their_key_and_their_records_consents_and_trail_follow() {
	use sp_keyring::Sr25519Keyring::AliceStash;
	let (mut ext, item) = chain_with_a_record();
	ext.execute_with(|| {
		let patient = PatientId(0);
		let new = AliceStash.to_account_id();
		let signed = |k: sp_keyring::Sr25519Keyring| RuntimeOrigin::signed(k.to_account_id());
		assert_ok!(Consent::set_standing_access(signed(Eve), patient, false));
		assert_ok!(Registry::rotate_account(signed(Eve), new.clone()));
		assert_eq!(Registry::roles_of(&new).patient, Some(patient));
		// The old key is nobody on the permissioned chain now; the new one is the patient.
		let revoke = RuntimeCall::Consent(pallet_consent::Call::set_standing_access {
			patient,
			allowed: true,
		});
		assert!(!pallet_registry::CheckPermissioned::<Runtime>::is_allowed(&Eve.to_account_id(), &revoke));
		assert!(pallet_registry::CheckPermissioned::<Runtime>::is_allowed(&new, &revoke));
		assert_noop!(
			Consent::set_standing_access(signed(Eve), patient, true),
			pallet_consent::Error::<Runtime>::NotPatientOrGuardian
		);
		// What hangs off the Patient-ID stayed: the withdrawn standing access, the trail.
		assert_eq!(Consent::standing_access(patient), Some((HospitalId(0), false)));
		assert_ok!(Consent::set_standing_access(RuntimeOrigin::signed(new.clone()), patient, true));
		// The record's NFT moves to the new account when reclaimed.
		let collection = pallet_medical_records::RecordsCollection::<Runtime>::get().expect("collection");
		assert_eq!(Nfts::owner(collection, item), Some(Eve.to_account_id()));
		assert_ok!(MedicalRecords::reclaim_records(RuntimeOrigin::signed(new.clone()), patient));
		assert_eq!(Nfts::owner(collection, item), Some(new));
		MedicalRecords::do_try_state().expect("records invariants");
		Registry::do_try_state().expect("registry invariants");
	});
}

#[test]
fn every_pallet_invariant_holds_after_the_record_flow() {
	let (mut ext, _) = chain_with_a_record();
	ext.execute_with(|| {
		Registry::do_try_state().expect("registry invariants");
		Consent::do_try_state().expect("consent invariants");
		MedicalRecords::do_try_state().expect("records invariants");
		LabReports::do_try_state().expect("lab-reports invariants");
		KeyRelease::do_try_state().expect("key-release invariants");
		ValidatorSet::do_try_state().expect("validator-set invariants");
		NodeAllowlist::do_try_state().expect("node-allowlist invariants");
	});
}

/// The node allowlist with the real registry and the regulator body: a verified hospital's node
/// is listed, enforced, dropped from the answer while the hospital is suspended and back when
/// it is reinstated; nobody else manages the list.
#[test]
fn the_node_allowlist_follows_the_hospitals_standing_in_the_registry() {
	use pallet_node_allowlist::NodePeerId;
	let (mut ext, _) = chain_with_a_record();
	ext.execute_with(|| {
		let signed = |k: sp_keyring::Sr25519Keyring| RuntimeOrigin::signed(k.to_account_id());
		let consortium = NodePeerId::from_ed25519_public_key([1; 32]);
		let hospitals = NodePeerId::from_ed25519_public_key([2; 32]);
		assert_noop!(
			NodeAllowlist::add_node(signed(Charlie), hospitals.clone(), Some(HospitalId(0))),
			DispatchError::BadOrigin
		);
		assert_ok!(NodeAllowlist::add_node(signed(Bob), consortium.clone(), None));
		assert_ok!(NodeAllowlist::add_node(signed(Bob), hospitals.clone(), Some(HospitalId(0))));
		assert_eq!(NodeAllowlist::authorized_nodes(), None, "an open network until enforced");
		assert_ok!(NodeAllowlist::set_enforced(signed(Bob), true));
		let sorted = || {
			let mut nodes = NodeAllowlist::authorized_nodes().expect("enforced");
			nodes.sort();
			nodes
		};
		let mut both = vec![consortium.clone(), hospitals.clone()];
		both.sort();
		assert_eq!(sorted(), both);
		assert_ok!(Registry::suspend_hospital(signed(Bob), HospitalId(0)));
		assert_eq!(sorted(), vec![consortium.clone()]);
		assert_ok!(Registry::reinstate_hospital(signed(Bob), HospitalId(0)));
		assert_eq!(sorted(), both);
		NodeAllowlist::do_try_state().expect("node-allowlist invariants");
	});
}

#[test]
fn a_key_is_released_under_consent_and_every_step_is_audited() {
	use pallet_key_release::{Answer, KeyRequests};
	use pmr_primitives::{
		AccessDenied, AccessGround, CustodianSetVersion, EncryptedContent, KeyAuditEvent,
		KeyRequestId, ManifestRef, Purpose, SealedTarget, ShareRefusal,
	};
	let (mut ext, _) = chain_with_a_record();
	ext.execute_with(|| {
		let signed = |k: sp_keyring::Sr25519Keyring| RuntimeOrigin::signed(k.to_account_id());
		// Charlie's hospital is the (only) custodian; Dave registers his key.
		assert_ok!(Registry::propose_custodian_key(signed(Charlie), HospitalId(0), [0xc1; 32]));
		assert_ok!(Registry::approve_custodian_key(signed(Bob), HospitalId(0)));
		assert_ok!(Registry::set_encryption_key(signed(Dave), [0xd1; 32]));
		// A second visit the same day, anchored with its manifest as the ingest worker anchors it.
		let visit = VisitDate::new(26, 1, 2021).expect("a date");
		let content = EncryptedContent {
			cid: test_cid(b"bafy-second"),
			plaintext_hash: [5; 32],
			ciphertext_hash: [6; 32],
			manifest: Some(ManifestRef {
				cid: test_cid(b"bafy-manifest"),
				hash: [7; 32],
				custodian_set: CustodianSetVersion(1),
			}),
		};
		assert_ok!(MedicalRecords::create_record(
			signed(Dave),
			PatientId(0),
			HospitalId(0),
			visit,
			RecordCategory::ProvisionalDiagnosis,
			content.clone(),
			None,
			None,
		));
		let item = PmrId::new(PatientId(0), visit, 1).expect("PMR-ID").item_id();
		let target = SealedTarget::RecordVersion { item, version: 0 };

		// Dave treats Eve at her own hospital: allowed, with what the chain anchored.
		assert_ok!(KeyRelease::request_key(signed(Dave), target, Purpose::Treatment));
		let id = KeyRequestId(0);
		let request = KeyRequests::<Runtime>::get(id).expect("allowed");
		assert_eq!(request.ground, AccessGround::RegisteringHospital(HospitalId(0)));
		assert_eq!((request.content.clone(), request.reader_key), (content.clone(), [0xd1; 32]));
		assert_eq!(KeyRelease::release_check(id), Some(Ok(())));

		// The custodian and the patient answer; a desk-less outsider cannot.
		let envelope = test_cid;
		assert_noop!(
			KeyRelease::release_share(signed(Dave), id, envelope(b"bafy-x")),
			pallet_key_release::Error::<Runtime>::NotCustodian
		);
		assert_ok!(KeyRelease::release_share(signed(Charlie), id, envelope(b"bafy-share-1")));
		assert_ok!(KeyRelease::release_essential_share(signed(Eve), id, envelope(b"bafy-e")));
		let request = KeyRequests::<Runtime>::get(id).expect("open");
		assert_eq!(request.answers.to_vec(), vec![(HospitalId(0), Answer::Released(envelope(b"bafy-share-1")))]);

		// The patient erases the record: a new request is refused and logged.
		assert_ok!(MedicalRecords::erase_record(signed(Eve), item));
		assert_eq!(
			KeyRelease::release_check(id),
			Some(Err(ShareRefusal::Denied(AccessDenied::NoSuchRecord)))
		);
		assert_ok!(KeyRelease::request_key(signed(Dave), target, Purpose::Treatment));
		assert!(KeyRequests::<Runtime>::get(KeyRequestId(1)).is_none());

		let trail: Vec<_> = Consent::audit_page(PatientId(0), 0, 10)
			.into_iter()
			.filter_map(|e| match e.event {
				pallet_consent::AuditEvent::Key(k) => Some(k),
				_ => None,
			})
			.collect();
		assert!(matches!(
			trail[..],
			[
				KeyAuditEvent::KeyRefused { reason: AccessDenied::NoSuchRecord, .. },
				KeyAuditEvent::EssentialShareReleased { request: KeyRequestId(0) },
				KeyAuditEvent::ShareReleased { request: KeyRequestId(0), custodian: HospitalId(0) },
				KeyAuditEvent::KeyRequested { request: KeyRequestId(0), .. },
			]
		), "newest first: {trail:?}");
		KeyRelease::do_try_state().expect("key-release invariants");
		ValidatorSet::do_try_state().expect("validator-set invariants");
	});
}

#[test]
fn a_guardian_may_hand_the_essential_share_over_and_ask_for_the_patients_own_keys() {
	let (mut ext, _) = chain_with_a_record();
	ext.execute_with(|| {
		let guardian = Ferdie.to_account_id();
		let hand_over = RuntimeCall::KeyRelease(pallet_key_release::Call::release_essential_share {
			request: pmr_primitives::KeyRequestId(0),
			envelope: test_cid(b"bafy-e"),
		});
		let request = RuntimeCall::KeyRelease(pallet_key_release::Call::request_key {
			target: pmr_primitives::SealedTarget::LabStudy(pmr_primitives::LabReportId(0)),
			purpose: pmr_primitives::Purpose::Treatment,
		});
		// The patient's own records, for an export on the patient's behalf.
		let own = RuntimeCall::KeyRelease(pallet_key_release::Call::request_own_key {
			target: pmr_primitives::SealedTarget::LabStudy(pmr_primitives::LabReportId(0)),
		});
		let allowed = |call| pallet_registry::CheckPermissioned::<Runtime>::is_allowed(&guardian, call);
		assert!(!allowed(&hand_over) && !allowed(&own), "not a participant yet");
		assert_ok!(Consent::appoint_guardian(
			RuntimeOrigin::signed(Eve.to_account_id()),
			PatientId(0),
			guardian.clone(),
			None
		));
		assert!(allowed(&hand_over));
		assert!(allowed(&own));
		assert!(!allowed(&request), "a guardian asks for no keys as a doctor would");
	});
}

/// Validator governance on the real runtime: the regulator admits a hospital's validator and
/// later loses it to a suspension; `pallet-session` hands every change to Aura and GRANDPA at
/// the same block, and at every block the two agree on the set.
mod validators {
	use super::*;
	use frame_support::traits::{Hooks, OnFinalize};
	use pallet_validator_set::Error as SetError;
	use sp_consensus_aura::sr25519::AuthorityId as AuraId;
	use sp_consensus_grandpa::AuthorityId as GrandpaId;
	use sp_keyring::{Ed25519Keyring, Sr25519Keyring::Alice};
	use codec::Encode;

	const SESSION: BlockNumber = 5;

	fn keys(k: sp_keyring::Sr25519Keyring, e: Ed25519Keyring) -> SessionKeys {
		SessionKeys { aura: k.public().into(), grandpa: e.public().into() }
	}

	/// Alice, Bob and Charlie found the chain (minimum 3, 5-block sessions); Bob regulates;
	/// Dave's hospital is verified and Dave holds session keys made in a keystore, with their
	/// proof of possession, as `author_rotateKeysWithOwner` makes them.
	fn chain() -> sp_io::TestExternalities {
		let founding = [
			(Alice, Ed25519Keyring::Alice),
			(Bob, Ed25519Keyring::Bob),
			(Charlie, Ed25519Keyring::Charlie),
		];
		let storage = RuntimeGenesisConfig {
			balances: BalancesConfig {
				balances: vec![(Dave.to_account_id(), 1_000 * UNIT)],
				..Default::default()
			},
			regulator_body: RegulatorBodyConfig {
				members: BoundedVec::truncate_from(vec![Bob.to_account_id()]),
				..Default::default()
			},
			validator_set: ValidatorSetConfig {
				founding_validators: founding.iter().map(|(k, _)| k.to_account_id()).collect(),
				min_validators: 3,
				session_length: SESSION,
				slot_duration: crate::SLOT_DURATION,
			},
			session: SessionConfig {
				keys: founding
					.iter()
					.map(|(k, e)| (k.to_account_id(), k.to_account_id(), keys(*k, *e)))
					.collect(),
				..Default::default()
			},
			..Default::default()
		}
		.build_storage()
		.expect("genesis builds");
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.register_extension(sp_keystore::KeystoreExt::new(
			sp_keystore::testing::MemoryKeystore::new(),
		));
		ext
	}

	/// Ends the current block and runs the next one's session and GRANDPA hooks; checks that
	/// Aura and GRANDPA (once its scheduled change is enacted) hold the session's set.
	fn next_block() {
		let n = System::block_number();
		<Grandpa as OnFinalize<BlockNumber>>::on_finalize(n);
		assert_consensus_agrees();
		System::set_block_number(n + 1);
		System::reset_events();
		<Session as Hooks<BlockNumber>>::on_initialize(n + 1);
	}

	/// Aura and GRANDPA hold exactly the keys of the session's validators, in its order.
	fn assert_consensus_agrees() {
		let queued: Vec<(AuraId, GrandpaId)> = Session::validators()
			.iter()
			.map(|v| {
				let k = pallet_session::NextKeys::<Runtime>::get(v).expect("a validator has keys");
				(k.aura, k.grandpa)
			})
			.collect();
		let aura: Vec<AuraId> = pallet_aura::Authorities::<Runtime>::get().into_inner();
		let grandpa: Vec<GrandpaId> = Grandpa::grandpa_authorities().into_iter().map(|(k, _)| k).collect();
		assert_eq!(aura, queued.iter().map(|k| k.0.clone()).collect::<Vec<_>>(), "Aura ≠ session");
		if pallet_grandpa::PendingChange::<Runtime>::get().is_none() {
			assert_eq!(grandpa, queued.iter().map(|k| k.1.clone()).collect::<Vec<_>>(), "GRANDPA ≠ session");
		}
		#[cfg(feature = "try-runtime")]
		assert_eq!(super::pallets_failing_try_state(), Vec::<&str>::new(), "try_state at every block");
	}

	fn run_sessions(n: u32) {
		let target = Session::current_index() + n;
		while Session::current_index() < target {
			next_block();
		}
	}

	#[test]
	fn a_hospital_validator_joins_and_leaves_aura_and_grandpa_together() {
		chain().execute_with(|| {
			System::set_block_number(1);
			let signed = |k: sp_keyring::Sr25519Keyring| RuntimeOrigin::signed(k.to_account_id());
			assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 3);
			assert_consensus_agrees();

			// Dave's hospital is verified; Dave registers keys made on "his node".
			assert_ok!(Registry::apply_for_registration(
				signed(Dave),
				pallet_registry::HospitalDetails {
					registration_id: text("GOV-4"),
					name: text("Fourth Hospital"),
					location: text("Madurai"),
					specializations: BoundedVec::truncate_from(vec![text("general")]),
					contact: text("+91"),
				}
			));
			let hospital = HospitalId(0);
			assert_noop!(
				ValidatorSet::add_validator(signed(Bob), hospital, Dave.to_account_id()),
				SetError::<Runtime>::HospitalNotVerified
			);
			assert_ok!(Registry::verify_hospital(signed(Bob), hospital));
			assert_noop!(
				ValidatorSet::add_validator(signed(Bob), hospital, Dave.to_account_id()),
				SetError::<Runtime>::NoSessionKeys
			);
			let owner = Dave.to_account_id();
			let generated = SessionKeys::generate(owner.as_ref(), None);
			let dave_keys = generated.keys.clone();
			assert_noop!(
				Session::set_keys(signed(Dave), dave_keys.clone(), generated.proof.encode()[1..].to_vec()),
				pallet_session::Error::<Runtime>::InvalidProof
			);
			assert_ok!(Session::set_keys(signed(Dave), dave_keys.clone(), generated.proof.encode()));
			// Only the regulator admits.
			assert_noop!(
				ValidatorSet::add_validator(signed(Dave), hospital, Dave.to_account_id()),
				DispatchError::BadOrigin
			);
			assert_ok!(ValidatorSet::add_validator(signed(Bob), hospital, Dave.to_account_id()));

			// Queued at the next session, validating from the one after.
			run_sessions(1);
			assert!(!Session::validators().contains(&Dave.to_account_id()));
			run_sessions(1);
			assert!(Session::validators().contains(&Dave.to_account_id()));
			assert!(pallet_aura::Authorities::<Runtime>::get().contains(&dave_keys.aura));
			next_block();
			assert!(Grandpa::grandpa_authorities().iter().any(|(k, _)| k == &dave_keys.grandpa));
			assert_eq!(Session::validators().len(), 4);

			// Down to the minimum of 3, and no further.
			assert_ok!(ValidatorSet::remove_validator(signed(Bob), Charlie.to_account_id()));
			assert_noop!(
				ValidatorSet::remove_validator(signed(Bob), Alice.to_account_id()),
				SetError::<Runtime>::TooFewValidators
			);
			run_sessions(2);
			assert_eq!(Session::validators().len(), 3);
			assert!(!Session::validators().contains(&Charlie.to_account_id()));

			// Suspending Dave's hospital removes its validator at the next session boundary,
			// through the registry's answers alone.
			assert_ok!(Registry::suspend_hospital(signed(Bob), hospital));
			run_sessions(2);
			assert!(!Session::validators().contains(&Dave.to_account_id()));
			assert!(!pallet_aura::Authorities::<Runtime>::get().contains(&dave_keys.aura));
			next_block();
			assert!(!Grandpa::grandpa_authorities().iter().any(|(k, _)| k == &dave_keys.grandpa));
			// GRANDPA's set id moved with every change the session pallet handed over.
			assert!(pallet_grandpa::CurrentSetId::<Runtime>::get() >= 3);
			ValidatorSet::do_try_state().expect("validator-set invariants");
			Registry::do_try_state().expect("registry invariants");
		});
	}
}
