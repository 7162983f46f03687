//! The consent pallet's stored types.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use frame_system::pallet_prelude::BlockNumberFor;
use pmr_primitives::{
	AccessDenied, AccessGround, AccessTarget, Accessor, GrantId, PatientId, PmrItemId, Purpose,
	RecordCategory, RequestId,
};
use scale_info::TypeInfo;

/// What a grant or a request covers.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub enum Scope<T: Config> {
	/// Every record of the patient.
	AllRecords,
	/// The records of these categories (at least one).
	Categories(BoundedVec<RecordCategory, <T as Config>::MaxScopeItems>),
	/// These records, by PMR NFT item ID (at least one).
	Records(BoundedVec<PmrItemId, <T as Config>::MaxScopeItems>),
}

impl<T: Config> Scope<T> {
	/// Whether the scope names nothing (an empty category or record list).
	pub fn is_empty(&self) -> bool {
		match self {
			Self::AllRecords => false,
			Self::Categories(c) => c.is_empty(),
			Self::Records(r) => r.is_empty(),
		}
	}

	/// Whether an access to `target` falls under this scope. A category covers every record
	/// of that category; a record list covers only those records, never a whole category.
	pub fn covers(&self, target: &AccessTarget) -> bool {
		match (self, target) {
			(Self::AllRecords, _) => true,
			(Self::Categories(c), AccessTarget::Category(x)) |
			(Self::Categories(c), AccessTarget::Record { category: x, .. }) => c.contains(x),
			(Self::Records(r), AccessTarget::Record { item: id, .. }) => r.contains(id),
			_ => false,
		}
	}

	/// Whether this scope is the same as or narrower than `outer`: what an approval may do to
	/// a request. A record list is never "within" a category list, because the chain cannot
	/// prove the records belong to those categories.
	pub fn is_within(&self, outer: &Self) -> bool {
		match (self, outer) {
			(_, Self::AllRecords) => true,
			(Self::AllRecords, _) => false,
			(Self::Categories(a), Self::Categories(b)) => a.iter().all(|x| b.contains(x)),
			(Self::Records(a), Self::Records(b)) => a.iter().all(|x| b.contains(x)),
			_ => false,
		}
	}
}

/// When a grant ends.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum Expiry<BlockNumber> {
	/// At this block: access is denied from this block on.
	AtBlock(BlockNumber),
	/// This many blocks after the current one.
	After(BlockNumber),
}

/// Who gave a consent grant.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum Actor<AccountId> {
	/// The patient.
	Patient,
	/// A guardian of the patient, acting on the patient's behalf.
	Guardian(AccountId),
}

/// An accessor's logged accesses to a patient on one audit day.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct AccessDay<T: Config> {
	/// The audit day (block number divided by [`Config::AuditDay`]).
	pub day: BlockNumberFor<T>,
	/// The trail entry of the day's latest access, once there was a second one; later
	/// accesses that day rewrite it.
	pub latest: Option<u64>,
}

/// How a grant ended before it was deleted: kept per doctor or lab and patient in
/// [`EndedGrants`](crate::EndedGrants), so that a later refusal says why (`Expired`,
/// `Revoked`, `SessionEnded`) instead of `NoConsent`, also after the sweep.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum GrantEnd {
	/// Its expiry block passed.
	Expired,
	/// The patient or a guardian revoked it.
	Revoked,
	/// The doctor or lab ended the session.
	SessionEnded,
}

impl GrantEnd {
	/// The refusal an access check gives when this is the last word on the pair.
	pub fn refusal(self) -> pmr_primitives::AccessDenied {
		match self {
			Self::Expired => pmr_primitives::AccessDenied::Expired,
			Self::Revoked => pmr_primitives::AccessDenied::Revoked,
			Self::SessionEnded => pmr_primitives::AccessDenied::SessionEnded,
		}
	}
}

/// The last grant of a doctor or lab for a patient that was deleted, and how it ended.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct EndedGrant<T: Config> {
	/// The grant.
	pub grant: pmr_primitives::GrantId,
	/// How it ended.
	pub how: GrantEnd,
	/// The block it ended in (its expiry block, for an expired grant).
	pub at: BlockNumberFor<T>,
}

/// How a grant came to be.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub enum GrantKind<T: Config> {
	/// The patient (or a guardian) consented, directly or by approving a request.
	Consent {
		/// Who consented.
		by: Actor<T::AccountId>,
		/// The request it answered, if any.
		request: Option<RequestId>,
	},
	/// A doctor declared an emergency (break-glass); no consent was given.
	BreakGlass {
		/// The declaring doctor's account.
		declared_by: T::AccountId,
	},
}

/// A live grant of access to a patient's records.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct GrantInfo<T: Config> {
	/// Whose records.
	pub patient: PatientId,
	/// Who may access them.
	pub accessor: Accessor,
	/// Which records.
	pub scope: Scope<T>,
	/// For what purpose.
	pub purpose: Purpose,
	/// Consent or break-glass, and by whom.
	pub kind: GrantKind<T>,
	/// The block the grant was given in.
	pub granted_at: BlockNumberFor<T>,
	/// The first block in which the grant no longer applies.
	pub expires_at: BlockNumberFor<T>,
}

impl<T: Config> GrantInfo<T> {
	/// Whether the grant applies at block `now` (checked on every access).
	pub fn is_live(&self, now: BlockNumberFor<T>) -> bool {
		now < self.expires_at
	}

	/// Whether the grant allows `purpose`. A break-glass grant serves emergency care and the
	/// treatment that follows it; a consent grant serves exactly the purpose consented to.
	pub fn allows_purpose(&self, purpose: Purpose) -> bool {
		match self.kind {
			GrantKind::BreakGlass { .. } => matches!(purpose, Purpose::Emergency | Purpose::Treatment),
			GrantKind::Consent { .. } => self.purpose == purpose,
		}
	}

	/// Whether this is a break-glass grant.
	pub fn is_break_glass(&self) -> bool {
		matches!(self.kind, GrantKind::BreakGlass { .. })
	}
}

/// A doctor's or lab's pending request for access.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct RequestInfo<T: Config> {
	/// Whose records.
	pub patient: PatientId,
	/// Who asks.
	pub requester: Accessor,
	/// The requesting account (it may cancel the request).
	pub requester_account: T::AccountId,
	/// Which records.
	pub scope: Scope<T>,
	/// For what purpose.
	pub purpose: Purpose,
	/// For how many blocks after approval.
	pub duration: BlockNumberFor<T>,
	/// Why: the hash of a note sealed to the patient and kept off chain (see
	/// [`NoteHash`](pmr_primitives::NoteHash)); `None` for a request filed with an
	/// appointment.
	pub reason: Option<pmr_primitives::NoteHash>,
	/// When the request was made.
	pub requested_at: BlockNumberFor<T>,
	/// The first block in which the request can no longer be answered.
	pub expires_at: BlockNumberFor<T>,
}

/// A break-glass declaration kept for review by the regulator (and shown to the patient).
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct EmergencyRecord<T: Config> {
	/// Whose records were opened.
	pub patient: PatientId,
	/// The declaring doctor.
	pub doctor: pmr_primitives::DoctorId,
	/// The declaring doctor's account.
	pub account: T::AccountId,
	/// The stated reason: the hash of a note sealed to the patient and the regulator and kept
	/// off chain (see [`NoteHash`](pmr_primitives::NoteHash)).
	pub reason: pmr_primitives::NoteHash,
	/// When the emergency was declared.
	pub declared_at: BlockNumberFor<T>,
	/// When its window closes (or closed).
	pub expires_at: BlockNumberFor<T>,
}

/// What an audit-trail entry records.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum AuditEvent<AccountId> {
	/// Data was released: an access check passed.
	Accessed {
		/// Who accessed.
		accessor: Accessor,
		/// What.
		target: AccessTarget,
		/// Why.
		purpose: Purpose,
		/// Under which grant, break-glass or hospital relationship.
		ground: AccessGround,
	},
	/// A registered doctor or lab tried and was refused.
	Refused {
		/// Who tried.
		accessor: Accessor,
		/// What.
		target: AccessTarget,
		/// Why.
		purpose: Purpose,
		/// Why it was refused.
		reason: AccessDenied,
	},
	/// A grant was issued (consent).
	GrantIssued {
		/// The grant.
		grant: GrantId,
		/// To whom.
		accessor: Accessor,
	},
	/// A grant was closed early (revoked by the patient's side or ended by the grantee).
	GrantClosed {
		/// The grant.
		grant: GrantId,
	},
	/// A doctor declared an emergency and opened the records (break-glass).
	EmergencyDeclared {
		/// The break-glass grant.
		grant: GrantId,
		/// The doctor.
		doctor: pmr_primitives::DoctorId,
	},
	/// The regulator reviewed a break-glass declaration.
	EmergencyReviewed {
		/// The break-glass grant.
		grant: GrantId,
		/// Whether the regulator found it justified.
		justified: bool,
	},
	/// A step of consent-gated key release (request, refusal, a custodian's or the patient's
	/// answer), logged by the key-release pallet.
	Key(pmr_primitives::KeyAuditEvent),
	/// A guardian was appointed for the patient.
	GuardianAppointed {
		/// The guardian.
		guardian: AccountId,
		/// Who appointed them.
		by: GuardianAuthority,
		/// The hash of the legal basis (a court order, a power of attorney), kept off chain.
		legal_basis: Option<pmr_primitives::NoteHash>,
	},
	/// A guardian was removed, or resigned.
	GuardianRemoved {
		/// The former guardian.
		guardian: AccountId,
		/// Who removed them.
		by: GuardianAuthority,
		/// The hash of the legal basis, kept off chain.
		legal_basis: Option<pmr_primitives::NoteHash>,
	},
	/// The patient's side withdrew (`allowed: false`) or restored the registering hospital's
	/// standing access for treatment.
	StandingAccessChanged {
		/// The registering hospital.
		hospital: pmr_primitives::HospitalId,
		/// Whether its active doctors may now treat without a grant.
		allowed: bool,
	},
	/// A record, lab report or IoMT batch of the patient was erased, by the patient's
	/// account (the entry's actor) or by an order of the regulators (no actor; the order's
	/// legal basis is in `by`).
	Erased {
		/// What was erased.
		erased: pmr_primitives::ErasedContent,
		/// By whose order.
		by: pmr_primitives::ErasedBy,
	},
	/// A step of the recovery of the patient's own account (proposed by a hospital, objected
	/// to, cancelled, confirmed by the regulator council: no actor).
	Recovery(pmr_primitives::RecoveryStep<AccountId>),
	/// The patient's side confirmed a grant again after its doctor's or lab's account was
	/// recovered.
	GrantConfirmed {
		/// The grant.
		grant: GrantId,
	},
}

/// Who appointed or removed a guardian.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum GuardianAuthority {
	/// The patient.
	Patient,
	/// The guardian, resigning.
	Guardian,
	/// The regulator body by its guardian origin ([`crate::Config::GuardianOrigin`]: in the
	/// PMR runtime, a two-thirds majority of the regulator council), on a legal basis.
	Regulators,
}

/// One entry of a patient's audit trail.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct AuditEntry<T: Config> {
	/// The entry's sequence number in the patient's trail (0 for the first entry ever).
	pub index: u64,
	/// When.
	pub at: BlockNumberFor<T>,
	/// The account that acted (accessor, patient, guardian, doctor or regulator).
	pub actor: Option<T::AccountId>,
	/// What happened.
	pub event: AuditEvent<T::AccountId>,
}

/// The essential shares an approval hands over: for each piece of content in scope, the
/// patient's essential share sealed to the grantee's registered key.
pub type KeysOf<T> = BoundedVec<
	(pmr_primitives::SealedTarget, pmr_primitives::EssentialEnvelope),
	<T as Config>::MaxKeysPerApproval,
>;
