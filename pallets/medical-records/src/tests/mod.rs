//! Medical-records tests, one file per action.

mod amend;
mod appointments;
mod content;
mod correction;
mod create;
mod erasure;
mod fuzz;
mod manifest;
mod prepared;
mod queries;
mod reclaim;

use crate::{mock::*, *};
use frame_support::{assert_ok, BoundedVec};
use pmr_primitives::{CustodianSetVersion, PmrId, PmrItemId, RecordCategory, VisitDate};

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
		cid: cid(&alloc::format!("bafy-record-{n}")),
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
		manifest: Some(manifest(&alloc::format!("bafy-manifest-{n}"), 3)),
		..content(n)
	}
}

/// `content(n)` under CIDs no other call of this test process used: every content address
/// is anchored at most once, so helpers that anchor many records take fresh ones.
pub fn fresh_content(n: u8) -> EncryptedContent {
	use core::sync::atomic::{AtomicU32, Ordering};
	static NEXT: AtomicU32 = AtomicU32::new(0);
	let k = NEXT.fetch_add(1, Ordering::Relaxed);
	let mut c = content(n);
	c.cid = cid(&alloc::format!("bafy-record-{n}-fresh-{k}"));
	c.manifest = c.manifest.map(|m| ManifestRef { cid: cid(&alloc::format!("bafy-manifest-{n}-fresh-{k}")), ..m });
	c
}

/// The hash of a note kept off chain.
pub fn note() -> pmr_primitives::NoteHash {
	[7; 32]
}

/// `HOME_DOCTOR` records a visit of patient `P` on `day`; returns the item ID.
pub fn create(category: RecordCategory, day: VisitDate) -> PmrItemId {
	create_by(&HOME_DOCTOR, H1, category, day)
}

/// `doctor` (acting for `hospital`) records a visit of patient `P` on `day`.
pub fn create_by(
	doctor: &AccountId,
	hospital: pmr_primitives::HospitalId,
	category: RecordCategory,
	day: VisitDate,
) -> PmrItemId {
	let sequence = NextSequence::<Test>::get(P, day);
	assert_ok!(MedicalRecords::create_record(
		RuntimeOrigin::signed(doctor.clone()),
		P,
		hospital,
		day,
		category,
		// `content(1)` for the test's first record, fresh CIDs after it.
		if <MedicalRecords as pmr_primitives::ContentAddresses>::anchor_of(&content(1).cid).is_none() {
			content(1)
		} else {
			fresh_content(1)
		},
		None,
		None,
	));
	PmrId::new(P, day, sequence).expect("valid").item_id()
}

/// The last event of the pallet.
pub fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::MedicalRecords(e) => Some(e),
			_ => None,
		})
		.expect("an event")
}

/// The owner of a record's NFT, asked through `nonfungibles_v2` as other pallets would.
pub fn nft_owner(item: PmrItemId) -> Option<AccountId> {
	use frame_support::traits::tokens::nonfungibles_v2::Inspect;
	let collection = RecordsCollection::<Test>::get()?;
	<Nfts as Inspect<AccountId>>::owner(&collection, &item)
}
