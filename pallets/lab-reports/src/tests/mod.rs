//! Lab-reports tests, one file per action.

mod devices;
mod orders;
mod reports;

use crate::{mock::*, *};
use frame_support::{assert_ok, BoundedVec};
use pmr_primitives::{LabId, LabOrderId, PatientId, PmrItemId, VisitDate};

/// A checked date.
pub fn date(d: u8, m: u8, y: u16) -> VisitDate {
	VisitDate::new(d, m, y).expect("a real date")
}

/// A CID from a string.
pub fn cid(s: &str) -> Cid {
	BoundedVec::try_from(s.as_bytes().to_vec()).expect("fits")
}

/// Content with a recognisable CID and hashes.
pub fn content(n: u8) -> EncryptedContent {
	EncryptedContent {
		cid: cid(&alloc::format!("bafy-study-{n}")),
		plaintext_hash: [n; 32],
		ciphertext_hash: [n.wrapping_add(100); 32],
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
