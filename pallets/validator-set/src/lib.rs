//! # Validator-set pallet
//!
//! Consortium validator governance for the standalone Proof-of-Authority chain: the regulator
//! admits a verified hospital's validator and removes it, while the chain runs; the
//! hospital's standing in the registry keeps it in the set.
//!
//! This pallet is the [`pallet_session::SessionManager`] of the runtime and decides when a
//! session ends ([`pallet_session::ShouldEndSession`]). `pallet-session` does the rest with its
//! standard machinery: a change planned during session `i` is queued at the start of session
//! `i + 1` and enacted at the start of session `i + 2`, for Aura (which switches authorities at
//! that block) and GRANDPA (which schedules the same set through `pallet-grandpa`'s change
//! schedule, enacted when that block is finalized). Both session handlers get the same keys at
//! the same block, so they never disagree on the set.
//!
//! ## Rules
//!
//! - A validator is an **admin account of a verified hospital** (the account the hospital
//!   transacts with), one per hospital, and must have registered its session keys
//!   (`session.set_keys`, from keys made on its own node with `author_rotateKeys`) before the
//!   regulator admits it ([`Pallet::add_validator`]).
//! - The regulator removes one with [`Pallet::remove_validator`]; a removal that would leave
//!   fewer than [`MinValidators`] validators is refused ([`Error::TooFewValidators`]).
//! - At every session boundary the set is checked against the registry (through
//!   [`pmr_primitives::RegistryInspect`], not the registry's storage): the validator of a
//!   hospital that is no longer verified (suspended or revoked) is removed, even below the
//!   minimum (a suspended hospital must not author blocks), and [`Event::BelowMinimum`] says
//!   so. The set is never emptied: if no validator would be left, nothing is removed and
//!   [`Event::NoEligibleValidator`] is emitted.
//! - Founding validators, listed in the genesis config, run the chain before any hospital is
//!   verified; they have no hospital and leave only through [`Pallet::remove_validator`].
//!
//! Sessions are [`SessionLength`] blocks long, and slots [`SlotDuration`] milliseconds (both
//! genesis settings per network). The runtime hands the slot duration to Aura and the timestamp
//! pallet through [`SlotDurationGet`] and [`MinimumPeriodGet`], so one chain spec field sets
//! the block time: the `dev` and `local` chains keep 6-second blocks, the test chains
//! (`dev-fast`, `local-fast`) run 1-second blocks on the same runtime code. The slot duration
//! never changes after genesis: Aura derives every slot number from it.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod features;
#[cfg(test)]
mod mock;
mod session;
#[cfg(test)]
mod tests;
// Invariants: run by try-runtime, after every unit test, and by runtime-level tests (std).
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod try_state;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

/// Sets up the benchmarks' worst cases through the real registry and session pallets
/// (`runtime-benchmarks` only).
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// An admin account of a verified hospital that has registered session keys and is not a
	/// validator yet, unique for `seed`: (hospital, account).
	fn eligible_validator(seed: u32) -> (pmr_primitives::HospitalId, AccountId);
}

/// The shortest slot duration a genesis config may set (milliseconds): a block must still be
/// authored, imported and gossiped within a slot.
pub const MIN_SLOT_DURATION: u64 = 500;

/// Whether `millis` can be a slot duration: at least [`MIN_SLOT_DURATION`], and even, because
/// the timestamp pallet's minimum period is half a slot.
pub fn valid_slot_duration(millis: u64) -> bool {
	millis >= MIN_SLOT_DURATION && millis % 2 == 0
}

/// [`SlotDuration`] as Aura's `SlotDuration` (milliseconds).
pub struct SlotDurationGet<T>(core::marker::PhantomData<T>);
impl<T: Config> frame_support::traits::Get<u64> for SlotDurationGet<T> {
	fn get() -> u64 {
		SlotDuration::<T>::get()
	}
}

/// Half of [`SlotDuration`], as the timestamp pallet's `MinimumPeriod`, so that Aura's slot and
/// the timestamps always agree.
pub struct MinimumPeriodGet<T>(core::marker::PhantomData<T>);
impl<T: Config> frame_support::traits::Get<u64> for MinimumPeriodGet<T> {
	fn get() -> u64 {
		SlotDuration::<T>::get() / 2
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::Contains};
	use frame_system::pallet_prelude::*;
	use pmr_primitives::{HospitalId, RegistryInspect};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// Who admits and removes validators: the regulator.
		type RegulatorOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The registry: whether a hospital is verified and whether an account is its admin.
		type Registry: RegistryInspect<Self::AccountId>;
		/// The accounts that have registered session keys (in the runtime: `pallet-session`'s
		/// `NextKeys`). An account without keys would be skipped by the session pallet.
		type HasSessionKeys: Contains<Self::AccountId>;
		/// The most validators the chain supports (at most the consensus pallets'
		/// `MaxAuthorities`).
		#[pallet::constant]
		type MaxValidators: Get<u32>;
		/// The slot duration (milliseconds) of a chain whose genesis set none: what the chain
		/// ran with before [`SlotDuration`] existed.
		#[pallet::constant]
		type DefaultSlotDuration: Get<u64>;
		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
		/// Sets up the benchmarks' worst cases.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The validators the next planned session will use, in the order they were admitted.
	/// `pallet-session`'s `Validators` is the set that validates now.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<Validator<T::AccountId>, T::MaxValidators>, ValueQuery>;

	/// Whether [`Validators`] changed since the session pallet last asked for a new set.
	#[pallet::storage]
	pub type SetChanged<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// The regulator may not remove a validator when fewer than this many would remain (4 lets
	/// GRANDPA tolerate one faulty validator). Set per network in the genesis config.
	#[pallet::storage]
	pub type MinValidators<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// A session's length in blocks. Set per network in the genesis config.
	#[pallet::storage]
	pub type SessionLength<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Aura's slot duration in milliseconds: the block time. Set per network in the genesis
	/// config, [`Config::DefaultSlotDuration`] when it was not; never changed afterwards.
	#[pallet::storage]
	pub type SlotDuration<T: Config> = StorageValue<_, u64, ValueQuery, T::DefaultSlotDuration>;

	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The founding validators' accounts (no hospital): they run the chain until the
		/// regulator admits hospitals' validators. Each needs session keys in
		/// `pallet-session`'s genesis config.
		pub founding_validators: alloc::vec::Vec<T::AccountId>,
		/// [`MinValidators`].
		pub min_validators: u32,
		/// [`SessionLength`], in blocks (at least 1).
		pub session_length: BlockNumberFor<T>,
		/// [`SlotDuration`], in milliseconds: even and at least [`MIN_SLOT_DURATION`].
		pub slot_duration: u64,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self {
				founding_validators: alloc::vec::Vec::new(),
				min_validators: 1,
				// An hour of 6-second blocks.
				session_length: 600u32.into(),
				slot_duration: T::DefaultSlotDuration::get(),
			}
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// An invalid genesis config must fail chain-spec building loudly.
			let mut set = BoundedVec::<Validator<T::AccountId>, T::MaxValidators>::new();
			for account in &self.founding_validators {
				assert!(
					!set.iter().any(|v| &v.account == account),
					"a founding validator is listed twice"
				);
				assert!(
					set.try_push(Validator { account: account.clone(), hospital: None }).is_ok(),
					"more founding validators than MaxValidators"
				);
			}
			assert!(self.min_validators >= 1, "min_validators must be at least 1");
			assert!(!self.session_length.is_zero(), "session_length must be at least 1 block");
			assert!(
				valid_slot_duration(self.slot_duration),
				"slot_duration must be even and at least MIN_SLOT_DURATION milliseconds"
			);
			SlotDuration::<T>::put(self.slot_duration);
			Validators::<T>::put(set);
			MinValidators::<T>::put(self.min_validators);
			SessionLength::<T>::put(self.session_length);
			// The session pallet's genesis reads the set directly.
			SetChanged::<T>::put(true);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The regulator admitted `account`, the validator of `hospital`; it validates from the
		/// session after next.
		ValidatorAdded {
			/// The validator's account (a hospital admin account).
			account: T::AccountId,
			/// Its hospital.
			hospital: HospitalId,
		},
		/// `account` left the set; it stops validating from the session after next.
		ValidatorRemoved {
			/// The validator's account.
			account: T::AccountId,
			/// Its hospital (`None` for a founding validator).
			hospital: Option<HospitalId>,
			/// Why.
			reason: RemovalReason,
		},
		/// After the registry-driven removals the set is below [`MinValidators`]: the
		/// regulator should admit validators (GRANDPA tolerates fewer faults).
		BelowMinimum {
			/// Validators left.
			validators: u32,
			/// The configured minimum.
			minimum: u32,
		},
		/// No validator's hospital is verified any more; the set was kept as it is so the chain
		/// does not halt. The regulator must admit a verified hospital's validator.
		NoEligibleValidator,
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The hospital is not verified (pending, suspended, revoked or unknown).
		HospitalNotVerified,
		/// The account is not an admin account of that hospital.
		NotHospitalAdmin,
		/// The account has not registered session keys (`session.set_keys`).
		NoSessionKeys,
		/// The account is a validator already.
		AlreadyValidator,
		/// The hospital has a validator already (one per hospital).
		HospitalAlreadyValidates,
		/// The set is full ([`Config::MaxValidators`]).
		TooManyValidators,
		/// The account is not a validator.
		NotValidator,
		/// The removal would leave fewer than [`MinValidators`] validators.
		TooFewValidators,
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
		/// Admits `account`, an admin account of the verified `hospital` that has registered its
		/// session keys, as that hospital's validator. It validates from the session after
		/// next (`pallet-session`'s one-session delay).
		///
		/// Origin: the regulator.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_validator())]
		pub fn add_validator(
			origin: OriginFor<T>,
			hospital: HospitalId,
			account: T::AccountId,
		) -> DispatchResult {
			T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_add_validator(hospital, account)
		}

		/// Removes the validator `account`. It stops validating from the session after next.
		/// Refused when fewer than [`MinValidators`] validators would remain; to replace a
		/// validator at the minimum, admit the new one first. (Suspending its hospital in the
		/// registry removes it at the next session boundary regardless of the minimum.)
		///
		/// Origin: the regulator.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_validator())]
		pub fn remove_validator(origin: OriginFor<T>, account: T::AccountId) -> DispatchResult {
			T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_remove_validator(account)
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Whether `who` is in the validator set the next planned session uses (admitted
	/// validators included before they start validating).
	pub fn is_validator(who: &T::AccountId) -> bool {
		Validators::<T>::get().iter().any(|v| &v.account == who)
	}

	/// The validators' accounts, in admission order.
	pub fn validator_accounts() -> alloc::vec::Vec<T::AccountId> {
		Validators::<T>::get().into_iter().map(|v| v.account).collect()
	}
}
