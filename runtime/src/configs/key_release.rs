//! Key release: consent-gated requests for a record's key shares, answered by the custodian
//! hospitals and the patient's side.

use crate::{Consent, LabReports, MedicalRecords, Registry, Runtime, HOURS};
use frame_support::{parameter_types, traits::ConstU32};
use pmr_primitives::{SealedContent, SealedContentInspect, SealedTarget};

parameter_types! {
	/// A key request can be answered for an hour at most (custodians answer within a few
	/// finalized blocks; the reader asks again for a later read).
	pub const KeyRequestLifetime: crate::BlockNumber = HOURS;
}

/// Routes each sealed target to the pallet that anchored it.
pub struct SealedContentRouter;
impl SealedContentInspect for SealedContentRouter {
	fn sealed(target: SealedTarget) -> Option<SealedContent> {
		match target {
			SealedTarget::RecordVersion { item, version } =>
				MedicalRecords::sealed_version(item, version),
			SealedTarget::LabStudy(report) => LabReports::sealed_study(report),
			SealedTarget::IomtBatch { device, batch } => LabReports::sealed_batch(device, batch),
		}
	}
}

impl pallet_key_release::Config for Runtime {
	type Registry = Registry;
	type Access = Consent;
	type Audit = Consent;
	type Sealed = SealedContentRouter;
	type Custody = Registry;
	type RequestLifetime = KeyRequestLifetime;
	type MaxCustodians = super::registry::MaxCustodians;
	type RequestSignature = crate::Signature;
	type RequestSigner = <crate::Signature as sp_runtime::traits::Verify>::Signer;
	type MaxAnswerBatch = ConstU32<32>;
	type MaxSweepPerBlock = ConstU32<32>;
	type MaxRewrapBatch = ConstU32<64>;
	type WeightInfo = pallet_key_release::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::KeyReleaseBench;
}
