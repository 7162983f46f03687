//! Network-layer permissioning: the regulator's list of the consortium's nodes
//! (`pallet-node-allowlist`), read by every node at each new best block. The same in both
//! builds (standalone validators and parachain collators alike).

use crate::{configs::registry::RegulatorOrigin, Registry, Runtime, RuntimeEvent};
use frame_support::traits::ConstU32;

impl pallet_node_allowlist::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RegulatorOrigin = RegulatorOrigin;
	type Hospitals = Registry;
	/// Validators, collators, RPC and archive nodes of every consortium hospital.
	type MaxNodes = ConstU32<256>;
	type WeightInfo = pallet_node_allowlist::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::NodeAllowlistBench;
}
