use super::*;
use frame_support::{assert_ok, traits::EstimateNextSessionRotation};
use pallet_session::ShouldEndSession;
use pmr_primitives::HospitalStatus;
use sp_runtime::{BuildStorage, Permill};

#[test]
fn an_unchanged_set_is_not_handed_over_again() {
	run(|| {
		// Genesis hands the founding set over once.
		assert_eq!(plan(), Some(FOUNDING.to_vec()));
		assert_eq!(plan(), None);
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), H1, ADMIN_1));
		assert!(plan().is_some());
		assert_eq!(plan(), None);
	});
}

#[test]
fn a_suspended_or_revoked_hospital_loses_its_validator_at_the_next_session() {
	for (status, reason) in [
		(HospitalStatus::Suspended, RemovalReason::HospitalSuspended),
		(HospitalStatus::Revoked, RemovalReason::HospitalRevoked),
		(HospitalStatus::Pending, RemovalReason::HospitalNotVerified),
	] {
		run(|| {
			assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), H1, ADMIN_1));
			assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), H2, ADMIN_2));
			plan();
			set_status(H1, status);
			assert_eq!(plan(), Some(vec![1, 2, 3, ADMIN_2]));
			assert!(!ValidatorSet::is_validator(&ADMIN_1));
			assert!(events().contains(&Event::ValidatorRemoved {
				account: ADMIN_1,
				hospital: Some(H1),
				reason
			}));
			// Reinstating the hospital does not bring the validator back by itself.
			set_status(H1, HospitalStatus::Verified);
			assert_eq!(plan(), None);
		});
	}
}

#[test]
fn registry_removals_go_below_the_minimum_and_say_so() {
	run(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), H1, ADMIN_1));
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 1));
		plan();
		set_status(H1, HospitalStatus::Suspended);
		assert_eq!(plan(), Some(vec![2, 3]));
		assert_eq!(events().last(), Some(&Event::BelowMinimum { validators: 2, minimum: 3 }));
	});
}

#[test]
fn the_set_is_never_emptied() {
	run(|| {
		// Only hospital validators left: admit two, then remove the founding ones.
		MinValidators::<Test>::put(1);
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), H1, ADMIN_1));
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), H2, ADMIN_2));
		for f in FOUNDING {
			assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), f));
		}
		assert_eq!(plan(), Some(vec![ADMIN_1, ADMIN_2]));
		set_status(H1, HospitalStatus::Revoked);
		set_status(H2, HospitalStatus::Suspended);
		assert_eq!(plan(), None);
		assert_eq!(accounts(), vec![ADMIN_1, ADMIN_2]);
		assert_eq!(events().last(), Some(&Event::NoEligibleValidator));
	});
}

#[test]
fn sessions_end_every_session_length_blocks() {
	run(|| {
		let ends: Vec<u64> = (1..=16).filter(|n| ValidatorSet::should_end_session(*n)).collect();
		assert_eq!(ends, vec![5, 10, 15]);
		assert_eq!(ValidatorSet::average_session_length(), SESSION);
		assert_eq!(ValidatorSet::estimate_next_session_rotation(7).0, Some(10));
		assert_eq!(ValidatorSet::estimate_next_session_rotation(10).0, Some(15));
		assert_eq!(ValidatorSet::estimate_current_session_progress(7).0, Some(Permill::from_percent(40)));
		assert_eq!(ValidatorSet::estimate_current_session_progress(10).0, Some(Permill::one()));
	});
}

#[test]
fn a_bad_genesis_is_refused() {
	let build = |founding: Vec<u64>, min: u32, length: u64| {
		std::panic::catch_unwind(|| {
			RuntimeGenesisConfig {
				system: Default::default(),
				validator_set: crate::GenesisConfig {
					founding_validators: founding,
					min_validators: min,
					session_length: length,
					slot_duration: 6000,
				},
			}
			.build_storage()
		})
		.is_ok()
	};
	assert!(build(vec![1, 2], 1, 5));
	assert!(!build(vec![1, 1], 1, 5), "duplicate founding validator");
	assert!(!build(vec![1, 2, 3, 4, 5, 6], 1, 5), "more than MaxValidators");
	assert!(!build(vec![1], 0, 5), "minimum 0");
	assert!(!build(vec![1], 1, 0), "zero-length sessions");
}
