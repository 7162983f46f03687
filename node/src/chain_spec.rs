//! Chain specifications: `dev` (one validator) and `local` (Alice, Bob and Charlie validate),
//! both built from the runtime's genesis presets, and (standalone build) their test twins
//! `dev-fast` and `local-fast`, the same chains with 1-second blocks for end-to-end tests. In
//! the `parachain` build they are a parachain's (para id and invulnerable collators from the
//! same presets), and carry the relay chain and para id that Cumulus tooling reads from a
//! parachain's chain spec.

use pmr_runtime::{chain_properties, WASM_BINARY};
use sc_service::{ChainType, Properties};

/// A chain specification of the standalone chain (no node-side extensions).
#[cfg(not(feature = "parachain"))]
pub type ChainSpec = sc_service::GenericChainSpec;

/// A chain specification of the parachain: the relay chain and para id ride along.
#[cfg(feature = "parachain")]
pub type ChainSpec = sc_service::GenericChainSpec<Extensions>;

#[cfg(feature = "parachain")]
pub use extensions::Extensions;

#[cfg(feature = "parachain")]
mod extensions {
	// The derives add an undocumented `Fork` type.
	#![allow(missing_docs)]
	use sc_chain_spec::{ChainSpecExtension, ChainSpecGroup};

	/// What a parachain's chain spec says about its relay chain.
	#[derive(
		Debug,
		Clone,
		PartialEq,
		serde::Serialize,
		serde::Deserialize,
		ChainSpecGroup,
		ChainSpecExtension,
	)]
	pub struct Extensions {
		/// The relay chain's chain spec id (`--chain` of the embedded relay chain node when its
		/// arguments after `--` name none).
		#[serde(alias = "relayChain", alias = "RelayChain")]
		pub relay_chain: String,
		/// The para id (the runtime's `parachainInfo` is what the node uses).
		#[serde(alias = "paraId", alias = "ParaId")]
		pub para_id: u32,
	}
}

#[cfg(feature = "parachain")]
impl Extensions {
	/// The extensions of a chain spec, if it has them.
	pub fn try_get(chain_spec: &dyn sc_service::ChainSpec) -> Option<&Self> {
		sc_chain_spec::get_extension(chain_spec.extensions())
	}
}

/// The extensions of the presets' chain specs.
#[cfg(feature = "parachain")]
fn extensions() -> Extensions {
	Extensions {
		relay_chain: "westend-local".into(),
		para_id: pmr_runtime::genesis_config_presets::PARA_ID,
	}
}

/// The extensions of the presets' chain specs: none.
#[cfg(not(feature = "parachain"))]
fn extensions() -> sc_service::NoExtension {
	None
}

/// The token symbol, decimals and SS58 prefix clients such as Polkadot.js Apps display.
pub fn properties() -> Properties {
	let mut p = Properties::new();
	p.insert("tokenSymbol".into(), chain_properties::TOKEN_SYMBOL.into());
	p.insert("tokenDecimals".into(), chain_properties::TOKEN_DECIMALS.into());
	p.insert("ss58Format".into(), chain_properties::SS58_PREFIX.into());
	p
}

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"The runtime WASM is not available: this node was built with SKIP_WASM_BUILD. \
		 Rebuild without it (see docs/build.md)."
			.to_string()
	})
}

/// A chain spec of one of the runtime's genesis presets.
fn from_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, extensions())
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// The single-validator development chain (`--dev`): Alice authors and finalizes.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"PMR Chain Development",
		"pmr_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
	)
}

/// The local multi-validator chain (`--chain local`): Alice, Bob and Charlie validate.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"PMR Chain Local Testnet",
		"pmr_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

/// `--chain dev-fast`: the development chain with 1-second blocks, for tests (`--dev --chain
/// dev-fast` keeps `--dev`'s other defaults).
#[cfg(not(feature = "parachain"))]
pub fn development_fast_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"PMR Chain Development (1 s blocks)",
		"pmr_dev_fast",
		ChainType::Development,
		pmr_runtime::genesis_config_presets::DEV_FAST_PRESET,
	)
}

/// `--chain local-fast`: the local chain with 1-second blocks, for tests.
#[cfg(not(feature = "parachain"))]
pub fn local_fast_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"PMR Chain Local Testnet (1 s blocks)",
		"pmr_local_fast",
		ChainType::Local,
		pmr_runtime::genesis_config_presets::LOCAL_FAST_PRESET,
	)
}
