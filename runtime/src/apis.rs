//! The runtime APIs: what the node and clients may ask the runtime.

use crate::{
	AccountId, Aura, Balance, Block, BlockNumber, Consent, Executive, KeyRelease,
	LabReports, MedicalRecords, NodeAllowlist,
	InherentDataExt, Nonce, Registry, Runtime, RuntimeCall, RuntimeGenesisConfig, SessionKeys, System,
	TransactionPayment, VERSION,
};
use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use pmr_primitives::{
	AccessDenied, AccessGround, AccessPolicy, AccessTarget, AppointmentId, CustodianSetInfo, DeviceId, DoctorId,
	EncryptionPublicKey, GrantId, HospitalId, LabId, LabOrderId, LabReportId, Page, PatientId, PmrItemId,
	Purpose, RequestId,
};
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
#[cfg(not(feature = "parachain"))]
use sp_consensus_grandpa::AuthorityId as GrandpaId;
#[cfg(not(feature = "parachain"))]
use crate::Grandpa;
#[cfg(not(feature = "parachain"))]
use sp_runtime::traits::NumberFor;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::Block as BlockT,
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	// Standalone build: GRANDPA finality.
	#[cfg(not(feature = "parachain"))]
	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			// PoA: equivocations are a governance matter (no session pallet, no slashing).
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			None
		}
	}

	// Parachain build: what the collator asks the runtime.
	#[cfg(feature = "parachain")]
	impl cumulus_primitives_core::CollectCollationInfo<Block> for Runtime {
		fn collect_collation_info(
			header: &<Block as BlockT>::Header,
		) -> cumulus_primitives_core::CollationInfo {
			crate::ParachainSystem::collect_collation_info(header)
		}
	}

	#[cfg(feature = "parachain")]
	impl cumulus_primitives_aura::AuraUnincludedSegmentApi<Block> for Runtime {
		fn can_build_upon(
			included_hash: <Block as BlockT>::Hash,
			slot: cumulus_primitives_aura::Slot,
		) -> bool {
			crate::configs::consensus::ConsensusHook::can_build_upon(included_hash, slot)
		}
	}

	#[cfg(feature = "parachain")]
	impl cumulus_primitives_core::KeyToIncludeInRelayProof<Block> for Runtime {
		fn keys_to_prove() -> cumulus_primitives_core::RelayProofRequest {
			// The runtime reads no relay chain storage beyond what parachain-system proves.
			Default::default()
		}
	}

	#[cfg(feature = "parachain")]
	impl cumulus_primitives_core::GetParachainInfo<Block> for Runtime {
		fn parachain_id() -> cumulus_primitives_core::ParaId {
			crate::configs::consensus::para_id()
		}
	}

	#[cfg(feature = "parachain")]
	impl cumulus_primitives_core::RelayParentOffsetApi<Block> for Runtime {
		fn relay_parent_offset() -> u32 {
			use frame_support::traits::Get;
			<Runtime as cumulus_pallet_parachain_system::Config>::RelayParentOffset::get()
		}

		fn max_claim_queue_offset() -> u8 {
			// Asynchronous backing on one core: the next relay block or the one after.
			1
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_nfts_runtime_api::NftsApi<Block, AccountId, u32, pmr_primitives::PmrItemId> for Runtime {
		fn owner(collection: u32, item: pmr_primitives::PmrItemId) -> Option<AccountId> {
			<pallet_nfts::Pallet<Runtime> as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::owner(&collection, &item)
		}

		fn collection_owner(collection: u32) -> Option<AccountId> {
			<pallet_nfts::Pallet<Runtime> as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::collection_owner(&collection)
		}

		fn attribute(
			collection: u32,
			item: pmr_primitives::PmrItemId,
			key: Vec<u8>,
		) -> Option<Vec<u8>> {
			<pallet_nfts::Pallet<Runtime> as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::attribute(&collection, &item, &key)
		}

		fn custom_attribute(
			account: AccountId,
			collection: u32,
			item: pmr_primitives::PmrItemId,
			key: Vec<u8>,
		) -> Option<Vec<u8>> {
			<pallet_nfts::Pallet<Runtime> as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::custom_attribute(
				&account,
				&collection,
				&item,
				&key,
			)
		}

		fn system_attribute(
			collection: u32,
			item: Option<pmr_primitives::PmrItemId>,
			key: Vec<u8>,
		) -> Option<Vec<u8>> {
			<pallet_nfts::Pallet<Runtime> as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::system_attribute(&collection, item.as_ref(), &key)
		}

		fn collection_attribute(collection: u32, key: Vec<u8>) -> Option<Vec<u8>> {
			<pallet_nfts::Pallet<Runtime> as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::collection_attribute(&collection, &key)
		}
	}

	impl pallet_registry::runtime_api::RegistryApi<
		Block,
		AccountId,
		pallet_registry::HospitalInfo<Runtime>,
		pallet_registry::DoctorInfo<Runtime>,
		pallet_registry::LabInfo<Runtime>,
		pallet_registry::PatientInfo<Runtime>,
		pallet_registry::HospitalRole,
		pallet_registry::StaffMember,
	> for Runtime {
		fn hospital(id: HospitalId) -> Option<pallet_registry::HospitalInfo<Runtime>> {
			pallet_registry::Hospitals::<Runtime>::get(id)
		}

		fn hospital_of(account: AccountId) -> Option<(HospitalId, pallet_registry::HospitalRole)> {
			let hospital = pallet_registry::MemberOf::<Runtime>::get(&account)?;
			pallet_registry::HospitalMembers::<Runtime>::get(hospital, &account)
				.map(|role| (hospital, role))
		}

		fn hospital_members(id: HospitalId) -> Vec<(AccountId, pallet_registry::HospitalRole)> {
			Registry::members_of(id)
		}

		fn hospital_staff(id: HospitalId) -> Vec<pallet_registry::StaffMember> {
			Registry::staff_of(id)
		}

		fn doctor(id: DoctorId) -> Option<pallet_registry::DoctorInfo<Runtime>> {
			pallet_registry::Doctors::<Runtime>::get(id)
		}

		fn doctor_of(account: AccountId) -> Option<DoctorId> {
			pallet_registry::DoctorByAccount::<Runtime>::get(account)
		}

		fn lab(id: LabId) -> Option<pallet_registry::LabInfo<Runtime>> {
			pallet_registry::Labs::<Runtime>::get(id)
		}

		fn lab_of(account: AccountId) -> Option<LabId> {
			pallet_registry::LabByAccount::<Runtime>::get(account)
		}

		fn patient(id: PatientId) -> Option<pallet_registry::PatientInfo<Runtime>> {
			pallet_registry::Patients::<Runtime>::get(id)
		}

		fn patient_of(account: AccountId) -> Option<PatientId> {
			pallet_registry::PatientByAccount::<Runtime>::get(account)
		}

		fn custodian_set() -> CustodianSetInfo {
			Registry::custodian_set()
		}

		fn encryption_key(account: AccountId) -> Option<EncryptionPublicKey> {
			Registry::staff_encryption_key(&account)
		}
	}

	impl pallet_consent::runtime_api::ConsentApi<
		Block,
		AccountId,
		BlockNumber,
		pallet_consent::GrantInfo<Runtime>,
		pallet_consent::RequestInfo<Runtime>,
		pallet_consent::AuditEntry<Runtime>,
		pallet_consent::EmergencyRecord<Runtime>,
	> for Runtime {
		fn active_grants(
			patient: PatientId,
			after: Option<GrantId>,
			take: u32,
		) -> pmr_primitives::Page<(GrantId, pallet_consent::GrantInfo<Runtime>), GrantId> {
			Consent::active_grants(patient, after, take)
		}

		fn grant_suspended(grant: GrantId) -> Option<BlockNumber> {
			Consent::grant_suspended(grant)
		}

		fn consenting_patients(
			account: AccountId,
			after: Option<GrantId>,
			take: u32,
		) -> pmr_primitives::Page<(PatientId, GrantId, BlockNumber), GrantId> {
			Consent::consenting_patients(&account, after, take)
		}

		fn pending_requests(patient: PatientId) -> Vec<(RequestId, pallet_consent::RequestInfo<Runtime>)> {
			Consent::pending_requests(patient)
		}

		fn granted_count(patient: PatientId) -> u32 {
			pallet_consent::GrantsIssued::<Runtime>::get(patient)
		}

		fn audit_log(patient: PatientId, skip: u32, take: u32) -> Vec<pallet_consent::AuditEntry<Runtime>> {
			Consent::audit_page(patient, skip, take)
		}

		fn guardians(patient: PatientId) -> Vec<AccountId> {
			Consent::guardians_of(patient)
		}

		fn wards(account: AccountId, after: Option<PatientId>, take: u32) -> pmr_primitives::Page<PatientId, PatientId> {
			Consent::wards_of(&account, after, take)
		}

		fn standing_access(patient: PatientId) -> Option<(HospitalId, bool)> {
			Consent::standing_access(patient)
		}

		fn emergencies_to_review(
			after: Option<GrantId>,
			take: u32,
		) -> Page<(GrantId, pallet_consent::EmergencyRecord<Runtime>), GrantId> {
			Consent::emergencies_to_review(after, take)
		}

		fn can_access(
			account: AccountId,
			patient: PatientId,
			target: AccessTarget,
			purpose: Purpose,
		) -> Result<AccessGround, AccessDenied> {
			<Consent as AccessPolicy<AccountId>>::can_access(&account, patient, target, purpose)
		}

		fn essential_share(
			account: AccountId,
			patient: PatientId,
			target: pmr_primitives::SealedTarget,
		) -> Option<(GrantId, pmr_primitives::EssentialEnvelope)> {
			Consent::essential_share(&account, patient, target)
		}
	}

	impl pallet_node_allowlist::runtime_api::NodeAllowlistApi<Block> for Runtime {
		fn authorized_nodes() -> Option<Vec<pallet_node_allowlist::NodePeerId>> {
			NodeAllowlist::authorized_nodes()
		}
	}

	impl pallet_key_release::runtime_api::KeyReleaseApi<
		Block,
		AccountId,
		pallet_key_release::KeyRequest<Runtime>,
	> for Runtime {
		fn key_request(request: pmr_primitives::KeyRequestId) -> Option<pallet_key_release::KeyRequest<Runtime>> {
			pallet_key_release::KeyRequests::<Runtime>::get(request)
		}

		fn release_check(
			request: pmr_primitives::KeyRequestId,
		) -> Option<Result<(), pmr_primitives::ShareRefusal>> {
			KeyRelease::release_check(request)
		}

		fn patient_key_requests(
			patient: PatientId,
			after: Option<pmr_primitives::KeyRequestId>,
			take: u32,
		) -> pmr_primitives::Page<
			(pmr_primitives::KeyRequestId, pallet_key_release::KeyRequest<Runtime>),
			pmr_primitives::KeyRequestId,
		> {
			KeyRelease::patient_key_requests(patient, after, take)
		}

		fn requester_key_requests(
			account: AccountId,
			after: Option<pmr_primitives::KeyRequestId>,
			take: u32,
		) -> pmr_primitives::Page<
			(pmr_primitives::KeyRequestId, pallet_key_release::KeyRequest<Runtime>),
			pmr_primitives::KeyRequestId,
		> {
			KeyRelease::requester_key_requests(&account, after, take)
		}

		fn custodian_of(account: AccountId) -> Option<HospitalId> {
			<Registry as pmr_primitives::KeyCustody<AccountId>>::custodian_of(&account)
		}

		fn sealed(target: pmr_primitives::SealedTarget) -> Option<pmr_primitives::SealedContent> {
			<crate::configs::key_release::SealedContentRouter as pmr_primitives::SealedContentInspect>::sealed(target)
		}

		fn rewrapped_essential(target: pmr_primitives::SealedTarget) -> Option<pallet_key_release::RewrappedEssential> {
			KeyRelease::rewrapped_essential(target)
		}
	}

	impl pallet_key_release::runtime_api::ShareRequestApi<Block, AccountId, BlockNumber, crate::Signature>
		for Runtime
	{
		fn check_share_request(
			request: pmr_primitives::ShareRequest<AccountId, BlockNumber>,
			signature: crate::Signature,
		) -> pmr_primitives::ShareDecision<BlockNumber> {
			KeyRelease::check_share_request(&request, &signature)
		}
	}

	impl pallet_medical_records::runtime_api::RecordsApi<
		Block,
		AccountId,
		pallet_medical_records::RecordInfo<Runtime>,
		pallet_medical_records::VersionInfo<Runtime>,
		pallet_medical_records::CorrectionRequest<Runtime>,
		pallet_medical_records::Appointment<Runtime>,
	> for Runtime {
		fn patient_records(
			patient: PatientId,
			filter: pallet_medical_records::RecordFilter,
			after: Option<PmrItemId>,
			take: u32,
		) -> Page<(PmrItemId, pallet_medical_records::RecordInfo<Runtime>), PmrItemId> {
			MedicalRecords::patient_records(patient, filter, after, take)
		}

		fn record(item: PmrItemId) -> Option<(
			pallet_medical_records::RecordInfo<Runtime>,
			Vec<pallet_medical_records::VersionInfo<Runtime>>,
		)> {
			MedicalRecords::record_history(item)
		}

		fn correction(item: PmrItemId) -> Option<pallet_medical_records::CorrectionRequest<Runtime>> {
			pallet_medical_records::Corrections::<Runtime>::get(item)
		}

		fn content_anchor(cid: Vec<u8>) -> Option<pmr_primitives::SealedTarget> {
			<MedicalRecords as pmr_primitives::ContentAddresses>::anchor_of(&cid)
		}

		fn visible_records(
			account: AccountId,
			patient: PatientId,
			purpose: Purpose,
			after: Option<PmrItemId>,
			take: u32,
		) -> Page<PmrItemId, PmrItemId> {
			MedicalRecords::visible_records(&account, patient, purpose, after, take)
		}

		fn active_medications(
			patient: PatientId,
			after: Option<PmrItemId>,
			take: u32,
		) -> Page<(PmrItemId, pallet_medical_records::RecordInfo<Runtime>), PmrItemId> {
			MedicalRecords::active_medications(patient, after, take)
		}

		fn medications_visible_to(
			account: AccountId,
			patient: PatientId,
			after: Option<PmrItemId>,
			take: u32,
		) -> Page<(PmrItemId, pallet_medical_records::RecordInfo<Runtime>), PmrItemId> {
			MedicalRecords::medications_visible_to(&account, patient, after, take)
		}

		fn patient_appointments(
			patient: PatientId,
			after: Option<AppointmentId>,
			take: u32,
		) -> Page<(AppointmentId, pallet_medical_records::Appointment<Runtime>), AppointmentId> {
			MedicalRecords::patient_appointments(patient, after, take)
		}

		fn doctor_appointments(
			doctor: DoctorId,
			after: Option<AppointmentId>,
			take: u32,
		) -> Page<(AppointmentId, pallet_medical_records::Appointment<Runtime>), AppointmentId> {
			MedicalRecords::doctor_appointments(doctor, after, take)
		}
	}

	impl pallet_lab_reports::runtime_api::LabReportsApi<
		Block,
		pallet_lab_reports::LabOrder<Runtime>,
		pallet_lab_reports::LabReport<Runtime>,
		pallet_lab_reports::DeviceInfo<Runtime>,
		pallet_lab_reports::IomtBatch<Runtime>,
	> for Runtime {
		fn reports_of_record(item: PmrItemId) -> Vec<(LabReportId, pallet_lab_reports::LabReport<Runtime>)> {
			LabReports::reports_of_record(item)
		}

		fn patient_reports(
			patient: PatientId,
			after: Option<LabReportId>,
			take: u32,
		) -> pmr_primitives::Page<(LabReportId, pallet_lab_reports::LabReport<Runtime>), LabReportId> {
			LabReports::patient_reports(patient, after, take)
		}

		fn order(order: LabOrderId) -> Option<pallet_lab_reports::LabOrder<Runtime>> {
			pallet_lab_reports::LabOrders::<Runtime>::get(order)
		}

		fn open_orders(
			lab: LabId,
			after: Option<LabOrderId>,
			take: u32,
		) -> pmr_primitives::Page<(LabOrderId, pallet_lab_reports::LabOrder<Runtime>), LabOrderId> {
			LabReports::open_orders(lab, after, take)
		}

		fn patient_devices(patient: PatientId) -> Vec<(DeviceId, pallet_lab_reports::DeviceInfo<Runtime>)> {
			LabReports::patient_devices(patient)
		}

		fn device_batches(device: DeviceId, skip: u32, take: u32) -> Vec<pallet_lab_reports::IomtBatch<Runtime>> {
			LabReports::device_batches(device, skip, take)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			crate::benchmarks::metadata(extra)
		}

		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			crate::benchmarks::dispatch(config)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		// try-runtime is an off-chain testing tool; a failed check must abort it, so these two
		// functions panic by design (as upstream runtimes do). They are not in on-chain builds.
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			let weight = Executive::try_runtime_upgrade(checks).unwrap();
			(weight, crate::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.expect("execute-block failed")
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}
}
