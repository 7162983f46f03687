//! The slot duration: set once by the genesis config, handed to Aura and the timestamp pallet.

use super::*;
use frame_support::traits::Get;
use sp_runtime::BuildStorage;

fn genesis(slot_duration: u64) -> sp_io::TestExternalities {
	RuntimeGenesisConfig {
		system: Default::default(),
		validator_set: crate::GenesisConfig {
			founding_validators: FOUNDING.to_vec(),
			min_validators: 1,
			session_length: SESSION,
			slot_duration,
		},
	}
	.build_storage()
	.expect("genesis builds")
	.into()
}

#[test]
fn genesis_sets_the_slot_and_half_of_it_is_the_minimum_period() {
	genesis(1000).execute_with(|| {
		assert_eq!(SlotDuration::<Test>::get(), 1000);
		assert_eq!(<SlotDurationGet<Test> as Get<u64>>::get(), 1000);
		assert_eq!(<MinimumPeriodGet<Test> as Get<u64>>::get(), 500);
		ValidatorSet::do_try_state().expect("invariants hold");
	});
}

#[test]
fn the_default_genesis_keeps_six_second_blocks() {
	let config = crate::GenesisConfig::<Test>::default();
	assert_eq!(config.slot_duration, 6000);
}

#[test]
fn a_chain_whose_genesis_predates_the_setting_keeps_the_default() {
	run(|| {
		SlotDuration::<Test>::kill();
		assert_eq!(<SlotDurationGet<Test> as Get<u64>>::get(), 6000);
		assert_eq!(<MinimumPeriodGet<Test> as Get<u64>>::get(), 3000);
	});
}

#[test]
fn an_odd_or_too_short_slot_fails_the_genesis_build() {
	for bad in [0, 2, MIN_SLOT_DURATION - 2, 1001] {
		let built = std::panic::catch_unwind(|| genesis(bad));
		assert!(built.is_err(), "slot duration {bad} must be refused");
	}
	assert!(valid_slot_duration(MIN_SLOT_DURATION));
}

#[test]
fn try_state_catches_an_invalid_slot() {
	run(|| {
		SlotDuration::<Test>::put(999);
		assert!(ValidatorSet::do_try_state().is_err());
		SlotDuration::<Test>::put(6000);
	});
}
