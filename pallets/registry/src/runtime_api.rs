//! The registry's runtime API: what Polkadot.js Apps and RPC integrators call
//! (`state_call` / `api.call.registryApi.*`) instead of reading raw storage.

use alloc::vec::Vec;
use codec::Codec;
use pmr_primitives::{CustodianSetInfo, DoctorId, EncryptionPublicKey, HospitalId, LabId, PatientId};

sp_api::decl_runtime_apis! {
	/// Look-ups of hospitals, doctors, labs and patients, the custodian set and staff
	/// encryption keys.
	///
	/// The info types are the pallet's stored types (`HospitalInfo<Runtime>`, ...); their
	/// layout is in the runtime metadata.
	pub trait RegistryApi<AccountId, Hospital, Doctor, Lab, Patient, Role, Staff>
	where
		AccountId: Codec,
		Hospital: Codec,
		Doctor: Codec,
		Lab: Codec,
		Patient: Codec,
		Role: Codec,
		Staff: Codec,
	{
		/// A hospital by Hospital-ID.
		fn hospital(id: HospitalId) -> Option<Hospital>;
		/// The hospital an account is an admin or desk of, and its role there.
		fn hospital_of(account: AccountId) -> Option<(HospitalId, Role)>;
		/// The admin and desk accounts of a hospital.
		fn hospital_members(id: HospitalId) -> Vec<(AccountId, Role)>;
		/// The doctors and labs a hospital has onboarded.
		fn hospital_staff(id: HospitalId) -> Vec<Staff>;
		/// A doctor by Doctor-ID.
		fn doctor(id: DoctorId) -> Option<Doctor>;
		/// The Doctor-ID of an account.
		fn doctor_of(account: AccountId) -> Option<DoctorId>;
		/// A lab by Lab-ID.
		fn lab(id: LabId) -> Option<Lab>;
		/// The Lab-ID of an account.
		fn lab_of(account: AccountId) -> Option<LabId>;
		/// A patient by Patient-ID (account, commitment, public key; no personal data).
		fn patient(id: PatientId) -> Option<Patient>;
		/// The Patient-ID of an account.
		fn patient_of(account: AccountId) -> Option<PatientId>;
		/// The custodian set: its version, threshold (0: not configured) and custodians with
		/// their X25519 keys, in approval order.
		fn custodian_set() -> CustodianSetInfo;
		/// The X25519 key a doctor or lab registered for released key shares.
		fn encryption_key(account: AccountId) -> Option<EncryptionPublicKey>;
	}
}
