//! Node services. `standalone` runs PMR Chain as its own Proof-of-Authority chain
//! (Aura + GRANDPA). A `parachain` service (Cumulus collator) will sit beside it and share the
//! client types defined here.

pub mod standalone;

use pmr_runtime::{apis::RuntimeApi, opaque::Block};

/// The host functions the runtime may call.
#[cfg(not(feature = "runtime-benchmarks"))]
pub type HostFunctions = sp_io::SubstrateHostFunctions;
/// The host functions the runtime may call, plus those a benchmarking runtime imports.
#[cfg(feature = "runtime-benchmarks")]
pub type HostFunctions =
	(sp_io::SubstrateHostFunctions, frame_benchmarking::benchmarking::HostFunctions);

/// The executor: the node only ever runs the runtime as WASM (there is no native runtime).
pub type RuntimeExecutor = sc_executor::WasmExecutor<HostFunctions>;

/// The full client.
pub type FullClient = sc_service::TFullClient<Block, RuntimeApi, RuntimeExecutor>;

/// The full backend (ParityDB unless `--database` says otherwise).
pub type FullBackend = sc_service::TFullBackend<Block>;
