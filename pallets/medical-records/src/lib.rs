//! # Medical-records pallet
//!
//! Patient medical records (PMRs) as soulbound NFTs owned by the patient.
//!
//! ## Records
//!
//! A doctor of a verified hospital creates a record for a visit when the hospital registered
//! the patient or the doctor holds a live consent or break-glass window for the record's
//! category (asked through [`pmr_primitives::AccessPolicy`] with the treatment purpose). The
//! record gets a [`PmrId`]: the Patient-ID, the visit date (DDMMYYYY) and a same-day sequence
//! number. It is minted as an item of the records collection of `pallet-nfts`, through the
//! `nonfungibles_v2` traits, with the PMR-ID as item ID, owned by the patient's account and
//! not transferable. The runtime filters every `Nfts` call out of signed transactions, so no
//! signed call can transfer, burn or re-attribute a record.
//!
//! On chain a record holds the category, the creating doctor and hospital, the visit date,
//! and per version the IPFS CID of the encrypted record, blake2-256 of the plaintext and of
//! the ciphertext, and the key-share manifest as a [`ManifestRef`]: its CID, its blake2-256
//! and the custodian set version its shares were made for, so a reader checks the manifest it
//! fetched against the chain. The ingest worker anchors the manifest with the content; a
//! version anchored without one gets it later with [`Pallet::attach_manifest`]. No clinical
//! text goes on chain.
//!
//! ## Amendments and corrections
//!
//! An amendment adds a version that links to the previous one, with the author and a reason;
//! old versions stay readable, so the history (provenance) is queryable. A doctor may amend
//! only while the consent decision lets it treat the record (standing access of the patient's
//! registering hospital, a grant, break-glass) — the author included. A patient may
//! ask for a correction; a doctor who may amend resolves it with an amendment or rejects it.
//!
//! ## Erasure by crypto-shredding
//!
//! The patient ([`Pallet::erase_record`]), or an order of the regulators as a body on a legal
//! basis ([`Pallet::order_record_erasure`], [`Config::ErasureOrigin`]: never one regulator
//! alone), erases a record: every CID (content and key-share manifest) is removed from state
//! and listed in the `RecordErased` event for the hospitals' IPFS nodes to unpin; the consent
//! check refuses the record from then on, so its key shares are never released again; only the
//! hashes, the NFT and the erasure event remain. Either way the erasure, and who ordered it,
//! goes into the patient's audit trail ([`Config::Audit`]).
//!
//! ## Medications
//!
//! Prescriptions may carry the last day of the course; [`Pallet::active_medications`] lists
//! those still running, by the chain's clock.
//!
//! ## Appointments
//!
//! A doctor, or a desk of the doctor's hospital, books an appointment: the patient, the doctor
//! and the hospital, and the [`NoteHash`] of its details (time, place, reason, preparation),
//! which are sealed to the patient and the doctor and kept off chain, so the chain does not
//! tell its readers when a patient will be where. It may carry a consent request for the
//! doctor, filed with the consent pallet ([`pmr_primitives::ConsentRequests`]), which the
//! patient answers there. The patient, the doctor or the hospital's desk marks it completed or
//! cancelled.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod features;
#[cfg(test)]
mod mock;
pub mod queries;
pub mod runtime_api;
#[cfg(test)]
mod tests;
// Invariants: run by try-runtime, after every unit test, and by runtime-level tests (std).
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod try_state;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use queries::RecordFilter;
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			tokens::nonfungibles_v2::{Create, Inspect, InspectEnumerable, Mutate},
			UnixTime,
		},
	};
	use frame_system::pallet_prelude::*;
	use pmr_primitives::{
		AccessPolicy, AccessTarget, AppointmentId, ConsentRequests, ContentHash, DoctorId, NoteHash,
		HospitalId, PatientId, PmrId, PmrItemId, RecordCategory, RegistryInspect, RequestId,
		VisitDate,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the medical-records pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who is who: patients, doctors and their hospitals.
		type Registry: RegistryInspect<Self::AccountId>;

		/// The consent decision (the consent pallet).
		type Access: AccessPolicy<Self::AccountId>;

		/// Who may order a record's erasure against the patient's will: the regulators as a
		/// body (in the PMR runtime, two thirds of the regulator council, or root).
		type ErasureOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The patient's audit trail (the consent pallet), where every erasure is logged.
		type Audit: pmr_primitives::ErasureAudit<Self::AccountId>;

		/// Erases what was anchored under a record when the record is erased (the lab-reports
		/// pallet: the record's lab reports).
		type OnErased: pmr_primitives::OnRecordErased;

		/// The NFT collection ID type of `pallet-nfts`.
		type CollectionId: Member + Parameter + MaxEncodedLen + Copy;

		/// `pallet-nfts`' collection configuration type.
		type NftCollectionConfig;

		/// `pallet-nfts`' item configuration type.
		type NftItemConfig;

		/// `pallet-nfts`, through the `nonfungibles_v2` traits.
		type Nfts: Inspect<Self::AccountId, ItemId = PmrItemId, CollectionId = Self::CollectionId>
			+ InspectEnumerable<Self::AccountId>
			+ Create<Self::AccountId, Self::NftCollectionConfig>
			+ Mutate<Self::AccountId, Self::NftItemConfig>;

		/// The configuration of the records collection (items not transferable).
		type RecordsCollectionConfig: Get<Self::NftCollectionConfig>;

		/// The configuration every record item is minted with (not transferable).
		type SoulboundItemConfig: Get<Self::NftItemConfig>;

		/// The keyless account that owns the records collection.
		type CollectionOwner: Get<Self::AccountId>;

		/// The chain's clock (`pallet-timestamp`): visit dates may not lie in the future.
		type UnixTime: UnixTime;

		/// Files the consent request an appointment may carry (the consent pallet).
		type ConsentRequests: ConsentRequests<Self::AccountId, BlockNumberFor<Self>>;

		/// Maximum number of versions of a record (the original and its amendments).
		#[pallet::constant]
		type MaxVersions: Get<u32>;

		/// How many of a patient's records one `reclaim_records` call looks at.
		#[pallet::constant]
		type MaxReclaimPerCall: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up registry participants for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: pmr_primitives::RegistryBenchmarkHelper<Self::AccountId>
			+ pmr_primitives::PatientRotationBenchmarkHelper<Self::AccountId>;
	}

	/// The `pallet-nfts` collection every record is an item of (created at genesis).
	#[pallet::storage]
	pub type RecordsCollection<T: Config> = StorageValue<_, T::CollectionId>;

	/// Patients whose account changed and whose record NFTs `reclaim_records` still moves to
	/// the new account.
	#[pallet::storage]
	pub type Reclaims<T: Config> = StorageMap<_, Blake2_128Concat, PatientId, Reclaim>;

	/// Records by PMR NFT item ID.
	#[pallet::storage]
	pub type Records<T: Config> = StorageMap<_, Blake2_128Concat, PmrItemId, RecordInfo<T>>;

	/// The versions of each record: 0 is the original, each next one amends the one before.
	#[pallet::storage]
	pub type Versions<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		PmrItemId,
		Twox64Concat,
		u32,
		VersionInfo<T>,
	>;

	/// Every content address (ciphertext or manifest CID) ever anchored, by records here and by
	/// the lab-reports pallet ([`pmr_primitives::ContentAddresses`]), keyed by blake2-256 of
	/// the CID bytes, with the one anchor that named it. Entries are never removed: a content
	/// address is anchored at most once on the chain, so no anchor can name another's content
	/// and an erasure unpins only what was the erased anchor's. (The key is a hash, so the CIDs
	/// of erased content still leave the chain's state.)
	#[pallet::storage]
	pub type ContentAnchors<T: Config> =
		StorageMap<_, Identity, ContentHash, pmr_primitives::SealedTarget>;

	/// Index: a patient's records.
	#[pallet::storage]
	pub type PatientRecords<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, PatientId, Blake2_128Concat, PmrItemId, ()>;

	/// The sequence number the next record of a patient on a visit date gets.
	#[pallet::storage]
	pub type NextSequence<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, PatientId, Twox64Concat, VisitDate, u16, ValueQuery>;

	/// Pending correction requests, one per record.
	#[pallet::storage]
	pub type Corrections<T: Config> =
		StorageMap<_, Blake2_128Concat, PmrItemId, CorrectionRequest<T>>;

	/// The ID the next appointment gets.
	#[pallet::storage]
	pub type NextAppointmentId<T> = StorageValue<_, AppointmentId, ValueQuery>;

	/// Appointments by ID.
	#[pallet::storage]
	pub type Appointments<T: Config> =
		StorageMap<_, Blake2_128Concat, AppointmentId, Appointment<T>>;

	/// Index: a patient's appointments.
	#[pallet::storage]
	pub type PatientAppointments<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, PatientId, Blake2_128Concat, AppointmentId, ()>;

	/// Index: a doctor's appointments.
	#[pallet::storage]
	pub type DoctorAppointments<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, DoctorId, Blake2_128Concat, AppointmentId, ()>;

	/// Events: the notifications wallets and clinician UIs show.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A doctor created a record; its NFT is minted to the patient.
		RecordCreated {
			/// The PMR-ID.
			pmr_id: PmrId,
			/// The NFT item ID (the PMR-ID in numeric form).
			item: PmrItemId,
			/// The category.
			category: RecordCategory,
			/// The creating doctor's account.
			by: T::AccountId,
			/// blake2-256 of the ciphertext — lets an off-chain worker match the anchor to its
			/// ingest job.
			ciphertext_hash: ContentHash,
		},
		/// A doctor amended a record: a new version links to the previous one.
		RecordAmended {
			/// The record.
			item: PmrItemId,
			/// The new version.
			version: u32,
			/// The amending doctor's account.
			by: T::AccountId,
			/// Whether this resolved the patient's correction request.
			resolved_correction: bool,
			/// blake2-256 of the new version's ciphertext — lets an off-chain worker match the
			/// anchor to its ingest job.
			ciphertext_hash: ContentHash,
		},
		/// The off-chain worker attached the key-share manifest of a version.
		ManifestAttached {
			/// The record.
			item: PmrItemId,
			/// The version.
			version: u32,
		},
		/// A patient asked for a record to be corrected.
		CorrectionRequested {
			/// The record.
			item: PmrItemId,
			/// The patient.
			patient: PatientId,
		},
		/// A doctor rejected a correction request.
		CorrectionRejected {
			/// The record.
			item: PmrItemId,
			/// The doctor's account.
			by: T::AccountId,
			/// Why: the hash of a note kept off chain (see [`NoteHash`]).
			reason: NoteHash,
		},
		/// A record was erased: its CIDs are gone from state and its key shares are no longer
		/// released; the hashes remain. Hospitals' IPFS nodes unpin the CIDs listed here.
		RecordErased {
			/// The record.
			item: PmrItemId,
			/// Who ordered it.
			by: ErasedBy,
			/// The content and manifest CIDs of every version, to unpin.
			unpin: alloc::vec::Vec<Cid>,
		},
		/// An appointment was booked; both the patient and the doctor see it.
		AppointmentBooked {
			/// The appointment.
			appointment: AppointmentId,
			/// The patient.
			patient: PatientId,
			/// The doctor.
			doctor: DoctorId,
			/// The hash of its details, sealed to the patient and the doctor off chain.
			details: NoteHash,
			/// The consent request filed with it, which the patient answers in the consent
			/// pallet.
			consent_request: Option<RequestId>,
		},
		/// An appointment took place.
		AppointmentCompleted {
			/// The appointment.
			appointment: AppointmentId,
			/// Who marked it.
			by: T::AccountId,
		},
		/// An appointment was called off.
		AppointmentCancelled {
			/// The appointment.
			appointment: AppointmentId,
			/// Who called it off.
			by: T::AccountId,
		},
		/// A batch of a patient's record NFTs moved to the patient's new account.
		RecordsReclaimed {
			/// The patient.
			patient: PatientId,
			/// How many NFTs moved in this batch.
			moved: u32,
			/// Whether every record of the patient is now owned by the new account.
			done: bool,
		},
	}

	/// Errors: each names exactly what was wrong with the request.
	#[pallet::error]
	pub enum Error<T> {
		/// No patient has this Patient-ID.
		UnknownPatient,
		/// The caller is not an active doctor of a verified hospital.
		NotDoctor,
		/// The caller is not an active doctor of this hospital.
		NotDoctorOfHospital,
		/// The doctor's hospital did not register the patient and the doctor holds no live
		/// consent or break-glass window for this.
		NoConsent,
		/// The caller is not the record's patient.
		NotPatient,
		/// The caller neither created the record, nor works for its hospital, nor holds consent.
		NotAllowedToAmend,
		/// The caller did not write this version.
		NotAuthor,
		/// No record has this item ID.
		UnknownRecord,
		/// The record has no such version.
		UnknownVersion,
		/// The record is erased: nothing about it can change any more.
		RecordErased,
		/// The version already has a key-share manifest (anchored with it or attached).
		ManifestAlreadySet,
		/// The visit date lies in the future.
		VisitInFuture,
		/// The patient already has the maximum number of records (999 + 1) on that date.
		TooManyRecordsThatDay,
		/// The record has the maximum number of versions.
		TooManyVersions,
		/// Only a prescription may have a course end, and it may not precede the visit.
		InvalidCourseEnd,
		/// A CID (of content or of a manifest) is not a binary CIDv1 with a sha2-256 multihash
		/// and a raw or dag-pb codec (`pmr_primitives::cid`): no free text goes into a CID field.
		InvalidCid,
		/// A CID (of content or of a manifest) is anchored already, by this or another record,
		/// lab report or IoMT batch (live or erased), or the content's CID equals its
		/// manifest's: every content address is anchored at most once.
		ContentAlreadyAnchored,
		/// The record already has a pending correction request.
		CorrectionPending,
		/// The record has no pending correction request.
		NoCorrectionPending,
		/// The PMR-ID cannot be formed for this patient.
		InvalidPmrId,
		/// The account is not an active doctor of this hospital.
		DoctorNotAtHospital,
		/// The caller is neither the doctor nor a desk or admin of the hospital.
		NotDoctorOrDesk,
		/// No appointment has this ID.
		UnknownAppointment,
		/// The caller is neither the patient, the doctor, nor a desk of the hospital.
		NotAppointmentParty,
		/// The appointment is already completed or cancelled.
		AppointmentClosed,
		/// An ID counter is exhausted.
		IdOverflow,
		/// The patient's records are all owned by the patient's current account.
		NothingToReclaim,
		/// The chain has no records collection (its genesis did not build this pallet's).
		NoRecordsCollection,
		/// The anchor was prepared for another clinician to sign (`prepared_for`).
		PreparedForAnother,
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The pallet's configuration (no data): genesis creates the records collection.
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		/// Creates the collection every record is an item of, owned by the keyless
		/// [`Config::CollectionOwner`], so that no record creation pays for it.
		fn build(&self) {
			let owner = T::CollectionOwner::get();
			// A chain that cannot create its records collection could record nothing: fail
			// chain-spec building loudly.
			let collection =
				T::Nfts::create_collection(&owner, &owner, &T::RecordsCollectionConfig::get())
					.expect("the records collection is created at genesis");
			RecordsCollection::<T>::put(collection);
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxVersions::get() > 0, "MaxVersions must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a patient's record of a visit and mint its NFT to the patient (an active
		/// doctor of `hospital`, which registered the patient, or with consent).
		/// `course_end` is for prescriptions only. `prepared_for` binds a call that someone else
		/// prepared (the node's two-phase ingest) to the clinician it was prepared for: signed by
		/// any other account it fails with `PreparedForAnother`. `None` when you build the call
		/// yourself.
		///
		/// The consent check is charged at its worst case and refunded when it grants on the
		/// registering hospital's standing access.
		///
		/// Emits `RecordCreated` with the PMR-ID.
		#[pallet::call_index(0)]
		#[pallet::weight(
			T::WeightInfo::create_record().saturating_add(T::Access::can_access_weight())
		)]
		pub fn create_record(
			origin: OriginFor<T>,
			patient: PatientId,
			hospital: HospitalId,
			visit_date: VisitDate,
			category: RecordCategory,
			content: EncryptedContent,
			course_end: Option<VisitDate>,
			prepared_for: Option<T::AccountId>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::ensure_prepared_for(&who, prepared_for)?;
			let ground = Self::do_create_record(
				who, patient, hospital, visit_date, category, content, course_end,
			)?;
			Ok(Self::refund_access_check(T::WeightInfo::create_record(), ground))
		}

		/// Amend a record: a new version linked to the previous one, with a reason (an active
		/// doctor the consent decision lets treat this record now; the author is no exception).
		/// Resolves a pending correction request. `prepared_for` as for
		/// [`Pallet::create_record`].
		///
		/// The consent check is charged at its worst case and refunded when it grants on the
		/// registering hospital's standing access.
		///
		/// Emits `RecordAmended`.
		#[pallet::call_index(1)]
		#[pallet::weight(
			T::WeightInfo::amend_record().saturating_add(T::Access::can_access_weight())
		)]
		pub fn amend_record(
			origin: OriginFor<T>,
			item: PmrItemId,
			content: EncryptedContent,
			reason: NoteHash,
			prepared_for: Option<T::AccountId>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::ensure_prepared_for(&who, prepared_for)?;
			let ground = Self::do_amend_record(who, item, content, reason)?;
			Ok(Self::refund_access_check(T::WeightInfo::amend_record(), ground))
		}

		/// Attach the key-share manifest to a version that was anchored without one: its CID,
		/// blake2-256 and the custodian set version its shares were made for (the version's
		/// author, while an active doctor whom the consent decision lets treat this record, as
		/// for an amendment; the off-chain worker submits it once the manifest is pinned). Once
		/// only.
		///
		/// The consent check is charged at its worst case and refunded when it grants on the
		/// registering hospital's standing access.
		///
		/// Emits `ManifestAttached`.
		#[pallet::call_index(2)]
		#[pallet::weight(
			T::WeightInfo::attach_manifest().saturating_add(T::Access::can_access_weight())
		)]
		pub fn attach_manifest(
			origin: OriginFor<T>,
			item: PmrItemId,
			version: u32,
			manifest: ManifestRef,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let ground = Self::do_attach_manifest(who, item, version, manifest)?;
			Ok(Self::refund_access_check(T::WeightInfo::attach_manifest(), ground))
		}

		/// Ask for a record to be corrected (the record's patient).
		///
		/// Emits `CorrectionRequested`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::request_correction())]
		pub fn request_correction(
			origin: OriginFor<T>,
			item: PmrItemId,
			reason: NoteHash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_request_correction(who, item, reason)
		}

		/// Reject a pending correction request, with a reason (a doctor who may amend).
		///
		/// The consent check is charged at its worst case and refunded when it grants on the
		/// registering hospital's standing access.
		///
		/// Emits `CorrectionRejected`.
		#[pallet::call_index(4)]
		#[pallet::weight(
			T::WeightInfo::reject_correction().saturating_add(T::Access::can_access_weight())
		)]
		pub fn reject_correction(
			origin: OriginFor<T>,
			item: PmrItemId,
			reason: NoteHash,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let ground = Self::do_reject_correction(who, item, reason)?;
			Ok(Self::refund_access_check(T::WeightInfo::reject_correction(), ground))
		}

		/// Erase a record by crypto-shredding: the record's patient. The erasure goes into the
		/// patient's audit trail.
		///
		/// Emits `RecordErased`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::erase_record(T::MaxVersions::get())
			.saturating_add(<T::OnErased as pmr_primitives::OnRecordErased>::record_erased_weight()))]
		pub fn erase_record(origin: OriginFor<T>, item: PmrItemId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (versions, cascade) = Self::do_erase_record(Some(who), item, ErasedBy::Patient)?;
			Ok(Some(T::WeightInfo::erase_record(versions).saturating_add(cascade)).into())
		}

		/// Erase a record by crypto-shredding on an order of the regulators as a body
		/// ([`Config::ErasureOrigin`]), on the legal basis whose hash is `legal_basis` (the
		/// order itself is sealed to the patient and the regulators and kept off chain). The
		/// order and its basis go into the patient's audit trail.
		///
		/// Weighed as the patient's erasure, which does the same work plus the patient check.
		///
		/// Emits `RecordErased`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::erase_record(T::MaxVersions::get())
			.saturating_add(<T::OnErased as pmr_primitives::OnRecordErased>::record_erased_weight()))]
		pub fn order_record_erasure(
			origin: OriginFor<T>,
			item: PmrItemId,
			legal_basis: NoteHash,
		) -> DispatchResultWithPostInfo {
			T::ErasureOrigin::ensure_origin(origin)?;
			let (versions, cascade) =
				Self::do_erase_record(None, item, ErasedBy::Regulators { legal_basis })?;
			Ok(Some(T::WeightInfo::erase_record(versions).saturating_add(cascade)).into())
		}

		/// Book an appointment of a patient with `doctor` at `hospital` (the doctor, or a desk
		/// or admin of the hospital), optionally filing a consent request for the doctor
		/// (`consent`: the records and the duration in blocks) that the patient answers in the
		/// consent pallet. `details` is the blake2-256 hash of the appointment's details (time,
		/// place, reason, preparation), sealed to the patient and the doctor and kept off
		/// chain like every note: the chain never holds the time.
		///
		/// Emits `AppointmentBooked` (and the consent pallet's `AccessRequested`).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::book_appointment().saturating_add(
			if consent.is_some() { T::ConsentRequests::file_request_weight() } else { Weight::zero() }
		))]
		pub fn book_appointment(
			origin: OriginFor<T>,
			patient: PatientId,
			hospital: HospitalId,
			doctor: T::AccountId,
			details: NoteHash,
			consent: Option<(AccessTarget, BlockNumberFor<T>)>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_book_appointment(who, patient, hospital, doctor, details, consent)
		}

		/// Mark an appointment as having taken place (the patient, the doctor, or a desk of
		/// the hospital).
		///
		/// Emits `AppointmentCompleted`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::close_appointment())]
		pub fn complete_appointment(
			origin: OriginFor<T>,
			appointment: AppointmentId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_close_appointment(who, appointment, AppointmentStatus::Completed)
		}

		/// Call an appointment off (the patient, the doctor, or a desk of the hospital); a
		/// consent request filed with it is withdrawn if still pending.
		///
		/// Emits `AppointmentCancelled`.
		#[pallet::call_index(8)]
		#[pallet::weight(
			T::WeightInfo::close_appointment()
				.saturating_add(T::ConsentRequests::withdraw_request_weight())
		)]
		pub fn cancel_appointment(origin: OriginFor<T>, appointment: AppointmentId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_close_appointment(who, appointment, AppointmentStatus::Cancelled)
		}

		/// Move the next batch (at most `MaxReclaimPerCall`) of a patient's record NFTs to the
		/// patient's current account, after the registry replaced it. Anyone may call it (it
		/// only carries out what the registry decided); call it again until the event says
		/// `done`. Charged for the records actually looked at.
		///
		/// Emits `RecordsReclaimed`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::reclaim_records(T::MaxReclaimPerCall::get()))]
		pub fn reclaim_records(origin: OriginFor<T>, patient: PatientId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let read = Self::do_reclaim_records(patient)?;
			Ok(Some(T::WeightInfo::reclaim_records(read)).into())
		}
	}
}
