//! The small traits PMR Chain pallets use to ask each other questions.
//!
//! A pallet that needs to know something another pallet owns depends on one of these traits
//! (through its `Config`), never on the other pallet's storage. The runtime wires the concrete
//! pallet in; mock runtimes in tests wire in a stub that answers what the test needs.
//!
//! | trait | answered by | asked by |
//! |---|---|---|
//! | [`RegistryInspect`] | registry pallet | consent, records, lab-report pallets |
//! | [`AccessPolicy`] | consent pallet | records and lab-report pallets, off-chain key release |
//! | [`RecordsInspect`] | medical-records pallet | consent and lab-report pallets |
//! | [`ConsentRequests`] | consent pallet | medical-records pallet (appointments) |
//! | [`HospitalStanding`] | registry pallet | node-allowlist pallet |
//! | [`ErasureAudit`] | consent pallet | records and lab-report pallets |
//! | [`AccountRecoveryHooks`] | consent pallet | registry pallet (account recovery) |

use crate::ids::{
	DeviceId, DoctorId, EncryptionPublicKey, GrantId, HospitalId, LabId, LabReportId, NoteHash,
	PatientId, PmrItemId, RequestId,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_weights::Weight;

/// Where a hospital is in its verification lifecycle.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum HospitalStatus {
	/// Applied; waiting for a regulator.
	Pending,
	/// Verified by a regulator: its staff may act.
	Verified,
	/// Temporarily suspended by a regulator: its staff may not act.
	Suspended,
	/// Permanently revoked by a regulator.
	Revoked,
}

/// Read-only questions about registered participants, answered by the registry.
///
/// "Active" always means: the registry entry exists, is not suspended or revoked, its hospital
/// is [`HospitalStatus::Verified`], and (for doctors) the licence has been confirmed.
pub trait RegistryInspect<AccountId> {
	/// The status of a hospital, or `None` if the ID was never issued.
	fn hospital_status(hospital: HospitalId) -> Option<HospitalStatus>;
	/// Whether `who` is an admin account of `hospital` (any status).
	fn is_hospital_admin(who: &AccountId, hospital: HospitalId) -> bool;
	/// Whether `who` is an admin or desk account of `hospital` (any status).
	fn is_hospital_member(who: &AccountId, hospital: HospitalId) -> bool;
	/// The Doctor-ID of `who` if `who` is an active doctor of `hospital`.
	fn active_doctor_of(who: &AccountId, hospital: HospitalId) -> Option<DoctorId>;
	/// The Doctor-ID of `who` if `who` is an active doctor of at least one verified hospital.
	fn active_doctor(who: &AccountId) -> Option<DoctorId>;
	/// The Lab-ID of `who` if `who` is an active lab account of `hospital`.
	fn active_lab_of(who: &AccountId, hospital: HospitalId) -> Option<LabId>;
	/// The Lab-ID of `who` if `who` is an active lab account of a verified hospital.
	fn active_lab(who: &AccountId) -> Option<LabId>;
	/// Whether the doctor is active (licensed, and working for at least one verified hospital).
	fn doctor_is_active(doctor: DoctorId) -> bool;
	/// Whether the lab is active (onboarded by a verified hospital).
	fn lab_is_active(lab: LabId) -> bool;
	/// The Patient-ID whose account is `who`.
	fn patient_of(who: &AccountId) -> Option<PatientId>;
	/// The account of a patient.
	fn patient_account(patient: PatientId) -> Option<AccountId>;
	/// The patient's registered public encryption key (to wrap the essential key share).
	fn patient_encryption_key(patient: PatientId) -> Option<EncryptionPublicKey>;
	/// The hospital whose desk registered the patient.
	fn registering_hospital(patient: PatientId) -> Option<HospitalId>;
}

/// The one question infrastructure pallets ask about a hospital: where it is in its
/// verification lifecycle (a subset of [`RegistryInspect`], for pallets that need no accounts).
pub trait HospitalStanding {
	/// The status of a hospital, or `None` if the ID was never issued.
	fn hospital_status(hospital: HospitalId) -> Option<HospitalStatus>;
}

/// An empty registry: nobody is registered. Useful as a safe default in mock runtimes.
impl<AccountId> RegistryInspect<AccountId> for () {
	fn hospital_status(_: HospitalId) -> Option<HospitalStatus> {
		None
	}
	fn is_hospital_admin(_: &AccountId, _: HospitalId) -> bool {
		false
	}
	fn is_hospital_member(_: &AccountId, _: HospitalId) -> bool {
		false
	}
	fn active_doctor_of(_: &AccountId, _: HospitalId) -> Option<DoctorId> {
		None
	}
	fn active_doctor(_: &AccountId) -> Option<DoctorId> {
		None
	}
	fn active_lab_of(_: &AccountId, _: HospitalId) -> Option<LabId> {
		None
	}
	fn active_lab(_: &AccountId) -> Option<LabId> {
		None
	}
	fn doctor_is_active(_: DoctorId) -> bool {
		false
	}
	fn lab_is_active(_: LabId) -> bool {
		false
	}
	fn patient_of(_: &AccountId) -> Option<PatientId> {
		None
	}
	fn patient_account(_: PatientId) -> Option<AccountId> {
		None
	}
	fn patient_encryption_key(_: PatientId) -> Option<EncryptionPublicKey> {
		None
	}
	fn registering_hospital(_: PatientId) -> Option<HospitalId> {
		None
	}
}

/// The categories of a patient medical record (Anjum et al. 2021, §3.2, plus prescriptions).
#[derive(
	Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Encode, Decode, DecodeWithMemTracking,
	MaxEncodedLen, TypeInfo,
)]
pub enum RecordCategory {
	/// History of the present illness.
	PresentIllness,
	/// Past illnesses.
	PastIllness,
	/// Provisional diagnosis.
	ProvisionalDiagnosis,
	/// Summary of the treatment given.
	TreatmentSummary,
	/// Lab diagnostics (X-ray, MRI, blood work, ...).
	LabDiagnostics,
	/// Data from Internet-of-Medical-Things devices.
	IomtData,
	/// Insurance documents.
	Insurance,
	/// Prescriptions and medications.
	Prescription,
}

/// Why someone wants access to a patient's records.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum Purpose {
	/// Ongoing treatment.
	Treatment,
	/// A second opinion from another practitioner.
	SecondOpinion,
	/// Lab work ordered by a doctor.
	LabWork,
	/// An insurance claim.
	Insurance,
	/// Research the patient agreed to.
	Research,
	/// An emergency (break-glass).
	Emergency,
}

/// What an access check is about.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum AccessTarget {
	/// Every record of the patient.
	AllRecords,
	/// The records of one category.
	Category(RecordCategory),
	/// One record (a grant for its category covers it).
	Record {
		/// Its PMR NFT item ID.
		item: PmrItemId,
		/// Its category, as the caller names it (checked against the record).
		category: RecordCategory,
	},
}

/// Who receives access: a doctor or a lab, by their registry identity (not by account, so a
/// doctor who works at several hospitals holds one consent, and a replaced key does not
/// orphan it).
#[derive(
	Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Encode, Decode, DecodeWithMemTracking,
	MaxEncodedLen, TypeInfo,
)]
pub enum Accessor {
	/// A doctor.
	Doctor(DoctorId),
	/// A lab.
	Lab(LabId),
}

impl Accessor {
	/// Resolves an account to the doctor or lab it acts as right now (doctor first), or `None`
	/// if it is neither an active doctor nor an active lab.
	pub fn of<AccountId, R: RegistryInspect<AccountId>>(who: &AccountId) -> Option<Self> {
		R::active_doctor(who).map(Self::Doctor).or_else(|| R::active_lab(who).map(Self::Lab))
	}
}

/// On which grounds an access check succeeded; recorded in the patient's audit trail.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum AccessGround {
	/// A consent grant the patient (or a guardian) gave.
	Grant(GrantId),
	/// A break-glass emergency declaration.
	BreakGlass(GrantId),
	/// The accessor is an active doctor of the hospital that registered the patient.
	RegisteringHospital(HospitalId),
	/// The patient (or a guardian) reads the patient's own records (a key request of the
	/// patient's side, e.g. for an export).
	PatientSide,
}

/// Why an access check failed.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum AccessDenied {
	/// The accessor is not an active registered doctor or lab.
	NotRegistered,
	/// The patient does not exist.
	UnknownPatient,
	/// No grant covers this accessor and patient.
	NoConsent,
	/// A grant existed but its expiry block has passed.
	Expired,
	/// A grant exists but does not cover this target.
	OutOfScope,
	/// A grant exists but for another purpose.
	PurposeMismatch,
	/// The record asked for does not exist, is erased, is another patient's, or is of another
	/// category than the one named: nothing of it is released (erasure revokes its key shares).
	NoSuchRecord,
	/// The doctor works for the patient's registering hospital, but the patient has withdrawn
	/// that hospital's standing access for treatment (and no grant covers the access).
	StandingAccessWithdrawn,
	/// The accessor's last grant was revoked by the patient (or a guardian), and no grant
	/// covers the access.
	Revoked,
	/// The accessor closed its last grant itself (ended the session), and no grant covers
	/// the access.
	SessionEnded,
	/// A grant covers the access, but the doctor's or lab's account was recovered after it
	/// was given (moved to a new key by a hospital and the regulator council): it applies
	/// again once the patient's side confirms it (`confirm_grant`).
	GrantSuspended,
}

/// The consent decision, answered by the consent pallet.
///
/// Implementations must compare expiry against the current block number on every call, never
/// trust a status flag that a cleanup sweep may not have flipped yet.
pub trait AccessPolicy<AccountId> {
	/// May `who` access `target` of `patient`'s records for `purpose` right now?
	fn can_access(
		who: &AccountId,
		patient: PatientId,
		target: AccessTarget,
		purpose: Purpose,
	) -> Result<AccessGround, AccessDenied>;

	/// The worst-case weight of one [`AccessPolicy::can_access`] call, for callers to charge.
	fn can_access_weight() -> Weight;

	/// Whether the patient lets the registering hospital act for treatment without a grant
	/// (the patient has not withdrawn its standing access). Mock policies that never withdraw
	/// it keep this answer; the consent pallet answers from its storage.
	fn standing_access_allowed(_patient: PatientId) -> bool {
		true
	}

	/// What a call still owes for its access check once the check granted access on
	/// `ground`, when the call's own benchmark ran the check on the standing access of the
	/// patient's registering hospital, at its longest (a doctor at the most hospitals): nothing
	/// for that ground, whose cost the call's weight already holds, and
	/// [`AccessPolicy::can_access_weight`] for any other. Such a call charges the worst case
	/// up front and refunds the rest after dispatch.
	fn weight_beyond_standing_access(ground: AccessGround) -> Weight {
		match ground {
			AccessGround::RegisteringHospital(_) => Weight::zero(),
			_ => Self::can_access_weight(),
		}
	}
}

/// Files access requests on a doctor's behalf, answered by the consent pallet: the
/// appointment book uses it so an appointment can carry a consent request.
pub trait ConsentRequests<AccountId, BlockNumber> {
	/// Files a request by `requester` (an active doctor or lab) for `target` of `patient`'s
	/// records, for `purpose`, lasting `duration` blocks once the patient approves. Fails with
	/// the consent pallet's own error (e.g. a duplicate request).
	fn file_request(
		requester: &AccountId,
		patient: PatientId,
		target: AccessTarget,
		purpose: Purpose,
		duration: BlockNumber,
	) -> Result<RequestId, sp_runtime::DispatchError>;

	/// The worst-case weight of [`ConsentRequests::file_request`].
	fn file_request_weight() -> Weight;

	/// Withdraws a request filed with [`ConsentRequests::file_request`] if it is still
	/// pending (an answered or expired one is left as it is).
	fn withdraw_request(request: RequestId);

	/// The worst-case weight of [`ConsentRequests::withdraw_request`].
	fn withdraw_request_weight() -> Weight;
}

/// Read-only questions about records, answered by the medical-records pallet.
pub trait RecordsInspect {
	/// The patient and the category of a record that exists and is not erased.
	fn live_record(item: PmrItemId) -> Option<(PatientId, RecordCategory)>;

	/// Benchmarks only: a live record of `patient` in `category`, so that other pallets'
	/// benchmarks can take the paths of calls that name a record (its content is not
	/// benchmarked here: only what [`RecordsInspect::live_record`] reads exists).
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_record(patient: PatientId, category: RecordCategory) -> PmrItemId;
}

/// No records at all. A safe default for mock runtimes (whose benchmarks then cannot take a
/// path that needs a record).
impl RecordsInspect for () {
	fn live_record(_: PmrItemId) -> Option<(PatientId, RecordCategory)> {
		None
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_record(_: PatientId, _: RecordCategory) -> PmrItemId {
		0
	}
}

/// Who ordered an erasure (of a record, a lab report or an IoMT batch).
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum ErasedBy {
	/// The patient.
	Patient,
	/// An order of the regulators as a body (in the PMR runtime: two thirds of the regulator
	/// council, or root), never of one regulator alone.
	Regulators {
		/// The hash of the order's legal basis (a court order, a supervisory decision), sealed
		/// to the patient and the regulators and kept off chain like every note.
		legal_basis: NoteHash,
	},
}

/// What was erased, as the patient's audit trail names it.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum ErasedContent {
	/// A record (every version; the lab reports ordered under it go with it).
	Record(PmrItemId),
	/// One lab report.
	LabReport(LabReportId),
	/// One IoMT batch of a device.
	IomtBatch {
		/// The device.
		device: DeviceId,
		/// The batch's number.
		batch: u32,
	},
}

/// Puts erasures into the patient's audit trail, answered by the consent pallet (which keeps
/// the trail); asked by the records and lab-report pallets.
pub trait ErasureAudit<AccountId> {
	/// Logs that `erased` of `patient` was erased `by` the patient's account `actor`, or by an
	/// order of the regulators (`actor` is `None`: the order is the body's, not an account's).
	fn log_erasure(patient: PatientId, actor: Option<&AccountId>, erased: ErasedContent, by: ErasedBy);
}

/// Keeps no trail. For mock runtimes.
impl<AccountId> ErasureAudit<AccountId> for () {
	fn log_erasure(_: PatientId, _: Option<&AccountId>, _: ErasedContent, _: ErasedBy) {}
}

/// A step of the recovery of a lost account, as the patient's audit trail records it (the
/// entry's block and actor say when and who).
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum RecoveryStep<AccountId> {
	/// A hospital proposed to move the account to `new`; the regulator council may confirm it
	/// once the recovery delay is over, and until then the holder or a guardian may object.
	Proposed {
		/// The hospital that vouches for the holder.
		hospital: HospitalId,
		/// The account that would take over.
		new: AccountId,
	},
	/// The account's holder or one of the patient's guardians objected.
	Objected,
	/// The proposing hospital or a regulator withdrew the proposal.
	Cancelled,
	/// The regulator council confirmed it: the roles moved to `new`.
	Confirmed {
		/// The account that now holds the roles.
		new: AccountId,
	},
}

/// What the registry tells the consent pallet while it recovers a lost account: every step
/// goes into the patient's audit trail, guardians may object, and a recovered doctor's or
/// lab's grants wait for the patient to confirm them again. Answered by the consent pallet.
///
/// The registry's benchmarks run against the runtime's consent pallet, so its call weights
/// include these.
pub trait AccountRecoveryHooks<AccountId> {
	/// Logs `step` of the recovery of `patient`'s own account into the patient's trail,
	/// attributed to `actor` (`None`: the regulator council as a body).
	fn log_recovery(patient: PatientId, actor: Option<&AccountId>, step: RecoveryStep<AccountId>);
	/// Whether `who` is one of `patient`'s guardians.
	fn is_guardian(who: &AccountId, patient: PatientId) -> bool;
	/// A doctor's or lab's account was recovered: every grant given to `accessor` before now
	/// is suspended until the patient's side confirms it again.
	fn staff_recovered(accessor: Accessor);
}

/// Keeps no trail and no grants. For mock runtimes.
impl<AccountId> AccountRecoveryHooks<AccountId> for () {
	fn log_recovery(_: PatientId, _: Option<&AccountId>, _: RecoveryStep<AccountId>) {}
	fn is_guardian(_: &AccountId, _: PatientId) -> bool {
		false
	}
	fn staff_recovered(_: Accessor) {}
}

/// Told by the registry when a patient's account is replaced (key rotation or recovery), so
/// that what the old account owns moves to the new one: the medical-records pallet moves the
/// patient's record NFTs (in bounded batches, `reclaim_records`).
pub trait OnPatientAccountChanged {
	/// The patient's account changed; returns the weight it used.
	fn patient_account_changed(patient: PatientId) -> Weight;
	/// The most [`OnPatientAccountChanged::patient_account_changed`] can weigh.
	fn patient_account_changed_weight() -> Weight;
}

/// Nothing is owned by patients' accounts. For mock runtimes.
impl OnPatientAccountChanged for () {
	fn patient_account_changed(_: PatientId) -> Weight {
		Weight::zero()
	}
	fn patient_account_changed_weight() -> Weight {
		Weight::zero()
	}
}

/// Replaces a patient's account, for other pallets' benchmarks (implemented by the registry).
pub trait PatientRotationBenchmarkHelper<AccountId> {
	/// Moves the patient's roles to `new`, as `rotate_account` does.
	fn rotate_patient(patient: PatientId, new: AccountId) -> sp_runtime::DispatchResult;
}

/// Told by the medical-records pallet when a record is erased, so that what was anchored
/// under it goes with it: the lab-reports pallet erases the record's lab reports.
pub trait OnRecordErased {
	/// Erases what hangs under `item`, ordered `by`; returns the weight it used.
	fn record_erased(item: PmrItemId, by: ErasedBy) -> Weight;
	/// The most [`OnRecordErased::record_erased`] can weigh (what `erase_record` charges).
	fn record_erased_weight() -> Weight;
}

/// Nothing hangs under records. For mock runtimes.
impl OnRecordErased for () {
	fn record_erased(_: PmrItemId, _: ErasedBy) -> Weight {
		Weight::zero()
	}
	fn record_erased_weight() -> Weight {
		Weight::zero()
	}
}

/// Sets up registry participants for other pallets' benchmarks (with the `runtime-benchmarks`
/// feature). The registry implements it through its own logic, so benchmarks of the consent
/// and records pallets run against real registry state.
#[cfg(feature = "runtime-benchmarks")]
pub trait RegistryBenchmarkHelper<AccountId> {
	/// A licensed, active doctor, unique for `seed`, set up as the worst case for the
	/// registry's look-ups.
	fn doctor(seed: u32) -> (AccountId, DoctorId);
	/// An active lab of a verified hospital, unique for `seed`.
	fn lab(seed: u32) -> (AccountId, LabId);
	/// A registered patient, unique for `seed`.
	fn patient(seed: u32) -> (AccountId, PatientId);
	/// A doctor as [`RegistryBenchmarkHelper::doctor`] and a patient registered at the
	/// doctor's active hospital (so the doctor treats the patient without a grant): (doctor
	/// account, Doctor-ID, that hospital, patient account, Patient-ID).
	fn treating_doctor(seed: u32) -> (AccountId, DoctorId, HospitalId, AccountId, PatientId);
	/// An admin account of `hospital` (one set up by this helper).
	fn hospital_admin(hospital: HospitalId) -> AccountId;
}

/// The closed policy: nobody may access anything. A safe default for mock runtimes.
impl<AccountId> AccessPolicy<AccountId> for () {
	fn can_access(
		_: &AccountId,
		_: PatientId,
		_: AccessTarget,
		_: Purpose,
	) -> Result<AccessGround, AccessDenied> {
		Err(AccessDenied::NoConsent)
	}

	fn can_access_weight() -> Weight {
		Weight::zero()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn empty_registry_knows_nobody() {
		assert_eq!(<() as RegistryInspect<u64>>::hospital_status(HospitalId(0)), None);
		assert_eq!(<() as RegistryInspect<u64>>::active_doctor(&1), None);
		assert_eq!(<() as RegistryInspect<u64>>::patient_account(PatientId(1)), None);
	}

	#[test]
	fn closed_policy_denies() {
		assert_eq!(
			<() as AccessPolicy<u64>>::can_access(
				&1,
				PatientId(1),
				AccessTarget::AllRecords,
				Purpose::Treatment
			),
			Err(AccessDenied::NoConsent)
		);
	}
}
