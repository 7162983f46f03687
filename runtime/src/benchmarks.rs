//! The runtime's benchmark registry (built with the `runtime-benchmarks` feature only).
//! `pmr-node benchmark pallet` runs these to generate weights.

use crate::*;
use alloc::{string::String, vec::Vec};
use frame_benchmarking::{BenchmarkBatch, BenchmarkConfig, BenchmarkList};
use frame_support::traits::{StorageInfo, StorageInfoTrait, WhitelistedStorageKeys};

/// The benchmarks of both builds, plus those of this build's consensus pallets.
macro_rules! pmr_benchmarks {
	($($consensus:tt)*) => {
		frame_benchmarking::define_benchmarks!(
			[frame_benchmarking, BaselineBench::<Runtime>]
			[frame_system, SystemBench::<Runtime>]
			[pallet_balances, Balances]
			[pallet_timestamp, Timestamp]
			[pallet_sudo, Sudo]
			[pallet_nfts, Nfts]
			[pallet_membership, RegulatorBody]
			[pallet_collective, Council]
			[pallet_registry, Registry]
			[pallet_consent, Consent]
			[pallet_key_release, KeyRelease]
			[pallet_medical_records, MedicalRecords]
			[pallet_lab_reports, LabReports]
			[pallet_node_allowlist, NodeAllowlist]
			$($consensus)*
		);
	};
}

#[cfg(not(feature = "parachain"))]
pmr_benchmarks!([pallet_validator_set, ValidatorSet]);

// The parachain build's consensus pallets (collator selection, parachain system) use their
// upstream weights.
#[cfg(feature = "parachain")]
pmr_benchmarks!();

type BaselineBench<T> = frame_benchmarking::baseline::Pallet<T>;
type SystemBench<T> = frame_system_benchmarking::Pallet<T>;

impl frame_benchmarking::baseline::Config for Runtime {}
impl frame_system_benchmarking::Config for Runtime {}

/// Lists the benchmarks (for `benchmark pallet --list`).
pub fn metadata(extra: bool) -> (Vec<BenchmarkList>, Vec<StorageInfo>) {
	let mut list = Vec::<BenchmarkList>::new();
	list_benchmarks!(list, extra);
	(list, AllPalletsWithSystem::storage_info())
}

/// Runs the benchmarks a `BenchmarkConfig` selects.
pub fn dispatch(config: BenchmarkConfig) -> Result<Vec<BenchmarkBatch>, String> {
	let whitelist = AllPalletsWithSystem::whitelisted_storage_keys();
	let mut batches = Vec::<BenchmarkBatch>::new();
	let params = (&config, &whitelist);
	add_benchmarks!(params, batches);
	Ok(batches)
}

/// Sets up the key-release benchmarks through the real registry, records and consent pallets:
/// a record sealed with its manifest, a second-opinion doctor (at other hospitals) holding a
/// consent grant for it and a registered encryption key, and custodian hospitals.
pub struct KeyReleaseBench;

impl pmr_primitives::KeyReleaseBenchmarkHelper<AccountId, crate::Signature> for KeyReleaseBench {
	fn sealed_with_access(seed: u32) -> (AccountId, AccountId, pmr_primitives::SealedTarget) {
		use frame_system::RawOrigin;
		use pmr_primitives::{Accessor, Purpose, RegistryBenchmarkHelper};
		let (author, _, hospital, patient_account, patient) =
			<Registry as RegistryBenchmarkHelper<AccountId>>::treating_doctor(seed);
		let target = sealed_record(&author, patient, hospital, seed);
		let (reader, reader_id) =
			<Registry as RegistryBenchmarkHelper<AccountId>>::doctor(seed.saturating_add(1));
		Registry::set_encryption_key(RawOrigin::Signed(reader.clone()).into(), [9; 32])
			.expect("key registered");
		Consent::grant_access(
			RawOrigin::Signed(patient_account.clone()).into(),
			patient,
			Accessor::Doctor(reader_id),
			pallet_consent::Scope::AllRecords,
			Purpose::SecondOpinion,
			pallet_consent::Expiry::After(crate::DAYS),
		)
		.expect("consent granted");
		(reader, patient_account, target)
	}

	fn patient_content(n: u32) -> (AccountId, pmr_primitives::PatientId, alloc::vec::Vec<pmr_primitives::SealedTarget>) {
		use pmr_primitives::RegistryBenchmarkHelper;
		let (author, _, hospital, patient_account, patient) =
			<Registry as RegistryBenchmarkHelper<AccountId>>::treating_doctor(3_000);
		let targets = (0..n).map(|i| sealed_record(&author, patient, hospital, 3_000 + i)).collect();
		(patient_account, patient, targets)
	}

	fn custodian(seed: u32) -> AccountId {
		use frame_system::RawOrigin;
		use pmr_primitives::RegistryBenchmarkHelper;
		let (_, _, hospital, _, _) =
			<Registry as RegistryBenchmarkHelper<AccountId>>::treating_doctor(seed.saturating_add(1_000));
		let admin = <Registry as RegistryBenchmarkHelper<AccountId>>::hospital_admin(hospital);
		let mut key = [0xc0; 32];
		key[..4].copy_from_slice(&seed.to_le_bytes());
		Registry::propose_custodian_key(RawOrigin::Signed(admin.clone()).into(), hospital, key)
			.expect("custodian key proposed");
		Registry::approve_custodian_key(RawOrigin::Root.into(), hospital)
			.expect("custodian approved");
		admin
	}

	fn share_requester() -> AccountId {
		AccountId::from(share_requester_key())
	}

	fn sign(signer: &AccountId, payload: &[u8]) -> crate::Signature {
		let public = share_requester_key();
		assert_eq!(signer, &AccountId::from(public), "the benchmark signs for its own key only");
		sp_io::crypto::sr25519_sign(BENCH_KEY_TYPE, &public, payload)
			.expect("the benchmark keystore holds the key")
			.into()
	}
}

/// A sealed record of `patient` (version 0, key manifest anchored) that `author` created on
/// the same visit date as the others, with CIDs distinct for each `seed`.
fn sealed_record(
	author: &AccountId,
	patient: pmr_primitives::PatientId,
	hospital: pmr_primitives::HospitalId,
	seed: u32,
) -> pmr_primitives::SealedTarget {
	use frame_system::RawOrigin;
	use pmr_primitives::{
		bench::{cid, Anchorer},
		CustodianSetVersion, EncryptedContent, ManifestRef, PmrId, RecordCategory, VisitDate,
	};
	let visit = VisitDate::new(26, 1, 2021).expect("a real date");
	let sequence = pallet_medical_records::NextSequence::<Runtime>::get(patient, visit);
	MedicalRecords::create_record(
		RawOrigin::Signed(author.clone()).into(),
		patient,
		hospital,
		visit,
		RecordCategory::ProvisionalDiagnosis,
		EncryptedContent {
			cid: cid(Anchorer::Runtime, seed, false),
			plaintext_hash: [1; 32],
			ciphertext_hash: [2; 32],
			manifest: Some(ManifestRef {
				cid: cid(Anchorer::Runtime, seed, true),
				hash: [3; 32],
				custodian_set: CustodianSetVersion(1),
			}),
		},
		None,
		None,
	)
	.expect("record created");
	let item = PmrId::new(patient, visit, sequence).expect("valid PMR-ID").item_id();
	pmr_primitives::SealedTarget::RecordVersion { item, version: 0 }
}

/// The key type the benchmark's share requester's key is kept under in the benchmark keystore.
const BENCH_KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"pmrb");

/// The share requester's sr25519 key, made in the benchmark keystore from a fixed seed.
fn share_requester_key() -> sp_core::sr25519::Public {
	sp_io::crypto::sr25519_generate(BENCH_KEY_TYPE, Some(b"//PmrShareRequester".to_vec()))
}

/// Sets up the validator-set benchmarks through the real registry: an admin of a verified
/// hospital, with session keys stored for it.
#[cfg(not(feature = "parachain"))]
pub struct ValidatorSetBench;

#[cfg(not(feature = "parachain"))]
impl pallet_validator_set::BenchmarkHelper<AccountId> for ValidatorSetBench {
	fn eligible_validator(seed: u32) -> (pmr_primitives::HospitalId, AccountId) {
		use pmr_primitives::RegistryBenchmarkHelper;
		let (_, _, hospital, _, _) =
			<Registry as RegistryBenchmarkHelper<AccountId>>::treating_doctor(seed.saturating_add(2_000));
		let admin = <Registry as RegistryBenchmarkHelper<AccountId>>::hospital_admin(hospital);
		let mut raw = [0x5e; 32];
		raw[..4].copy_from_slice(&seed.to_le_bytes());
		let keys = SessionKeys {
			aura: sp_core::sr25519::Public::from_raw(raw).into(),
			grandpa: sp_core::ed25519::Public::from_raw(raw).into(),
		};
		pallet_session::NextKeys::<Runtime>::insert(&admin, keys);
		(hospital, admin)
	}
}

/// Sets up the node-allowlist benchmarks through the real registry: a verified hospital.
pub struct NodeAllowlistBench;

impl pallet_node_allowlist::BenchmarkHelper for NodeAllowlistBench {
	fn verified_hospital() -> pmr_primitives::HospitalId {
		use pmr_primitives::RegistryBenchmarkHelper;
		let (_, _, hospital, _, _) =
			<Registry as RegistryBenchmarkHelper<AccountId>>::treating_doctor(3_000);
		hospital
	}
}
