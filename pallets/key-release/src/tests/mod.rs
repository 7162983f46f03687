//! Key-release tests, one file per action.

use crate::{mock::*, *};
use frame_support::assert_ok;
use pmr_primitives::{AccessGround, KeyRequestId, Purpose};

mod close;
mod essential;
mod fuzz;
mod offchain;
mod own;
mod queries;
mod release;
mod request;
mod rewrap;
mod sweep;

/// The doctor, allowed on [`GRANT`] until `expires_at`, asks for [`RECORD`]'s key; returns the
/// request's ID.
pub fn requested(expires_at: Option<u64>) -> KeyRequestId {
	allow(DOCTOR, AccessGround::Grant(GRANT), expires_at);
	let id = NextKeyRequestId::<Test>::get();
	assert_ok!(KeyRelease::request_key(
		RuntimeOrigin::signed(DOCTOR),
		RECORD,
		Purpose::SecondOpinion
	));
	id
}
