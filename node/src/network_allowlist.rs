//! Network-layer permissioning: the node peers only with the consortium's nodes while the
//! regulator enforces the allowlist (`pallet-node-allowlist`).
//!
//! At start and at every new best block the node asks the runtime
//! (`NodeAllowlistApi::authorized_nodes`) and applies the answer to its block-announce (sync)
//! peer set:
//! - an allowlist: those nodes become the reserved peers and the set goes reserved-only, so the
//!   node opens and accepts sync connections with listed nodes only. GRANDPA votes and
//!   transactions are gossiped only to peers connected on that set, so an unlisted node gets
//!   neither;
//! - an open network (`None`): the node's own `--reserved-nodes` / `--reserved-only` apply, as
//!   given on its command line (nothing is touched until the chain has enforced a list once).
//!
//! The best block, not the finalized one: a list that cut off more than a third of the GRANDPA
//! voters would stall finality, and a correction that applied only once final would then never
//! apply. On a short-lived fork whose branches disagree the node may switch twice; it follows
//! whichever branch is best, and only a changed answer touches the network.
//!
//! An empty allowlist is never applied (it would cut this node off from every other): the
//! node keeps what it had and says so. What this does not protect is in `docs/operations.md`.

use pallet_node_allowlist::{runtime_api::NodeAllowlistApi, NodePeerId};
use pmr_runtime::opaque::Block;
use sc_client_api::{BlockchainEvents, HeaderBackend};
use sc_network::{service::traits::NetworkService, PeerId};
use sp_api::ProvideRuntimeApi;
use std::{collections::HashSet, sync::Arc};

const LOG_TARGET: &str = "pmr-network";

/// How the node peers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Peering {
	/// As its command line says (`--reserved-nodes`, `--reserved-only`).
	CommandLine,
	/// Only with these nodes (this node's own ID left out).
	Allowlist(HashSet<PeerId>),
}

/// The peering the chain's answer calls for, or `None` to keep `current`.
///
/// `chain` is the runtime's answer: `None` for an open network. Peer IDs that do not parse are
/// skipped (the runtime only lists valid ones); an allowlist without any other node is not
/// applied.
pub fn next_peering(
	current: &Peering,
	chain: Option<Vec<NodePeerId>>,
	local: PeerId,
) -> Option<Peering> {
	let next = match chain {
		None => Peering::CommandLine,
		Some(listed) => {
			let peers: HashSet<PeerId> = listed
				.iter()
				.filter_map(|id| {
					let parsed = id.as_str().and_then(|s| s.parse::<PeerId>().ok());
					if parsed.is_none() {
						log::warn!(target: LOG_TARGET, "skipping an unreadable peer ID in the allowlist: {:?}", id.0);
					}
					parsed
				})
				.filter(|peer| *peer != local)
				.collect();
			if peers.is_empty() {
				log::warn!(
					target: LOG_TARGET,
					"the chain's node allowlist names no other node; keeping the current peering",
				);
				return None;
			}
			Peering::Allowlist(peers)
		},
	};
	(next != *current).then_some(next)
}

/// Follows the chain's allowlist for the node's lifetime (spawned by the services).
///
/// `command_line` are the node's own `--reserved-nodes` and `--reserved-only`, restored when
/// the regulator switches enforcement off.
pub async fn follow<C>(
	client: Arc<C>,
	network: Arc<dyn NetworkService>,
	local: PeerId,
	command_line: (HashSet<PeerId>, bool),
) where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + BlockchainEvents<Block>,
	C::Api: NodeAllowlistApi<Block>,
{
	use futures::StreamExt;
	let mut imported = client.import_notification_stream();
	let mut current = Peering::CommandLine;
	// The chain's last answer: most best blocks leave the list as it was, and an unchanged
	// answer is neither parsed nor warned about again.
	let mut answered = None;
	let mut at = client.info().best_hash;
	loop {
		match client.runtime_api().authorized_nodes(at) {
			Ok(chain) if answered.as_ref() != Some(&chain) => {
				if let Some(next) = next_peering(&current, chain.clone(), local) {
					apply(&*network, &current, &next, &command_line, local);
					current = next;
				}
				answered = Some(chain);
			},
			Ok(_) => {},
			// A runtime without the API (older than the allowlist): nothing to follow yet.
			Err(e) => log::debug!(target: LOG_TARGET, "no node allowlist at {at}: {e}"),
		}
		at = loop {
			match imported.next().await {
				Some(block) if block.is_new_best => break block.hash,
				Some(_) => continue,
				None => return,
			}
		};
	}
}

/// One instruction to the network's block-announce peer set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeerSetCommand {
	/// `set_authorized_only`: accept and keep only reserved peers (or not).
	ReservedOnly(bool),
	/// `set_authorized_peers`: the reserved peers; a peer taken out of the set is disconnected
	/// while the set is reserved-only.
	ReservedPeers(HashSet<PeerId>),
}

/// The instructions that take the peer set from `current` to `next`, in the order that works
/// with Substrate's litep2p peer set (sc-network 0.60): switching a set to reserved-only
/// closes the non-reserved peers but also marks every connected *reserved* peer as closing
/// without closing it, and a peer in that state is never disconnected when it later leaves the
/// reserved set. So a set goes reserved-only once, while its reserved set is still the
/// command line's, and every connection is then re-opened as a reserved one (a few seconds
/// without peers when enforcement starts); later changes only replace the reserved peers.
/// Leaving the allowlist, the set stops being reserved-only before the reserved peers change,
/// so the consortium's nodes stay connected as ordinary peers.
pub fn peer_set_commands(
	current: &Peering,
	next: &Peering,
	command_line: &(HashSet<PeerId>, bool),
) -> Vec<PeerSetCommand> {
	use PeerSetCommand::*;
	match (current, next) {
		(Peering::CommandLine, Peering::Allowlist(peers)) =>
			vec![ReservedOnly(true), ReservedPeers(peers.clone())],
		(Peering::Allowlist(_), Peering::Allowlist(peers)) => vec![ReservedPeers(peers.clone())],
		// The operator's own `--reserved-only`: drop the listed nodes that are not reserved on
		// the command line while the set is still reserved-only.
		(Peering::Allowlist(_), Peering::CommandLine) if command_line.1 =>
			vec![ReservedPeers(command_line.0.clone()), ReservedOnly(true)],
		(Peering::Allowlist(_), Peering::CommandLine) =>
			vec![ReservedOnly(false), ReservedPeers(command_line.0.clone())],
		(Peering::CommandLine, Peering::CommandLine) => vec![],
	}
}

fn apply(
	network: &dyn NetworkService,
	current: &Peering,
	next: &Peering,
	command_line: &(HashSet<PeerId>, bool),
	local: PeerId,
) {
	for command in peer_set_commands(current, next, command_line) {
		match command {
			PeerSetCommand::ReservedOnly(only) => network.set_authorized_only(only),
			PeerSetCommand::ReservedPeers(peers) => network.set_authorized_peers(peers),
		}
	}
	match next {
		Peering::CommandLine => log::info!(
			target: LOG_TARGET,
			"🌐 Node allowlist off: open peering (reserved-only: {})",
			command_line.1,
		),
		Peering::Allowlist(peers) => {
			log::info!(
				target: LOG_TARGET,
				"🔒 Node allowlist enforced: peering only with {} listed consortium node(s)",
				peers.len(),
			);
			log::debug!(target: LOG_TARGET, "allowlist (this node {local}): {peers:?}");
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn id(peer: &PeerId) -> NodePeerId {
		NodePeerId(peer.to_base58().into_bytes().try_into().expect("52 characters"))
	}

	fn ed25519_peer(n: u8) -> PeerId {
		let listed = NodePeerId::from_ed25519_public_key([n; 32]);
		listed.as_str().expect("text").parse().expect("the runtime's peer IDs parse in the node")
	}

	#[test]
	fn the_runtimes_peer_ids_are_the_nodes_peer_ids() {
		use sp_core::Pair;
		for n in [0u8, 1, 7, 200, 255] {
			let key = sp_core::ed25519::Pair::from_seed(&[n; 32]).public().0;
			let libp2p = PeerId::from_ed25519(&key).expect("an Ed25519 public key");
			assert_eq!(NodePeerId::from_ed25519_public_key(key), id(&libp2p));
			assert_eq!(id(&libp2p).ed25519_public_key(), Some(key));
			assert_eq!(
				NodePeerId::from_ed25519_public_key(key).as_str().and_then(|s| s.parse::<PeerId>().ok()),
				Some(libp2p)
			);
		}
	}

	#[test]
	fn an_open_chain_leaves_the_command_line_alone_until_a_list_was_enforced() {
		let local = ed25519_peer(1);
		assert_eq!(next_peering(&Peering::CommandLine, None, local), None);
		let enforced = Peering::Allowlist([ed25519_peer(2)].into());
		assert_eq!(next_peering(&enforced, None, local), Some(Peering::CommandLine));
	}

	#[test]
	fn an_allowlist_is_applied_once_without_this_node() {
		let local = ed25519_peer(1);
		let chain = || Some(vec![id(&local), id(&ed25519_peer(2)), id(&ed25519_peer(3))]);
		let expected = Peering::Allowlist([ed25519_peer(2), ed25519_peer(3)].into());
		assert_eq!(next_peering(&Peering::CommandLine, chain(), local), Some(expected.clone()));
		assert_eq!(next_peering(&expected, chain(), local), None, "unchanged: nothing to apply");
		let shrunk = Some(vec![id(&ed25519_peer(2))]);
		assert_eq!(
			next_peering(&expected, shrunk, local),
			Some(Peering::Allowlist([ed25519_peer(2)].into()))
		);
	}

	#[test]
	fn an_allowlist_naming_no_other_node_is_never_applied() {
		let local = ed25519_peer(1);
		assert_eq!(next_peering(&Peering::CommandLine, Some(vec![]), local), None);
		assert_eq!(next_peering(&Peering::CommandLine, Some(vec![id(&local)]), local), None);
		let garbage = NodePeerId(b"not a peer".to_vec().try_into().expect("short"));
		assert_eq!(next_peering(&Peering::CommandLine, Some(vec![garbage]), local), None);
	}

	#[test]
	fn the_set_goes_reserved_only_once_and_leaves_it_before_its_peers_change() {
		use PeerSetCommand::*;
		let open = (HashSet::new(), false);
		let list = |ns: &[u8]| ns.iter().map(|n| ed25519_peer(*n)).collect::<HashSet<_>>();
		let (first, second) = (Peering::Allowlist(list(&[2, 3])), Peering::Allowlist(list(&[2])));
		assert_eq!(
			peer_set_commands(&Peering::CommandLine, &first, &open),
			vec![ReservedOnly(true), ReservedPeers(list(&[2, 3]))]
		);
		assert_eq!(peer_set_commands(&first, &second, &open), vec![ReservedPeers(list(&[2]))]);
		assert_eq!(
			peer_set_commands(&second, &Peering::CommandLine, &open),
			vec![ReservedOnly(false), ReservedPeers(HashSet::new())]
		);
		let operator = (list(&[9]), true);
		assert_eq!(
			peer_set_commands(&second, &Peering::CommandLine, &operator),
			vec![ReservedPeers(list(&[9])), ReservedOnly(true)]
		);
		assert!(peer_set_commands(&Peering::CommandLine, &Peering::CommandLine, &open).is_empty());
	}
}
