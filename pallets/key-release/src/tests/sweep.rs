//! The `on_idle` sweep: closes requests past their deadline, oldest first, bounded per block.

use super::*;
use frame_support::{assert_noop, traits::Hooks, weights::Weight};

fn idle(now: u64) -> Weight {
	go_to(now);
	KeyRelease::on_idle(now, Weight::MAX)
}

fn open() -> Vec<KeyRequestId> {
	let mut ids: Vec<_> = KeyRequests::<Test>::iter_keys().collect();
	ids.sort();
	ids
}

fn closed() -> Vec<KeyRequestId> {
	events()
		.into_iter()
		.filter_map(|e| match e {
			Event::KeyRequestClosed { request, .. } => Some(request),
			_ => None,
		})
		.collect()
}

#[test]
fn requests_past_their_deadline_are_closed_oldest_first() {
	test(|| {
		let short = requested(Some(5));
		let long = requested(None);
		let short_too = requested(Some(5));
		let ends = |id| KeyRequests::<Test>::get(id).expect("open").valid_until;
		assert!(ends(short) < 5 && ends(short_too) < 5 && ends(long) > 5);

		// Not swept yet, but past its deadline: already closed to answers.
		go_to(5);
		assert_noop!(
			KeyRelease::release_share(RuntimeOrigin::signed(CUSTODIAN_1), short, cid(9)),
			Error::<Test>::RequestExpired
		);

		// The sweep closes the first and stops at the one still answerable.
		assert_ne!(idle(5), Weight::zero());
		assert_eq!(open(), vec![long, short_too]);
		assert_eq!(closed(), vec![short]);
		assert_eq!(SweepCursor::<Test>::get(), long);

		// Once it ends, the sweep closes it and the one behind it.
		idle(ends(long) + 1);
		assert!(open().is_empty());
		assert_eq!(closed(), vec![short, long, short_too]);
		assert_eq!(SweepCursor::<Test>::get(), NextKeyRequestId::<Test>::get());
	});
}

#[test]
fn requests_closed_by_hand_are_passed_over() {
	test(|| {
		let first = requested(Some(5));
		let second = requested(Some(5));
		assert_ok!(KeyRelease::close_key_request(RuntimeOrigin::signed(DOCTOR), first));
		idle(5);
		assert!(open().is_empty());
		assert_eq!(closed(), vec![first, second]);
		assert_eq!(SweepCursor::<Test>::get(), NextKeyRequestId::<Test>::get());
	});
}

#[test]
fn a_block_closes_at_most_max_sweep_per_block_and_only_within_its_weight() {
	test(|| {
		let ids: Vec<_> = (0..6).map(|_| requested(Some(5))).collect();
		go_to(5);
		assert_eq!(KeyRelease::on_idle(5, Weight::zero()), Weight::zero());
		assert_eq!(open().len(), 6);

		// `MaxSweepPerBlock` is 4 in the mock.
		let used = idle(5);
		assert_eq!(used, <() as WeightInfo>::sweep_key_requests(4));
		assert_eq!(open(), ids[4..].to_vec());
		idle(6);
		assert!(open().is_empty());
	});
}

#[test]
fn an_idle_chain_without_requests_costs_only_the_sweeps_base() {
	test(|| {
		assert_eq!(idle(2), <() as WeightInfo>::sweep_key_requests(0));
		assert_eq!(SweepCursor::<Test>::get(), KeyRequestId(0));
	});
}
