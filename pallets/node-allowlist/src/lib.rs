//! # Node-allowlist pallet
//!
//! Permissioning at the network layer: which nodes may peer with the consortium's nodes.
//!
//! The regulator lists the consortium's nodes by their libp2p peer ID ([`Pallet::add_node`],
//! [`Pallet::remove_node`]), each for the hospital that runs it or for the consortium itself,
//! and switches enforcement on ([`Pallet::set_enforced`]) once every node that must stay
//! connected is listed. Every `pmr-node` reads [`Pallet::authorized_nodes`] through the
//! [`runtime_api::NodeAllowlistApi`] at each new best block and, while enforcement is on,
//! accepts and opens block-announce (sync) connections only to those nodes; GRANDPA and
//! transaction gossip ride on those connections, so an unlisted node neither syncs, gossips,
//! votes nor sees the transaction pool. What this does not cover is in `docs/operations.md`
//! ("Network permissioning").
//!
//! ## Rules
//!
//! - A hospital's node is authorized only while its hospital is verified, asked through
//!   [`pmr_primitives::HospitalStanding`] at every read: suspending a hospital disconnects its
//!   nodes at the next block, and reinstating it reconnects them, with no call here.
//! - Enforcement cannot start on an empty list ([`Error::NoNodes`]), and while it is on the last
//!   listed node cannot be removed ([`Error::LastNode`]): an empty allowlist would cut every
//!   node off from every other. (Nodes also never apply an empty list.)
//! - Founding nodes (genesis, `hospital: None`) stay until the regulator removes them.

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

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

/// Sets up the benchmarks' worst cases through the real registry (`runtime-benchmarks` only).
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// A verified hospital.
	fn verified_hospital() -> pmr_primitives::HospitalId;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use pmr_primitives::{HospitalId, HospitalStanding};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// Who lists nodes and switches enforcement: the regulator.
		type RegulatorOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The registry: whether a node's hospital is verified.
		type Hospitals: HospitalStanding;
		/// The most nodes the list holds.
		#[pallet::constant]
		type MaxNodes: Get<u32>;
		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
		/// Sets up the benchmarks' worst cases.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// The listed nodes, by peer ID.
	#[pallet::storage]
	pub type Nodes<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, NodePeerId, NodeEntry<BlockNumberFor<T>>>;

	/// Whether nodes peer only with [`Pallet::authorized_nodes`]. Off: an open network (any node
	/// that knows the chain may sync).
	#[pallet::storage]
	pub type Enforced<T: Config> = StorageValue<_, bool, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The founding nodes (no hospital): their peer IDs as text (`12D3KooW...`).
		pub nodes: alloc::vec::Vec<alloc::string::String>,
		/// [`Enforced`] at genesis (needs at least one node).
		pub enforced: bool,
		/// The pallet's configuration (no data).
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// An invalid genesis config must fail chain-spec building loudly.
			for text in &self.nodes {
				let peer_id = NodePeerId::from_text(text);
				assert!(
					peer_id.as_ref().and_then(NodePeerId::ed25519_public_key).is_some(),
					"a founding node's peer ID is invalid"
				);
				let Some(peer_id) = peer_id else { continue };
				assert!(!Nodes::<T>::contains_key(&peer_id), "a founding node is listed twice");
				Nodes::<T>::insert(&peer_id, NodeEntry { hospital: None, listed_at: Zero::zero() });
			}
			assert!(Nodes::<T>::count() <= T::MaxNodes::get(), "more founding nodes than MaxNodes");
			assert!(!self.enforced || !self.nodes.is_empty(), "enforcement needs founding nodes");
			Enforced::<T>::put(self.enforced);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The regulator listed a node.
		NodeAdded {
			/// Its peer ID.
			peer_id: NodePeerId,
			/// The hospital that runs it (`None`: the consortium).
			hospital: Option<HospitalId>,
		},
		/// The regulator removed a node from the list; while enforcement is on, the other nodes
		/// disconnect it as soon as they import this block.
		NodeRemoved {
			/// Its peer ID.
			peer_id: NodePeerId,
			/// The hospital that ran it.
			hospital: Option<HospitalId>,
		},
		/// The regulator switched enforcement on or off; nodes follow as soon as they import
		/// this block.
		EnforcementSet {
			/// Whether nodes now peer only with listed nodes.
			enforced: bool,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// Not the base58 text of an Ed25519 libp2p peer ID (as `system_localPeerId` returns).
		InvalidPeerId,
		/// The node is listed already.
		AlreadyListed,
		/// The list is full ([`Config::MaxNodes`]).
		TooManyNodes,
		/// The hospital is not verified (pending, suspended, revoked or unknown).
		HospitalNotVerified,
		/// The node is not listed.
		NotListed,
		/// Enforcement is on and this is the last listed node: removing it would cut every node
		/// off. Switch enforcement off first.
		LastNode,
		/// Enforcement needs at least one listed node.
		NoNodes,
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
		/// Lists the node with `peer_id` (its `system_localPeerId`), run by the verified
		/// `hospital`, or by the consortium itself when `hospital` is `None`.
		///
		/// Origin: the regulator.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_node())]
		pub fn add_node(
			origin: OriginFor<T>,
			peer_id: NodePeerId,
			hospital: Option<HospitalId>,
		) -> DispatchResult {
			T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_add_node(peer_id, hospital)
		}

		/// Removes the node with `peer_id` from the list. Refused for the last node while
		/// enforcement is on.
		///
		/// Origin: the regulator.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_node())]
		pub fn remove_node(origin: OriginFor<T>, peer_id: NodePeerId) -> DispatchResult {
			T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_remove_node(peer_id)
		}

		/// Switches enforcement on (nodes peer only with [`Pallet::authorized_nodes`]) or off
		/// (an open network). Switching on needs at least one listed node; list every node
		/// that must stay connected (all validators, RPC nodes) first.
		///
		/// Origin: the regulator.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_enforced())]
		pub fn set_enforced(origin: OriginFor<T>, enforced: bool) -> DispatchResult {
			T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_set_enforced(enforced)
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The nodes that may peer, or `None` while enforcement is off (an open network): the listed
	/// nodes of the consortium and of hospitals that are verified at this block.
	pub fn authorized_nodes() -> Option<alloc::vec::Vec<NodePeerId>> {
		use pmr_primitives::{HospitalStanding, HospitalStatus};
		if !Enforced::<T>::get() {
			return None;
		}
		Some(
			Nodes::<T>::iter()
				.filter(|(_, entry)| match entry.hospital {
					None => true,
					Some(h) => T::Hospitals::hospital_status(h) == Some(HospitalStatus::Verified),
				})
				.map(|(peer_id, _)| peer_id)
				.collect(),
		)
	}
}
