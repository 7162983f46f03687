//! Lab-reports tests, one file per action.

mod content;
mod devices;
mod erasure;
mod fuzz;
mod orders;
mod reports;

use crate::{mock::*, *};
use frame_support::{assert_ok, BoundedVec};
use pmr_primitives::{CustodianSetVersion, LabId, LabOrderId, PatientId, PmrItemId, VisitDate};

/// A checked date.
pub fn date(d: u8, m: u8, y: u16) -> VisitDate {
	VisitDate::new(d, m, y).expect("a real date")
}

/// A CID field carrying text instead of a CID (what the runtime refuses), cut to the field.
pub fn free_text(s: &str) -> Cid {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

/// A valid CID named by a string (the string's hash is its digest), distinct per string.
pub fn cid(s: &str) -> Cid {
	pmr_primitives::cid::from_digest(pmr_primitives::cid::CidCodec::Raw, sp_io::hashing::blake2_256(s.as_bytes()))
}

/// Content with a recognisable CID and hashes, anchored without a manifest.
pub fn content(n: u8) -> EncryptedContent {
	EncryptedContent {
		cid: cid(&alloc::format!("bafy-study-{n}")),
		plaintext_hash: [n; 32],
		ciphertext_hash: [n.wrapping_add(100); 32],
		manifest: None,
	}
}

/// A key-share manifest reference with a recognisable CID, hash and custodian set version.
pub fn manifest(s: &str, set: u32) -> ManifestRef {
	ManifestRef {
		cid: cid(s),
		hash: sp_io::hashing::blake2_256(s.as_bytes()),
		custodian_set: CustodianSetVersion(set),
	}
}

/// Content anchored with its manifest, as the ingest worker anchors it.
pub fn content_with_manifest(n: u8) -> EncryptedContent {
	EncryptedContent {
		manifest: Some(manifest(&alloc::format!("bafy-manifest-{n}"), 2)),
		..content(n)
	}
}

/// `doctor` orders a CT of `patient` from `lab`, under `record`; returns the order.
pub fn order(doctor: u64, patient: PatientId, lab: LabId, record: Option<PmrItemId>) -> LabOrderId {
	let id = NextOrderId::<Test>::get();
	assert_ok!(Labs::order_lab_work(
		RuntimeOrigin::signed(doctor),
		patient,
		lab,
		Modality::Ct,
		record,
		[9; 32]
	));
	id
}

/// The last event of the pallet.
pub fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::Labs(e) => Some(e),
			_ => None,
		})
		.expect("an event")
}
