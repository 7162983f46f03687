//! Genesis presets: the `development` (one validator, Alice) and `local_testnet` (three
//! founding validators, Alice, Bob and Charlie) chains. `pmr-node --dev` and `--chain local`
//! use them.
//!
//! The standalone build adds their test twins, [`DEV_FAST_PRESET`] and [`LOCAL_FAST_PRESET`]:
//! the same genesis with 1-second slots ([`crate::FAST_SLOT_DURATION`]), for end-to-end tests
//! whose subject is not the block time (docs/build.md). Users run `dev` and `local`, with
//! 6-second blocks.
//!
//! Validators are set through `pallet-validator-set` (the founding set, the minimum, the
//! session length) and `pallet-session` (their keys); Aura's and GRANDPA's own genesis
//! authorities stay empty, as the session pallet hands them the set.
//!
//! In the `parachain` build the same presets make the founding validators the invulnerable
//! collators (`pallet-collator-selection`, no open candidacy) of para [`PARA_ID`], with an Aura
//! key each.

use crate::{
	AccountId, BalancesConfig, RegulatorBodyConfig, RuntimeGenesisConfig, SessionConfig,
	SessionKeys, SudoConfig, HOURS, MINUTES, UNIT,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Balance given to each endowed development account.
const ENDOWMENT: u128 = 1_000_000 * UNIT;

/// Sessions on the local chain: a minute, so a validator-set change shows within two or three
/// minutes. (`pallet-session` claims a whole block's weight for the block that rotates a
/// session, so short sessions cost throughput: one block in ten here.)
const LOCAL_SESSION_LENGTH: crate::BlockNumber = MINUTES;
/// Sessions on the development chain (one validator, nothing to rotate) and the length a
/// production network should start from: an hour.
const DEV_SESSION_LENGTH: crate::BlockNumber = HOURS;

/// The para id of the `parachain` build's presets (the first id a local relay chain hands
/// out; a real deployment sets its own in the chain spec).
#[cfg(feature = "parachain")]
pub const PARA_ID: u32 = 2000;

/// The `dev` chain with 1-second blocks, for tests (standalone build).
#[cfg(not(feature = "parachain"))]
pub const DEV_FAST_PRESET: &str = "dev-fast";
/// The `local` chain with 1-second blocks, for tests (standalone build).
#[cfg(not(feature = "parachain"))]
pub const LOCAL_FAST_PRESET: &str = "local-fast";

/// A founding validator (standalone) or collator (parachain): its account and session keys.
type Founding = (AccountId, SessionKeys);

/// The genesis state of a PoA chain with the given founding validators (and the minimum the
/// regulator may not remove below), endowed accounts, sudo key and regulators.
fn testnet_genesis(
	founding: Vec<Founding>,
	min_validators: u32,
	session_length: crate::BlockNumber,
	slot_duration: u64,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
	regulators: Vec<AccountId>,
) -> Value {
	let accounts = founding.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
	let mut genesis = build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts.iter().cloned().map(|k| (k, ENDOWMENT)).collect::<Vec<_>>(),
		},
		session: SessionConfig {
			keys: founding
				.into_iter()
				.map(|(account, keys)| (account.clone(), account, keys))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		regulator_body: RegulatorBodyConfig {
			members: frame_support::BoundedVec::truncate_from(regulators),
		},
	});
	if let (Value::Object(genesis), Value::Object(consensus)) =
		(&mut genesis, consensus_genesis(accounts, min_validators, session_length, slot_duration))
	{
		genesis.extend(consensus);
	}
	genesis
}

/// The standalone chain's validator set: the founding validators, the minimum, the session
/// length and the slot duration.
#[cfg(not(feature = "parachain"))]
fn consensus_genesis(
	validators: Vec<AccountId>,
	min_validators: u32,
	session_length: crate::BlockNumber,
	slot_duration: u64,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		validator_set: crate::ValidatorSetConfig {
			founding_validators: validators,
			min_validators,
			session_length,
			slot_duration,
		},
	})
}

/// The parachain's para id and invulnerable collators (no candidacy). Sessions have a fixed
/// length in the parachain build, and collator-selection keeps at least one collator. The slot
/// follows the relay chain's, so the slot duration is the runtime's constant.
#[cfg(feature = "parachain")]
fn consensus_genesis(
	collators: Vec<AccountId>,
	_min_validators: u32,
	_session_length: crate::BlockNumber,
	_slot_duration: u64,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		parachain_info: crate::ParachainInfoConfig { parachain_id: PARA_ID.into() },
		collator_selection: crate::CollatorSelectionConfig {
			invulnerables: collators,
			candidacy_bond: 0,
			desired_candidates: 0,
		},
	})
}

/// A well-known development validator (what `pmr-node --alice` etc. put in the keystore):
/// its sr25519 account and Aura key, and (standalone) its ed25519 GRANDPA key.
fn authority(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> Founding {
	#[cfg(not(feature = "parachain"))]
	let keys = SessionKeys { aura: aura.public().into(), grandpa: grandpa.public().into() };
	#[cfg(feature = "parachain")]
	let keys = {
		let _ = grandpa;
		SessionKeys { aura: aura.public().into() }
	};
	(aura.to_account_id(), keys)
}

/// The `local_testnet` preset: Alice, Bob and Charlie are the founding validators; the
/// regulator may not take the set below 3.
pub fn local_testnet_genesis() -> Value {
	local_genesis(crate::SLOT_DURATION)
}

/// The `local_testnet` genesis with the given slot duration (milliseconds).
fn local_genesis(slot_duration: u64) -> Value {
	testnet_genesis(
		vec![
			authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			authority(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		],
		3,
		LOCAL_SESSION_LENGTH,
		slot_duration,
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
	dev_genesis(crate::SLOT_DURATION)
}

/// The `development` genesis with the given slot duration (milliseconds).
fn dev_genesis(slot_duration: u64) -> Value {
	testnet_genesis(
		vec![authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		1,
		DEV_SESSION_LENGTH,
		slot_duration,
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
		#[cfg(not(feature = "parachain"))]
		DEV_FAST_PRESET => dev_genesis(crate::FAST_SLOT_DURATION),
		#[cfg(not(feature = "parachain"))]
		LOCAL_FAST_PRESET => local_genesis(crate::FAST_SLOT_DURATION),
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
		#[cfg(not(feature = "parachain"))]
		PresetId::from(DEV_FAST_PRESET),
		#[cfg(not(feature = "parachain"))]
		PresetId::from(LOCAL_FAST_PRESET),
	]
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::Runtime;

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
			let keys = patch["session"]["keys"].as_array().map_or(0, |keys| keys.len());
			let mut full = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
			merge(&mut full, patch);
			sp_io::TestExternalities::new_empty().execute_with(|| {
				frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(
					serde_json::to_vec(&full).unwrap(),
				)
				.unwrap_or_else(|e| panic!("preset {id:?} does not build: {e}"));
				// Every founding validator (or invulnerable collator) authors from block 1.
				assert!(keys > 0, "preset {id:?} has no session keys");
				assert_eq!(pallet_session::Validators::<Runtime>::get().len(), keys, "{id:?}");
				assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), keys, "{id:?}");
			});
		}
		assert!(get_preset(&PresetId::from("no-such-preset")).is_none());
	}

	#[test]
	#[cfg(not(feature = "parachain"))]
	fn local_testnet_has_three_founding_validators_with_keys() {
		let v = local_testnet_genesis();
		assert_eq!(v["validatorSet"]["foundingValidators"].as_array().map(|a| a.len()), Some(3));
		assert_eq!(v["validatorSet"]["minValidators"], 3);
		assert_eq!(v["session"]["keys"].as_array().map(|a| a.len()), Some(3));
		assert!(v.get("aura").is_none() && v.get("grandpa").is_none());
	}

	#[test]
	#[cfg(not(feature = "parachain"))]
	fn users_chains_keep_six_second_slots_and_test_chains_run_one_second_slots() {
		use frame_support::traits::Get;
		for (id, slot) in [
			(sp_genesis_builder::DEV_RUNTIME_PRESET, 6000),
			(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET, 6000),
			(DEV_FAST_PRESET, 1000),
			(LOCAL_FAST_PRESET, 1000),
		] {
			let patch: Value =
				serde_json::from_slice(&get_preset(&PresetId::from(id)).unwrap()).unwrap();
			let mut full = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
			merge(&mut full, patch);
			sp_io::TestExternalities::new_empty().execute_with(|| {
				frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(
					serde_json::to_vec(&full).unwrap(),
				)
				.unwrap();
				// Aura's slot and the timestamp pallet's minimum period agree.
				assert_eq!(crate::Aura::slot_duration(), slot, "{id}");
				assert_eq!(
					<Runtime as pallet_timestamp::Config>::MinimumPeriod::get() * 2,
					slot,
					"{id}"
				);
			});
		}
		// The test chains differ from the users' only in the slot duration.
		let mut fast = dev_genesis(crate::FAST_SLOT_DURATION);
		fast["validatorSet"]["slotDuration"] = crate::SLOT_DURATION.into();
		assert_eq!(fast, development_config_genesis());
	}

	#[test]
	#[cfg(feature = "parachain")]
	fn local_testnet_has_three_invulnerable_collators_and_no_candidacy() {
		let v = local_testnet_genesis();
		assert_eq!(v["parachainInfo"]["parachainId"], PARA_ID);
		assert_eq!(v["collatorSelection"]["invulnerables"].as_array().map(|a| a.len()), Some(3));
		assert_eq!(v["collatorSelection"]["desiredCandidates"], 0);
		assert_eq!(v["session"]["keys"].as_array().map(|a| a.len()), Some(3));
		assert!(v.get("validatorSet").is_none() && v.get("grandpa").is_none());
	}
}
