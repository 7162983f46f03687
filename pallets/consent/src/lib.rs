//! # Consent pallet
//!
//! Who may see a patient's records, for what, and until when, decided by the patient.
//!
//! ## Grants
//!
//! A patient (or one of the patient's guardians) grants a doctor or a lab access with a
//! [`Scope`] (all records, some categories, or a list of records), a [`Purpose`] and an
//! expiry (a block number or a duration, at most [`Config::MaxGrantDuration`]). The patient's
//! side may revoke a grant at any time; the grantee may end it early ("end of session").
//! Grants are immutable otherwise: nobody can widen or extend one.
//!
//! ## Requests
//!
//! A verified doctor or lab requests access (scope, purpose, duration and a reason). The
//! patient's side approves, possibly narrowing scope and duration, or denies. Unanswered
//! requests expire after [`Config::RequestTimeout`]. Events notify wallets and clinician UIs.
//!
//! ## Expiry
//!
//! Every access check compares the current block number with the grant's expiry; no status
//! flag is ever trusted. The `on_idle` sweep deletes expired grants and requests, only to free
//! storage: an expired grant that the sweep has not reached yet is already denied.
//!
//! ## Break-glass
//!
//! An active doctor may declare an emergency for a patient with a reason. It opens all records
//! for emergency care and treatment for [`Config::BreakGlassDuration`] blocks, cannot be
//! extended, and the same doctor cannot declare again for the same patient within
//! [`Config::BreakGlassWindow`] (which is longer than the duration, so declarations cannot be
//! chained). A doctor may declare at most [`Config::MaxBreakGlassPerWindow`] emergencies per
//! window. Each declaration emits a loud event, goes into the patient's audit trail and waits
//! for a regulator's review.
//!
//! ## Guardians
//!
//! A patient appoints guardians, who may grant, revoke and answer requests on the patient's
//! behalf. Without the patient (a legal representative of a minor or an incapacitated
//! patient), only [`Config::GuardianOrigin`] may appoint or remove one — in the PMR runtime a
//! two-thirds majority of the regulator council, not one regulator — and only with the hash of
//! the legal basis. Appointments and removals go into the patient's audit trail. Guardians'
//! acts are attributed to them. A removed guardian loses these powers at once; grants they gave
//! stay until they expire or the patient revokes them.
//!
//! ## Audit trail
//!
//! [`Pallet::record_access`] is how a doctor or lab opens records (the off-chain custodians
//! release key shares only against its event). Each decision goes into the patient's audit
//! trail: releases always, refusals of registered doctors and labs at most once per
//! [`Config::RefusalLogInterval`] per accessor and patient; successful accesses get two entries
//! per accessor, patient and [`Config::AuditDay`] (the first, and the latest, rewritten in
//! place). Grants, closures and break-glass declarations are logged too, each with an entry of
//! its own. The trail keeps the last [`Config::MaxAuditEntries`] entries; the rate limits keep
//! one accessor from pushing the others' entries out.
//!
//! ## Interface for other pallets
//!
//! [`Pallet`] implements [`pmr_primitives::AccessPolicy`] (with its worst-case weight); the
//! records pallets depend on that trait. Clients use [`runtime_api::ConsentApi`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod features;
#[cfg(test)]
mod mock;
mod policy;
pub mod runtime_api;
#[cfg(test)]
mod tests;
// Invariants: run by try-runtime, after every unit test, and by runtime-level tests (std).
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod try_state;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use policy::GuardianAccounts;
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use pmr_primitives::{
		AccessDenied, AccessGround, AccessTarget, Accessor, DoctorId, GrantId, HospitalId, NoteHash,
		PatientId, Purpose, RegistryInspect, RequestId,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the consent pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who is who: patients, doctors, labs and their hospitals.
		type Registry: RegistryInspect<Self::AccountId>;

		/// Which records exist (the medical-records pallet): an access to one record is
		/// refused unless it is a live record of that patient, so an erased record's key
		/// shares are never released again.
		type Records: pmr_primitives::RecordsInspect;

		/// The regulator body: reviews break-glass declarations.
		type RegulatorOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Appoints or removes a patient's guardian without the patient (a legal
		/// representative), always on a legal basis. A guardian may grant any doctor access, so
		/// this must be stronger than one regulator: in the PMR runtime, a two-thirds majority
		/// of the regulator council.
		type GuardianOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The longest a consent grant (or an approved request) may last, in blocks.
		#[pallet::constant]
		type MaxGrantDuration: Get<BlockNumberFor<Self>>;

		/// How long a request may wait for an answer, in blocks.
		#[pallet::constant]
		type RequestTimeout: Get<BlockNumberFor<Self>>;

		/// How long a break-glass window lasts, in blocks (not extendable).
		#[pallet::constant]
		type BreakGlassDuration: Get<BlockNumberFor<Self>>;

		/// The rate-limit window of break-glass declarations, in blocks: a doctor may not
		/// declare twice for the same patient, nor more than [`Config::MaxBreakGlassPerWindow`]
		/// times, within it. Must be longer than [`Config::BreakGlassDuration`].
		#[pallet::constant]
		type BreakGlassWindow: Get<BlockNumberFor<Self>>;

		/// How many emergencies one doctor may declare per [`Config::BreakGlassWindow`].
		#[pallet::constant]
		type MaxBreakGlassPerWindow: Get<u32>;

		/// Maximum number of categories or records in a scope.
		#[pallet::constant]
		type MaxScopeItems: Get<u32>;

		/// Maximum number of grants (live or awaiting cleanup) one doctor or lab holds for one
		/// patient, including one slot kept for break-glass. It bounds the work of every access
		/// check. At least 2.
		#[pallet::constant]
		type MaxGrantsPerPair: Get<u32>;

		/// Maximum number of pending requests per patient (spam protection).
		#[pallet::constant]
		type MaxPendingRequests: Get<u32>;

		/// Maximum number of guardians per patient.
		#[pallet::constant]
		type MaxGuardians: Get<u32>;

		/// How many audit entries are kept per patient (the oldest are overwritten).
		#[pallet::constant]
		type MaxAuditEntries: Get<u32>;

		/// A refused access by the same accessor to the same patient is logged at most once
		/// per this many blocks; attempts in between fail without a log entry.
		#[pallet::constant]
		type RefusalLogInterval: Get<BlockNumberFor<Self>>;

		/// The length of an audit day in blocks. The trail keeps two entries per accessor,
		/// patient and day for successful accesses (the first, and the latest, rewritten in
		/// place), so a treating doctor cannot flush the trail by opening records.
		#[pallet::constant]
		type AuditDay: Get<BlockNumberFor<Self>>;

		/// The most expired grants and requests the `on_idle` sweep deletes in one block.
		#[pallet::constant]
		type MaxSweepPerBlock: Get<u32>;

		/// The most essential-share envelopes one approval hands over (one per record version,
		/// lab study or IoMT batch in its scope).
		#[pallet::constant]
		type MaxKeysPerApproval: Get<u32>;

		/// Weights of this pallet's calls, sweep and access check.
		type WeightInfo: WeightInfo;

		/// Sets up registry participants for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: pmr_primitives::RegistryBenchmarkHelper<Self::AccountId>;
	}

	/// The grant ID the next grant (consent or break-glass) gets.
	#[pallet::storage]
	pub type NextGrantId<T> = StorageValue<_, GrantId, ValueQuery>;

	/// Grants by ID, until they are closed or swept after expiry.
	#[pallet::storage]
	pub type Grants<T: Config> = StorageMap<_, Blake2_128Concat, GrantId, GrantInfo<T>>;

	/// The essential shares the patient's side handed over with a grant's approval, each
	/// sealed to the grantee's key, for the content they name. Removed with the grant.
	#[pallet::storage]
	pub type GrantKeys<T: Config> = StorageMap<_, Blake2_128Concat, GrantId, KeysOf<T>>;

	/// The grants one doctor or lab holds for one patient: what an access check reads.
	#[pallet::storage]
	pub type PairGrants<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		PatientId,
		Blake2_128Concat,
		Accessor,
		BoundedVec<GrantId, T::MaxGrantsPerPair>,
		ValueQuery,
	>;

	/// How the last deleted grant of each doctor or lab for a patient ended: the reason an
	/// access check gives (`Expired`, `Revoked`, `SessionEnded`) when no grant is left, so a
	/// patient can tell an ended consent from none, also after the sweep. One entry per pair
	/// that ever held a grant, overwritten by the next ending.
	#[pallet::storage]
	pub type EndedGrants<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		PatientId,
		Blake2_128Concat,
		Accessor,
		EndedGrant<T>,
		OptionQuery,
	>;

	/// Index: a patient's grants (for the patient's view).
	#[pallet::storage]
	pub type PatientGrants<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, PatientId, Blake2_128Concat, GrantId, ()>;

	/// Index: an accessor's grants and their patients (for the doctor's "my patients" view).
	#[pallet::storage]
	pub type AccessorGrants<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, Accessor, Blake2_128Concat, GrantId, PatientId>;

	/// How many consent grants each patient has issued, ever (the "permissions granted" count).
	#[pallet::storage]
	pub type GrantsIssued<T: Config> = StorageMap<_, Blake2_128Concat, PatientId, u32, ValueQuery>;

	/// The request ID the next request gets.
	#[pallet::storage]
	pub type NextRequestId<T> = StorageValue<_, RequestId, ValueQuery>;

	/// Pending requests by ID.
	#[pallet::storage]
	pub type Requests<T: Config> = StorageMap<_, Blake2_128Concat, RequestId, RequestInfo<T>>;

	/// A patient's pending requests, by requester (at most one per requester).
	#[pallet::storage]
	pub type PendingRequests<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		PatientId,
		Blake2_128Concat,
		Accessor,
		RequestId,
	>;

	/// How many requests are pending for each patient.
	#[pallet::storage]
	pub type PendingRequestCount<T: Config> =
		StorageMap<_, Blake2_128Concat, PatientId, u32, ValueQuery>;

	/// A doctor's recent break-glass declarations (patient, block), for the rate limit.
	#[pallet::storage]
	pub type BreakGlassLog<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		DoctorId,
		BoundedVec<(PatientId, BlockNumberFor<T>), T::MaxBreakGlassPerWindow>,
		ValueQuery,
	>;

	/// Break-glass declarations waiting for a regulator's review.
	#[pallet::storage]
	pub type PendingReviews<T: Config> =
		StorageMap<_, Blake2_128Concat, GrantId, EmergencyRecord<T>>;

	/// Each patient's guardians.
	#[pallet::storage]
	pub type Guardians<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		PatientId,
		BoundedVec<T::AccountId, T::MaxGuardians>,
		ValueQuery,
	>;

	/// Index: the patients an account is a guardian of.
	#[pallet::storage]
	pub type Wards<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, PatientId, ()>;

	/// Each patient's audit trail, a ring of [`Config::MaxAuditEntries`] slots.
	#[pallet::storage]
	pub type AuditLog<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, PatientId, Twox64Concat, u32, AuditEntry<T>>;

	/// How many audit entries each patient's trail has had, ever.
	#[pallet::storage]
	pub type AuditLength<T: Config> = StorageMap<_, Blake2_128Concat, PatientId, u64, ValueQuery>;

	/// The audit day of each accessor's last logged access to a patient, and the trail entry
	/// of that day's latest access once there was more than one (see [`Config::AuditDay`]).
	#[pallet::storage]
	pub type DailyAccess<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		PatientId,
		Blake2_128Concat,
		Accessor,
		AccessDay<T>,
	>;

	/// When an accessor's refused access to a patient was last logged.
	#[pallet::storage]
	pub type LastRefusalLogged<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		PatientId,
		Blake2_128Concat,
		Accessor,
		BlockNumberFor<T>,
	>;

	/// Patients who withdrew their registering hospital's standing access for treatment, with
	/// the block they did. Absent: the hospital's active doctors may access the patient's
	/// records for treatment without a grant.
	#[pallet::storage]
	pub type StandingAccessWithdrawnAt<T: Config> =
		StorageMap<_, Blake2_128Concat, PatientId, BlockNumberFor<T>>;

	/// The block a doctor's or lab's account was last recovered in (moved to a new key by a
	/// hospital and the regulator council): the grants given to it until then are suspended
	/// until the patient's side confirms them again.
	#[pallet::storage]
	pub type RecoveredAt<T: Config> = StorageMap<_, Blake2_128Concat, Accessor, BlockNumberFor<T>>;

	/// For a grant the patient's side confirmed again after its grantee's recovery: the block
	/// of the recovery it was confirmed after. Removed with the grant.
	#[pallet::storage]
	pub type GrantConfirmedAfter<T: Config> =
		StorageMap<_, Blake2_128Concat, GrantId, BlockNumberFor<T>>;

	/// Where the grant sweep continues (the last visited grant).
	#[pallet::storage]
	pub type GrantSweepCursor<T> = StorageValue<_, GrantId>;

	/// Where the request sweep continues (the last visited request).
	#[pallet::storage]
	pub type RequestSweepCursor<T> = StorageValue<_, RequestId>;

	/// Events: the notifications wallets and clinician UIs show.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A patient (or guardian) granted access.
		GrantIssued {
			/// The grant.
			grant: GrantId,
			/// Whose records.
			patient: PatientId,
			/// To whom.
			accessor: Accessor,
			/// For what purpose.
			purpose: Purpose,
			/// The first block in which it no longer applies.
			expires_at: BlockNumberFor<T>,
			/// The patient's or guardian's account.
			by: T::AccountId,
		},
		/// The patient's side revoked a grant (consent or break-glass).
		GrantRevoked {
			/// The grant.
			grant: GrantId,
			/// Whose records.
			patient: PatientId,
			/// The patient's or guardian's account.
			by: T::AccountId,
		},
		/// The patient's side confirmed a grant that its grantee's account recovery had
		/// suspended: it applies again.
		GrantConfirmed {
			/// The grant.
			grant: GrantId,
			/// Whose records.
			patient: PatientId,
			/// The patient's or guardian's account.
			by: T::AccountId,
		},
		/// The grantee ended a grant early (end of session).
		SessionEnded {
			/// The grant.
			grant: GrantId,
			/// Whose records.
			patient: PatientId,
			/// The grantee's account.
			by: T::AccountId,
		},
		/// The sweep deleted an expired grant (it was already denied since its expiry).
		GrantExpired {
			/// The grant.
			grant: GrantId,
			/// Whose records.
			patient: PatientId,
		},
		/// A doctor or lab asked a patient for access.
		AccessRequested {
			/// The request.
			request: RequestId,
			/// Whose records.
			patient: PatientId,
			/// Who asks.
			requester: Accessor,
			/// For what purpose.
			purpose: Purpose,
			/// For how many blocks after approval.
			duration: BlockNumberFor<T>,
			/// The first block in which the request can no longer be answered.
			expires_at: BlockNumberFor<T>,
		},
		/// The patient's side approved a request; `narrowed` if scope or duration was cut.
		RequestApproved {
			/// The request.
			request: RequestId,
			/// The grant it produced.
			grant: GrantId,
			/// Whether the approval narrowed the scope or shortened the duration.
			narrowed: bool,
			/// How many essential shares it handed over (see [`GrantKeys`]).
			essential_shares: u32,
			/// The patient's or guardian's account.
			by: T::AccountId,
		},
		/// The patient's side denied a request.
		RequestDenied {
			/// The request.
			request: RequestId,
			/// Whose records.
			patient: PatientId,
			/// The patient's or guardian's account.
			by: T::AccountId,
		},
		/// The requester withdrew a request.
		RequestCancelled {
			/// The request.
			request: RequestId,
			/// Whose records.
			patient: PatientId,
		},
		/// The sweep deleted an unanswered request past its deadline.
		RequestExpired {
			/// The request.
			request: RequestId,
			/// Whose records.
			patient: PatientId,
		},
		/// EMERGENCY: a doctor broke the glass and opened a patient's records without consent.
		EmergencyDeclared {
			/// The break-glass grant.
			grant: GrantId,
			/// Whose records.
			patient: PatientId,
			/// The doctor.
			doctor: DoctorId,
			/// The first block in which the window is closed.
			expires_at: BlockNumberFor<T>,
		},
		/// A regulator reviewed a break-glass declaration.
		EmergencyReviewed {
			/// The break-glass grant.
			grant: GrantId,
			/// Whose records were opened.
			patient: PatientId,
			/// Whether the regulator found it justified.
			justified: bool,
		},
		/// A guardian was appointed for a patient.
		GuardianAppointed {
			/// The patient.
			patient: PatientId,
			/// The guardian.
			guardian: T::AccountId,
			/// Who appointed them.
			by: GuardianAuthority,
			/// The hash of the legal basis, kept off chain.
			legal_basis: Option<NoteHash>,
		},
		/// A guardian was removed (or resigned).
		GuardianRemoved {
			/// The patient.
			patient: PatientId,
			/// The former guardian.
			guardian: T::AccountId,
			/// Who removed them.
			by: GuardianAuthority,
			/// The hash of the legal basis, kept off chain.
			legal_basis: Option<NoteHash>,
		},
		/// Records were released to a doctor or lab (custodians release key shares on this).
		AccessLogged {
			/// Whose records.
			patient: PatientId,
			/// Who accessed.
			accessor: Accessor,
			/// What.
			target: AccessTarget,
			/// Why.
			purpose: Purpose,
			/// Under which grant, break-glass or hospital relationship.
			ground: AccessGround,
			/// The entry's index in the patient's audit trail.
			audit_index: u64,
		},
		/// The patient's side withdrew (`allowed: false`) or restored (`allowed: true`) the
		/// registering hospital's standing access for treatment.
		StandingAccessChanged {
			/// Whose records.
			patient: PatientId,
			/// The registering hospital whose doctors it concerns.
			hospital: HospitalId,
			/// Whether the hospital's active doctors may now access for treatment without a
			/// grant.
			allowed: bool,
			/// The patient's or guardian's account.
			by: T::AccountId,
		},
		/// An entry was written into a patient's audit trail: a new one, or the day's latest
		/// access of an accessor rewritten in place (the same `index`). The on-chain trail is a
		/// ring of the last `MaxAuditEntries`; these events, in finalized blocks, are the
		/// archive of everything it held (each node serves them: `pmr_auditArchive`).
		Audited {
			/// Whose trail.
			patient: PatientId,
			/// The entry.
			entry: AuditEntry<T>,
		},
		/// A registered doctor or lab was refused access; the attempt is in the audit trail.
		AccessRefused {
			/// Whose records.
			patient: PatientId,
			/// Who tried.
			accessor: Accessor,
			/// What.
			target: AccessTarget,
			/// Why it was refused.
			reason: AccessDenied,
			/// The entry's index in the patient's audit trail.
			audit_index: u64,
		},
	}

	/// Errors: each names exactly what was wrong with the request.
	#[pallet::error]
	pub enum Error<T> {
		/// No patient has this Patient-ID.
		UnknownPatient,
		/// The caller is neither the patient nor one of the patient's guardians.
		NotPatientOrGuardian,
		/// The caller is not an active doctor or lab of a verified hospital.
		NotDoctorOrLab,
		/// The caller is not an active doctor of a verified hospital.
		NotDoctor,
		/// The doctor or lab to receive access is not active in the registry.
		AccessorNotActive,
		/// No live grant has this ID (it never existed, was closed, or has expired).
		UnknownGrant,
		/// The caller does not hold this grant.
		NotGrantee,
		/// The grant is not suspended: its grantee's account was not recovered since it was
		/// given or last confirmed.
		GrantNotSuspended,
		/// No pending request has this ID.
		UnknownRequest,
		/// The caller did not make this request.
		NotRequester,
		/// The request's answer deadline has passed.
		RequestExpired,
		/// The requester already has a pending request for this patient.
		DuplicateRequest,
		/// The patient has the maximum number of pending requests.
		TooManyPendingRequests,
		/// This doctor or lab holds the maximum number of grants for this patient.
		TooManyGrants,
		/// An approval may only narrow the requested scope.
		ScopeWidened,
		/// An approval may only shorten the requested duration.
		DurationExtended,
		/// A scope must name at least one category or record.
		EmptyScope,
		/// Consent cannot be given for the emergency purpose; that is what break-glass is for.
		EmergencyPurpose,
		/// The expiry is not after the current block.
		ExpiryNotInFuture,
		/// The duration is longer than the maximum grant duration.
		DurationTooLong,
		/// The duration is zero.
		ZeroDuration,
		/// This doctor declared an emergency for this patient within the break-glass window.
		BreakGlassCooldown,
		/// This doctor declared the maximum number of emergencies within the window.
		BreakGlassRateLimited,
		/// No break-glass declaration with this ID waits for review.
		UnknownEmergency,
		/// The account is already a guardian of this patient.
		AlreadyGuardian,
		/// The account is not a guardian of this patient.
		NotGuardian,
		/// The patient has the maximum number of guardians.
		TooManyGuardians,
		/// A patient cannot be their own guardian.
		GuardianIsPatient,
		/// Appointing or removing a guardian without the patient needs the hash of its legal
		/// basis.
		LegalBasisRequired,
		/// Access refused; the same refusal was logged recently, so this one is not.
		RefusalNotLogged,
		/// The registering hospital's standing access is already as asked.
		StandingAccessUnchanged,
		/// An ID counter is exhausted.
		IdOverflow,
		/// A counter would overflow or underflow (an invariant is broken).
		CounterOverflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_idle(now: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::sweep(now, remaining)
		}

		fn integrity_test() {
			assert!(
				T::BreakGlassWindow::get() > T::BreakGlassDuration::get(),
				"break-glass windows must not be chainable: BreakGlassWindow > BreakGlassDuration"
			);
			assert!(
				T::MaxGrantsPerPair::get() >= 2,
				"MaxGrantsPerPair must leave one consent slot and one break-glass slot"
			);
			assert!(T::MaxAuditEntries::get() > 0, "MaxAuditEntries must be positive");
			assert!(
				T::MaxBreakGlassPerWindow::get() > 0,
				"MaxBreakGlassPerWindow must be positive"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Grant a doctor or lab access to a patient's records (the patient or a guardian).
		///
		/// Emits `GrantIssued`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::grant_access())]
		pub fn grant_access(
			origin: OriginFor<T>,
			patient: PatientId,
			accessor: Accessor,
			scope: Scope<T>,
			purpose: Purpose,
			expiry: Expiry<BlockNumberFor<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_grant_access(who, patient, accessor, scope, purpose, expiry)
		}

		/// Revoke a grant or a break-glass window at once (the patient or a guardian).
		///
		/// Emits `GrantRevoked`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::revoke_grant())]
		pub fn revoke_grant(origin: OriginFor<T>, grant: GrantId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_revoke_grant(who, grant)
		}

		/// End a grant you hold before it expires (end of session; the grantee).
		///
		/// Emits `SessionEnded`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::end_session())]
		pub fn end_session(origin: OriginFor<T>, grant: GrantId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_end_session(who, grant)
		}

		/// Ask a patient for access (an active doctor or lab). `reason`, if given, is the hash
		/// of a note sealed to the patient's registered encryption key and kept off chain.
		///
		/// Emits `AccessRequested`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::request_access())]
		pub fn request_access(
			origin: OriginFor<T>,
			patient: PatientId,
			scope: Scope<T>,
			purpose: Purpose,
			duration: BlockNumberFor<T>,
			reason: Option<NoteHash>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_request_access(who, patient, scope, purpose, duration, reason).map(|_| ())
		}

		/// Approve a pending request (the patient or a guardian), optionally with a narrower
		/// scope or a shorter duration than requested. The grant starts now.
		///
		/// `keys` hands the essential share of each piece of content in scope over in the same
		/// act: the patient's wallet seals it to the requester's registered key (the vault's
		/// `approve_essential`). The requester then needs only the custodians' answers, asked
		/// off chain, to read. Empty keys leave the grant as before (the essential share can
		/// still be handed over per key request).
		///
		/// Emits `RequestApproved` and `GrantIssued`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::approve_request(keys.len() as u32))]
		pub fn approve_request(
			origin: OriginFor<T>,
			request: RequestId,
			scope: Option<Scope<T>>,
			duration: Option<BlockNumberFor<T>>,
			keys: KeysOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_approve_request(who, request, scope, duration, keys)
		}

		/// Deny a pending request (the patient or a guardian).
		///
		/// Emits `RequestDenied`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::deny_request())]
		pub fn deny_request(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deny_request(who, request)
		}

		/// Withdraw your pending request (the requester).
		///
		/// Emits `RequestCancelled`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::cancel_request())]
		pub fn cancel_request(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_request(who, request)
		}

		/// Declare an emergency and open a patient's records for a short, non-extendable
		/// window (an active doctor). `reason` is the hash of a justification sealed to the
		/// patient and the regulator and kept off chain.
		///
		/// Emits `EmergencyDeclared`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::declare_emergency())]
		pub fn declare_emergency(
			origin: OriginFor<T>,
			patient: PatientId,
			reason: NoteHash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_declare_emergency(who, patient, reason)
		}

		/// Record a regulator's review of a break-glass declaration (regulators only).
		///
		/// Emits `EmergencyReviewed`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::review_emergency())]
		pub fn review_emergency(
			origin: OriginFor<T>,
			grant: GrantId,
			justified: bool,
		) -> DispatchResult {
			T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_review_emergency(grant, justified)
		}

		/// Appoint a guardian for a patient: the patient, or [`Config::GuardianOrigin`] (a
		/// legal representative; `legal_basis`, the hash of the court order or power of
		/// attorney kept off chain, is then required). Logged in the patient's audit trail.
		///
		/// Emits `GuardianAppointed`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::appoint_guardian())]
		pub fn appoint_guardian(
			origin: OriginFor<T>,
			patient: PatientId,
			guardian: T::AccountId,
			legal_basis: Option<NoteHash>,
		) -> DispatchResult {
			let by = Self::ensure_guardian_origin_or_signed(origin)?;
			Self::do_appoint_guardian(by, patient, guardian, legal_basis)
		}

		/// Remove a guardian: the patient, the guardian resigning, or
		/// [`Config::GuardianOrigin`] (with `legal_basis` required). Logged in the patient's
		/// audit trail.
		///
		/// Emits `GuardianRemoved`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::remove_guardian())]
		pub fn remove_guardian(
			origin: OriginFor<T>,
			patient: PatientId,
			guardian: T::AccountId,
			legal_basis: Option<NoteHash>,
		) -> DispatchResult {
			let by = Self::ensure_guardian_origin_or_signed(origin)?;
			Self::do_remove_guardian(by, patient, guardian, legal_basis)
		}

		/// Open a patient's records (an active doctor or lab): the access is checked against
		/// the patient's consents at this block and the decision is logged in the patient's
		/// audit trail. Custodians release key shares only against an `AccessLogged` event.
		///
		/// Succeeds with `AccessLogged`, or with `AccessRefused` when refused (the refusal is
		/// logged). A repeated refusal within the log interval fails with `RefusalNotLogged`.
		#[pallet::call_index(11)]
		#[pallet::weight(
			T::WeightInfo::record_access_logged().max(T::WeightInfo::record_access_refused())
		)]
		pub fn record_access(
			origin: OriginFor<T>,
			patient: PatientId,
			target: AccessTarget,
			purpose: Purpose,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_record_access(who, patient, target, purpose)
		}

		/// Withdraw (`allowed: false`) or restore (`allowed: true`) the standing access of the
		/// patient's registering hospital: without it, that hospital's doctors need a grant like
		/// anyone else (the patient or a guardian). Honoured at the next access check; a
		/// break-glass emergency access stays possible.
		///
		/// Emits `StandingAccessChanged`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::set_standing_access())]
		pub fn set_standing_access(
			origin: OriginFor<T>,
			patient: PatientId,
			allowed: bool,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_standing_access(who, patient, allowed)
		}

		/// Confirm a grant again after its doctor's or lab's account was recovered (the
		/// patient or a guardian): a recovery moves the account to a key a hospital and the
		/// regulator council vouched for, and suspends the grants given before it until the
		/// patient's side trusts the new holder. The confirmation goes into the audit trail.
		///
		/// Emits `GrantConfirmed`.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::confirm_grant())]
		pub fn confirm_grant(origin: OriginFor<T>, grant: GrantId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_confirm_grant(who, grant)
		}
	}

	impl<T: Config> Pallet<T> {
		/// `None` for [`Config::GuardianOrigin`], `Some(account)` for any other signed origin.
		fn ensure_guardian_origin_or_signed(
			origin: OriginFor<T>,
		) -> Result<Option<T::AccountId>, DispatchError> {
			match T::GuardianOrigin::try_origin(origin) {
				Ok(_) => Ok(None),
				Err(origin) => Ok(Some(ensure_signed(origin)?)),
			}
		}
	}
}
