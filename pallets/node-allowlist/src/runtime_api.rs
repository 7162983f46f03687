//! The node-allowlist's runtime API: what every `pmr-node` asks at each new best block to set
//! its peering (`api.call.nodeAllowlistApi.authorizedNodes()` for clients).

use crate::NodePeerId;
use alloc::vec::Vec;

sp_api::decl_runtime_apis! {
	/// The consortium's network allowlist.
	pub trait NodeAllowlistApi {
		/// `None` while enforcement is off (an open network); otherwise the nodes that may
		/// peer: the listed consortium nodes and the listed nodes of verified hospitals.
		fn authorized_nodes() -> Option<Vec<NodePeerId>>;
	}
}
