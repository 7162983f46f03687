//! # Registry pallet
//!
//! Who is who on PMR Chain. A regulator body verifies hospitals; verified hospitals onboard
//! doctors and labs and register patients. Personal data of patients never reaches the chain.
//!
//! ## Roles and lifecycle
//!
//! - **Hospitals** apply with their government registration ID, name, location,
//!   specializations and contact details, and hold an application deposit (returned on
//!   verification, burnt if the application is rejected). A regulator
//!   verifies (`Pending → Verified`), suspends (`Verified → Suspended`), reinstates
//!   (`Suspended → Verified`) or revokes (any → `Revoked`, final) them. Editing verified
//!   details sends a hospital back to `Pending` for re-verification. A hospital has admin and
//!   desk member accounts (at least one admin).
//! - **Doctors** are onboarded by a verified hospital's admin and get a Doctor-ID; a doctor can
//!   work for several hospitals. If the runtime requires it
//!   ([`Config::LicenceConfirmationRequired`]), a doctor may act only once a regulator has
//!   confirmed the licence.
//! - **Labs** (lab units or technicians) are onboarded by a verified hospital's admin and get a
//!   Lab-ID.
//! - **Patients** are registered by a verified hospital's desk (or admin) and get a
//!   Patient-ID. The chain stores the patient's account, a salted hash commitment of the
//!   demographic record (kept encrypted off chain) and the patient's public encryption key.
//!   Only the patient can change them.
//!
//! Suspending or revoking a hospital immediately stops what its staff can do: every
//! "active" answer of [`RegistryInspect`] requires a verified hospital.
//!
//! ## Key custodians
//!
//! Consortium hospitals act as key custodians: a record's data key is split t-of-n among the
//! current custodian set (plus the patient's essential share). An admin of a verified hospital
//! proposes its custodian node's X25519 key; a regulator approves it into the set (approving a
//! new key of a custodian rotates it), removes custodians and sets the threshold `t`. Every
//! change of the set or the threshold bumps the set's [`pmr_primitives::CustodianSetVersion`],
//! which every anchored key-share manifest names. A hospital that stops being verified
//! (suspended, revoked, or sent back for re-verification) leaves the set and loses its pending
//! key. Doctors and labs register the X25519 key released shares are wrapped to.
//!
//! ## Interface for other pallets
//!
//! [`Pallet`] implements [`pmr_primitives::RegistryInspect`]; other pallets depend on that
//! trait, not on this pallet's storage. Clients use the [`runtime_api::RegistryApi`] runtime
//! API. The [`CheckPermissioned`] transaction extension keeps accounts that are not part of
//! the consortium from transacting at all.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod extension;
mod features;
mod inspect;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
// Invariants: run by try-runtime, after every unit test, and by runtime-level tests (std).
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod try_state;
pub mod types;
pub mod weights;

pub use extension::CheckPermissioned;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Mutate, MutateHold},
			Contains, ContainsPair,
		},
	};
	use frame_system::pallet_prelude::*;
	use pmr_primitives::{
		ContentHash, CustodianSetVersion, DoctorId, EncryptionPublicKey, HospitalId, LabId,
		OnPatientAccountChanged, PatientId,
	};

	/// The balance type of the deposit currency.
	pub type BalanceOf<T> = <<T as Config>::Currency as frame_support::traits::fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the registry.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The regulator body: verifies, suspends, reinstates and revokes hospitals and
		/// confirms or revokes doctors' licences.
		type RegulatorOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Told when a patient's account is replaced (the medical-records pallet moves the
		/// patient's record NFTs).
		type OnPatientAccountChanged: pmr_primitives::OnPatientAccountChanged;

		/// Confirms the recovery of a lost account: a body, not one member (in the PMR
		/// runtime: two thirds of the regulator council).
		type RecoveryOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Told of every step of an account recovery (the consent pallet: the patient's audit
		/// trail, guardians' objections, a recovered doctor's or lab's grants suspended).
		type RecoveryHooks: pmr_primitives::AccountRecoveryHooks<Self::AccountId>;

		/// How long a proposed recovery waits before it can be confirmed, in blocks: time for
		/// the holder and the patient's guardians to see the announcement and object.
		#[pallet::constant]
		type RecoveryDelay: Get<BlockNumberFor<Self>>;

		/// Accounts that are regulators (for [`crate::CheckPermissioned`]).
		type Regulators: Contains<Self::AccountId>;

		/// Accounts that operate the chain (validators, governance) and may always transact.
		type Operators: Contains<Self::AccountId>;

		/// Accounts other pallets admit to the consortium without a registry role, each for the
		/// calls of its role only (in the PMR runtime: patients' guardians for consent calls,
		/// IoMT devices for anchoring their batches).
		type OtherParticipants: ContainsPair<Self::AccountId, <Self as frame_system::Config>::RuntimeCall>;

		/// Calls that accounts outside the consortium may submit (a hospital's application).
		type NewcomerCalls: Contains<<Self as frame_system::Config>::RuntimeCall>;

		/// The calls each registered role may submit (for [`crate::CheckPermissioned`]): a
		/// patient or a doctor reaches the PMR pallets, not, say, `Balances` or
		/// `System::remark`; a key-custodian account only answers key requests.
		type RoleCalls: ContainsPair<ParticipantRole, <Self as frame_system::Config>::RuntimeCall>;

		/// The currency that holds application deposits.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ Mutate<Self::AccountId>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The deposit held from a hospital's applicant until a regulator verifies the hospital
		/// (released) or rejects the application (`revoke_hospital` while pending: burnt). It
		/// makes flooding the regulators with applications costly.
		#[pallet::constant]
		type ApplicationDeposit: Get<BalanceOf<Self>>;

		/// Whether a doctor may act only after a regulator confirmed the licence.
		#[pallet::constant]
		type LicenceConfirmationRequired: Get<bool>;

		/// Maximum length of a text field, in bytes.
		#[pallet::constant]
		type MaxTextLen: Get<u32>;

		/// Maximum number of specializations of a hospital.
		#[pallet::constant]
		type MaxSpecializations: Get<u32>;

		/// Maximum number of member accounts (admins and desks) of a hospital.
		#[pallet::constant]
		type MaxMembersPerHospital: Get<u32>;

		/// Maximum number of staff (doctors and labs) of a hospital.
		#[pallet::constant]
		type MaxStaffPerHospital: Get<u32>;

		/// Maximum number of hospitals a doctor works for at once.
		#[pallet::constant]
		type MaxHospitalsPerDoctor: Get<u32>;

		/// Maximum number of key custodians (hospitals holding key shares); 1 to 255, the most
		/// shares the key sharing's field, GF(2^8), allows.
		#[pallet::constant]
		type MaxCustodians: Get<u32>;

		/// Weights of this pallet's calls and of [`crate::CheckPermissioned`].
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A hospital's application deposit.
		HospitalApplication,
	}

	/// The Hospital-ID the next application gets.
	#[pallet::storage]
	pub type NextHospitalId<T> = StorageValue<_, HospitalId, ValueQuery>;

	/// Hospitals by Hospital-ID.
	#[pallet::storage]
	pub type Hospitals<T: Config> = StorageMap<_, Blake2_128Concat, HospitalId, HospitalInfo<T>>;

	/// Government registration ID → Hospital-ID (registration IDs are unique).
	#[pallet::storage]
	pub type HospitalByRegistrationId<T: Config> =
		StorageMap<_, Blake2_128Concat, Text<T>, HospitalId>;

	/// Member accounts of each hospital and their roles.
	#[pallet::storage]
	pub type HospitalMembers<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		HospitalId,
		Blake2_128Concat,
		T::AccountId,
		HospitalRole,
	>;

	/// Account → the hospital it is a member of (an account serves one hospital).
	#[pallet::storage]
	pub type MemberOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, HospitalId>;

	/// Doctors and labs currently onboarded by each hospital.
	#[pallet::storage]
	pub type HospitalStaff<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, HospitalId, Blake2_128Concat, StaffMember, ()>;

	/// The Doctor-ID the next new doctor gets.
	#[pallet::storage]
	pub type NextDoctorId<T> = StorageValue<_, DoctorId, ValueQuery>;

	/// Doctors by Doctor-ID.
	#[pallet::storage]
	pub type Doctors<T: Config> = StorageMap<_, Blake2_128Concat, DoctorId, DoctorInfo<T>>;

	/// Account → Doctor-ID.
	#[pallet::storage]
	pub type DoctorByAccount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, DoctorId>;

	/// Affiliations a hospital offered to a doctor already in the registry, waiting for the
	/// doctor's acceptance (`accept_affiliation`); an offer does not count until then.
	#[pallet::storage]
	pub type AffiliationOffers<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, DoctorId, Blake2_128Concat, HospitalId, ()>;

	/// Registration number → Doctor-ID (registration numbers are unique).
	#[pallet::storage]
	pub type DoctorByRegistrationNumber<T: Config> =
		StorageMap<_, Blake2_128Concat, Text<T>, DoctorId>;

	/// The Lab-ID the next lab gets.
	#[pallet::storage]
	pub type NextLabId<T> = StorageValue<_, LabId, ValueQuery>;

	/// Labs by Lab-ID.
	#[pallet::storage]
	pub type Labs<T: Config> = StorageMap<_, Blake2_128Concat, LabId, LabInfo<T>>;

	/// Account → Lab-ID.
	#[pallet::storage]
	pub type LabByAccount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, LabId>;

	/// Registration number → Lab-ID (registration numbers are unique).
	#[pallet::storage]
	pub type LabByRegistrationNumber<T: Config> =
		StorageMap<_, Blake2_128Concat, Text<T>, LabId>;

	/// The Patient-ID the next patient gets.
	#[pallet::storage]
	pub type NextPatientId<T> = StorageValue<_, PatientId, ValueQuery>;

	/// Patients by Patient-ID.
	#[pallet::storage]
	pub type Patients<T: Config> = StorageMap<_, Blake2_128Concat, PatientId, PatientInfo<T>>;

	/// Account → Patient-ID.
	#[pallet::storage]
	pub type PatientByAccount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, PatientId>;

	/// Custodian keys proposed by hospitals' admins, waiting for a regulator (one per hospital;
	/// a new proposal replaces the previous one). Only verified hospitals have one.
	#[pallet::storage]
	pub type PendingCustodianKeys<T: Config> =
		StorageMap<_, Blake2_128Concat, HospitalId, EncryptionPublicKey>;

	/// The custodian set: the hospitals whose custodian nodes hold key shares, with their
	/// X25519 keys, in approval order (unique by hospital and by key; all verified).
	#[pallet::storage]
	pub type Custodians<T: Config> =
		StorageValue<_, BoundedVec<Custodian, T::MaxCustodians>, ValueQuery>;

	/// How many custodian shares recover the custodian part of a data key (`t`); 0 until a
	/// regulator sets it.
	#[pallet::storage]
	pub type CustodianThreshold<T> = StorageValue<_, u8, ValueQuery>;

	/// The custodian set's version: bumped by every change of the set or the threshold, and
	/// named by every key-share manifest anchored on chain.
	#[pallet::storage]
	pub type CurrentCustodianSetVersion<T> = StorageValue<_, CustodianSetVersion, ValueQuery>;

	/// The X25519 keys doctors and labs registered: key shares released to them are wrapped to
	/// these.
	#[pallet::storage]
	pub type StaffEncryptionKeys<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, EncryptionPublicKey>;

	/// Recoveries of lost accounts proposed by a hospital, waiting for a regulator: lost
	/// account → the proposal.
	#[pallet::storage]
	pub type PendingRecoveries<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Recovery<T>>;

	/// Events: what wallets and clinician UIs show.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A hospital applied for registration and waits for a regulator.
		HospitalApplied {
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
			/// The applying account, now the hospital's first admin.
			applicant: T::AccountId,
		},
		/// A hospital changed its details; if it was verified, it needs re-verification.
		HospitalDetailsUpdated {
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
			/// Whether the hospital went back to `Pending` for re-verification.
			reverification_required: bool,
		},
		/// A regulator verified a hospital: its staff may act.
		HospitalVerified {
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
		},
		/// A regulator suspended a hospital: its staff may not act until reinstated.
		HospitalSuspended {
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
		},
		/// A regulator reinstated a suspended hospital.
		HospitalReinstated {
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
		},
		/// A regulator revoked a hospital for good.
		HospitalRevoked {
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
		},
		/// A regulator rejected a pending application: its deposit was burnt.
		ApplicationDepositBurned {
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
			/// The account that applied and held the deposit.
			applicant: T::AccountId,
			/// The amount burnt.
			amount: BalanceOf<T>,
		},
		/// A hospital admin added a member account.
		MemberAdded {
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
			/// The member account.
			who: T::AccountId,
			/// Its role.
			role: HospitalRole,
		},
		/// A hospital admin removed a member account.
		MemberRemoved {
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
			/// The member account.
			who: T::AccountId,
		},
		/// A hospital onboarded a doctor (`new`: the doctor got a new Doctor-ID).
		DoctorOnboarded {
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
			/// The Doctor-ID.
			doctor: DoctorId,
			/// Whether the doctor was new to the registry.
			new: bool,
		},
		/// A hospital offered an affiliation to a doctor already in the registry; it counts once
		/// the doctor accepts it (`accept_affiliation`).
		AffiliationOffered {
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
			/// The Doctor-ID.
			doctor: DoctorId,
		},
		/// A hospital withdrew an affiliation offer the doctor had not accepted.
		AffiliationWithdrawn {
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
			/// The Doctor-ID.
			doctor: DoctorId,
		},
		/// A hospital offboarded a doctor.
		DoctorOffboarded {
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
			/// The Doctor-ID.
			doctor: DoctorId,
		},
		/// A regulator confirmed a doctor's licence.
		DoctorLicenceConfirmed {
			/// The Doctor-ID.
			doctor: DoctorId,
		},
		/// A regulator revoked a doctor's licence.
		DoctorLicenceRevoked {
			/// The Doctor-ID.
			doctor: DoctorId,
		},
		/// A hospital onboarded a lab.
		LabOnboarded {
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
			/// The Lab-ID.
			lab: LabId,
		},
		/// A hospital offboarded a lab.
		LabOffboarded {
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
			/// The Lab-ID.
			lab: LabId,
		},
		/// A hospital desk registered a patient.
		PatientRegistered {
			/// The Patient-ID.
			patient: PatientId,
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
		},
		/// A patient replaced their demographic commitment and encryption key.
		PatientUpdated {
			/// The Patient-ID.
			patient: PatientId,
		},
		/// A hospital's admin proposed a custodian key; it waits for a regulator.
		CustodianKeyProposed {
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
		},
		/// A regulator approved a hospital's custodian key: the hospital joined the custodian
		/// set, or its key was rotated.
		CustodianApproved {
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
			/// The custodian set's new version.
			set: CustodianSetVersion,
		},
		/// A hospital left the custodian set (removed by a regulator, or no longer verified).
		CustodianRemoved {
			/// The hospital's Hospital-ID.
			hospital: HospitalId,
			/// The custodian set's new version.
			set: CustodianSetVersion,
		},
		/// A regulator set the custodian threshold.
		CustodianThresholdSet {
			/// Custodian shares needed to recover a key.
			threshold: u8,
			/// The custodian set's new version.
			set: CustodianSetVersion,
		},
		/// A doctor or lab registered the key released key shares are wrapped to.
		EncryptionKeySet {
			/// The doctor's or lab's account.
			who: T::AccountId,
		},
		/// An account's registry roles moved to another account: rotated by the holder, or
		/// recovered (a lost account) by a hospital and a regulator.
		AccountRotated {
			/// The replaced account.
			old: T::AccountId,
			/// The account that now holds the roles.
			new: T::AccountId,
			/// The roles that moved.
			roles: AccountRoles,
			/// The hospital that vouched for a recovery; `None` when the holder rotated.
			recovered_by: Option<HospitalId>,
		},
		/// A hospital proposed to move a lost account's roles to a new account: the
		/// announcement. The regulator council may confirm it (`approve_recovery`) from block
		/// `executable_at`; until then the holder or the patient's guardians may object.
		RecoveryProposed {
			/// The lost account.
			lost: T::AccountId,
			/// The proposed new account.
			new: T::AccountId,
			/// The proposing hospital.
			hospital: HospitalId,
			/// The first block in which the council may confirm it.
			executable_at: BlockNumberFor<T>,
		},
		/// The holder of an account under recovery, or a guardian of its patient, objected:
		/// the recovery stays pending, and the council decides knowing it.
		RecoveryObjected {
			/// The account under recovery.
			lost: T::AccountId,
			/// Who objected.
			by: T::AccountId,
		},
		/// A pending recovery was cancelled.
		RecoveryCancelled {
			/// The account that was to be recovered.
			lost: T::AccountId,
			/// The hospital that had proposed it.
			hospital: HospitalId,
		},
		/// A doctor changed or removed their contact details in the register.
		DoctorContactChanged {
			/// The Doctor-ID.
			doctor: DoctorId,
			/// Whether the contact details are now empty.
			removed: bool,
		},
	}

	/// Errors: each names exactly what was wrong with the request.
	#[pallet::error]
	pub enum Error<T> {
		/// No hospital has this Hospital-ID.
		UnknownHospital,
		/// No doctor has this Doctor-ID.
		UnknownDoctor,
		/// No lab has this Lab-ID.
		UnknownLab,
		/// The caller is not an admin of this hospital.
		NotHospitalAdmin,
		/// The caller is neither a desk nor an admin of this hospital.
		NotHospitalDesk,
		/// The caller is not a registered patient.
		NotPatient,
		/// The hospital must be verified for this.
		HospitalNotVerified,
		/// The hospital must be pending verification for this.
		HospitalNotPending,
		/// The hospital must be suspended for this.
		HospitalNotSuspended,
		/// The hospital is revoked; nothing about it can change any more.
		HospitalRevoked,
		/// Another hospital already uses this government registration ID.
		RegistrationIdTaken,
		/// The account already serves a hospital as admin or desk.
		AlreadyMember,
		/// The account is not a member of this hospital.
		NotMember,
		/// A hospital must keep at least one admin.
		LastAdmin,
		/// The hospital has the maximum number of member accounts.
		TooManyMembers,
		/// The hospital has the maximum number of staff.
		TooManyStaff,
		/// The doctor works for the maximum number of hospitals.
		TooManyHospitals,
		/// This account is already registered as a doctor with another registration number.
		DoctorAccountMismatch,
		/// Another doctor already uses this registration number.
		RegistrationNumberTaken,
		/// The doctor already works for this hospital.
		AlreadyOnboarded,
		/// This hospital has already offered the doctor an affiliation.
		AffiliationAlreadyOffered,
		/// No affiliation offer of this hospital waits for the caller.
		NoAffiliationOffer,
		/// The doctor or lab does not work for this hospital.
		NotStaffOfHospital,
		/// The licence is already confirmed.
		LicenceAlreadyConfirmed,
		/// The licence is already revoked.
		LicenceAlreadyRevoked,
		/// This account is already registered as a lab.
		LabAccountTaken,
		/// The lab is already offboarded.
		LabInactive,
		/// This account is already registered as a patient.
		PatientAccountTaken,
		/// The hospital has no custodian key waiting for approval.
		NoPendingCustodianKey,
		/// The custodian set is full (`MaxCustodians`).
		TooManyCustodians,
		/// Another custodian already uses this key.
		CustodianKeyInUse,
		/// The hospital is not in the custodian set.
		NotCustodian,
		/// The threshold is 0 or larger than the custodian set can ever be (`MaxCustodians`).
		InvalidCustodianThreshold,
		/// The caller is neither a doctor nor an active lab.
		NotDoctorOrLab,
		/// The account is already a doctor (to be a lab) or a lab (to be a doctor): one account
		/// has one clinical role.
		AccountHasAnotherRole,
		/// An ID counter is exhausted.
		IdOverflow,
		/// A counter would overflow or underflow (an invariant is broken).
		CounterOverflow,
		/// The caller is not a doctor in the registry.
		NotDoctor,
		/// The doctor's contact details already are these.
		ContactUnchanged,
		/// The account holds no registry role to move.
		NoRoleToMove,
		/// The new account is the old one.
		SameAccount,
		/// The hospital is not responsible for every role of the lost account (it must employ
		/// the doctor, host the lab, have registered the patient, have the member).
		NotResponsibleHospital,
		/// A hospital admin cannot propose the recovery of their own account.
		CannotRecoverOwnAccount,
		/// A recovery of this account is already pending (cancel it first).
		RecoveryPending,
		/// No recovery of this account is pending.
		NoRecoveryPending,
		/// Only an admin of the proposing hospital or a regulator may cancel a recovery (the
		/// holder and the patient's guardians object: `object_recovery`).
		NotAllowedToCancelRecovery,
		/// The recovery's delay is not over: the council may confirm it from the block its
		/// `RecoveryProposed` event named.
		RecoveryDelayNotOver,
		/// Only the account's holder or one of its patient's guardians may object to a
		/// recovery.
		NotAllowedToObject,
		/// This recovery already has an objection on record.
		AlreadyObjected,
		/// A registration number (or ID) or a name is empty.
		MissingDetails,
		/// The account applied for a hospital's registration that is still pending, and the
		/// new account cannot hold the application deposit: fund it with at least the
		/// existential deposit first.
		NewAccountCannotHoldDeposit,
		/// The applicant of a pending application stays its member until a regulator verifies
		/// or rejects it: the application deposit is held on their account.
		ApplicantCannotLeave,
		/// The X25519 encryption key is of small order (all zeros, for example): a share
		/// wrapped to it could be unwrapped by anyone. Register the key the wallet or the
		/// custodian node generated (`pmr-node x25519-key generate`).
		UnusableEncryptionKey,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				(1..=255).contains(&T::MaxCustodians::get()),
				"MaxCustodians must be 1 to 255 (shares of GF(2^8) secret sharing)"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Apply to register a hospital. The caller becomes its first admin and the
		/// application deposit is held until a regulator verifies or revokes the hospital.
		///
		/// Emits `HospitalApplied` with the new Hospital-ID.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::apply_for_registration())]
		pub fn apply_for_registration(
			origin: OriginFor<T>,
			details: HospitalDetails<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_apply_for_registration(who, details)
		}

		/// Replace a hospital's details (admin only). A verified hospital goes back to
		/// `Pending` and must be verified again (a custodian leaves the custodian set and a
		/// pending custodian key is dropped); a suspended one stays suspended.
		///
		/// Emits `HospitalDetailsUpdated` (and `CustodianRemoved` if it was a custodian).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_hospital_details())]
		pub fn update_hospital_details(
			origin: OriginFor<T>,
			hospital: HospitalId,
			details: HospitalDetails<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_hospital_details(who, hospital, details)
		}

		/// Add an admin or desk account to a hospital (admin only).
		///
		/// Emits `MemberAdded`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::add_member())]
		pub fn add_member(
			origin: OriginFor<T>,
			hospital: HospitalId,
			member: T::AccountId,
			role: HospitalRole,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_add_member(who, hospital, member, role)
		}

		/// Remove a member account from a hospital (admin only). The last admin cannot be
		/// removed.
		///
		/// Emits `MemberRemoved`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_member())]
		pub fn remove_member(
			origin: OriginFor<T>,
			hospital: HospitalId,
			member: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_member(who, hospital, member)
		}

		/// Verify a pending hospital (regulators only). Releases the application deposit.
		///
		/// Emits `HospitalVerified`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::verify_hospital())]
		pub fn verify_hospital(origin: OriginFor<T>, hospital: HospitalId) -> DispatchResult {
			T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_verify_hospital(hospital)
		}

		/// Suspend a verified hospital (regulators only): its doctors, labs and desks cannot
		/// act until it is reinstated. A custodian leaves the custodian set, and a pending
		/// custodian key is dropped.
		///
		/// Emits `HospitalSuspended` (and `CustodianRemoved` if it was a custodian).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::suspend_hospital())]
		pub fn suspend_hospital(origin: OriginFor<T>, hospital: HospitalId) -> DispatchResult {
			T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_suspend_hospital(hospital)
		}

		/// Reinstate a suspended hospital (regulators only).
		///
		/// Emits `HospitalReinstated`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::reinstate_hospital())]
		pub fn reinstate_hospital(origin: OriginFor<T>, hospital: HospitalId) -> DispatchResult {
			T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_reinstate_hospital(hospital)
		}

		/// Revoke a hospital for good (regulators only); also rejects a pending application,
		/// whose deposit is then burnt. Records stay readable. A custodian leaves the custodian
		/// set, and a pending custodian key is dropped.
		///
		/// Emits `HospitalRevoked` (and `ApplicationDepositBurned` for a rejected application,
		/// `CustodianRemoved` if it was a custodian).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::revoke_hospital())]
		pub fn revoke_hospital(origin: OriginFor<T>, hospital: HospitalId) -> DispatchResult {
			T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_revoke_hospital(hospital)
		}

		/// Onboard a doctor to a verified hospital (admin only). A doctor new to the registry
		/// gets a Doctor-ID and works for the hospital (`DoctorOnboarded`). A doctor already
		/// registered (same account and registration number) is offered the affiliation
		/// (`AffiliationOffered`): it counts once the doctor accepts it, and the doctor's
		/// register details stay as they are.
		#[pallet::call_index(8)]
		#[pallet::weight(
			T::WeightInfo::onboard_new_doctor().max(T::WeightInfo::onboard_existing_doctor())
		)]
		pub fn onboard_doctor(
			origin: OriginFor<T>,
			hospital: HospitalId,
			doctor: T::AccountId,
			details: DoctorDetails<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_onboard_doctor(who, hospital, doctor, details)
		}

		/// Offboard a doctor from a hospital (admin only; allowed in any hospital status), or
		/// withdraw the hospital's affiliation offer the doctor has not accepted.
		///
		/// Emits `DoctorOffboarded` (or `AffiliationWithdrawn`).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::offboard_doctor())]
		pub fn offboard_doctor(
			origin: OriginFor<T>,
			hospital: HospitalId,
			doctor: DoctorId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_offboard_doctor(who, hospital, doctor)
		}

		/// Confirm a doctor's licence (regulators only).
		///
		/// Emits `DoctorLicenceConfirmed`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::confirm_doctor_licence())]
		pub fn confirm_doctor_licence(origin: OriginFor<T>, doctor: DoctorId) -> DispatchResult {
			T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_set_licence(doctor, LicenceStatus::Confirmed)
		}

		/// Revoke a doctor's licence (regulators only): the doctor can no longer act at any
		/// hospital.
		///
		/// Emits `DoctorLicenceRevoked`.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::revoke_doctor_licence())]
		pub fn revoke_doctor_licence(origin: OriginFor<T>, doctor: DoctorId) -> DispatchResult {
			T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_set_licence(doctor, LicenceStatus::Revoked)
		}

		/// Onboard a lab unit to a verified hospital (admin only); it gets a Lab-ID.
		///
		/// Emits `LabOnboarded`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::onboard_lab())]
		pub fn onboard_lab(
			origin: OriginFor<T>,
			hospital: HospitalId,
			lab: T::AccountId,
			details: LabDetails<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_onboard_lab(who, hospital, lab, details)
		}

		/// Offboard a lab from its hospital (admin only). The Lab-ID stays on record.
		///
		/// Emits `LabOffboarded`.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::offboard_lab())]
		pub fn offboard_lab(origin: OriginFor<T>, hospital: HospitalId, lab: LabId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_offboard_lab(who, hospital, lab)
		}

		/// Register a patient at a verified hospital (desk or admin). Only the patient's
		/// account, a salted hash commitment of the demographic record and the patient's
		/// public encryption key go on chain; never the demographics themselves. A key of
		/// small order is refused (`UnusableEncryptionKey`).
		///
		/// Emits `PatientRegistered` with the new Patient-ID.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::register_patient())]
		pub fn register_patient(
			origin: OriginFor<T>,
			hospital: HospitalId,
			patient: T::AccountId,
			commitment: ContentHash,
			encryption_key: EncryptionPublicKey,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_patient(who, hospital, patient, commitment, encryption_key)
		}

		/// Replace your demographic commitment and encryption key (patients only, for
		/// themselves). A key of small order is refused (`UnusableEncryptionKey`).
		///
		/// Emits `PatientUpdated`.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::update_patient())]
		pub fn update_patient(
			origin: OriginFor<T>,
			commitment: ContentHash,
			encryption_key: EncryptionPublicKey,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_patient(who, commitment, encryption_key)
		}

		/// Propose the X25519 key of the hospital's custodian node (an admin of the verified
		/// hospital). Replaces a pending proposal; a regulator approves it into the custodian
		/// set. A key of small order is refused (`UnusableEncryptionKey`).
		///
		/// Emits `CustodianKeyProposed`.
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::propose_custodian_key())]
		pub fn propose_custodian_key(
			origin: OriginFor<T>,
			hospital: HospitalId,
			key: EncryptionPublicKey,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_propose_custodian_key(who, hospital, key)
		}

		/// Approve a hospital's pending custodian key (regulators only): the hospital joins the
		/// custodian set, or its previous key is replaced (rotation). Bumps the set's version.
		///
		/// Emits `CustodianApproved`.
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::approve_custodian_key())]
		pub fn approve_custodian_key(origin: OriginFor<T>, hospital: HospitalId) -> DispatchResult {
			T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_approve_custodian_key(hospital)
		}

		/// Remove a hospital from the custodian set (regulators only). Bumps the set's version.
		///
		/// Emits `CustodianRemoved`.
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::remove_custodian())]
		pub fn remove_custodian(origin: OriginFor<T>, hospital: HospitalId) -> DispatchResult {
			T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_remove_custodian(hospital)
		}

		/// Set how many custodian shares recover a key (regulators only): at least 1 and at
		/// most `MaxCustodians`. Bumps the set's version.
		///
		/// Emits `CustodianThresholdSet`.
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::set_custodian_threshold())]
		pub fn set_custodian_threshold(origin: OriginFor<T>, threshold: u8) -> DispatchResult {
			T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_set_custodian_threshold(threshold)
		}

		/// Register or replace your X25519 key (doctors and active labs, for themselves): key
		/// shares released to you are wrapped to it. A key of small order is refused
		/// (`UnusableEncryptionKey`).
		///
		/// Emits `EncryptionKeySet`.
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::set_encryption_key())]
		pub fn set_encryption_key(origin: OriginFor<T>, key: EncryptionPublicKey) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_encryption_key(who, key)
		}

		/// Accept a verified hospital's affiliation offer (the doctor's own account): from now
		/// on the doctor works for that hospital too.
		///
		/// Emits `DoctorOnboarded` (with `new: false`).
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::accept_affiliation())]
		pub fn accept_affiliation(origin: OriginFor<T>, hospital: HospitalId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept_affiliation(who, hospital)
		}

		/// Change or remove (an empty `contact`) the doctor's own contact details in the
		/// register (the doctor's account, also with a revoked licence). Nobody else can: a
		/// hospital's `onboard_doctor` of a doctor already registered changes nothing of the
		/// doctor's. The new value replaces the old in the chain's state; the block that first
		/// wrote it stays in the chain's history (see `docs/architecture.md`).
		///
		/// Emits `DoctorContactChanged`.
		#[pallet::call_index(22)]
		#[pallet::weight(T::WeightInfo::set_doctor_contact())]
		pub fn set_doctor_contact(origin: OriginFor<T>, contact: Text<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_doctor_contact(who, contact)
		}

		/// Move every registry role of the signing account (doctor, lab, patient, hospital
		/// member) to `new`, which must hold none: key rotation. Everything keyed by the
		/// Doctor-, Lab- or Patient-ID (grants, requests, audit trail, records, lab reports)
		/// follows; a doctor's or lab's encryption key moves too. The applicant of a pending
		/// hospital application moves the held application deposit to `new` (which must exist:
		/// `NewAccountCannotHoldDeposit`), so its release or burn later meets the new account.
		///
		/// Emits `AccountRotated`.
		#[pallet::call_index(23)]
		#[pallet::weight(
			T::WeightInfo::rotate_account().saturating_add(
				<T::OnPatientAccountChanged as OnPatientAccountChanged>::patient_account_changed_weight()
			)
		)]
		pub fn rotate_account(origin: OriginFor<T>, new: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_rotate_account(who, new)
		}

		/// Propose to move a lost account's roles to `new` (an admin of `hospital`, a verified
		/// hospital responsible for every role the lost account holds). Takes effect when the
		/// regulator council confirms it, no earlier than `RecoveryDelay` blocks from now;
		/// until then the lost account's holder (if the key is not lost after all) or the
		/// patient's guardians may object, and nothing else moves the account (the holder
		/// cannot rotate it away). A patient's recovery goes into the patient's audit trail.
		///
		/// Emits `RecoveryProposed` (the announcement, with the block it may be confirmed
		/// from).
		#[pallet::call_index(24)]
		#[pallet::weight(T::WeightInfo::propose_recovery())]
		pub fn propose_recovery(
			origin: OriginFor<T>,
			hospital: HospitalId,
			lost: T::AccountId,
			new: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_propose_recovery(who, hospital, lost, new)
		}

		/// Confirm a pending recovery whose delay is over (the regulator council, with any
		/// objection on record before it): the lost account's roles move to the new account; a
		/// doctor's or lab's encryption key is dropped (the holder registers a new one), and
		/// the grants patients gave that doctor or lab are suspended until each patient's side
		/// confirms them again (`consent.confirm_grant`).
		///
		/// Emits `AccountRotated` (with `recovered_by`).
		#[pallet::call_index(25)]
		#[pallet::weight(
			T::WeightInfo::approve_recovery().saturating_add(
				<T::OnPatientAccountChanged as OnPatientAccountChanged>::patient_account_changed_weight()
			)
		)]
		pub fn approve_recovery(origin: OriginFor<T>, lost: T::AccountId) -> DispatchResult {
			T::RecoveryOrigin::ensure_origin(origin)?;
			Self::do_approve_recovery(lost)
		}

		/// Cancel a pending recovery: an admin of the proposing hospital, or a regulator. (The
		/// holder objects instead: whoever holds a stolen key is a holder too.)
		///
		/// Emits `RecoveryCancelled`.
		#[pallet::call_index(26)]
		#[pallet::weight(T::WeightInfo::cancel_recovery())]
		pub fn cancel_recovery(origin: OriginFor<T>, lost: T::AccountId) -> DispatchResult {
			let by = match T::RegulatorOrigin::try_origin(origin) {
				Ok(_) => None,
				Err(origin) => Some(ensure_signed(origin)?),
			};
			Self::do_cancel_recovery(by, lost)
		}

		/// Object to a pending recovery: the lost account itself (its key is not lost after
		/// all) or a guardian of the patient it holds. The objection is announced and goes
		/// into the patient's audit trail; the recovery stays pending for the regulator
		/// council, which confirms or a regulator cancels knowing it (a thief holding a
		/// stolen key could object too, so an objection alone cannot stop a recovery).
		///
		/// Emits `RecoveryObjected`.
		#[pallet::call_index(27)]
		#[pallet::weight(T::WeightInfo::object_recovery())]
		pub fn object_recovery(origin: OriginFor<T>, lost: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_object_recovery(who, lost)
		}
	}
}
