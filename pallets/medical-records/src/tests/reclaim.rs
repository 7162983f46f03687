//! `reclaim_records`: a patient's record NFTs follow the patient's new account.

use super::*;
use frame_support::{assert_noop, assert_ok, traits::tokens::nonfungibles_v2::Inspect};
use pmr_primitives::RecordCategory::*;

fn owner(item: PmrItemId) -> Option<AccountId> {
	let collection = RecordsCollection::<Test>::get().expect("created");
	<Nfts as Inspect<AccountId>>::owner(&collection, &item)
}

#[test]
fn record_nfts_move_to_the_patients_new_account_in_batches() {
	test(|| {
		let items: Vec<_> = (1..=5u8).map(|d| create(PastIllness, date(d, 1, 2021))).collect();
		let new = acc(77);
		rotate_patient(P, new.clone());
		assert!(Reclaims::<Test>::contains_key(P));
		// The records stay the patient's while the NFTs move: the new account acts already.
		assert_ok!(MedicalRecords::request_correction(RuntimeOrigin::signed(new.clone()), items[0], [1; 32]));
		// MaxReclaimPerCall is 2 in the mock: three calls, the last one finds the end.
		for (moved, done) in [(2, false), (2, false), (1, true)] {
			assert_ok!(MedicalRecords::reclaim_records(RuntimeOrigin::signed(OUTSIDER), P));
			assert_eq!(last_event(), Event::RecordsReclaimed { patient: P, moved, done });
		}
		assert!(items.iter().all(|item| owner(*item) == Some(new.clone())));
		assert!(!Reclaims::<Test>::contains_key(P));
		assert_noop!(
			MedicalRecords::reclaim_records(RuntimeOrigin::signed(new), P),
			Error::<Test>::NothingToReclaim
		);
	});
}

#[test]
fn nothing_is_reclaimed_without_an_account_change() {
	test(|| {
		create(PastIllness, date(1, 1, 2021));
		assert_noop!(
			MedicalRecords::reclaim_records(RuntimeOrigin::signed(PATIENT), P),
			Error::<Test>::NothingToReclaim
		);
		// A patient without records has nothing to reclaim after a rotation either.
		rotate_patient(P2, acc(78));
		assert!(!Reclaims::<Test>::contains_key(P2));
	});
}

#[test]
fn a_second_rotation_before_the_first_is_reclaimed_starts_over() {
	test(|| {
		let items: Vec<_> = (1..=3u8).map(|d| create(PastIllness, date(d, 1, 2021))).collect();
		rotate_patient(P, acc(77));
		assert_ok!(MedicalRecords::reclaim_records(RuntimeOrigin::signed(OUTSIDER), P));
		rotate_patient(P, acc(79));
		for _ in 0..2 {
			assert_ok!(MedicalRecords::reclaim_records(RuntimeOrigin::signed(OUTSIDER), P));
		}
		assert!(items.iter().all(|item| owner(*item) == Some(acc(79))));
		assert!(!Reclaims::<Test>::contains_key(P));
	});
}
