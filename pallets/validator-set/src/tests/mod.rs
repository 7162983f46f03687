//! Validator-set tests, one file per action.

use crate::{mock::*, *};
use pallet_session::SessionManager;

mod add;
mod remove;
mod session;
mod slot_duration;

/// What the session pallet gets when it plans the next session.
pub fn plan() -> Option<Vec<u64>> {
	<ValidatorSet as SessionManager<u64>>::new_session(1)
}

/// The accounts of the stored set.
pub fn accounts() -> Vec<u64> {
	ValidatorSet::validator_accounts()
}
