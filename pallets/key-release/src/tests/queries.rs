//! The runtime API's queries: the release check custodians make, and the open requests.

use super::*;
use frame_support::assert_ok;
use pmr_primitives::{AccessDenied, Page, PatientId, ShareRefusal};

#[test]
fn the_release_check_follows_the_block_number_and_the_consent() {
	test(|| {
		assert_eq!(KeyRelease::release_check(KeyRequestId(0)), None);
		let id = requested(Some(6));
		assert_eq!(KeyRelease::release_check(id), Some(Ok(())));
		go_to(6);
		assert_eq!(KeyRelease::release_check(id), Some(Err(ShareRefusal::RequestExpired)));
		go_to(2);
		revoke(DOCTOR);
		assert_eq!(
			KeyRelease::release_check(id),
			Some(Err(ShareRefusal::Denied(AccessDenied::NoConsent)))
		);
	});
}

#[test]
fn open_requests_by_patient_and_by_requester() {
	test(|| {
		let a = requested(None);
		allow(LAB, pmr_primitives::AccessGround::Grant(GRANT), None);
		assert_ok!(KeyRelease::request_key(RuntimeOrigin::signed(LAB), RECORD, Purpose::LabWork));
		let ids = |p: Page<(KeyRequestId, KeyRequest<Test>), KeyRequestId>| {
			assert_eq!(p.next, None, "one page holds them all");
			p.items.into_iter().map(|(i, _)| i).collect::<Vec<_>>()
		};
		let mut of_patient = ids(KeyRelease::patient_key_requests(P, None, 10));
		of_patient.sort();
		assert_eq!(of_patient, vec![a, KeyRequestId(1)]);
		assert_eq!(ids(KeyRelease::requester_key_requests(&DOCTOR, None, 10)), vec![a]);
		assert!(ids(KeyRelease::patient_key_requests(PatientId(2), None, 10)).is_empty());
	});
}

#[test]
fn the_requests_of_a_patient_come_in_bounded_pages() {
	test(|| {
		let mut made: Vec<KeyRequestId> = (0..3).map(|_| requested(None)).collect();
		made.sort();
		// One request per page: every request exactly once, and the last page says so.
		let mut seen = Vec::new();
		let mut after = None;
		loop {
			let page = KeyRelease::patient_key_requests(P, after, 1);
			assert!(page.items.len() <= 1);
			seen.extend(page.items.into_iter().map(|(id, _)| id));
			match page.next {
				Some(next) => after = Some(next),
				None => break,
			}
		}
		seen.sort();
		assert_eq!(seen, made);
	});
}
