//! The runtime API's queries: the release check custodians make, and the open requests.

use super::*;
use frame_support::assert_ok;
use pmr_primitives::{AccessDenied, PatientId, ShareRefusal};

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
		let ids = |v: Vec<(KeyRequestId, KeyRequest<Test>)>| v.into_iter().map(|(i, _)| i).collect::<Vec<_>>();
		let mut of_patient = ids(KeyRelease::patient_key_requests(P));
		of_patient.sort();
		assert_eq!(of_patient, vec![a, KeyRequestId(1)]);
		assert_eq!(ids(KeyRelease::requester_key_requests(&DOCTOR)), vec![a]);
		assert!(KeyRelease::patient_key_requests(PatientId(2)).is_empty());
	});
}
