//! The consent runtime API: what patients' wallets, clinician UIs and integrators call
//! (`state_call` / `api.call.consentApi.*`).

use alloc::vec::Vec;
use codec::Codec;
use pmr_primitives::{
	AccessDenied, AccessGround, AccessTarget, EssentialEnvelope, GrantId, HospitalId, Page,
	PatientId, Purpose, RequestId, SealedTarget,
};

sp_api::decl_runtime_apis! {
	/// Grants, requests, guardians and audit trail queries. Every "active" or "pending" answer
	/// is computed against the block the call runs at, exactly as the access check does.
	///
	/// The info types are the pallet's stored types (`GrantInfo<Runtime>`, ...); their layout
	/// is in the runtime metadata.
	pub trait ConsentApi<AccountId, BlockNumber, Grant, Request, Entry, Emergency>
	where
		AccountId: Codec,
		BlockNumber: Codec,
		Grant: Codec,
		Request: Codec,
		Entry: Codec,
		Emergency: Codec,
	{
		/// The patient's grants that apply now.
		fn active_grants(patient: PatientId, after: Option<GrantId>, take: u32) -> Page<(GrantId, Grant), GrantId>;
		/// The block of the doctor's or lab's account recovery that suspends this grant until
		/// the patient's side confirms it again (`confirm_grant`); `None` if nothing does.
		fn grant_suspended(grant: GrantId) -> Option<BlockNumber>;
		/// The patients who let this doctor or lab account access their records now, with the
		/// grant and the block it expires at ("my patients").
		fn consenting_patients(
			account: AccountId,
			after: Option<GrantId>,
			take: u32,
		) -> Page<(PatientId, GrantId, BlockNumber), GrantId>;
		/// The patient's requests that can still be answered.
		fn pending_requests(patient: PatientId) -> Vec<(RequestId, Request)>;
		/// How many consent grants the patient has issued, ever.
		fn granted_count(patient: PatientId) -> u32;
		/// A page of the patient's audit trail, newest first.
		fn audit_log(patient: PatientId, skip: u32, take: u32) -> Vec<Entry>;
		/// The patient's guardians.
		fn guardians(patient: PatientId) -> Vec<AccountId>;
		/// A page of the patients an account is a guardian of.
		fn wards(account: AccountId, after: Option<PatientId>, take: u32) -> Page<PatientId, PatientId>;
		/// The patient's registering hospital and whether its active doctors may access the
		/// patient's records for treatment without a grant (`false` once the patient withdrew
		/// that standing access with `set_standing_access`). `None` for an unknown patient.
		fn standing_access(patient: PatientId) -> Option<(HospitalId, bool)>;
		/// A page of the break-glass declarations waiting for a regulator's review, after the
		/// grant `after`; `take` at most 256. Call again with `after = page.next` until `next`
		/// is `None`.
		fn emergencies_to_review(after: Option<GrantId>, take: u32) -> Page<(GrantId, Emergency), GrantId>;
		/// Would `account` be allowed to access `target` for `purpose` right now? (Dry run of
		/// the check `record_access` makes; nothing is logged.)
		fn can_access(
			account: AccountId,
			patient: PatientId,
			target: AccessTarget,
			purpose: Purpose,
		) -> Result<AccessGround, AccessDenied>;
		/// The essential share of `target` that the patient's side handed over to this doctor
		/// or lab account with the approval of a grant that applies now (sealed to the
		/// account's registered key), and that grant. `None` if no live grant carries one.
		fn essential_share(
			account: AccountId,
			patient: PatientId,
			target: SealedTarget,
		) -> Option<(GrantId, EssentialEnvelope)>;
	}
}
