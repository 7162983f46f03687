//! The lab-reports pallet's stored types.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use frame_system::pallet_prelude::BlockNumberFor;
pub use pmr_primitives::{Cid, EncryptedContent, ErasedBy, ManifestRef};
use pmr_primitives::{
	ContentHash, DoctorId, HospitalId, LabId, LabReportId, PatientId, PmrItemId, VisitDate,
};
use scale_info::TypeInfo;

/// A commitment to an IoMT device's kind: the blake2-256 hash of a random salt followed by the
/// kind's label (e.g. "continuous glucose monitor"), both kept off chain by the hospital and
/// the patient. The kind is never stored in the clear: a glucose monitor bound to a Patient-ID
/// tells anyone the patient's condition. Whoever holds salt and label can prove the kind.
pub type DeviceKindCommitment = ContentHash;

/// What a lab examined, by DICOM modality code (PS3.3 C.7.3.1.1.1) where one exists.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum Modality {
	/// `CR`: computed radiography (X-ray).
	Cr,
	/// `DX`: digital radiography (X-ray).
	Dx,
	/// `CT`: computed tomography.
	Ct,
	/// `MR`: magnetic resonance.
	Mr,
	/// `US`: ultrasound.
	Us,
	/// `MG`: mammography.
	Mg,
	/// `NM`: nuclear medicine.
	Nm,
	/// `PT`: positron emission tomography.
	Pt,
	/// `XA`: X-ray angiography.
	Xa,
	/// `ECG`: electrocardiography.
	Ecg,
	/// A laboratory test without images (blood work, pathology); no DICOM modality.
	Laboratory,
	/// `OT`: other.
	Other,
}

/// Where a lab order stands.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum OrderStatus {
	/// Waiting for the lab.
	Open,
	/// The lab anchored this report.
	Fulfilled(LabReportId),
	/// The ordering doctor cancelled it.
	Cancelled,
}

/// A doctor's order for lab work.
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
pub struct LabOrder<T: Config> {
	/// Whose.
	pub patient: PatientId,
	/// The ordering doctor.
	pub doctor: DoctorId,
	/// The ordering doctor's account (may cancel).
	pub doctor_account: T::AccountId,
	/// The lab that is to do the work.
	pub lab: LabId,
	/// The record (visit) the order belongs to, if any.
	pub record: Option<PmrItemId>,
	/// What is to be examined.
	pub modality: Modality,
	/// blake2-256 of the order's reason (clinical text, kept encrypted off chain).
	pub reason_hash: ContentHash,
	/// When it was ordered.
	pub ordered_at: BlockNumberFor<T>,
	/// Where it stands.
	pub status: OrderStatus,
}

/// A lab report anchored on chain: hashes and CIDs only.
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
pub struct LabReport<T: Config> {
	/// The order it answers.
	pub order: pmr_primitives::LabOrderId,
	/// Whose.
	pub patient: PatientId,
	/// The lab that anchored it.
	pub lab: LabId,
	/// The lab's account (attaches the study's manifest).
	pub lab_account: T::AccountId,
	/// The record (visit) it belongs to, if the order named one.
	pub record: Option<PmrItemId>,
	/// What was examined.
	pub modality: Modality,
	/// The date the images or samples were captured.
	pub captured_on: VisitDate,
	/// The encrypted study (e.g. a DICOM series), with its key-share manifest
	/// (`study.manifest`: CID, hash and custodian set version) once anchored or attached.
	pub study: EncryptedContent,
	/// The encrypted observations (clinical text), if written separately, with their own
	/// key-share manifest when the anchor carried one.
	pub observations: Option<EncryptedContent>,
	/// When it was anchored.
	pub anchored_at: BlockNumberFor<T>,
	/// When and by whom it was erased, if it was (its CIDs and manifests are then cleared:
	/// an empty CID, no manifest).
	pub erased: Option<(BlockNumberFor<T>, ErasedBy)>,
}

/// An IoMT device bound to a patient.
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
pub struct DeviceInfo<T: Config> {
	/// The device's signing account.
	pub account: T::AccountId,
	/// The patient it measures.
	pub patient: PatientId,
	/// The hospital that bound it.
	pub hospital: HospitalId,
	/// What kind of device it is, as a commitment only.
	pub kind: DeviceKindCommitment,
	/// Whether it may still anchor batches (a deactivated device leaves its patient's list).
	pub active: bool,
	/// How many batches it has anchored.
	pub batches: u32,
	/// The end of its last batch's window (Unix ms): the next window starts after it.
	pub last_window_end: u64,
}

/// A batch of IoMT readings anchored as a Merkle root (see `pmr_primitives::merkle`).
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
pub struct IomtBatch<T: Config> {
	/// The Merkle root over the batch's readings.
	pub root: ContentHash,
	/// First reading's time (Unix ms, inclusive).
	pub window_start: u64,
	/// Last reading's time (Unix ms, inclusive).
	pub window_end: u64,
	/// How many readings.
	pub samples: u32,
	/// The encrypted batch: its CID, hashes and key-share manifest.
	pub content: EncryptedContent,
	/// When it was anchored.
	pub anchored_at: BlockNumberFor<T>,
	/// When and by whom it was erased, if it was (its CID and manifest are then cleared).
	pub erased: Option<(BlockNumberFor<T>, ErasedBy)>,
}
