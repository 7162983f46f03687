//! The read-only queries behind the runtime API agree with the access check.

use super::*;
use pmr_primitives::{AccessTarget, Page, Purpose};

/// Every item of a paged query, one item per page (the smallest page), in storage order.
fn all_pages<Item, Cursor>(query: impl Fn(Option<Cursor>) -> Page<Item, Cursor>) -> Vec<Item> {
	let (mut items, mut after) = (Vec::new(), None);
	loop {
		let page = query(after);
		assert!(page.items.len() <= 1);
		items.extend(page.items);
		match page.next {
			Some(next) => after = Some(next),
			None => break,
		}
	}
	items
}

#[test]
fn active_grants_and_my_patients_follow_the_block_number() {
	test(|| {
		let short = grant(doc(DOCTOR), all(), Purpose::Treatment, 3);
		let long = grant(doc(DOCTOR), all(), Purpose::SecondOpinion, 30);
		let active = || {
			let mut ids: Vec<_> = all_pages(|after| Consent::active_grants(P, after, 1)).into_iter().map(|(id, _)| id).collect();
			ids.sort();
			ids
		};
		let mine = |who| {
			let mut patients = all_pages(|after| Consent::consenting_patients(&who, after, 1));
			patients.sort();
			patients
		};
		assert_eq!(active(), vec![short, long]);
		assert_eq!(mine(DOCTOR), vec![(P, short, 4), (P, long, 31)]);
		go_to(4);
		// Nothing was swept, yet the expired grant is gone from both views...
		assert!(Grants::<Test>::contains_key(short));
		assert_eq!(active(), vec![long]);
		assert_eq!(mine(DOCTOR), vec![(P, long, 31)]);
		// ...exactly as the access check sees it.
		assert!(check(DOCTOR, AccessTarget::AllRecords, Purpose::Treatment).is_err());
		assert!(check(DOCTOR, AccessTarget::AllRecords, Purpose::SecondOpinion).is_ok());
		assert!(mine(OUTSIDER).is_empty());
	});
}

#[test]
fn granted_count_counts_every_consent_ever() {
	test(|| {
		let g = grant(doc(DOCTOR), all(), Purpose::Treatment, 3);
		let r = request(LAB, all(), Purpose::LabWork, 3);
		frame_support::assert_ok!(Consent::approve_request(
			RuntimeOrigin::signed(PATIENT),
			r,
			None,
			None, Default::default()
		));
		frame_support::assert_ok!(Consent::revoke_grant(RuntimeOrigin::signed(PATIENT), g));
		assert_eq!(GrantsIssued::<Test>::get(P), 2);
		assert_eq!(GrantsIssued::<Test>::get(P2), 0);
	});
}
