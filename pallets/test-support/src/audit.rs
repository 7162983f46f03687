//! A stand-in for the consent pallet's audit trail as the records and lab-report pallets see it
//! ([`pmr_primitives::ErasureAudit`]), for mock runtimes without that pallet. It keeps the
//! logged erasures in the test's storage, so a failed call rolls them back and every test
//! starts with none.

use codec::{Decode, Encode};
use frame_support::storage::unhashed;
use pmr_primitives::{ErasedBy, ErasedContent, ErasureAudit, PatientId};

const KEY: &[u8] = b"pmr-test-support/audit/erasures";

/// Erasures as the patients' trails would log them.
pub struct StubAudit;

/// One logged erasure: the patient, the acting account (`None` for the regulators' order),
/// what was erased and by whose order.
pub type LoggedErasure<AccountId> = (PatientId, Option<AccountId>, ErasedContent, ErasedBy);

impl StubAudit {
	/// Every erasure logged so far in this test, oldest first.
	pub fn erasures<AccountId: Decode>() -> Vec<LoggedErasure<AccountId>> {
		unhashed::get(KEY).unwrap_or_default()
	}
}

impl<AccountId: Encode + Decode + Clone> ErasureAudit<AccountId> for StubAudit {
	fn log_erasure(patient: PatientId, actor: Option<&AccountId>, erased: ErasedContent, by: ErasedBy) {
		let mut logged = Self::erasures::<AccountId>();
		logged.push((patient, actor.cloned(), erased, by));
		unhashed::put(KEY, &logged);
	}
}
