//! # Key-release pallet
//!
//! Makes the primary design's (1,t,n) scheme enforceable: a record's data key is the patient's
//! essential share plus `t` of `n` custodian shares, and this pallet is where a doctor or lab
//! asks for them, where the runtime decides, and where every custodian and the patient's side
//! answer, each step in the patient's audit trail.
//!
//! ## Flow
//!
//! 1. An active doctor or lab with a registered X25519 key calls
//!    [`Pallet::request_key`] for one piece of sealed content (a record version or a lab
//!    study). The runtime asks the consent pallet's `AccessPolicy` at this block. Allowed: a
//!    [`KeyRequest`] is stored, answerable until [`KeyRequest::valid_until`] (the earlier of
//!    [`Config::RequestLifetime`] and the end of the consent it was allowed on), and
//!    [`Event::KeyRequested`] tells the custodian nodes. Refused: the refusal goes into the
//!    patient's audit trail ([`Event::KeyRequestRefused`]), rate-limited as refused record
//!    access is.
//! 2. Each custodian node of the content's custodian set sees the request in a finalized
//!    block, re-checks the decision ([`runtime_api::KeyReleaseApi::release_check`]), opens its
//!    share from the manifest, re-wraps it to the requester's key, pins that envelope and
//!    answers with [`Pallet::release_share`] (the envelope's CID) or
//!    [`Pallet::refuse_share`] (a typed [`ShareRefusal`]). The runtime accepts a release
//!    only while the request is answerable and the decision still holds at that block, once
//!    per custodian.
//! 3. The patient (or a guardian) re-wraps the essential share to the requester's key off
//!    chain and hands the envelope over with [`Pallet::release_essential_share`].
//!
//! The patient's side asks for the patient's own content with [`Pallet::request_own_key`]
//! (data portability): custodians answer the same way, wrapping to the patient's key.
//! 4. The requester, holding the essential envelope and `t` custodian envelopes, reconstructs
//!    the key and checks manifest, ciphertext and plaintext against the hashes in the request
//!    (copied from the chain's anchor).
//!
//! ## Off-chain share requests
//!
//! The faster path ([`runtime_api::ShareRequestApi`], `docs/key-release.md`): the requester
//! signs a [`pmr_primitives::ShareRequest`] and sends it straight to each custodian node. The
//! node decides it with [`Pallet::check_share_request`] at its finalized block (the same
//! consent decision as above), answers at once with its share wrapped to the requester's key
//! and bound to the request's digest, and records the answer, released or refused, with
//! [`Pallet::record_share_answers`] for the patient's audit trail.
//!
//! ## After the patient rotates the key
//!
//! A manifest's essential share is sealed to the patient's key at ingest, and the manifest is
//! content-addressed, so it never changes. When the patient replaces the key
//! (`registry.update_patient`), the patient's tool opens each essential share with the old
//! secret and seals it to the new key; [`Pallet::rewrap_essential_shares`] keeps those
//! envelopes ([`RewrappedEssentials`]), sealed to the key registered at that block, and the
//! patient's side approves and exports with them from then on
//! ([`runtime_api::KeyReleaseApi::rewrapped_essential`]).
//!
//! A request is closed by its requester when done, or by anyone once it can no longer be
//! answered ([`Pallet::close_key_request`]); what nobody closes, the `on_idle` sweep closes
//! after its deadline, oldest first ([`SweepCursor`]). Closing only frees storage, as every
//! answer is checked against the block number anyway.
//!
//! ## Who answers for a custodian
//!
//! The hospital's key-custodian account (a member role of its own, whose key the custodian
//! node holds and which can do nothing else) or an admin account, of a verified hospital in
//! the **current** custodian set (the registry's `KeyCustody`). A hospital removed from the set (or suspended) can no longer release
//! anything, even for content shared while it was a custodian.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod features;
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

pub use features::ShareRequestOf;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use pmr_primitives::{
		AccessDenied, AccessGround, AccessPolicy, Accessor, AnsweredShareRequest, Cid,
		CustodianSetVersion, EncryptionPublicKey, HospitalId, KeyCustody, KeyRequestId, KeyRequester, PatientAudit,
		PatientId, Purpose, RegistryInspect, SealedContentInspect, SealedTarget, ShareAnswer,
		EssentialEnvelope, ShareRefusal, ShareRequestInvalid,
	};
	use sp_runtime::traits::{IdentifyAccount, Verify};

	/// A custodian's off-chain answer as [`Pallet::record_share_answers`] takes it.
	pub type AnswerOf<T> = AnsweredShareRequest<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as Config>::RequestSignature,
	>;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the key-release pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who is who: which doctor or lab an account acts as.
		type Registry: RegistryInspect<Self::AccountId>;

		/// The consent decision.
		type Access: AccessPolicy<Self::AccountId>;

		/// The patient's audit trail and the patient's side (the consent pallet).
		type Audit: PatientAudit<Self::AccountId, BlockNumberFor<Self>>;

		/// What a sealed target is (the records and lab-report pallets).
		type Sealed: SealedContentInspect;

		/// Custodians and staff encryption keys (the registry).
		type Custody: KeyCustody<Self::AccountId>;

		/// How many blocks a request can be answered for (at most; a consent that ends sooner
		/// ends it sooner).
		#[pallet::constant]
		type RequestLifetime: Get<BlockNumberFor<Self>>;

		/// The most custodians a set can hold (the registry's bound): the most answers a
		/// request can collect.
		#[pallet::constant]
		type MaxCustodians: Get<u32>;

		/// The signature a requester puts on an off-chain [`pmr_primitives::ShareRequest`]
		/// (the runtime's `MultiSignature`).
		type RequestSignature: Verify<Signer = Self::RequestSigner> + Parameter;

		/// The public key behind a [`Config::RequestSignature`], which names an account.
		type RequestSigner: IdentifyAccount<AccountId = Self::AccountId>;

		/// The most off-chain answers a custodian records in one call
		/// ([`Pallet::record_share_answers`]).
		#[pallet::constant]
		type MaxAnswerBatch: Get<u32>;

		/// The most request IDs the `on_idle` sweep visits in one block.
		#[pallet::constant]
		type MaxSweepPerBlock: Get<u32>;

		/// The most essential shares the patient's side re-wraps in one call
		/// ([`Pallet::rewrap_essential_shares`]).
		#[pallet::constant]
		type MaxRewrapBatch: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up requesters, sealed content and custodians for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: pmr_primitives::KeyReleaseBenchmarkHelper<
			Self::AccountId,
			Self::RequestSignature,
		>;
	}

	/// The ID the next key request gets.
	#[pallet::storage]
	pub type NextKeyRequestId<T> = StorageValue<_, KeyRequestId, ValueQuery>;

	/// Open key requests by ID, until closed.
	#[pallet::storage]
	pub type KeyRequests<T: Config> = StorageMap<_, Blake2_128Concat, KeyRequestId, KeyRequest<T>>;

	/// The lowest request ID the `on_idle` sweep has not passed: every request below it is
	/// closed.
	#[pallet::storage]
	pub type SweepCursor<T> = StorageValue<_, KeyRequestId, ValueQuery>;

	/// The patient's essential shares re-wrapped to a newer key of the patient, by content
	/// (the latest re-wrap of each).
	#[pallet::storage]
	pub type RewrappedEssentials<T> = StorageMap<_, Blake2_128Concat, SealedTarget, RewrappedEssential>;

	/// Events: what custodian nodes, the requester's client and the patient's wallet follow.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A doctor or lab, or the patient's side, may have a key: custodians of
		/// `custodian_set` answer until `valid_until`.
		KeyRequested {
			/// The request.
			request: KeyRequestId,
			/// Whose content.
			patient: PatientId,
			/// Who asked, and why.
			requester: KeyRequester,
			/// Which content.
			target: SealedTarget,
			/// On which ground the runtime allowed it.
			ground: AccessGround,
			/// The custodian set the content's shares were made for.
			custodian_set: CustodianSetVersion,
			/// The last block in which the request can be answered.
			valid_until: BlockNumberFor<T>,
			/// The entry's index in the patient's audit trail.
			audit_index: u64,
		},
		/// A doctor or lab asked for a key and was refused; the attempt is in the audit trail.
		KeyRequestRefused {
			/// Whose content.
			patient: PatientId,
			/// Who asked.
			requester: Accessor,
			/// Which content.
			target: SealedTarget,
			/// Why it was refused.
			reason: AccessDenied,
			/// The entry's index in the patient's audit trail.
			audit_index: u64,
		},
		/// A custodian released its share, re-wrapped to the requester's key.
		ShareReleased {
			/// The request.
			request: KeyRequestId,
			/// Whose content.
			patient: PatientId,
			/// The custodian hospital.
			custodian: HospitalId,
			/// The IPFS CID of the share envelope sealed to the requester.
			envelope: Cid,
		},
		/// A custodian refused to release its share.
		ShareRefused {
			/// The request.
			request: KeyRequestId,
			/// Whose content.
			patient: PatientId,
			/// The custodian hospital.
			custodian: HospitalId,
			/// Why.
			reason: ShareRefusal,
		},
		/// The patient's side handed the essential share over, re-wrapped to the requester.
		EssentialShareReleased {
			/// The request.
			request: KeyRequestId,
			/// Whose content.
			patient: PatientId,
			/// The IPFS CID of the essential-share envelope sealed to the requester.
			envelope: Cid,
			/// The patient's or guardian's account.
			by: T::AccountId,
		},
		/// A custodian recorded an answer it gave off chain to a signed share request; the
		/// answer is in the patient's audit trail.
		ShareAnswerRecorded {
			/// Whose content.
			patient: PatientId,
			/// The custodian hospital.
			custodian: HospitalId,
			/// Who asked.
			requester: T::AccountId,
			/// Which content.
			target: SealedTarget,
			/// The request's digest (what the released share is bound to).
			request: [u8; 32],
			/// Released or refused.
			answer: ShareAnswer,
			/// The entry's index in the patient's audit trail.
			audit_index: u64,
		},
		/// A custodian's off-chain answer could not be recorded, and why. The rest of its batch
		/// was recorded.
		ShareAnswerNotRecorded {
			/// The custodian hospital.
			custodian: HospitalId,
			/// The request's digest.
			request: [u8; 32],
			/// Why: the request is invalid as the runtime checks it at the block the custodian
			/// decided at, or (`None`) a refusal of the same requester was logged recently.
			invalid: Option<ShareRequestInvalid>,
		},
		/// The patient's side re-wrapped the essential shares of `count` pieces of the patient's
		/// content to the patient's registered key `key`; the entry is in the audit trail.
		EssentialSharesRewrapped {
			/// Whose content.
			patient: PatientId,
			/// The key they are sealed to now.
			key: EncryptionPublicKey,
			/// How many.
			count: u32,
			/// The patient's or guardian's account.
			by: T::AccountId,
			/// The entry's index in the patient's audit trail.
			audit_index: u64,
		},
		/// A request was closed and its storage freed (by its requester, by anyone after its
		/// deadline, or by the `on_idle` sweep).
		KeyRequestClosed {
			/// The request.
			request: KeyRequestId,
			/// Whose content.
			patient: PatientId,
		},
	}

	/// Errors: each names exactly what was wrong with the call.
	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not an active doctor or lab of a verified hospital.
		NotDoctorOrLab,
		/// The caller has not registered an X25519 encryption key (`registry.set_encryption_key`)
		/// that shares could be wrapped to.
		NoEncryptionKey,
		/// No record version or lab study is known under this target.
		UnknownContent,
		/// The content has no key-share manifest on chain yet, so there is nothing to release.
		NotSealed,
		/// Refused; the same refusal was logged recently, so this one is not.
		RefusalNotLogged,
		/// No open key request has this ID.
		UnknownRequest,
		/// The request can no longer be answered (its deadline passed).
		RequestExpired,
		/// The caller does not answer for a hospital in the current custodian set.
		NotCustodian,
		/// This custodian already answered this request.
		AlreadyAnswered,
		/// The access decision no longer holds at this block: refuse instead of releasing (or, for
		/// a new request, its access ground ends in this block).
		DecisionNoLongerHolds,
		/// The caller is neither the patient nor one of the patient's guardians.
		NotPatientOrGuardian,
		/// The essential share was already handed over for this request.
		EssentialAlreadyReleased,
		/// Only the requester may close a request before its deadline.
		NotRequester,
		/// The content was erased: there is nothing to release.
		Erased,
		/// An ID counter is exhausted.
		IdOverflow,
		/// More answers than custodians (an invariant is broken).
		TooManyAnswers,
		/// An answer says it was decided at a block this chain has not reached.
		DecidedInTheFuture,
		/// An envelope's CID is not a binary CIDv1 with a sha2-256 multihash and a raw or
		/// dag-pb codec (`pmr_primitives::cid`).
		InvalidCid,
		/// A re-wrap names no share.
		NoShares,
		/// A re-wrap names content of another patient.
		AnotherPatientsContent,
		/// A re-wrapped share is not a compact envelope of an essential share
		/// (`pmr_primitives::ESSENTIAL_ENVELOPE_LEN` bytes).
		MalformedEnvelope,
		/// A re-wrap names the same content twice.
		DuplicateContent,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_idle(now: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::sweep(now, remaining)
		}

		fn integrity_test() {
			assert!(!T::RequestLifetime::get().is_zero(), "RequestLifetime must be positive");
			assert!(T::MaxSweepPerBlock::get() > 0, "MaxSweepPerBlock must be positive");
			assert!(T::MaxCustodians::get() > 0, "MaxCustodians must be positive");
			assert!(T::MaxRewrapBatch::get() > 0, "MaxRewrapBatch must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Asks for the key of one piece of sealed content, for `purpose`. The runtime decides
		/// now: allowed, the request is stored and the custodians are told
		/// ([`Event::KeyRequested`]); refused, the refusal is logged in the patient's audit
		/// trail ([`Event::KeyRequestRefused`]) and the call still succeeds. The caller must
		/// be an active doctor or lab with a registered encryption key.
		#[pallet::call_index(0)]
		#[pallet::weight(
			T::WeightInfo::request_key()
				.max(T::WeightInfo::request_key_refused())
				.saturating_add(T::Access::can_access_weight())
		)]
		pub fn request_key(
			origin: OriginFor<T>,
			target: SealedTarget,
			purpose: Purpose,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_request_key(who, target, purpose)
		}

		/// A custodian releases its share of request `request`'s key: `envelope` is the IPFS CID
		/// of the share sealed to the requester's key. Accepted once per custodian, while the
		/// request can be answered and its access decision still holds at this block.
		#[pallet::call_index(1)]
		#[pallet::weight(
			T::WeightInfo::release_share().saturating_add(T::Access::can_access_weight())
		)]
		pub fn release_share(
			origin: OriginFor<T>,
			request: KeyRequestId,
			envelope: Cid,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_release_share(who, request, envelope)
		}

		/// A custodian refuses to release its share of request `request`'s key, and says why.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::refuse_share())]
		pub fn refuse_share(
			origin: OriginFor<T>,
			request: KeyRequestId,
			reason: ShareRefusal,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_refuse_share(who, request, reason)
		}

		/// The patient (or a guardian) hands the essential share over: `envelope` is the IPFS
		/// CID of the essential share re-wrapped to the requester's key (see `pmr-node
		/// rewrap-essential`). Accepted once, while the request can be answered and its access
		/// decision still holds.
		#[pallet::call_index(3)]
		#[pallet::weight(
			T::WeightInfo::release_essential_share().saturating_add(T::Access::can_access_weight())
		)]
		pub fn release_essential_share(
			origin: OriginFor<T>,
			request: KeyRequestId,
			envelope: Cid,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_release_essential_share(who, request, envelope)
		}

		/// Closes a request and frees its storage: the requester at any time, anyone once the
		/// request can no longer be answered.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::close_key_request())]
		pub fn close_key_request(origin: OriginFor<T>, request: KeyRequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_close_key_request(who, request)
		}

		/// The patient (or a guardian) asks for the key of the patient's own content, e.g. to
		/// export the records (`pmr-node export-records`). Custodians wrap their shares to the
		/// patient's registered key; the patient opens the essential share from the manifest,
		/// so nothing is handed over. Logged in the patient's audit trail like any request.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::request_own_key())]
		pub fn request_own_key(origin: OriginFor<T>, target: SealedTarget) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_request_own_key(who, target)
		}

		/// A custodian records the answers it gave off chain to signed share requests
		/// (`pmr_requestShare` on its node), each in the patient's audit trail. Each request's
		/// signature, chain and age are checked at the block the custodian says it decided at;
		/// an answer that fails them is left out ([`Event::ShareAnswerNotRecorded`]) and the
		/// rest are recorded. The consent decision itself is not re-made: the custodian made it
		/// at that (finalized) block with the same runtime
		/// ([`runtime_api::ShareRequestApi::check_share_request`]).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::record_share_answers(answers.len() as u32))]
		pub fn record_share_answers(
			origin: OriginFor<T>,
			answers: BoundedVec<AnswerOf<T>, T::MaxAnswerBatch>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_record_share_answers(who, answers)
		}

		/// The patient's side (the patient, or a guardian holding the patient's key), after the
		/// patient's key was replaced (`registry.update_patient`): keeps the essential share of
		/// each piece of content named, which the patient's tool re-wrapped to the key
		/// registered now (`pmr-node rewrap-patient-shares`, or the web app's key rotation).
		/// Each must be the patient's live, sealed content, named once, with a compact envelope
		/// of [`pmr_primitives::ESSENTIAL_ENVELOPE_LEN`] bytes; a later re-wrap replaces an
		/// earlier one. One entry in the patient's audit trail per call.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::rewrap_essential_shares(shares.len() as u32))]
		pub fn rewrap_essential_shares(
			origin: OriginFor<T>,
			patient: PatientId,
			shares: BoundedVec<(SealedTarget, EssentialEnvelope), T::MaxRewrapBatch>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_rewrap_essential_shares(who, patient, shares)
		}
	}
}
