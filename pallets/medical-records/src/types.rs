//! The medical-records pallet's stored types.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use frame_system::pallet_prelude::BlockNumberFor;
pub use pmr_primitives::{Cid, EncryptedContent, ErasedBy, ManifestRef};
use pmr_primitives::{ContentHash, DoctorId, HospitalId, PatientId, RecordCategory, VisitDate};
use scale_info::TypeInfo;

/// One version of a record: the original (version 0) or an amendment.
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
pub struct VersionInfo<T: Config> {
	/// The IPFS CID of the ciphertext; `None` once the record is erased.
	pub cid: Option<Cid>,
	/// blake2-256 of the plaintext (kept after erasure).
	pub plaintext_hash: ContentHash,
	/// blake2-256 of the ciphertext (kept after erasure).
	pub ciphertext_hash: ContentHash,
	/// The key-share manifest (its CID, blake2-256 and the custodian set version its shares
	/// were made for), anchored with the version by the ingest worker or attached later with
	/// `attach_manifest`; `None` before that and once the record is erased.
	pub manifest: Option<ManifestRef>,
	/// The doctor who wrote this version.
	pub author: DoctorId,
	/// The account that signed it.
	pub author_account: T::AccountId,
	/// The version this one amends (`None` for the original).
	pub amends: Option<u32>,
	/// Why it was amended: the hash of a note sealed to the record's readers and kept off
	/// chain (see [`NoteHash`](pmr_primitives::NoteHash)); `None` for the original.
	pub reason: Option<pmr_primitives::NoteHash>,
	/// When it was written.
	pub at: BlockNumberFor<T>,
}


/// A patient medical record (one visit, one category): the PMR NFT's on-chain data.
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
pub struct RecordInfo<T: Config> {
	/// Whose record (the NFT's owner is this patient's account).
	pub patient: PatientId,
	/// The category.
	pub category: RecordCategory,
	/// The hospital the creating doctor acted for.
	pub hospital: HospitalId,
	/// The creating doctor.
	pub doctor: DoctorId,
	/// The visit date (part of the PMR-ID).
	pub visit_date: VisitDate,
	/// The same-day sequence number (part of the PMR-ID).
	pub sequence: u16,
	/// For a prescription: the last day of the course; it is an active medication until then.
	pub course_end: Option<VisitDate>,
	/// How many versions exist (the latest is `versions - 1`).
	pub versions: u32,
	/// When the record was created.
	pub created_at: BlockNumberFor<T>,
	/// When and by whom it was erased, if it was.
	pub erased: Option<(BlockNumberFor<T>, ErasedBy)>,
}

/// A patient's request that a record be corrected, waiting for a doctor.
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
pub struct CorrectionRequest<T: Config> {
	/// What should be corrected and why: the hash of a note sealed to the record's readers and
	/// kept off chain (see [`NoteHash`](pmr_primitives::NoteHash)).
	pub reason: pmr_primitives::NoteHash,
	/// When it was asked.
	pub at: BlockNumberFor<T>,
}

/// Where an appointment stands.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum AppointmentStatus {
	/// Booked and not yet closed.
	Scheduled,
	/// It took place.
	Completed,
	/// Called off.
	Cancelled,
}

/// An appointment between a patient and a doctor at a hospital.
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
pub struct Appointment<T: Config> {
	/// The patient.
	pub patient: PatientId,
	/// The doctor.
	pub doctor: DoctorId,
	/// The doctor's account.
	pub doctor_account: T::AccountId,
	/// Where.
	pub hospital: HospitalId,
	/// The blake2-256 hash of its details (time, place, reason, preparation), which are
	/// sealed to the patient and the doctor and kept off chain.
	pub details: pmr_primitives::NoteHash,
	/// Who booked it (the doctor or a desk).
	pub booked_by: T::AccountId,
	/// Where it stands.
	pub status: AppointmentStatus,
	/// The consent request filed with it, if any.
	pub consent_request: Option<pmr_primitives::RequestId>,
}

/// A patient whose account changed and whose record NFTs are still being moved to the new
/// account (`reclaim_records`, in bounded batches): where the next batch starts.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Reclaim {
	/// The last record of the patient's index the previous batch looked at (`None`: from
	/// the start).
	pub after: Option<pmr_primitives::PmrItemId>,
}
