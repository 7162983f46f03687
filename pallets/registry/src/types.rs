//! The registry's stored types.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::BoundedVec,
	CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use pmr_primitives::{ContentHash, DoctorId, EncryptionPublicKey, HospitalId, HospitalStatus, LabId};
pub use pmr_primitives::{Custodian, CustodianSetInfo};
use scale_info::TypeInfo;

/// A short, bounded text field (name, location, registration number, contact, specialization).
/// Only public institutional or professional-register data is ever stored as text; patient
/// data never is.
pub type Text<T> = BoundedVec<u8, <T as Config>::MaxTextLen>;

/// What a hospital submits when it applies (Anjum et al. 2021, §3.2: government registration
/// ID, name, location, specializations, contact details).
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
pub struct HospitalDetails<T: Config> {
	/// The government registration ID (unique across the registry).
	pub registration_id: Text<T>,
	/// The hospital's name.
	pub name: Text<T>,
	/// Where the hospital is (address or locality).
	pub location: Text<T>,
	/// Its specializations (e.g. "cardiology").
	pub specializations: BoundedVec<Text<T>, <T as Config>::MaxSpecializations>,
	/// Institutional contact details (switchboard, email).
	pub contact: Text<T>,
}

/// A hospital in the registry.
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
pub struct HospitalInfo<T: Config> {
	/// The submitted details.
	pub details: HospitalDetails<T>,
	/// Where the hospital is in its lifecycle.
	pub status: HospitalStatus,
	/// The account that applied; it holds the application deposit until a regulator decides.
	pub applicant: T::AccountId,
	/// Whether the application deposit is still held.
	pub deposit_held: bool,
	/// When the hospital applied.
	pub applied_at: BlockNumberFor<T>,
	/// When the status last changed.
	pub status_changed_at: BlockNumberFor<T>,
	/// Number of member accounts (admins and desks).
	pub members: u32,
	/// Number of admin accounts among the members (never 0).
	pub admins: u32,
	/// Number of staff (doctors and labs) currently onboarded.
	pub staff: u32,
	/// Number of patients its desks registered.
	pub patients: u32,
}

/// The role in which a registered account submits a transaction. The permissioned
/// transaction extension ([`crate::CheckPermissioned`]) admits a call when one of the signer's
/// roles may submit it ([`crate::Config::RoleCalls`]); the call then checks the caller's role
/// itself and refuses with a typed error.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum ParticipantRole {
	/// An admin of a hospital that is not revoked.
	HospitalAdmin,
	/// A registration desk of a hospital that is not revoked.
	HospitalDesk,
	/// The custodian node's account of a hospital that is not revoked.
	KeyCustodian,
	/// A licensed doctor affiliated with a verified hospital.
	Doctor,
	/// A doctor in the registry who is not active: licence unconfirmed or revoked, or no
	/// verified hospital (e.g. an affiliation offer still to accept).
	InactiveDoctor,
	/// An active lab of a verified hospital.
	Lab,
	/// A registered patient.
	Patient,
}

/// The role of a member account of a hospital.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum HospitalRole {
	/// Manages the hospital's details, members and staff, and registers patients.
	Admin,
	/// Registration desk: registers patients.
	Desk,
	/// The account of the hospital's custodian node: answers key requests for the hospital
	/// (`keyRelease.releaseShare` / `refuseShare`) while the hospital is in the custodian set,
	/// and has no other power. Its key lives in the node's keystore, so it gets nothing a
	/// stolen node key should not have.
	KeyCustodian,
}

/// A staff entry of a hospital.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum StaffMember {
	/// A doctor.
	Doctor(DoctorId),
	/// A lab unit.
	Lab(LabId),
}

/// Whether a regulator confirmed a doctor's licence.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum LicenceStatus {
	/// Not yet confirmed by a regulator.
	Unconfirmed,
	/// Confirmed by a regulator.
	Confirmed,
	/// Revoked by a regulator.
	Revoked,
}

/// Professional-register details of a doctor.
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
pub struct DoctorDetails<T: Config> {
	/// Registration number with the medical council (e.g. the UPRN); unique.
	pub registration_number: Text<T>,
	/// The doctor's name as in the medical register.
	pub name: Text<T>,
	/// Specialization.
	pub specialization: Text<T>,
	/// Professional contact details.
	pub contact: Text<T>,
}

/// A doctor in the registry.
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
pub struct DoctorInfo<T: Config> {
	/// The doctor's account.
	pub account: T::AccountId,
	/// Register details.
	pub details: DoctorDetails<T>,
	/// Licence confirmation by a regulator.
	pub licence: LicenceStatus,
	/// The hospitals the doctor currently works for.
	pub hospitals: BoundedVec<HospitalId, <T as Config>::MaxHospitalsPerDoctor>,
}

/// Details of a lab unit (or lab technician account).
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
pub struct LabDetails<T: Config> {
	/// Registration or accreditation number of the lab; unique.
	pub registration_number: Text<T>,
	/// Name of the lab unit.
	pub name: Text<T>,
	/// What it does (e.g. "radiology", "pathology").
	pub specialization: Text<T>,
}

/// A lab in the registry. Labs belong to one hospital.
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
pub struct LabInfo<T: Config> {
	/// The lab's account.
	pub account: T::AccountId,
	/// The hospital it belongs to.
	pub hospital: HospitalId,
	/// Lab details.
	pub details: LabDetails<T>,
	/// `false` once offboarded. The entry stays so lab reports keep their provenance.
	pub active: bool,
}

/// A patient in the registry: no personal data, only a commitment and a public key.
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
pub struct PatientInfo<T: Config> {
	/// The patient's account.
	pub account: T::AccountId,
	/// The hospital whose desk registered the patient.
	pub registered_by: HospitalId,
	/// blake2-256 of the salted, encrypted-off-chain demographic record (name, age, gender,
	/// weight, height, contact, attendant). Proves which record the hospital registered
	/// without revealing it.
	pub commitment: ContentHash,
	/// The patient's X25519 public key (wraps the patient's essential key share off chain).
	pub encryption_key: EncryptionPublicKey,
	/// When the patient was registered.
	pub registered_at: BlockNumberFor<T>,
}

/// The registry roles an account held when it was replaced by another (key rotation or
/// recovery). An account may hold more than one (a doctor who is also a patient, a hospital
/// admin who is also a doctor); they all move together.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct AccountRoles {
	/// The account's Doctor-ID.
	pub doctor: Option<DoctorId>,
	/// The account's Lab-ID.
	pub lab: Option<LabId>,
	/// The account's Patient-ID.
	pub patient: Option<pmr_primitives::PatientId>,
	/// The hospital the account is a member (admin, desk, custodian node) of.
	pub member_of: Option<HospitalId>,
}

impl AccountRoles {
	/// Whether the account holds no registry role.
	pub fn is_empty(&self) -> bool {
		self == &Self::default()
	}
}

/// A proposal to move a lost account's roles to a new account, waiting for a regulator.
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
pub struct Recovery<T: Config> {
	/// The account that takes the lost account's roles.
	pub new: T::AccountId,
	/// The hospital that vouches for the holder (responsible for every role the lost account
	/// holds).
	pub hospital: HospitalId,
	/// The hospital admin who proposed it.
	pub proposed_by: T::AccountId,
	/// When it was proposed.
	pub proposed_at: BlockNumberFor<T>,
	/// The first block in which the regulator council may confirm it.
	pub executable_at: BlockNumberFor<T>,
	/// Who objected (the holder or a guardian of the patient), if anyone did.
	pub objected_by: Option<T::AccountId>,
}
