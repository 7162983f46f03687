//! The `on_idle` sweep: cleanup only, bounded per block.

use super::*;
use frame_support::assert_ok;
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
		// Deleting changes nothing about the decision: it was expired, and still says so.
		assert_eq!(
			check(DOCTOR, AccessTarget::AllRecords, Purpose::Treatment),
			Err(AccessDenied::Expired)
		);
		assert_eq!(
			EndedGrants::<Test>::get(P, doc(DOCTOR)),
			Some(EndedGrant { grant: short, how: GrantEnd::Expired, at: 4 })
		);
		go_to(1 + REQUEST_TIMEOUT);
		sweep();
		assert!(!Requests::<Test>::contains_key(r));
		assert_eq!(PendingRequestCount::<Test>::get(P), 0);
	});
}

#[test]
fn a_refusal_keeps_its_reason_after_the_sweep_and_in_the_audit_trail() {
	test(|| {
		let g = grant(doc(DOCTOR), all(), Purpose::SecondOpinion, 3);
		go_to(10);
		let refusal = || check(DOCTOR, AccessTarget::AllRecords, Purpose::SecondOpinion);
		assert_eq!(refusal(), Err(AccessDenied::Expired), "before the sweep");
		sweep();
		assert!(!Grants::<Test>::contains_key(g));
		assert_eq!(refusal(), Err(AccessDenied::Expired), "after the sweep");
		// The patient's trail shows the same reason.
		assert_ok!(Consent::record_access(
			RuntimeOrigin::signed(DOCTOR),
			P,
			AccessTarget::AllRecords,
			Purpose::SecondOpinion
		));
		assert!(matches!(
			last_event(),
			Event::AccessRefused { reason: AccessDenied::Expired, .. }
		));
		// A new grant is used again, and its revocation is what a later refusal reports.
		let again = grant(doc(DOCTOR), all(), Purpose::SecondOpinion, 30);
		assert!(refusal().is_ok());
		assert_ok!(Consent::revoke_grant(RuntimeOrigin::signed(PATIENT), again));
		assert_eq!(refusal(), Err(AccessDenied::Revoked));
		// Another doctor, who never held a grant, is still told there is none.
		assert_eq!(
			check(OTHER_DOCTOR, AccessTarget::AllRecords, Purpose::SecondOpinion),
			Err(AccessDenied::NoConsent)
		);
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
