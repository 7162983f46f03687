//! Medical records: `pallet-nfts` as the soulbound record registry, the medical-records
//! pallet that is its only minter, and the lab-reports pallet (lab diagnostics and IoMT).
//!
//! Records are items of one collection owned by a keyless account ([`RecordsCollectionOwner`]);
//! items and the collection are not transferable, and [`NoDirectNftCalls`] keeps every
//! `pallet-nfts` call out of signed transactions, so no signed call can transfer, burn or
//! re-attribute a record (root, i.e. governance, keeps the `force_*` calls).

use crate::{
	AccountId, Balances, BlockNumber, Consent, Registry, Runtime,
	RuntimeCall, RuntimeEvent, Signature, System, Timestamp,
};
use frame_support::{
	parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU128, ConstU32, ConstU64, Contains},
	PalletId,
};
use frame_system::{EnsureRoot, EnsureRootWithSuccess};
use pallet_nfts::{
	CollectionConfig, CollectionConfigFor, CollectionSetting, CollectionSettings, ItemConfig,
	ItemSetting, ItemSettings, MintSettings, PalletFeature, PalletFeatures,
};
use sp_runtime::traits::{AccountIdConversion, Verify};

/// Filters every `pallet-nfts` call: records are minted only by the medical-records pallet,
/// through the `nonfungibles_v2` traits. Root is not filtered (FRAME never filters root).
pub struct NoDirectNftCalls;
impl Contains<RuntimeCall> for NoDirectNftCalls {
	fn contains(call: &RuntimeCall) -> bool {
		!matches!(call, RuntimeCall::Nfts(_))
	}
}

parameter_types! {
	/// The account that owns the medical-record collection: derived from a pallet ID, so
	/// nobody holds its key.
	pub const RecordsPalletId: PalletId = PalletId(*b"pmr/rcds");
	pub RecordsCollectionOwner: AccountId = RecordsPalletId::get().into_account_truncating();
	/// Records are soulbound: no trading, no swaps, no transfer approvals.
	pub NftsFeatures: PalletFeatures = PalletFeatures::from_disabled(
		PalletFeature::Trading | PalletFeature::Swaps | PalletFeature::Approvals,
	);
	pub const NftsMaxDeadlineDuration: BlockNumber = 12 * 30 * crate::DAYS;
	/// The records collection: items are not transferable.
	pub RecordsCollectionConfig: CollectionConfigFor<Runtime> = CollectionConfig {
		settings: CollectionSettings::from_disabled(CollectionSetting::TransferableItems.into()),
		max_supply: None,
		mint_settings: MintSettings::default(),
	};
	/// Every record item: not transferable.
	pub SoulboundItemConfig: ItemConfig = ItemConfig {
		settings: ItemSettings::from_disabled(ItemSetting::Transferable.into()),
	};
}

impl pallet_nfts::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// One collection per purpose (the global records collection).
	type CollectionId = u32;
	/// The item ID of a record is its PMR-ID in numeric form (`pmr_primitives::PmrItemId`).
	type ItemId = pmr_primitives::PmrItemId;
	type Currency = Balances;
	type ForceOrigin = EnsureRoot<AccountId>;
	type CreateOrigin =
		AsEnsureOriginWithArg<EnsureRootWithSuccess<AccountId, RecordsCollectionOwner>>;
	type Locker = ();
	/// No deposits: only root and the medical-records pallet create and mint (signed calls
	/// are filtered), and the keyless collection owner could not pay them. Storage growth is
	/// paid through the fees of `create_record`.
	type CollectionDeposit = ConstU128<0>;
	type ItemDeposit = ConstU128<0>;
	type MetadataDepositBase = ConstU128<0>;
	type AttributeDepositBase = ConstU128<0>;
	type DepositPerByte = ConstU128<0>;
	type StringLimit = ConstU32<256>;
	type KeyLimit = ConstU32<64>;
	type ValueLimit = ConstU32<256>;
	type ApprovalsLimit = ConstU32<0>;
	type ItemAttributesApprovalsLimit = ConstU32<0>;
	type MaxTips = ConstU32<0>;
	type MaxDeadlineDuration = NftsMaxDeadlineDuration;
	type MaxAttributesPerCall = ConstU32<10>;
	type Features = NftsFeatures;
	type OffchainSignature = Signature;
	type OffchainPublic = <Signature as Verify>::Signer;
	type WeightInfo = pallet_nfts::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type Helper = ();
	type BlockNumberProvider = System;
}

impl pallet_medical_records::Config for Runtime {
	type Registry = Registry;
	type Access = Consent;
	/// Two thirds of the regulator council (or root): never one regulator alone.
	type ErasureOrigin = super::registry::CouncilOrigin;
	type Audit = Consent;
	type OnErased = crate::LabReports;
	type CollectionId = u32;
	type NftCollectionConfig = CollectionConfigFor<Runtime>;
	type NftItemConfig = ItemConfig;
	type Nfts = crate::Nfts;
	type RecordsCollectionConfig = RecordsCollectionConfig;
	type SoulboundItemConfig = SoulboundItemConfig;
	type CollectionOwner = RecordsCollectionOwner;
	type UnixTime = Timestamp;
	type ConsentRequests = Consent;
	type MaxVersions = ConstU32<32>;
	/// A patient's records move to a new account 32 at a time.
	type MaxReclaimPerCall = ConstU32<32>;
	type WeightInfo = pallet_medical_records::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Registry;
}

impl pallet_lab_reports::Config for Runtime {
	type Registry = Registry;
	type Access = Consent;
	type Records = crate::MedicalRecords;
	/// One index of anchored content addresses for records, reports and batches alike.
	type Content = crate::MedicalRecords;
	type UnixTime = Timestamp;
	/// Two thirds of the regulator council (or root): never one regulator alone.
	type ErasureOrigin = super::registry::CouncilOrigin;
	type Audit = Consent;
	/// A visit's record may carry up to 32 lab orders (an in-patient stay's daily bloods,
	/// imaging); erasing the record erases their reports in the same transaction.
	type MaxOrdersPerRecord = ConstU32<32>;
	type MaxDevicesPerPatient = ConstU32<16>;
	/// Five minutes of device clock drift.
	type MaxClockSkew = ConstU64<300_000>;
	type WeightInfo = pallet_lab_reports::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Registry;
}
