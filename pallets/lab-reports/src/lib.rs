//! # Lab-reports pallet
//!
//! Lab diagnostics and IoMT data, anchored on chain by content hash and IPFS CID.
//!
//! ## Lab orders and reports
//!
//! A doctor who may treat the patient (the consent check for lab diagnostics) orders lab work
//! from an active lab, optionally under a record (visit) and with the blake2-256 of the
//! reason. The ordered lab anchors the report against the order: the Patient-ID, the capture
//! date, the modality (DICOM modality codes), the encrypted study's CID and hashes, optionally
//! the encrypted observations' CID and hashes, and the key-share manifest of each as a
//! [`ManifestRef`] (its CID, blake2-256 and the custodian set version its shares were made
//! for): the ingest worker anchors them with the report; a study anchored without one gets it
//! later with [`Pallet::attach_report_manifest`]. The reason and the observations are clinical
//! text, so they appear on chain only as hashes and CIDs of encrypted content.
//!
//! ## IoMT
//!
//! A desk or admin of the hospital that registered a patient binds a device (its own signing
//! account) to the patient. The device anchors batches of readings as a Merkle root
//! ([`pmr_primitives::merkle`]) with a time window, a sample count and the CID of the
//! encrypted batch; windows of one device never overlap and may not end in the future (beyond
//! [`Config::MaxClockSkew`]). A single reading is proven against
//! the root off chain.
//!
//! ## Erasure
//!
//! The patient (or an order of the regulators as a body, [`Config::ErasureOrigin`]) erases a
//! lab report or an IoMT batch by
//! crypto-shredding, as the records pallet erases a record: the CIDs leave state and are
//! listed in the event for the hospitals' IPFS nodes to unpin, the key shares are never
//! released again (the content reads as `NoSuchRecord` to the key-release pallet), the
//! hashes stay. Erasing a record erases the lab reports ordered under it
//! ([`pmr_primitives::OnRecordErased`]); [`Config::MaxOrdersPerRecord`] bounds that work.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod features;
#[cfg(test)]
mod mock;
mod queries;
pub mod runtime_api;
#[cfg(test)]
mod tests;
// Invariants: run by try-runtime, after every unit test, and by runtime-level tests (std).
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod try_state;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use queries::DeviceAccounts;
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::UnixTime};
	use frame_system::pallet_prelude::*;
	use pmr_primitives::{
		AccessPolicy, ContentHash, DeviceId, ErasedBy, LabId, LabOrderId, LabReportId, NoteHash,
		PatientId, PmrItemId, RecordsInspect, RegistryInspect, VisitDate,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the lab-reports pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who is who: patients, doctors, labs, hospital desks.
		type Registry: RegistryInspect<Self::AccountId>;

		/// The consent decision (the consent pallet).
		type Access: AccessPolicy<Self::AccountId>;

		/// Which records exist (the medical-records pallet).
		type Records: RecordsInspect;

		/// The content addresses anchored on the chain (the medical-records pallet): each CID
		/// a report or batch names must not be anchored already.
		type Content: pmr_primitives::ContentAddresses;

		/// The chain's clock (`pallet-timestamp`): capture dates may not lie in the future.
		type UnixTime: UnixTime;

		/// Who may order a lab report's or an IoMT batch's erasure against the patient's will:
		/// the regulators as a body (in the PMR runtime, two thirds of the regulator council,
		/// or root).
		type ErasureOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The patient's audit trail (the consent pallet), where every erasure is logged.
		type Audit: pmr_primitives::ErasureAudit<Self::AccountId>;

		/// Maximum number of lab orders under one record. It bounds the erasure of a record,
		/// which erases the reports under it in the same transaction.
		#[pallet::constant]
		type MaxOrdersPerRecord: Get<u32>;

		/// Maximum number of active devices bound to one patient.
		#[pallet::constant]
		type MaxDevicesPerPatient: Get<u32>;

		/// How far (in milliseconds) a batch's window may end after the chain's clock: device
		/// clocks drift, but a window far in the future would lock the device out.
		#[pallet::constant]
		type MaxClockSkew: Get<u64>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up registry participants for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: pmr_primitives::RegistryBenchmarkHelper<Self::AccountId>;
	}

	/// The ID the next lab order gets.
	#[pallet::storage]
	pub type NextOrderId<T> = StorageValue<_, LabOrderId, ValueQuery>;

	/// Lab orders by ID.
	#[pallet::storage]
	pub type LabOrders<T: Config> = StorageMap<_, Blake2_128Concat, LabOrderId, LabOrder<T>>;

	/// Index: each lab's open orders (its work list).
	#[pallet::storage]
	pub type OpenOrders<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, LabId, Blake2_128Concat, LabOrderId, ()>;

	/// The ID the next lab report gets.
	#[pallet::storage]
	pub type NextReportId<T> = StorageValue<_, LabReportId, ValueQuery>;

	/// Lab reports by ID.
	#[pallet::storage]
	pub type LabReports<T: Config> = StorageMap<_, Blake2_128Concat, LabReportId, LabReport<T>>;

	/// Index: the lab reports under a record.
	#[pallet::storage]
	pub type ReportsByRecord<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, PmrItemId, Blake2_128Concat, LabReportId, ()>;

	/// How many lab orders name each record (never decreases; bounded by
	/// [`Config::MaxOrdersPerRecord`]).
	#[pallet::storage]
	pub type OrdersPerRecord<T: Config> = StorageMap<_, Blake2_128Concat, PmrItemId, u32, ValueQuery>;

	/// Index: a patient's lab reports.
	#[pallet::storage]
	pub type ReportsByPatient<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, PatientId, Blake2_128Concat, LabReportId, ()>;

	/// The ID the next device gets.
	#[pallet::storage]
	pub type NextDeviceId<T> = StorageValue<_, DeviceId, ValueQuery>;

	/// Devices by ID.
	#[pallet::storage]
	pub type Devices<T: Config> = StorageMap<_, Blake2_128Concat, DeviceId, DeviceInfo<T>>;

	/// A device's account → its ID (an account is one device, for ever).
	#[pallet::storage]
	pub type DeviceByAccount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, DeviceId>;

	/// Index: a patient's active devices.
	#[pallet::storage]
	pub type PatientDevices<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		PatientId,
		BoundedVec<DeviceId, T::MaxDevicesPerPatient>,
		ValueQuery,
	>;

	/// Each device's anchored batches, numbered from 0.
	#[pallet::storage]
	pub type IomtBatches<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, DeviceId, Twox64Concat, u32, IomtBatch<T>>;

	/// Events: the notifications lab systems, clinician UIs and wallets show.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A doctor ordered lab work.
		LabWorkOrdered {
			/// The order.
			order: LabOrderId,
			/// Whose.
			patient: PatientId,
			/// Which lab.
			lab: LabId,
			/// What.
			modality: Modality,
		},
		/// The ordering doctor cancelled an order.
		LabOrderCancelled {
			/// The order.
			order: LabOrderId,
		},
		/// A lab anchored a report against an order.
		LabReportAnchored {
			/// The report.
			report: LabReportId,
			/// The order it answers.
			order: LabOrderId,
			/// Whose.
			patient: PatientId,
			/// blake2-256 of the study's ciphertext — lets an off-chain worker match the anchor
			/// to its ingest job.
			study_hash: ContentHash,
		},
		/// The key-share manifest of a report's study was attached.
		ReportManifestAttached {
			/// The report.
			report: LabReportId,
		},
		/// A hospital bound a device to a patient.
		DeviceRegistered {
			/// The device.
			device: DeviceId,
			/// The patient.
			patient: PatientId,
		},
		/// A device was switched off for good.
		DeviceDeactivated {
			/// The device.
			device: DeviceId,
		},
		/// A device anchored a batch of readings.
		IomtBatchAnchored {
			/// The device.
			device: DeviceId,
			/// The batch's number.
			batch: u32,
			/// The Merkle root.
			root: ContentHash,
			/// How many readings.
			samples: u32,
			/// blake2-256 of the encrypted batch — lets an off-chain worker match the anchor
			/// to its ingest job.
			ciphertext_hash: ContentHash,
		},
		/// A lab report was erased (by itself, or with the record it was ordered under): its
		/// CIDs are gone from state and its key shares are no longer released; the hashes
		/// remain. Hospitals' IPFS nodes unpin the CIDs listed here.
		LabReportErased {
			/// The report.
			report: LabReportId,
			/// Whose.
			patient: PatientId,
			/// Who ordered it.
			by: ErasedBy,
			/// The CIDs to unpin: study, observations and their manifests.
			unpin: alloc::vec::Vec<Cid>,
		},
		/// An IoMT batch was erased: its CIDs are gone from state and its key shares are no
		/// longer released; the Merkle root and hashes remain.
		IomtBatchErased {
			/// The device.
			device: DeviceId,
			/// The batch's number.
			batch: u32,
			/// Who ordered it.
			by: ErasedBy,
			/// The CIDs to unpin: the ciphertext and its manifest.
			unpin: alloc::vec::Vec<Cid>,
		},
	}

	/// Errors: each names exactly what was wrong with the request.
	#[pallet::error]
	pub enum Error<T> {
		/// No patient has this Patient-ID.
		UnknownPatient,
		/// The caller is not an active doctor of a verified hospital.
		NotDoctor,
		/// The doctor may not treat this patient (no registering hospital, consent or
		/// break-glass for lab diagnostics).
		NoConsent,
		/// The lab is not active.
		LabNotActive,
		/// The record does not exist, is erased, or belongs to another patient.
		RecordMismatch,
		/// No order has this ID.
		UnknownOrder,
		/// The caller did not place this order.
		NotOrderingDoctor,
		/// The order is no longer open.
		OrderNotOpen,
		/// The caller is not the active lab the order names.
		NotOrderedLab,
		/// No report has this ID.
		UnknownReport,
		/// The caller is not the lab account that anchored the report.
		NotReportingLab,
		/// The report's study already has a key-share manifest (anchored with it or attached).
		ManifestAlreadySet,
		/// The capture date lies in the future.
		CaptureInFuture,
		/// A CID (of content or of a manifest) is not a binary CIDv1 with a sha2-256 multihash
		/// and a raw or dag-pb codec (`pmr_primitives::cid`): no free text goes into a CID field.
		InvalidCid,
		/// A CID (of content or of a manifest) is anchored already, by a record, a lab report or
		/// an IoMT batch (live or erased), or two CIDs of this anchor are equal: every content
		/// address is anchored at most once.
		ContentAlreadyAnchored,
		/// The caller is not a desk or admin of the patient's (verified) hospital.
		NotPatientsHospital,
		/// The account is already a device.
		DeviceAccountTaken,
		/// The patient has the maximum number of devices.
		TooManyDevices,
		/// No device has this ID.
		UnknownDevice,
		/// The caller may not deactivate this device.
		NotDeviceManager,
		/// The caller is not an active device.
		NotActiveDevice,
		/// The window ends before it starts, or has no readings.
		InvalidWindow,
		/// The window starts before the device's previous window ended.
		OverlappingWindow,
		/// The window ends later than the chain's clock allows (beyond `MaxClockSkew`).
		WindowInFuture,
		/// An ID counter is exhausted.
		IdOverflow,
		/// The record already has [`Config::MaxOrdersPerRecord`] lab orders.
		TooManyOrdersForRecord,
		/// Only the patient (or a regulator's order) may erase this.
		NotPatient,
		/// It is already erased.
		AlreadyErased,
		/// The device has no batch with this number.
		UnknownBatch,
		/// The patient withdrew the registering hospital's standing access: its staff may not
		/// bind a device to the patient.
		StandingAccessWithdrawn,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Order lab work for a patient from a lab (a doctor who may treat the patient's lab
		/// diagnostics), optionally under a record.
		///
		/// The consent check is charged at its worst case and refunded when it grants on the
		/// registering hospital's standing access.
		///
		/// Emits `LabWorkOrdered`.
		#[pallet::call_index(0)]
		#[pallet::weight(
			// The benchmark's order names a record, and its doctor treats the patient on the
			// registering hospital's standing access; the consent check is charged at its worst
			// case on top, and refunded when it granted on standing access.
			T::WeightInfo::order_lab_work().saturating_add(T::Access::can_access_weight())
		)]
		pub fn order_lab_work(
			origin: OriginFor<T>,
			patient: PatientId,
			lab: LabId,
			modality: Modality,
			record: Option<PmrItemId>,
			reason_hash: ContentHash,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let ground = Self::do_order_lab_work(who, patient, lab, modality, record, reason_hash)?;
			let owed = T::Access::weight_beyond_standing_access(ground);
			Ok(Some(T::WeightInfo::order_lab_work().saturating_add(owed)).into())
		}

		/// Cancel an open order (the ordering doctor).
		///
		/// Emits `LabOrderCancelled`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::cancel_lab_order())]
		pub fn cancel_lab_order(origin: OriginFor<T>, order: LabOrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_lab_order(who, order)
		}

		/// Anchor the report of an open order (the ordered lab), with the key-share manifests of
		/// the study and the observations when the anchor carries them.
		///
		/// Emits `LabReportAnchored`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::anchor_lab_report())]
		pub fn anchor_lab_report(
			origin: OriginFor<T>,
			order: LabOrderId,
			captured_on: VisitDate,
			study: EncryptedContent,
			observations: Option<EncryptedContent>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_anchor_lab_report(who, order, captured_on, study, observations)
		}

		/// Attach the key-share manifest of a report's study when the anchor did not carry it:
		/// its CID, blake2-256 and the custodian set version its shares were made for (the lab
		/// that anchored the report). Once only.
		///
		/// Emits `ReportManifestAttached`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::attach_report_manifest())]
		pub fn attach_report_manifest(
			origin: OriginFor<T>,
			report: LabReportId,
			manifest: ManifestRef,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_attach_report_manifest(who, report, manifest)
		}

		/// Bind a device to a patient (a desk or admin of the patient's verified hospital,
		/// while the patient has not withdrawn the hospital's standing access).
		/// `kind` is a commitment to the device's kind (see [`DeviceKindCommitment`]), never
		/// the kind itself.
		///
		/// Emits `DeviceRegistered`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::register_device())]
		pub fn register_device(
			origin: OriginFor<T>,
			patient: PatientId,
			device: T::AccountId,
			kind: DeviceKindCommitment,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_device(who, patient, device, kind)
		}

		/// Switch a device off for good (a desk or admin of its hospital, or its patient).
		///
		/// Emits `DeviceDeactivated`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::deactivate_device())]
		pub fn deactivate_device(origin: OriginFor<T>, device: DeviceId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deactivate_device(who, device)
		}

		/// Anchor a batch of readings as a Merkle root (the device itself).
		///
		/// Emits `IomtBatchAnchored`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::anchor_iomt_batch())]
		pub fn anchor_iomt_batch(
			origin: OriginFor<T>,
			root: ContentHash,
			window_start: u64,
			window_end: u64,
			samples: u32,
			content: EncryptedContent,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_anchor_iomt_batch(who, root, window_start, window_end, samples, content)
		}

		/// Erase a lab report by crypto-shredding (the report's patient): the study's and
		/// observations' CIDs leave state (listed in the event for unpinning) and their key
		/// shares are never released again; the hashes stay. Erasing the record a report was
		/// ordered under erases the report too. The erasure goes into the patient's audit trail.
		///
		/// Emits `LabReportErased`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::erase_lab_report())]
		pub fn erase_lab_report(origin: OriginFor<T>, report: LabReportId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_erase_lab_report(Some(who), report, ErasedBy::Patient)
		}

		/// Erase one IoMT batch by crypto-shredding (the device's patient): its CIDs leave
		/// state and its key shares are never released again; the Merkle root and hashes stay.
		/// The erasure goes into the patient's audit trail.
		///
		/// Emits `IomtBatchErased`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::erase_iomt_batch())]
		pub fn erase_iomt_batch(origin: OriginFor<T>, device: DeviceId, batch: u32) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_erase_iomt_batch(Some(who), device, batch, ErasedBy::Patient)
		}

		/// Erase a lab report as [`Pallet::erase_lab_report`] does, on an order of the
		/// regulators as a body ([`Config::ErasureOrigin`]) on the legal basis whose hash is
		/// `legal_basis`. The order and its basis go into the patient's audit trail.
		///
		/// Weighed as the patient's erasure, which does the same work plus the patient check.
		///
		/// Emits `LabReportErased`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::erase_lab_report())]
		pub fn order_lab_report_erasure(
			origin: OriginFor<T>,
			report: LabReportId,
			legal_basis: NoteHash,
		) -> DispatchResult {
			T::ErasureOrigin::ensure_origin(origin)?;
			Self::do_erase_lab_report(None, report, ErasedBy::Regulators { legal_basis })
		}

		/// Erase an IoMT batch as [`Pallet::erase_iomt_batch`] does, on an order of the
		/// regulators as a body ([`Config::ErasureOrigin`]) on the legal basis whose hash is
		/// `legal_basis`. The order and its basis go into the patient's audit trail.
		///
		/// Weighed as the patient's erasure, which does the same work plus the patient check.
		///
		/// Emits `IomtBatchErased`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::erase_iomt_batch())]
		pub fn order_iomt_batch_erasure(
			origin: OriginFor<T>,
			device: DeviceId,
			batch: u32,
			legal_basis: NoteHash,
		) -> DispatchResult {
			T::ErasureOrigin::ensure_origin(origin)?;
			Self::do_erase_iomt_batch(None, device, batch, ErasedBy::Regulators { legal_basis })
		}
	}
}
