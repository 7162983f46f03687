//! `register_device`, `deactivate_device` and `anchor_iomt_batch` (Merkle-rooted batches).

use super::*;
use frame_support::{assert_noop, assert_ok, traits::Contains};
use pmr_primitives::{merkle, DeviceId};

/// A commitment to the kind "glucose monitor" under a random salt.
fn label() -> DeviceKindCommitment {
	sp_io::hashing::blake2_256(&[&[7u8; 16][..], b"glucose monitor"].concat())
}

fn register(device: u64) -> DeviceId {
	let id = NextDeviceId::<Test>::get();
	assert_ok!(Labs::register_device(RuntimeOrigin::signed(DESK), P, device, label()));
	id
}

#[test]
fn the_patients_hospital_binds_a_device_that_may_then_transact() {
	test(|| {
		assert!(!DeviceAccounts::<Test>::contains(&DEVICE));
		let d = register(DEVICE);
		assert_eq!(last_event(), Event::DeviceRegistered { device: d, patient: P });
		assert!(DeviceAccounts::<Test>::contains(&DEVICE));
		assert_eq!(Labs::patient_devices(P).len(), 1);
		// Another hospital's desk, doctors, labs, the patient and strangers may not.
		for who in [OTHER_DESK, HOME_DOCTOR, LAB, PATIENT, OUTSIDER] {
			assert_noop!(
				Labs::register_device(RuntimeOrigin::signed(who), P, OTHER_DEVICE, label()),
				Error::<Test>::NotPatientsHospital
			);
		}
		assert_noop!(
			Labs::register_device(RuntimeOrigin::signed(DESK), P2, DEVICE, label()),
			Error::<Test>::DeviceAccountTaken
		);
		assert_noop!(
			Labs::register_device(RuntimeOrigin::signed(DESK), PatientId(9), OTHER_DEVICE, label()),
			Error::<Test>::UnknownPatient
		);
		let other = register(OTHER_DEVICE);
		assert_noop!(
			Labs::register_device(RuntimeOrigin::signed(DESK), P, 52, label()),
			Error::<Test>::TooManyDevices
		);
		// A deactivated device frees its slot (its history stays).
		assert_ok!(Labs::deactivate_device(RuntimeOrigin::signed(DESK), other));
		assert_ok!(Labs::register_device(RuntimeOrigin::signed(DESK), P, 52, label()));
		assert!(Devices::<Test>::get(other).is_some_and(|d| !d.active));
	});
}

#[test]
fn no_device_is_bound_to_a_patient_who_withdrew_the_hospitals_standing_access() {
	test(|| {
		withdraw_standing_access(P);
		assert_noop!(
			Labs::register_device(RuntimeOrigin::signed(DESK), P, DEVICE, label()),
			Error::<Test>::StandingAccessWithdrawn
		);
		assert!(!DeviceAccounts::<Test>::contains(&DEVICE));
		// Other patients of the hospital are not affected.
		assert_ok!(Labs::register_device(RuntimeOrigin::signed(DESK), P2, DEVICE, label()));
	});
}

#[test]
fn a_device_anchors_batches_whose_readings_are_provable() {
	test(|| {
		let d = register(DEVICE);
		let readings: Vec<merkle::Node> = (0..60u32)
			.map(|s| {
				let salt = merkle::leaf_salt(&[3; 32], s);
				merkle::leaf(&salt, alloc::format!("{{\"t\":{s},\"mg_dl\":{}}}", 90 + s % 7).as_bytes())
			})
			.collect();
		let root = merkle::root(&readings);
		assert_ok!(Labs::anchor_iomt_batch(
			RuntimeOrigin::signed(DEVICE),
			root,
			1_000,
			60_000,
			60,
			content(0)
		));
		assert_eq!(
			last_event(),
			Event::IomtBatchAnchored {
				device: d,
				batch: 0,
				root,
				samples: 60,
				ciphertext_hash: content(0).ciphertext_hash
			}
		);
		// The batch keeps its encrypted content, with the key-share manifest when it has one.
		assert_eq!(Labs::device_batches(d, 0, 1)[0].content, content(0));
		assert_ok!(Labs::anchor_iomt_batch(
			RuntimeOrigin::signed(DEVICE),
			[3; 32],
			60_001,
			70_000,
			1,
			content_with_manifest(3)
		));
		assert_eq!(Labs::device_batches(d, 1, 1)[0].content.manifest, content_with_manifest(3).manifest);
		// As sealed content (for key release): the device's patient's, opened by IoMT consent.
		let sealed = Labs::sealed_batch(d, 1).expect("sealed");
		assert_eq!((sealed.patient, sealed.content), (P, Some(content_with_manifest(3))));
		assert_eq!(
			sealed.access,
			pmr_primitives::AccessTarget::Category(pmr_primitives::RecordCategory::IomtData)
		);
		assert_eq!(Labs::sealed_batch(d, 2), None);
		// Reading 17 is proven against the anchored root, without the other readings.
		let anchored = Labs::device_batches(d, 0, 10);
		let proof = merkle::proof(&readings, 17).expect("in range");
		assert!(merkle::verify(&anchored[0].root, readings[17], &proof));
		assert!(!merkle::verify(&anchored[0].root, merkle::leaf(&[0; 32], b"forged"), &proof));
	});
}

#[test]
fn windows_never_overlap_and_must_be_sound() {
	test(|| {
		register(DEVICE);
		let anchor = |start, end, samples| {
			// Each batch its own ciphertext (a CID is anchored at most once).
			let own = content((start % 251) as u8);
			Labs::anchor_iomt_batch(RuntimeOrigin::signed(DEVICE), [1; 32], start, end, samples, own)
		};
		assert_noop!(anchor(10, 5, 1), Error::<Test>::InvalidWindow);
		assert_noop!(anchor(0, 5, 0), Error::<Test>::InvalidWindow);
		assert_ok!(anchor(0, 100, 10));
		assert_noop!(anchor(100, 200, 10), Error::<Test>::OverlappingWindow);
		assert_noop!(anchor(50, 200, 10), Error::<Test>::OverlappingWindow);
		assert_ok!(anchor(101, 200, 10));
		assert_noop!(
			Labs::anchor_iomt_batch(
				RuntimeOrigin::signed(DEVICE),
				[1; 32],
				300,
				400,
				1,
				EncryptedContent { cid: free_text("John Smith, born 1970"), ..content(2) }
			),
			Error::<Test>::InvalidCid
		);
		assert_eq!(Labs::device_batches(DeviceId(0), 1, 10).len(), 1);
	});
}

#[test]
fn a_window_may_not_end_in_the_future() {
	test(|| {
		register(DEVICE);
		// The clock is 26 Jan 2021 noon; MaxClockSkew is one minute.
		let anchor = |end| {
			Labs::anchor_iomt_batch(RuntimeOrigin::signed(DEVICE), [1; 32], 0, end, 1, content(1))
		};
		assert_noop!(anchor(JAN_26_2021_NOON + 60_001), Error::<Test>::WindowInFuture);
		assert_noop!(anchor(u64::MAX), Error::<Test>::WindowInFuture);
		assert_ok!(anchor(JAN_26_2021_NOON + 60_000));
	});
}

#[test]
fn only_active_devices_anchor_and_the_hospital_or_patient_switch_them_off() {
	test(|| {
		let d = register(DEVICE);
		for who in [OTHER_DESK, HOME_DOCTOR, OTHER_PATIENT, DEVICE, OUTSIDER] {
			assert_noop!(
				Labs::deactivate_device(RuntimeOrigin::signed(who), d),
				Error::<Test>::NotDeviceManager
			);
		}
		assert_ok!(Labs::deactivate_device(RuntimeOrigin::signed(PATIENT), d));
		assert_eq!(last_event(), Event::DeviceDeactivated { device: d });
		assert!(!DeviceAccounts::<Test>::contains(&DEVICE));
		assert_noop!(
			Labs::anchor_iomt_batch(RuntimeOrigin::signed(DEVICE), [1; 32], 0, 1, 1, content(1)),
			Error::<Test>::NotActiveDevice
		);
		assert_noop!(
			Labs::deactivate_device(RuntimeOrigin::signed(DESK), d),
			Error::<Test>::NotActiveDevice
		);
		assert_noop!(
			Labs::deactivate_device(RuntimeOrigin::signed(DESK), DeviceId(9)),
			Error::<Test>::UnknownDevice
		);
		// Accounts that were never devices get the same typed error.
		assert_noop!(
			Labs::anchor_iomt_batch(RuntimeOrigin::signed(PATIENT), [1; 32], 0, 1, 1, content(1)),
			Error::<Test>::NotActiveDevice
		);
	});
}
