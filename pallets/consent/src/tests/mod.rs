//! Consent tests, one file per action.

use crate::{mock::*, *};
use frame_support::{assert_ok, BoundedVec};
use pmr_primitives::{Accessor, GrantId, PatientId, Purpose, RecordCategory, RequestId};

/// All records.
pub fn all() -> Scope<Test> {
	Scope::AllRecords
}

/// A category scope.
pub fn categories(c: &[RecordCategory]) -> Scope<Test> {
	Scope::Categories(BoundedVec::try_from(c.to_vec()).expect("fits"))
}

/// A record-list scope.
pub fn records(r: &[u128]) -> Scope<Test> {
	Scope::Records(BoundedVec::try_from(r.to_vec()).expect("fits"))
}

/// The hash of a note kept off chain.
pub fn note() -> pmr_primitives::NoteHash {
	[7; 32]
}

/// The doctor accessor of a doctor account.
pub fn doc(account: u64) -> Accessor {
	Accessor::Doctor(doctor_id(account))
}

/// The patient grants `accessor` `scope` for `purpose` for `blocks`; returns the grant ID.
pub fn grant(accessor: Accessor, scope: Scope<Test>, purpose: Purpose, blocks: u64) -> GrantId {
	let id = NextGrantId::<Test>::get();
	assert_ok!(Consent::grant_access(
		RuntimeOrigin::signed(PATIENT),
		P,
		accessor,
		scope,
		purpose,
		Expiry::After(blocks)
	));
	id
}

/// `who` requests `scope` for `purpose` and `blocks` of patient `P`; returns the request ID.
pub fn request(who: u64, scope: Scope<Test>, purpose: Purpose, blocks: u64) -> RequestId {
	let id = NextRequestId::<Test>::get();
	assert_ok!(Consent::request_access(
		RuntimeOrigin::signed(who),
		P,
		scope,
		purpose,
		blocks,
		Some(note())
	));
	id
}

/// The last event of the pallet.
pub fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::Consent(e) => Some(e),
			_ => None,
		})
		.expect("an event")
}

/// The check `record_access` makes, for `who` on patient `P`.
pub fn check(
	who: u64,
	target: pmr_primitives::AccessTarget,
	purpose: Purpose,
) -> Result<pmr_primitives::AccessGround, pmr_primitives::AccessDenied> {
	<Consent as pmr_primitives::AccessPolicy<u64>>::can_access(&who, P, target, purpose)
}

mod access;
mod emergency;
mod fuzz;
mod grant;
mod guardians;
mod key_audit;
mod queries;
mod recovery;
mod requests;
mod standing;
mod revoke;
mod sweep;
