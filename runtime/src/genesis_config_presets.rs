//! Genesis presets: the `development` (one validator, Alice) and `local_testnet` (two
//! validators, Alice and Bob) chains. `pmr-node --dev` and `--chain local` use them.

use crate::{AccountId, BalancesConfig, RegulatorBodyConfig, RuntimeGenesisConfig, SudoConfig, UNIT};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Balance given to each endowed development account.
const ENDOWMENT: u128 = 1_000_000 * UNIT;

/// The genesis state of a PoA chain with the given validators, endowed accounts, sudo key and
/// regulators.
fn testnet_genesis(
	initial_authorities: Vec<(AuraId, GrandpaId)>,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
	regulators: Vec<AccountId>,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts.iter().cloned().map(|k| (k, ENDOWMENT)).collect::<Vec<_>>(),
		},
		aura: pallet_aura::GenesisConfig {
			authorities: initial_authorities.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: initial_authorities.iter().map(|x| (x.1.clone(), 1)).collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		regulator_body: RegulatorBodyConfig {
			members: frame_support::BoundedVec::truncate_from(regulators),
		},
	})
}

/// The well-known development keys of a validator: sr25519 for Aura, ed25519 for GRANDPA.
fn authority(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(aura.public().into(), grandpa.public().into())
}

/// The `local_testnet` preset: Alice and Bob validate.
pub fn local_testnet_genesis() -> Value {
	testnet_genesis(
		vec![
			authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		],
		Sr25519Keyring::iter()
			.filter(|v| v != &Sr25519Keyring::One && v != &Sr25519Keyring::Two)
			.map(|v| v.to_account_id())
			.collect(),
		Sr25519Keyring::Alice.to_account_id(),
		vec![Sr25519Keyring::Bob.to_account_id()],
	)
}

/// The `development` preset: Alice alone validates.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		vec![
			Sr25519Keyring::Alice.to_account_id(),
			Sr25519Keyring::Bob.to_account_id(),
			Sr25519Keyring::AliceStash.to_account_id(),
			Sr25519Keyring::BobStash.to_account_id(),
			Sr25519Keyring::Charlie.to_account_id(),
			Sr25519Keyring::Dave.to_account_id(),
			Sr25519Keyring::Eve.to_account_id(),
		],
		Sr25519Keyring::Alice.to_account_id(),
		vec![Sr25519Keyring::Bob.to_account_id()],
	)
}

/// The JSON of the preset with the given ID, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_testnet_genesis(),
		_ => return None,
	};
	// Serialising a `serde_json::Value` cannot fail; `ok()` keeps runtime code panic-free.
	serde_json::to_vec(&patch).ok()
}

/// The IDs of the available presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}

#[cfg(test)]
mod tests {
	use super::*;

	/// Applies a preset (a JSON patch) to the default genesis config, as the node does.
	fn merge(base: &mut Value, patch: Value) {
		match (base, patch) {
			(Value::Object(base), Value::Object(patch)) =>
				for (k, v) in patch {
					merge(base.entry(k).or_insert(Value::Null), v);
				},
			(base, patch) => *base = patch,
		}
	}

	#[test]
	fn every_preset_builds_a_valid_genesis() {
		for id in preset_names() {
			let patch: Value =
				serde_json::from_slice(&get_preset(&id).expect("listed preset exists")).unwrap();
			let mut full = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
			merge(&mut full, patch);
			sp_io::TestExternalities::new_empty().execute_with(|| {
				frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(
					serde_json::to_vec(&full).unwrap(),
				)
				.unwrap_or_else(|e| panic!("preset {id:?} does not build: {e}"));
			});
		}
		assert!(get_preset(&PresetId::from("no-such-preset")).is_none());
	}

	#[test]
	fn local_testnet_has_two_validators() {
		let v = local_testnet_genesis();
		assert_eq!(v["aura"]["authorities"].as_array().map(|a| a.len()), Some(2));
		assert_eq!(v["grandpa"]["authorities"].as_array().map(|a| a.len()), Some(2));
	}
}
