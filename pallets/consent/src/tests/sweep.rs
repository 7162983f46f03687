//! The `on_idle` sweep: cleanup only, bounded per block.

use super::*;
use pmr_primitives::{AccessDenied, AccessTarget, Purpose};

#[test]
fn the_sweep_deletes_only_what_has_expired() {
	test(|| {
		let short = grant(doc(DOCTOR), all(), Purpose::Treatment, 3);
		let long = grant(doc(OTHER_DOCTOR), all(), Purpose::Treatment, 30);
		let r = request(LAB, all(), Purpose::LabWork, 5);
		go_to(4);
		sweep();
		assert!(!Grants::<Test>::contains_key(short));
		assert!(Grants::<Test>::contains_key(long));
		assert!(Requests::<Test>::contains_key(r));
		assert!(System::events().iter().any(|e| e.event ==
			RuntimeEvent::Consent(Event::GrantExpired { grant: short, patient: P })));
		// Deleting changes nothing about the decision: it was already "expired"/denied.
		assert_eq!(
			check(DOCTOR, AccessTarget::AllRecords, Purpose::Treatment),
			Err(AccessDenied::NoConsent)
		);
		go_to(1 + REQUEST_TIMEOUT);
		sweep();
		assert!(!Requests::<Test>::contains_key(r));
		assert_eq!(PendingRequestCount::<Test>::get(P), 0);
	});
}

#[test]
fn the_sweep_is_bounded_and_resumes_where_it_stopped() {
	test(|| {
		// MaxSweepPerBlock is 2; five grants expire together.
		for who in [DOCTOR, OTHER_DOCTOR, HOME_DOCTOR] {
			grant(doc(who), all(), Purpose::Research, 2);
		}
		grant(Accessor::Lab(LAB_ID), all(), Purpose::LabWork, 2);
		grant(doc(DOCTOR), all(), Purpose::Insurance, 2);
		go_to(3);
		sweep();
		assert_eq!(Grants::<Test>::iter().count(), 3);
		sweep();
		assert_eq!(Grants::<Test>::iter().count(), 1);
		sweep();
		assert_eq!(Grants::<Test>::iter().count(), 0);
	});
}

#[test]
fn the_sweep_does_nothing_without_weight() {
	test(|| {
		let g = grant(doc(DOCTOR), all(), Purpose::Treatment, 1);
		go_to(5);
		use frame_support::{traits::Hooks, weights::Weight};
		// The mock uses the measured weights (`()`), so sweeping costs something.
		assert!(<() as WeightInfo>::sweep_grants(1).any_gt(Weight::zero()));
		assert_eq!(Consent::on_idle(5, Weight::zero()), Weight::zero());
		assert!(Grants::<Test>::contains_key(g));
	});
}
