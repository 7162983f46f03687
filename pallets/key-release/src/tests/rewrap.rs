//! `rewrap_essential_shares`: after the patient's key is replaced, the patient's side keeps
//! each essential share re-wrapped to the key registered now.

use super::*;
use frame_support::{assert_noop, assert_ok, BoundedVec};
use pmr_pallet_test_support::registry;
use pmr_primitives::{EncryptedContent, EssentialEnvelope, HospitalId, KeyAuditEvent, PatientId, SealedTarget, ESSENTIAL_ENVELOPE_LEN};

/// The patient's new key.
const NEW_KEY: [u8; 32] = [0x9b; 32];

fn envelope(seed: u8) -> EssentialEnvelope {
	vec![seed; ESSENTIAL_ENVELOPE_LEN as usize].try_into().unwrap()
}

fn shares(list: &[(SealedTarget, EssentialEnvelope)]) -> BoundedVec<(SealedTarget, EssentialEnvelope), <Test as Config>::MaxRewrapBatch> {
	list.to_vec().try_into().unwrap()
}

fn record(item: u128) -> SealedTarget {
	SealedTarget::RecordVersion { item, version: 0 }
}

/// The patient registers [`NEW_KEY`] (what `registry.update_patient` does).
fn rotate() {
	registry::add_patient(&PATIENT, P, HospitalId(1), NEW_KEY);
}

#[test]
fn the_patient_keeps_shares_rewrapped_to_the_key_registered_now() {
	test(|| {
		seal(8, content());
		rotate();
		assert_ok!(KeyRelease::rewrap_essential_shares(
			RuntimeOrigin::signed(PATIENT),
			P,
			shares(&[(RECORD, envelope(1)), (record(8), envelope(2))])
		));
		let kept = |t| KeyRelease::rewrapped_essential(t).unwrap();
		assert_eq!(kept(RECORD), RewrappedEssential { key: NEW_KEY, envelope: envelope(1) });
		assert_eq!(kept(record(8)).envelope, envelope(2));
		assert_eq!(audit().last(), Some(&(P, PATIENT, KeyAuditEvent::EssentialSharesRewrapped { key: NEW_KEY, count: 2 })));
		assert!(matches!(
			events().last(),
			Some(Event::EssentialSharesRewrapped { patient: P, key: NEW_KEY, count: 2, by: PATIENT, .. })
		));
	});
}

#[test]
fn a_guardian_rewraps_too_and_a_later_rewrap_replaces_the_earlier() {
	test(|| {
		assert_ok!(KeyRelease::rewrap_essential_shares(RuntimeOrigin::signed(GUARDIAN), P, shares(&[(RECORD, envelope(1))])));
		assert_eq!(KeyRelease::rewrapped_essential(RECORD).unwrap().key, PATIENT_KEY);
		rotate();
		assert_ok!(KeyRelease::rewrap_essential_shares(RuntimeOrigin::signed(GUARDIAN), P, shares(&[(RECORD, envelope(3))])));
		assert_eq!(KeyRelease::rewrapped_essential(RECORD).unwrap(), RewrappedEssential { key: NEW_KEY, envelope: envelope(3) });
		assert_eq!(audit().last().unwrap().1, GUARDIAN);
	});
}

#[test]
fn nobody_else_rewraps_a_patients_shares() {
	test(|| {
		for who in [DOCTOR, CUSTODIAN_1, OUTSIDER] {
			assert_noop!(
				KeyRelease::rewrap_essential_shares(RuntimeOrigin::signed(who), P, shares(&[(RECORD, envelope(1))])),
				Error::<Test>::NotPatientOrGuardian
			);
		}
		// Nor does the patient name another patient's Patient-ID.
		assert_noop!(
			KeyRelease::rewrap_essential_shares(RuntimeOrigin::signed(PATIENT), PatientId(2), shares(&[(RECORD, envelope(1))])),
			Error::<Test>::NotPatientOrGuardian
		);
	});
}

#[test]
fn bad_shares_are_refused_whole_with_a_typed_error() {
	test(|| {
		seal_for(PatientId(2), 9, content());
		seal(10, EncryptedContent { manifest: None, ..content() });
		seal(11, content());
		erase(11);
		seal(8, content());
		let short: EssentialEnvelope = vec![1; ESSENTIAL_ENVELOPE_LEN as usize - 1].try_into().unwrap();
		let call = |list: &[(SealedTarget, EssentialEnvelope)]| {
			KeyRelease::rewrap_essential_shares(RuntimeOrigin::signed(PATIENT), P, shares(list))
		};
		// A good share first, then a bad one: nothing is kept.
		for (bad, error) in [
			((record(9), envelope(1)), Error::<Test>::AnotherPatientsContent),
			((record(10), envelope(1)), Error::<Test>::NotSealed),
			((record(11), envelope(1)), Error::<Test>::Erased),
			((record(12), envelope(1)), Error::<Test>::UnknownContent),
			((record(8), short), Error::<Test>::MalformedEnvelope),
			((RECORD, envelope(2)), Error::<Test>::DuplicateContent),
		] {
			assert_noop!(call(&[(RECORD, envelope(1)), bad]), error);
		}
		assert_noop!(call(&[]), Error::<Test>::NoShares);
		assert!(RewrappedEssentials::<Test>::iter().next().is_none());
	});
}

#[test]
fn a_patient_without_a_key_has_nothing_to_rewrap_to() {
	test(|| {
		// The registry no longer knows the patient (and so no key).
		registry::reset();
		assert_noop!(
			KeyRelease::rewrap_essential_shares(RuntimeOrigin::signed(PATIENT), P, shares(&[(RECORD, envelope(1))])),
			Error::<Test>::NoEncryptionKey
		);
	});
}

#[test]
fn an_erased_contents_share_is_no_longer_served() {
	test(|| {
		assert_ok!(KeyRelease::rewrap_essential_shares(RuntimeOrigin::signed(PATIENT), P, shares(&[(RECORD, envelope(1))])));
		erase(7);
		assert_eq!(KeyRelease::rewrapped_essential(RECORD), None);
	});
}
