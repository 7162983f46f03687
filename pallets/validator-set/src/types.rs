//! The types this pallet stores and reports.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use pmr_primitives::HospitalId;
use scale_info::TypeInfo;

/// A member of the validator set.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Validator<AccountId> {
	/// The validator's account: its session keys are registered under it.
	pub account: AccountId,
	/// The hospital it validates for; `None` for a founding validator (genesis).
	pub hospital: Option<HospitalId>,
}

/// Why a validator left the set.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum RemovalReason {
	/// The regulator removed it (`remove_validator`).
	Regulator,
	/// Its hospital was suspended in the registry.
	HospitalSuspended,
	/// Its hospital was revoked in the registry (or is unknown to it).
	HospitalRevoked,
	/// Its hospital is back to pending verification.
	HospitalNotVerified,
}
