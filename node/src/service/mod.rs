//! Node services. `standalone` runs PMR Chain as its own Proof-of-Authority chain
//! (Aura + GRANDPA). A `parachain` service (Cumulus collator) will sit beside it and share the
//! client types defined here.

pub mod standalone;

use pmr_runtime::{apis::RuntimeApi, opaque::Block};

/// The executor: the node only ever runs the runtime as WASM (there is no native runtime).
pub type RuntimeExecutor = sc_executor::WasmExecutor<sp_io::SubstrateHostFunctions>;

/// The full client.
pub type FullClient = sc_service::TFullClient<Block, RuntimeApi, RuntimeExecutor>;

/// The full backend (ParityDB unless `--database` says otherwise).
pub type FullBackend = sc_service::TFullBackend<Block>;
