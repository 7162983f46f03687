//! Chain specifications: `dev` (one validator) and `local` (Alice and Bob validate), both
//! built from the runtime's genesis presets.

use pmr_runtime::{chain_properties, WASM_BINARY};
use sc_service::{ChainType, Properties};

/// A chain specification of PMR Chain (no node-side extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

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

/// The single-validator development chain (`--dev`): Alice authors and finalizes.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("PMR Chain Development")
		.with_id("pmr_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// The local multi-validator chain (`--chain local`): Alice and Bob validate.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("PMR Chain Local Testnet")
		.with_id("pmr_local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}
