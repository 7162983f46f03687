//! A mock runtime for the medical-records tests: real `pallet-nfts` and `pallet-balances`, a
//! stub registry and a stub consent policy, and a settable clock.

use crate as pallet_medical_records;
use crate::*;
use core::{cell::RefCell, time::Duration};
use frame_support::{
	derive_impl, parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU32, ConstU64, UnixTime},
};
use frame_system::EnsureRoot;
use pallet_nfts::{
	CollectionConfig, CollectionSetting, CollectionSettings, ItemConfig, ItemSetting,
	ItemSettings, MintSettings, PalletFeature, PalletFeatures,
};
use pmr_primitives::{
	AccessDenied, AccessGround, AccessPolicy, AccessTarget, DoctorId, HospitalId, HospitalStatus,
	LabId, PatientId, Purpose, RegistryInspect,
};
use pmr_pallet_test_support::registry;
use sp_runtime::{
	traits::{IdentityLookup, Verify},
	AccountId32, BuildStorage, MultiSignature,
};
use std::collections::BTreeSet;

type Block = frame_system::mocking::MockBlock<Test>;
/// Accounts are 32 bytes, as in the runtime.
pub type AccountId = AccountId32;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Nfts: pallet_nfts,
		MedicalRecords: pallet_medical_records,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

parameter_types! {
	pub NftsFeatures: PalletFeatures = PalletFeatures::from_disabled(
		PalletFeature::Trading | PalletFeature::Swaps | PalletFeature::Approvals,
	);
}

impl pallet_nfts::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type CollectionId = u32;
	type ItemId = u128;
	type Currency = Balances;
	type CreateOrigin =
		AsEnsureOriginWithArg<frame_system::EnsureRootWithSuccess<AccountId, CollectionOwner>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Locker = ();
	type CollectionDeposit = ConstU64<0>;
	type ItemDeposit = ConstU64<0>;
	type MetadataDepositBase = ConstU64<0>;
	type AttributeDepositBase = ConstU64<0>;
	type DepositPerByte = ConstU64<0>;
	type StringLimit = ConstU32<50>;
	type KeyLimit = ConstU32<50>;
	type ValueLimit = ConstU32<50>;
	type ApprovalsLimit = ConstU32<0>;
	type ItemAttributesApprovalsLimit = ConstU32<0>;
	type MaxTips = ConstU32<0>;
	type MaxDeadlineDuration = ConstU64<10000>;
	type MaxAttributesPerCall = ConstU32<2>;
	type Features = NftsFeatures;
	type OffchainSignature = MultiSignature;
	type OffchainPublic = <MultiSignature as Verify>::Signer;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type Helper = ();
	type BlockNumberProvider = System;
}

/// A 32-byte test account.
pub const fn acc(n: u8) -> AccountId {
	AccountId32::new([n; 32])
}

/// The regulator.
pub const REGULATOR: AccountId = acc(1);
/// The keyless owner of the records collection.
pub const COLLECTION_OWNER: AccountId = acc(2);
/// Doctor at hospital 1, where the patients are registered.
pub const HOME_DOCTOR: AccountId = acc(10);
/// Doctor at hospital 2 (needs consent).
pub const DOCTOR: AccountId = acc(11);
/// Another doctor at hospital 2.
pub const OTHER_DOCTOR: AccountId = acc(12);
/// A lab at hospital 2.
pub const LAB: AccountId = acc(20);
/// A desk of hospital 1.
pub const DESK: AccountId = acc(5);
/// A desk of hospital 2.
pub const OTHER_DESK: AccountId = acc(6);
/// A patient registered at hospital 1.
pub const PATIENT: AccountId = acc(30);
/// Another patient registered at hospital 1.
pub const OTHER_PATIENT: AccountId = acc(31);
/// An account that takes no part in anything.
pub const OUTSIDER: AccountId = acc(99);

/// Hospital 1 (registers the patients).
pub const H1: HospitalId = HospitalId(1);
/// Hospital 2.
pub const H2: HospitalId = HospitalId(2);
/// Patient-ID of [`PATIENT`].
pub const P: PatientId = PatientId(85437);
/// Patient-ID of [`OTHER_PATIENT`].
pub const P2: PatientId = PatientId(2);

/// The Doctor-ID of a doctor account of the stub.
pub fn doctor_id(account: &AccountId) -> DoctorId {
	DoctorId(u32::from(<AccountId as AsRef<[u8; 32]>>::as_ref(account)[0]))
}

thread_local! {
	static CONSENTS: RefCell<BTreeSet<(AccountId, PatientId, Option<pmr_primitives::RecordCategory>)>> =
		RefCell::new(BTreeSet::new());
	static NOW_MS: RefCell<u64> = RefCell::new(0);
	static FILED: RefCell<Vec<(AccountId, PatientId, AccessTarget, u64)>> = RefCell::new(Vec::new());
	static WITHDRAWN: RefCell<Vec<pmr_primitives::RequestId>> = RefCell::new(Vec::new());
}

/// The stub registry: the patient's account is now `new` (a key rotation), and the pallet is
/// told, as the registry tells it.
pub fn rotate_patient(patient: PatientId, new: AccountId) {
	registry::move_patient(patient, &new);
	<MedicalRecords as pmr_primitives::OnPatientAccountChanged>::patient_account_changed(patient);
}

/// The consent requests filed through [`StubConsentRequests`].
pub fn filed_requests() -> Vec<(AccountId, PatientId, AccessTarget, u64)> {
	FILED.with(|f| f.borrow().clone())
}

/// The consent pallet's error for a duplicate request, as the stub below returns it (a pallet
/// error of a pallet at index 99, which this mock runtime does not have).
pub const CONSENT_DUPLICATE_REQUEST: sp_runtime::DispatchError =
	sp_runtime::DispatchError::Module(sp_runtime::ModuleError {
		index: 99,
		error: [0; 4],
		message: Some("DuplicateRequest"),
	});

/// The stub consent pallet's request book: records what was filed; refuses a second request
/// of the same doctor for the same patient with [`CONSENT_DUPLICATE_REQUEST`], as the consent
/// pallet does.
pub struct StubConsentRequests;
impl pmr_primitives::ConsentRequests<AccountId, u64> for StubConsentRequests {
	fn file_request(
		requester: &AccountId,
		patient: PatientId,
		target: AccessTarget,
		_: Purpose,
		duration: u64,
	) -> Result<pmr_primitives::RequestId, sp_runtime::DispatchError> {
		FILED.with(|f| {
			let mut filed = f.borrow_mut();
			if filed.iter().any(|(r, p, _, _)| r == requester && *p == patient) {
				return Err(CONSENT_DUPLICATE_REQUEST);
			}
			filed.push((requester.clone(), patient, target, duration));
			Ok(pmr_primitives::RequestId(filed.len() as u64 - 1))
		})
	}
	fn file_request_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::from_parts(1_000, 0)
	}
	fn withdraw_request(request: pmr_primitives::RequestId) {
		WITHDRAWN.with(|w| w.borrow_mut().push(request));
	}
	fn withdraw_request_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::from_parts(1_000, 0)
	}
}

/// The requests withdrawn through [`StubConsentRequests`].
pub fn withdrawn_requests() -> Vec<pmr_primitives::RequestId> {
	WITHDRAWN.with(|w| w.borrow().clone())
}

/// Switches a doctor account off (suspended hospital, revoked licence, offboarded).
pub fn deactivate(account: &AccountId) {
	registry::deactivate(account);
}

/// Switches a doctor account back on.
pub fn reactivate(account: &AccountId) {
	registry::reactivate(account);
}

/// The stub consent pallet: `who` may access `patient`'s records of `category` (all if
/// `None`) for treatment.
pub fn consent(who: &AccountId, patient: PatientId, category: Option<pmr_primitives::RecordCategory>) {
	CONSENTS.with(|c| c.borrow_mut().insert((who.clone(), patient, category)));
}

/// The stub consent pallet: the patient revoked `who`'s consent.
pub fn revoke_consent(who: &AccountId, patient: PatientId, category: Option<pmr_primitives::RecordCategory>) {
	CONSENTS.with(|c| c.borrow_mut().remove(&(who.clone(), patient, category)));
}

/// Sets the chain's clock (Unix milliseconds; 0 means "not set").
pub fn set_now(millis: u64) {
	NOW_MS.with(|n| *n.borrow_mut() = millis);
}

/// 26 January 2021, noon UTC.
pub const JAN_26_2021_NOON: u64 = 1_611_662_400_000;

/// The chain's clock.
pub struct MockTime;
impl UnixTime for MockTime {
	fn now() -> Duration {
		Duration::from_millis(NOW_MS.with(|n| *n.borrow()))
	}
}

/// The stub registry ([`registry_cast`]).
pub type StubRegistry = pmr_pallet_test_support::StubRegistry<AccountId>;

/// The stub registry's cast, as the constants say: hospitals 1 and 2 (verified) with their
/// desks; [`HOME_DOCTOR`] at hospital 1, [`DOCTOR`], [`OTHER_DOCTOR`] and the lab at hospital
/// 2; both patients registered at hospital 1.
fn registry_cast() {
	registry::reset();
	for (hospital, desk) in [(H1, DESK), (H2, OTHER_DESK)] {
		registry::set_hospital(hospital, HospitalStatus::Verified);
		registry::add_desk(&desk, hospital);
	}
	for (doctor, hospital) in [(HOME_DOCTOR, H1), (DOCTOR, H2), (OTHER_DOCTOR, H2)] {
		registry::add_doctor(&doctor, doctor_id(&doctor), hospital);
	}
	registry::add_lab(&LAB, LabId(1), H2);
	registry::add_patient(&PATIENT, P, H1, [7; 32]);
	registry::add_patient(&OTHER_PATIENT, P2, H1, [7; 32]);
}

/// The registry's accounts the benchmarks use, and the patients' key rotation.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pmr_primitives::RegistryBenchmarkHelper<AccountId> for MockBenchmarkHelper {
	fn doctor(_: u32) -> (AccountId, DoctorId) {
		(DOCTOR, doctor_id(&DOCTOR))
	}
	fn lab(_: u32) -> (AccountId, LabId) {
		(LAB, LabId(1))
	}
	fn patient(_: u32) -> (AccountId, PatientId) {
		(PATIENT, P)
	}
	fn treating_doctor(_: u32) -> (AccountId, DoctorId, HospitalId, AccountId, PatientId) {
		(HOME_DOCTOR, doctor_id(&HOME_DOCTOR), H1, PATIENT, P)
	}
	fn hospital_admin(_: HospitalId) -> AccountId {
		DESK
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pmr_primitives::PatientRotationBenchmarkHelper<AccountId> for MockBenchmarkHelper {
	fn rotate_patient(patient: PatientId, new: AccountId) -> sp_runtime::DispatchResult {
		rotate_patient(patient, new);
		Ok(())
	}
}

/// The stub consent policy: the registering hospital's doctors treat; others need a consent
/// set with [`consent`] (treatment purpose only).
pub struct StubAccess;
impl AccessPolicy<AccountId> for StubAccess {
	fn can_access(
		who: &AccountId,
		patient: PatientId,
		target: AccessTarget,
		purpose: Purpose,
	) -> Result<AccessGround, AccessDenied> {
		let hospital =
			StubRegistry::registering_hospital(patient).ok_or(AccessDenied::UnknownPatient)?;
		if purpose != Purpose::Treatment {
			return Err(AccessDenied::PurposeMismatch);
		}
		if StubRegistry::active_doctor_of(who, hospital).is_some() {
			return Ok(AccessGround::RegisteringHospital(hospital));
		}
		let category = match target {
			AccessTarget::AllRecords => None,
			AccessTarget::Category(c) | AccessTarget::Record { category: c, .. } => Some(c),
		};
		let granted = CONSENTS.with(|c| {
			let c = c.borrow();
			c.contains(&(who.clone(), patient, None)) ||
				(category.is_some() && c.contains(&(who.clone(), patient, category)))
		});
		granted
			.then_some(AccessGround::Grant(pmr_primitives::GrantId(0)))
			.ok_or(AccessDenied::NoConsent)
	}
	fn can_access_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::from_parts(1_000, 0)
	}
}

parameter_types! {
	pub RecordsCollectionConfig: CollectionConfig<u64, u64, u32> = CollectionConfig {
		settings: CollectionSettings::from_disabled(CollectionSetting::TransferableItems.into()),
		max_supply: None,
		mint_settings: MintSettings::default(),
	};
	pub SoulboundItemConfig: ItemConfig = ItemConfig {
		settings: ItemSettings::from_disabled(ItemSetting::Transferable.into()),
	};
	pub const CollectionOwner: AccountId = COLLECTION_OWNER;
}

impl Config for Test {
	type Registry = StubRegistry;
	type Access = StubAccess;
	type ErasureOrigin = EnsureRoot<AccountId>;
	type Audit = pmr_pallet_test_support::StubAudit;
	type OnErased = ();
	type CollectionId = u32;
	type NftCollectionConfig = CollectionConfig<u64, u64, u32>;
	type NftItemConfig = ItemConfig;
	type Nfts = Nfts;
	type RecordsCollectionConfig = RecordsCollectionConfig;
	type SoulboundItemConfig = SoulboundItemConfig;
	type CollectionOwner = CollectionOwner;
	type UnixTime = MockTime;
	type ConsentRequests = StubConsentRequests;
	type MaxVersions = ConstU32<3>;
	type MaxReclaimPerCall = ConstU32<2>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Externalities at block 1, clock unset.
pub fn new_test_ext() -> sp_io::TestExternalities {
	registry_cast();
	CONSENTS.with(|c| c.borrow_mut().clear());
	FILED.with(|f| f.borrow_mut().clear());
	WITHDRAWN.with(|w| w.borrow_mut().clear());
	set_now(0);
	let t = RuntimeGenesisConfig::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` on 26 Jan 2021 and then checks the pallet's invariants.
pub fn test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		set_now(JAN_26_2021_NOON);
		test();
		MedicalRecords::do_try_state().expect("medical-records invariants hold");
	});
}
