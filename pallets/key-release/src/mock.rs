//! A mock runtime for the key-release pallet's tests, with stubs for the registry, the consent
//! pallet (decision and audit trail) and the records pallets.
//!
//! Tests set the stubs' state: which doctor may access which target until which block
//! ([`allow`]), which content is sealed ([`seal`]), which accounts are custodians.

use crate as pallet_key_release;
use crate::*;
use core::cell::RefCell;
use frame_support::{
	derive_impl,
	traits::{ConstU32, ConstU64},
	weights::Weight,
};
use pmr_primitives::{
	AccessDenied, AccessGround, AccessPolicy, AccessTarget, Accessor, Cid, CustodianSetVersion, DoctorId,
	EncryptedContent, EncryptionPublicKey, GrantId, HospitalId, HospitalStatus, KeyAuditEvent,
	KeyCustody, LabId, ManifestRef, PatientAudit, PatientId, PmrItemId, Purpose, RecordCategory,
	SealedContent, SealedContentInspect, SealedTarget,
};
use pmr_pallet_test_support::registry;
use sp_runtime::{
	testing::{TestSignature, UintAuthorityId},
	BuildStorage,
};
use std::collections::{BTreeMap, BTreeSet};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		KeyRelease: pallet_key_release,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// A doctor with a registered encryption key.
pub const DOCTOR: u64 = 10;
/// A doctor without an encryption key.
pub const KEYLESS_DOCTOR: u64 = 11;
/// A lab with a registered encryption key.
pub const LAB: u64 = 20;
/// The patient.
pub const PATIENT: u64 = 30;
/// The patient's guardian.
pub const GUARDIAN: u64 = 31;
/// Admin of custodian hospital 1.
pub const CUSTODIAN_1: u64 = 41;
/// Admin of custodian hospital 2.
pub const CUSTODIAN_2: u64 = 42;
/// Admin of custodian hospital 3.
pub const CUSTODIAN_3: u64 = 43;
/// An account with no role.
pub const OUTSIDER: u64 = 99;
/// The patient's Patient-ID.
pub const P: PatientId = PatientId(1);
/// The record version every test seals by default.
pub const RECORD: SealedTarget = SealedTarget::RecordVersion { item: 7, version: 0 };
/// The record's category.
pub const CATEGORY: RecordCategory = RecordCategory::ProvisionalDiagnosis;
/// The grant the stub decision names.
pub const GRANT: GrantId = GrantId(5);
/// The doctor's registered encryption key.
pub const DOCTOR_KEY: EncryptionPublicKey = [0xd0; 32];
/// The patient's registered encryption key.
pub const PATIENT_KEY: EncryptionPublicKey = [0x9a; 32];
/// Requests live this many blocks at most.
pub const LIFETIME: u64 = 20;

thread_local! {
	/// (account, patient) → (ground, first block it no longer applies).
	static ACCESS: RefCell<BTreeMap<(u64, PatientId), (AccessGround, Option<u64>)>> =
		RefCell::new(BTreeMap::new());
	static SEALED: RefCell<BTreeMap<PmrItemId, SealedContent>> = RefCell::new(BTreeMap::new());
	static ERASED: RefCell<BTreeSet<PmrItemId>> = RefCell::new(BTreeSet::new());
	static AUDIT: RefCell<Vec<(PatientId, u64, KeyAuditEvent)>> = RefCell::new(Vec::new());
	static REFUSALS_NOTED: RefCell<BTreeSet<(PatientId, Accessor)>> = RefCell::new(BTreeSet::new());
}

/// A valid CID for tests, distinct per seed.
pub fn cid(seed: u8) -> Cid {
	pmr_primitives::cid::from_digest(pmr_primitives::cid::CidCodec::Raw, [seed; 32])
}

/// The anchored content of [`RECORD`].
pub fn content() -> EncryptedContent {
	EncryptedContent {
		cid: cid(1),
		plaintext_hash: [1; 32],
		ciphertext_hash: [2; 32],
		manifest: Some(ManifestRef { cid: cid(3), hash: [3; 32], custodian_set: CustodianSetVersion(4) }),
	}
}

/// Seals `item` (version 0) for [`P`] with `content`.
pub fn seal(item: PmrItemId, content: EncryptedContent) {
	seal_for(P, item, content)
}

/// Seals `item` (version 0) for `patient` with `content`.
pub fn seal_for(patient: PatientId, item: PmrItemId, content: EncryptedContent) {
	let sealed = SealedContent {
		patient,
		access: AccessTarget::Record { item, category: CATEGORY },
		content: Some(content),
	};
	SEALED.with(|s| s.borrow_mut().insert(item, sealed));
}

/// Erases `item`: its content is gone and the decision says `NoSuchRecord`.
pub fn erase(item: PmrItemId) {
	ERASED.with(|e| e.borrow_mut().insert(item));
}

/// Lets `who` access [`P`]'s records on `ground` until (excluding) `expires_at`.
pub fn allow(who: u64, ground: AccessGround, expires_at: Option<u64>) {
	ACCESS.with(|a| a.borrow_mut().insert((who, P), (ground, expires_at)));
}

/// Takes `who`'s access away (revocation).
pub fn revoke(who: u64) {
	ACCESS.with(|a| a.borrow_mut().remove(&(who, P)));
}

/// Switches a doctor, lab or custodian account off (suspension).
pub fn deactivate(who: u64) {
	registry::deactivate(&who);
}

/// Switches an account back on.
pub fn reactivate(who: u64) {
	registry::reactivate(&who);
}

/// The audit trail the stub consent pallet recorded.
pub fn audit() -> Vec<(PatientId, u64, KeyAuditEvent)> {
	AUDIT.with(|a| a.borrow().clone())
}

/// The stub registry ([`registry_cast`]).
pub type StubRegistry = pmr_pallet_test_support::StubRegistry<u64>;

/// The stub registry's cast: hospital 1 (verified) with doctors [`DOCTOR`] and
/// [`KEYLESS_DOCTOR`], lab [`LAB`] and the patient [`PATIENT`] ([`P`], key [`PATIENT_KEY`]).
fn registry_cast() {
	registry::reset();
	registry::set_hospital(HospitalId(1), HospitalStatus::Verified);
	for doctor in [DOCTOR, KEYLESS_DOCTOR] {
		registry::add_doctor(&doctor, DoctorId(doctor as u32), HospitalId(1));
	}
	registry::add_lab(&LAB, LabId(1), HospitalId(1));
	registry::add_patient(&PATIENT, P, HospitalId(1), PATIENT_KEY);
}

/// The stub consent pallet: the decision from [`allow`] (never for research), checked against the block number
/// and the erasures; the audit trail in memory; refusals logged once per accessor.
pub struct StubConsent;
impl AccessPolicy<u64> for StubConsent {
	fn can_access(
		who: &u64,
		patient: PatientId,
		target: AccessTarget,
		purpose: Purpose,
	) -> Result<AccessGround, AccessDenied> {
		// No consent in this stub covers research.
		if purpose == Purpose::Research {
			return Err(AccessDenied::PurposeMismatch);
		}
		if Accessor::of::<u64, StubRegistry>(who).is_none() {
			return Err(AccessDenied::NotRegistered);
		}
		if let AccessTarget::Record { item, .. } = target {
			if ERASED.with(|e| e.borrow().contains(&item)) {
				return Err(AccessDenied::NoSuchRecord);
			}
		}
		let (ground, expires_at) =
			ACCESS.with(|a| a.borrow().get(&(*who, patient)).copied()).ok_or(AccessDenied::NoConsent)?;
		match expires_at {
			Some(end) if System::block_number() >= end => Err(AccessDenied::Expired),
			_ => Ok(ground),
		}
	}
	fn can_access_weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}
}
impl PatientAudit<u64, u64> for StubConsent {
	fn log_key_event(patient: PatientId, actor: &u64, event: KeyAuditEvent) -> u64 {
		AUDIT.with(|a| {
			a.borrow_mut().push((patient, *actor, event));
			a.borrow().len() as u64 - 1
		})
	}
	fn log_key_access(patient: PatientId, _: Accessor, actor: &u64, event: KeyAuditEvent) -> u64 {
		Self::log_key_event(patient, actor, event)
	}
	fn note_refusal(patient: PatientId, accessor: Accessor) -> bool {
		REFUSALS_NOTED.with(|r| r.borrow_mut().insert((patient, accessor)))
	}
	fn ground_expires_at(ground: AccessGround) -> Option<u64> {
		ACCESS.with(|a| a.borrow().values().find(|(g, _)| *g == ground).and_then(|(_, e)| *e))
	}
	fn is_patient_side(who: &u64, patient: PatientId) -> bool {
		patient == P && [PATIENT, GUARDIAN].contains(who)
	}
}

/// The stub records pallets: what [`seal`] sealed.
pub struct StubSealed;
impl SealedContentInspect for StubSealed {
	fn sealed(target: SealedTarget) -> Option<SealedContent> {
		let SealedTarget::RecordVersion { item, version: 0 } = target else { return None };
		let mut sealed = SEALED.with(|s| s.borrow().get(&item).cloned())?;
		if ERASED.with(|e| e.borrow().contains(&item)) {
			sealed.content = None;
		}
		Some(sealed)
	}
}

/// The stub registry's custody: custodians 41–43 for hospitals 1–3, keys of 10 and 20.
pub struct StubCustody;
impl KeyCustody<u64> for StubCustody {
	fn custodian_of(who: &u64) -> Option<HospitalId> {
		([CUSTODIAN_1, CUSTODIAN_2, CUSTODIAN_3].contains(who) && registry::is_on(who))
			.then(|| HospitalId((*who - 40) as u32))
	}
	fn staff_encryption_key(who: &u64) -> Option<EncryptionPublicKey> {
		match *who {
			DOCTOR => Some(DOCTOR_KEY),
			LAB => Some([0x1a; 32]),
			_ => None,
		}
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pmr_primitives::KeyReleaseBenchmarkHelper<u64, TestSignature> for StubCustody {
	fn sealed_with_access(_: u32) -> (u64, u64, SealedTarget) {
		seal(7, content());
		allow(DOCTOR, AccessGround::Grant(GRANT), None);
		(DOCTOR, PATIENT, RECORD)
	}
	fn patient_content(n: u32) -> (u64, PatientId, Vec<SealedTarget>) {
		let items = (100..100 + u128::from(n)).inspect(|item| seal(*item, content()));
		(PATIENT, P, items.map(|item| SealedTarget::RecordVersion { item, version: 0 }).collect())
	}
	fn custodian(seed: u32) -> u64 {
		CUSTODIAN_1 + u64::from(seed % 3)
	}
	fn share_requester() -> u64 {
		DOCTOR
	}
	fn sign(signer: &u64, payload: &[u8]) -> TestSignature {
		TestSignature(*signer, payload.to_vec())
	}
}

impl Config for Test {
	type Registry = StubRegistry;
	type Access = StubConsent;
	type Audit = StubConsent;
	type Sealed = StubSealed;
	type Custody = StubCustody;
	type RequestLifetime = ConstU64<LIFETIME>;
	type MaxCustodians = ConstU32<3>;
	type RequestSignature = TestSignature;
	type RequestSigner = UintAuthorityId;
	type MaxAnswerBatch = ConstU32<4>;
	type MaxSweepPerBlock = ConstU32<4>;
	type MaxRewrapBatch = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = StubCustody;
}

/// Runs `test` at block 1 with [`RECORD`] sealed, then checks the pallet's invariants.
pub fn test(test: impl FnOnce()) {
	ACCESS.with(|a| a.borrow_mut().clear());
	SEALED.with(|s| s.borrow_mut().clear());
	ERASED.with(|e| e.borrow_mut().clear());
	registry_cast();
	AUDIT.with(|a| a.borrow_mut().clear());
	REFUSALS_NOTED.with(|r| r.borrow_mut().clear());
	let t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| {
		System::set_block_number(1);
		seal(7, content());
		test();
		KeyRelease::do_try_state().expect("key-release invariants hold");
	});
}

/// Moves to block `n`.
pub fn go_to(n: u64) {
	System::set_block_number(n);
}

/// The genesis hash of the mock chain (what `frame_system`'s genesis stores for block 0).
pub fn genesis() -> [u8; 32] {
	let hash = System::block_hash(0);
	let mut genesis = [0; 32];
	genesis.copy_from_slice(hash.as_ref());
	genesis
}

/// A share request of `who` for [`RECORD`] at block `at`, for a second opinion, wrapped to
/// the doctor's key.
pub fn share_request(who: u64, at: u64) -> ShareRequestOf<Test> {
	pmr_primitives::ShareRequest {
		genesis: genesis(),
		at,
		requester: who,
		target: RECORD,
		purpose: Some(Purpose::SecondOpinion),
		reader_key: DOCTOR_KEY,
	}
}

/// `who`'s signature over `request`.
pub fn signature_of(who: u64, request: &ShareRequestOf<Test>) -> TestSignature {
	TestSignature(who, request.signing_payload())
}

/// The events of this pallet so far.
pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::KeyRelease(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Externalities for the benchmark test suite (block 1, nothing sealed yet).
#[cfg(feature = "runtime-benchmarks")]
pub fn benchmark_ext() -> sp_io::TestExternalities {
	registry_cast();
	let t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
