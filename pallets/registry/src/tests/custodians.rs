//! `propose_custodian_key`, `approve_custodian_key`, `remove_custodian`,
//! `set_custodian_threshold`, and custodians leaving the set when their hospital stops being
//! verified (suspension, revocation, re-verification).

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::CustodianSetVersion;
use sp_runtime::DispatchError;

const KEY: [u8; 32] = [0xa1; 32];
const OTHER_KEY: [u8; 32] = [0xb2; 32];
const NEW_KEY: [u8; 32] = [0xc3; 32];

fn version() -> CustodianSetVersion {
	CurrentCustodianSetVersion::<Test>::get()
}

fn set() -> Vec<Custodian> {
	Custodians::<Test>::get().into_inner()
}

fn propose(admin: u64, hospital: HospitalId, key: [u8; 32]) -> sp_runtime::DispatchResult {
	Registry::propose_custodian_key(RuntimeOrigin::signed(admin), hospital, key)
}

fn approve(hospital: HospitalId) -> sp_runtime::DispatchResult {
	Registry::approve_custodian_key(RuntimeOrigin::signed(REGULATOR), hospital)
}

/// The hospital's admin proposes `key` and the regulator approves it.
fn make_custodian(admin: u64, hospital: HospitalId, key: [u8; 32]) {
	assert_ok!(propose(admin, hospital, key));
	assert_ok!(approve(hospital));
}

#[test]
fn an_admin_proposes_and_a_regulator_approves() {
	test(|| {
		let w = World::new();
		assert_ok!(propose(ADMIN, w.hospital, KEY));
		assert_eq!(last_event(), Event::CustodianKeyProposed { hospital: w.hospital });
		assert_eq!(PendingCustodianKeys::<Test>::get(w.hospital), Some(KEY));
		assert!(set().is_empty(), "a proposal alone changes nothing");
		assert_eq!(version(), CustodianSetVersion(0));

		assert_ok!(approve(w.hospital));
		assert_eq!(
			last_event(),
			Event::CustodianApproved { hospital: w.hospital, set: CustodianSetVersion(1) }
		);
		assert_eq!(set(), vec![Custodian { hospital: w.hospital, key: KEY }]);
		assert_eq!(PendingCustodianKeys::<Test>::get(w.hospital), None);
		assert_eq!(
			Registry::custodian_set(),
			CustodianSetInfo {
				version: CustodianSetVersion(1),
				threshold: 0,
				custodians: vec![Custodian { hospital: w.hospital, key: KEY }],
			}
		);
	});
}

#[test]
fn a_custodian_key_of_small_order_is_refused() {
	test(|| {
		let w = World::new();
		assert_ok!(propose(ADMIN, w.hospital, KEY));
		for weak in SMALL_ORDER_KEYS {
			assert_noop!(propose(ADMIN, w.hospital, weak), Error::<Test>::UnusableEncryptionKey);
		}
		// The pending proposal is untouched.
		assert_eq!(PendingCustodianKeys::<Test>::get(w.hospital), Some(KEY));
	});
}

#[test]
fn a_new_proposal_replaces_the_pending_one() {
	test(|| {
		let w = World::new();
		assert_ok!(propose(ADMIN, w.hospital, KEY));
		assert_ok!(propose(ADMIN, w.hospital, NEW_KEY));
		assert_eq!(PendingCustodianKeys::<Test>::get(w.hospital), Some(NEW_KEY));
		assert_ok!(approve(w.hospital));
		assert_eq!(set(), vec![Custodian { hospital: w.hospital, key: NEW_KEY }]);
	});
}

#[test]
fn only_an_admin_of_a_verified_hospital_proposes() {
	test(|| {
		let w = World::new();
		assert_wrong_roles_fail(&[ADMIN], Error::<Test>::NotHospitalAdmin, |o| {
			Registry::propose_custodian_key(o, w.hospital, KEY)
		});
		assert_noop!(
			Registry::propose_custodian_key(RuntimeOrigin::root(), w.hospital, KEY),
			DispatchError::BadOrigin
		);
		assert_noop!(propose(ADMIN, HospitalId(9), KEY), Error::<Test>::UnknownHospital);
		// A pending application cannot propose.
		assert_ok!(Registry::apply_for_registration(
			RuntimeOrigin::signed(50),
			hospital_details("GOV-50")
		));
		assert_noop!(propose(50, HospitalId(2), KEY), Error::<Test>::HospitalNotVerified);
		// Nor a suspended hospital.
		assert_ok!(Registry::suspend_hospital(RuntimeOrigin::signed(REGULATOR), w.hospital));
		assert_noop!(propose(ADMIN, w.hospital, KEY), Error::<Test>::HospitalNotVerified);
		assert_eq!(PendingCustodianKeys::<Test>::iter().count(), 0);
	});
}

#[test]
fn only_regulators_approve_remove_and_set_the_threshold() {
	test(|| {
		let w = World::new();
		assert_ok!(propose(ADMIN, w.hospital, KEY));
		assert_wrong_roles_fail(&[REGULATOR], DispatchError::BadOrigin, |o| {
			Registry::approve_custodian_key(o, w.hospital)
		});
		assert_ok!(approve(w.hospital));
		assert_wrong_roles_fail(&[REGULATOR], DispatchError::BadOrigin, |o| {
			Registry::remove_custodian(o, w.hospital)
		});
		assert_wrong_roles_fail(&[REGULATOR], DispatchError::BadOrigin, |o| {
			Registry::set_custodian_threshold(o, 1)
		});
		assert_eq!(set(), vec![Custodian { hospital: w.hospital, key: KEY }]);
		assert_eq!((version(), CustodianThreshold::<Test>::get()), (CustodianSetVersion(1), 0));
		// Root acts as a regulator.
		assert_ok!(Registry::set_custodian_threshold(RuntimeOrigin::root(), 1));
		assert_ok!(Registry::remove_custodian(RuntimeOrigin::root(), w.hospital));
	});
}

#[test]
fn approval_needs_a_pending_key_of_a_verified_hospital() {
	test(|| {
		let w = World::new();
		assert_noop!(approve(w.hospital), Error::<Test>::NoPendingCustodianKey);
		assert_noop!(approve(HospitalId(9)), Error::<Test>::NoPendingCustodianKey);
		// A suspension drops the proposal.
		assert_ok!(propose(ADMIN, w.hospital, KEY));
		assert_ok!(Registry::suspend_hospital(RuntimeOrigin::signed(REGULATOR), w.hospital));
		assert_noop!(approve(w.hospital), Error::<Test>::NoPendingCustodianKey);
		// A proposal that somehow outlived its hospital's verification is refused.
		assert_ok!(Registry::apply_for_registration(
			RuntimeOrigin::signed(50),
			hospital_details("GOV-50")
		));
		let pending = HospitalId(2);
		PendingCustodianKeys::<Test>::insert(pending, KEY);
		assert_noop!(approve(pending), Error::<Test>::HospitalNotVerified);
		PendingCustodianKeys::<Test>::remove(pending);
		assert!(set().is_empty());
		assert_eq!(version(), CustodianSetVersion(0));
	});
}

#[test]
fn a_key_is_used_by_one_custodian_only() {
	test(|| {
		let w = World::new();
		assert_ok!(propose(ADMIN, w.hospital, KEY));
		// Nobody uses the key yet: the other hospital may propose it too ...
		assert_ok!(propose(OTHER_ADMIN, w.other_hospital, KEY));
		assert_ok!(approve(w.hospital));
		// ... but only one of them gets it.
		assert_noop!(approve(w.other_hospital), Error::<Test>::CustodianKeyInUse);
		assert_noop!(propose(OTHER_ADMIN, w.other_hospital, KEY), Error::<Test>::CustodianKeyInUse);
		// A custodian may propose its own key again.
		assert_ok!(propose(ADMIN, w.hospital, KEY));
		assert_ok!(propose(OTHER_ADMIN, w.other_hospital, OTHER_KEY));
		assert_ok!(approve(w.other_hospital));
		assert_eq!(
			set(),
			vec![
				Custodian { hospital: w.hospital, key: KEY },
				Custodian { hospital: w.other_hospital, key: OTHER_KEY },
			]
		);
	});
}

#[test]
fn approving_a_custodians_new_key_rotates_it_in_place() {
	test(|| {
		let w = World::new();
		make_custodian(ADMIN, w.hospital, KEY);
		make_custodian(OTHER_ADMIN, w.other_hospital, OTHER_KEY);
		assert_eq!(version(), CustodianSetVersion(2));

		assert_ok!(propose(ADMIN, w.hospital, NEW_KEY));
		assert_eq!(set()[0].key, KEY, "the old key serves until the new one is approved");
		assert_ok!(approve(w.hospital));
		assert_eq!(
			last_event(),
			Event::CustodianApproved { hospital: w.hospital, set: CustodianSetVersion(3) }
		);
		assert_eq!(
			set(),
			vec![
				Custodian { hospital: w.hospital, key: NEW_KEY },
				Custodian { hospital: w.other_hospital, key: OTHER_KEY },
			]
		);
		// The retired key is free again.
		assert_ok!(propose(OTHER_ADMIN, w.other_hospital, KEY));
	});
}

#[test]
fn every_change_bumps_the_version_and_nothing_else_does() {
	test(|| {
		let w = World::new();
		assert_ok!(propose(ADMIN, w.hospital, KEY));
		assert_eq!(version(), CustodianSetVersion(0), "a proposal is not a change");
		assert_ok!(approve(w.hospital));
		assert_eq!(version(), CustodianSetVersion(1));
		assert_ok!(Registry::set_custodian_threshold(RuntimeOrigin::signed(REGULATOR), 1));
		assert_eq!(
			last_event(),
			Event::CustodianThresholdSet { threshold: 1, set: CustodianSetVersion(2) }
		);
		make_custodian(ADMIN, w.hospital, NEW_KEY);
		assert_eq!(version(), CustodianSetVersion(3));
		assert_ok!(Registry::remove_custodian(RuntimeOrigin::signed(REGULATOR), w.hospital));
		assert_eq!(
			last_event(),
			Event::CustodianRemoved { hospital: w.hospital, set: CustodianSetVersion(4) }
		);
		// Refused changes leave the version alone.
		assert_noop!(
			Registry::remove_custodian(RuntimeOrigin::signed(REGULATOR), w.hospital),
			Error::<Test>::NotCustodian
		);
		assert_noop!(
			Registry::set_custodian_threshold(RuntimeOrigin::signed(REGULATOR), 0),
			Error::<Test>::InvalidCustodianThreshold
		);
		assert_eq!(version(), CustodianSetVersion(4));
		assert_eq!(Registry::custodian_set().version, CustodianSetVersion(4));
	});
}

#[test]
fn a_regulator_removes_a_custodian() {
	test(|| {
		let w = World::new();
		make_custodian(ADMIN, w.hospital, KEY);
		make_custodian(OTHER_ADMIN, w.other_hospital, OTHER_KEY);
		assert_ok!(Registry::remove_custodian(RuntimeOrigin::signed(REGULATOR), w.hospital));
		assert_eq!(
			last_event(),
			Event::CustodianRemoved { hospital: w.hospital, set: CustodianSetVersion(3) }
		);
		assert_eq!(set(), vec![Custodian { hospital: w.other_hospital, key: OTHER_KEY }]);
		assert_noop!(
			Registry::remove_custodian(RuntimeOrigin::signed(REGULATOR), w.hospital),
			Error::<Test>::NotCustodian
		);
		assert_noop!(
			Registry::remove_custodian(RuntimeOrigin::signed(REGULATOR), HospitalId(9)),
			Error::<Test>::NotCustodian
		);
		// The hospital may come back through a new proposal and approval.
		make_custodian(ADMIN, w.hospital, KEY);
		assert_eq!(set().len(), 2);
	});
}

#[test]
fn a_full_set_refuses_new_custodians_but_still_rotates_keys() {
	test(|| {
		let w = World::new();
		let mut hospitals = vec![(ADMIN, w.hospital), (OTHER_ADMIN, w.other_hospital)];
		for admin in 50..64u64 {
			hospitals.push((admin, verified_hospital(admin, &alloc::format!("GOV-{admin}"))));
		}
		for (i, (admin, hospital)) in hospitals.iter().enumerate() {
			make_custodian(*admin, *hospital, [i as u8 + 0x10; 32]);
		}
		assert_eq!(set().len(), 16, "MaxCustodians = 16");
		let late = verified_hospital(64, "GOV-64");
		assert_ok!(propose(64, late, NEW_KEY));
		assert_noop!(approve(late), Error::<Test>::TooManyCustodians);
		assert_eq!(version(), CustodianSetVersion(16));
		// A custodian of a full set still rotates its key.
		make_custodian(ADMIN, w.hospital, OTHER_KEY);
		assert_eq!(set().len(), 16);
		assert_eq!(set()[0], Custodian { hospital: w.hospital, key: OTHER_KEY });
		// Once a place is free, the waiting hospital gets in.
		assert_ok!(Registry::remove_custodian(RuntimeOrigin::signed(REGULATOR), w.other_hospital));
		assert_ok!(approve(late));
		assert_eq!(set().last(), Some(&Custodian { hospital: late, key: NEW_KEY }));
	});
}

#[test]
fn the_threshold_is_between_one_and_max_custodians() {
	test(|| {
		World::new();
		let set_threshold =
			|t| Registry::set_custodian_threshold(RuntimeOrigin::signed(REGULATOR), t);
		assert_noop!(set_threshold(0), Error::<Test>::InvalidCustodianThreshold);
		assert_noop!(set_threshold(17), Error::<Test>::InvalidCustodianThreshold);
		assert_eq!((CustodianThreshold::<Test>::get(), version()), (0, CustodianSetVersion(0)));
		assert_ok!(set_threshold(16));
		assert_ok!(set_threshold(2));
		assert_eq!(
			last_event(),
			Event::CustodianThresholdSet { threshold: 2, set: CustodianSetVersion(2) }
		);
		assert_eq!(Registry::custodian_set().threshold, 2);
	});
}

#[test]
fn a_suspended_custodian_leaves_the_set_and_loses_its_pending_key() {
	test(|| {
		let w = World::new();
		make_custodian(ADMIN, w.hospital, KEY);
		make_custodian(OTHER_ADMIN, w.other_hospital, OTHER_KEY);
		assert_ok!(propose(ADMIN, w.hospital, NEW_KEY));
		System::reset_events();

		assert_ok!(Registry::suspend_hospital(RuntimeOrigin::signed(REGULATOR), w.hospital));
		let events: Vec<_> = System::events()
			.into_iter()
			.filter_map(|r| match r.event {
				RuntimeEvent::Registry(e) => Some(e),
				_ => None,
			})
			.collect();
		assert_eq!(
			events,
			vec![
				Event::HospitalSuspended { hospital: w.hospital },
				Event::CustodianRemoved { hospital: w.hospital, set: CustodianSetVersion(3) },
			]
		);
		assert_eq!(set(), vec![Custodian { hospital: w.other_hospital, key: OTHER_KEY }]);
		assert_eq!(PendingCustodianKeys::<Test>::get(w.hospital), None);

		// Reinstatement does not bring it back: the hospital proposes again.
		assert_ok!(Registry::reinstate_hospital(RuntimeOrigin::signed(REGULATOR), w.hospital));
		assert_eq!(set().len(), 1);
		assert_eq!(version(), CustodianSetVersion(3));
		make_custodian(ADMIN, w.hospital, NEW_KEY);
		assert_eq!(set().len(), 2);
	});
}

#[test]
fn suspending_a_hospital_that_is_no_custodian_leaves_the_set_alone() {
	test(|| {
		let w = World::new();
		make_custodian(ADMIN, w.hospital, KEY);
		assert_ok!(Registry::suspend_hospital(RuntimeOrigin::signed(REGULATOR), w.other_hospital));
		assert_eq!(last_event(), Event::HospitalSuspended { hospital: w.other_hospital });
		assert_eq!((set().len(), version()), (1, CustodianSetVersion(1)));
	});
}

#[test]
fn a_revoked_custodian_leaves_the_set_and_loses_its_pending_key() {
	test(|| {
		let w = World::new();
		make_custodian(ADMIN, w.hospital, KEY);
		assert_ok!(propose(ADMIN, w.hospital, NEW_KEY));
		assert_ok!(Registry::revoke_hospital(RuntimeOrigin::signed(REGULATOR), w.hospital));
		assert_eq!(
			last_event(),
			Event::CustodianRemoved { hospital: w.hospital, set: CustodianSetVersion(2) }
		);
		assert!(set().is_empty());
		assert_eq!(PendingCustodianKeys::<Test>::get(w.hospital), None);
	});
}

#[test]
fn a_custodian_sent_back_for_reverification_leaves_the_set() {
	test(|| {
		let w = World::new();
		make_custodian(ADMIN, w.hospital, KEY);
		assert_ok!(Registry::update_hospital_details(
			RuntimeOrigin::signed(ADMIN),
			w.hospital,
			hospital_details("GOV-0")
		));
		assert_eq!(
			last_event(),
			Event::CustodianRemoved { hospital: w.hospital, set: CustodianSetVersion(2) }
		);
		assert!(set().is_empty());
		// Pending re-verification, it cannot propose either.
		assert_noop!(propose(ADMIN, w.hospital, KEY), Error::<Test>::HospitalNotVerified);
	});
}

#[test]
fn only_admins_of_hospitals_in_the_set_answer_for_custody() {
	use pmr_primitives::KeyCustody;
	test(|| {
		let w = World::new();
		assert_eq!(Registry::custodian_of(&ADMIN), None, "not in the set yet");
		make_custodian(ADMIN, w.hospital, KEY);
		assert_eq!(Registry::custodian_of(&ADMIN), Some(w.hospital));
		for who in [DESK, DOCTOR, LAB, PATIENT, OTHER_ADMIN] {
			assert_eq!(Registry::custodian_of(&who), None);
		}
		assert_ok!(Registry::suspend_hospital(RuntimeOrigin::signed(REGULATOR), w.hospital));
		assert_eq!(Registry::custodian_of(&ADMIN), None, "a suspended hospital releases nothing");

		assert_eq!(<Registry as KeyCustody<u64>>::staff_encryption_key(&DOCTOR), None);
		assert_ok!(Registry::set_encryption_key(RuntimeOrigin::signed(DOCTOR), NEW_KEY));
		assert_eq!(<Registry as KeyCustody<u64>>::staff_encryption_key(&DOCTOR), Some(NEW_KEY));
	});
}

#[test]
fn a_key_custodian_member_answers_for_custody_and_does_nothing_else() {
	use pmr_primitives::{KeyCustody, RegistryInspect};
	const NODE: u64 = 77;
	test(|| {
		let w = World::new();
		make_custodian(ADMIN, w.hospital, KEY);
		assert_ok!(Registry::add_member(
			RuntimeOrigin::signed(ADMIN),
			w.hospital,
			NODE,
			HospitalRole::KeyCustodian
		));
		assert_eq!(Registry::custodian_of(&NODE), Some(w.hospital));
		assert!(!<Registry as RegistryInspect<u64>>::is_hospital_member(&NODE, w.hospital));
		assert!(!<Registry as RegistryInspect<u64>>::is_hospital_admin(&NODE, w.hospital));
		assert_noop!(
			Registry::register_patient(RuntimeOrigin::signed(NODE), w.hospital, 78, COMMITMENT, PATIENT_KEY),
			Error::<Test>::NotHospitalDesk
		);
		assert_noop!(
			Registry::add_member(RuntimeOrigin::signed(NODE), w.hospital, 79, HospitalRole::Desk),
			Error::<Test>::NotHospitalAdmin
		);
	});
}
