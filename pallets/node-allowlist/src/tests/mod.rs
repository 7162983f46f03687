//! Node-allowlist tests, one file per action.

use crate::{mock::*, *};

mod add;
mod enforce;
mod peer_id;
mod read;
mod remove;

/// The listed peer IDs, sorted.
pub fn listed() -> Vec<NodePeerId> {
	let mut all: Vec<_> = Nodes::<Test>::iter_keys().collect();
	all.sort();
	all
}
