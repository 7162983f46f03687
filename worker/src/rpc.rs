//! The `pmr_` JSON-RPC methods of the ingest worker.
//!
//! Every method but one is *unsafe* in Substrate's sense: `pmr_submitRecord` receives personal health
//! data, and the others reveal a hospital's workload. The node refuses them unless it allows
//! unsafe RPCs: by default only when its RPC server listens on localhost, or with
//! `--rpc-methods unsafe` (see `docs/worker.md`).
//!
//! | method | what |
//! |---|---|
//! | `pmr_submitRecord(submission)` | queue a record; returns the job id |
//! | `pmr_jobStatus(job)` | a job (`null` if unknown) |
//! | `pmr_jobs(state?)` | every job, or those in one state |
//! | `pmr_subscribeJobStatus(job)` | the job now and at every change, until anchored or final |
//! | `pmr_requestShare(request, signature)` | a custodian's share, off chain (safe) |
//! | `pmr_auditArchive(patient, before?, limit?)` | a page of a patient's archived audit trail (safe) |
//!
//! Two are *safe*: `pmr_requestShare`, since the requester's signature authenticates it and
//! the runtime's consent decision gates it (see [`crate::share`]), and `pmr_auditArchive`,
//! which serves what the chain's own events said to every node (see [`crate::archive`]).
//!
//! Errors are typed ([`error_code`]); a refused submission stores nothing.

use crate::{
	archive::{ArchivePage, MAX_PAGE},
	chain::{Chain, Rejection},
	share::{ShareError, ShareReply},
	job::{parse_hex, AnchorRequest, Job, JobId, JobState, RecordFormat},
	SubmitError, Submission, Worker,
};
use jsonrpsee::{
	core::{async_trait, RpcResult, SubscriptionResult},
	proc_macros::rpc,
	types::{ErrorObject, ErrorObjectOwned},
	Extensions, PendingSubscriptionSink, SubscriptionMessage,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A record to ingest, as `pmr_submitRecord` takes it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmitRecord {
	/// `fhir` (a FHIR R4 JSON resource or Bundle), `dicom` (a DICOM Part 10 file) or `iomt` (a
	/// batch of device readings).
	pub format: RecordFormat,
	/// Patient, category and anchor target.
	#[serde(flatten)]
	pub request: AnchorRequest,
	/// The record's bytes, `0x`-prefixed hex.
	pub data: String,
}

/// A submission without its record: what the binary upload (`POST /records` on
/// `--pmr-upload-addr`) carries as JSON in its `PMR-Submission` header, the record's bytes
/// being the request's body.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionHead {
	/// As in [`SubmitRecord`].
	pub format: RecordFormat,
	/// Patient, category and anchor target.
	#[serde(flatten)]
	pub request: AnchorRequest,
}

/// The JSON-RPC error codes of the `pmr_` methods.
pub mod error_code {
	/// The record is larger than the node's limit.
	pub const TOO_LARGE: i32 = 7001;
	/// `data` is not hex.
	pub const BAD_ENCODING: i32 = 7002;
	/// Malformed FHIR.
	pub const MALFORMED_FHIR: i32 = 7003;
	/// Malformed DICOM.
	pub const MALFORMED_DICOM: i32 = 7004;
	/// Unknown patient.
	pub const UNKNOWN_PATIENT: i32 = 7005;
	/// Wrong category.
	pub const WRONG_CATEGORY: i32 = 7006;
	/// Bad anchor target.
	pub const BAD_TARGET: i32 = 7007;
	/// No usable custodian set on chain.
	pub const NO_CUSTODIAN_SET: i32 = 7008;
	/// The queue could not store the job.
	pub const STORE: i32 = 7009;
	/// Another internal failure.
	pub const INTERNAL: i32 = 7010;
	/// The node has no keystore key for the named signer.
	pub const NO_SIGNING_KEY: i32 = 7011;
	/// Malformed IoMT batch.
	pub const MALFORMED_IOMT: i32 = 7012;
	/// `pmr_requestShare`: this node is not a custodian node.
	pub const NOT_A_CUSTODIAN: i32 = 7013;
	/// `pmr_requestShare`: the request is malformed or invalid (`data` names why); nothing
	/// was recorded.
	pub const SHARE_REQUEST_INVALID: i32 = 7014;
	/// `pmr_requestShare`: refused (`data` is the reason); the refusal is recorded for the
	/// patient.
	pub const SHARE_REFUSED: i32 = 7015;
	/// `pmr_requestShare`: the custodian cannot answer now (its IPFS node or chain); ask again.
	pub const CUSTODIAN_UNAVAILABLE: i32 = 7016;
	/// The binary upload: not `POST /records`, or no readable `PMR-Submission` header.
	pub const BAD_UPLOAD: i32 = 7017;
}

impl From<ShareError> for ErrorObjectOwned {
	fn from(e: ShareError) -> Self {
		use error_code::*;
		let message = e.to_string();
		match e {
			ShareError::NotACustodian => ErrorObject::owned(NOT_A_CUSTODIAN, message, None::<()>),
			ShareError::Malformed(_) => ErrorObject::owned(SHARE_REQUEST_INVALID, message, Some("Malformed")),
			ShareError::Invalid(why) => ErrorObject::owned(SHARE_REQUEST_INVALID, message, Some(why)),
			ShareError::Refused(reason) => ErrorObject::owned(SHARE_REFUSED, message, Some(reason)),
			ShareError::Unavailable(_) => ErrorObject::owned(CUSTODIAN_UNAVAILABLE, message, None::<()>),
		}
	}
}

impl From<SubmitError> for ErrorObjectOwned {
	fn from(e: SubmitError) -> Self {
		use error_code::*;
		let code = match &e {
			SubmitError::TooLarge { .. } => TOO_LARGE,
			SubmitError::BadEncoding => BAD_ENCODING,
			SubmitError::MalformedFhir(_) => MALFORMED_FHIR,
			SubmitError::MalformedDicom(_) => MALFORMED_DICOM,
			SubmitError::MalformedIomt(_) => MALFORMED_IOMT,
			SubmitError::Rejected(Rejection::UnknownPatient) => UNKNOWN_PATIENT,
			SubmitError::Rejected(Rejection::WrongCategory(_)) => WRONG_CATEGORY,
			SubmitError::Rejected(Rejection::BadTarget(_)) => BAD_TARGET,
			SubmitError::Rejected(Rejection::NoCustodianSet(_)) => NO_CUSTODIAN_SET,
			SubmitError::Rejected(Rejection::NoSigningKey(_)) => NO_SIGNING_KEY,
			SubmitError::Store(_) => STORE,
			SubmitError::Internal(_) => INTERNAL,
		};
		ErrorObject::owned(code, e.to_string(), Some(e.label()))
	}
}

fn store_error(e: impl ToString) -> ErrorObjectOwned {
	ErrorObject::owned(error_code::STORE, e.to_string(), None::<()>)
}

/// The worker's RPC methods.
#[rpc(server, namespace = "pmr")]
pub trait PmrApi {
	/// Queues a record for ingest and returns its job id once it is stored durably.
	#[method(name = "submitRecord", with_extensions)]
	async fn submit_record(&self, submission: SubmitRecord) -> RpcResult<JobId>;

	/// A job (`null` if there is none with that id).
	#[method(name = "jobStatus", with_extensions)]
	fn job_status(&self, job: JobId) -> RpcResult<Option<Job>>;

	/// Every job, oldest first, or those in `state` (`queued`, `encrypted`, `pinned`,
	/// `anchored`, `expired`, `erased`, `failed`).
	#[method(name = "jobs", with_extensions)]
	fn jobs(&self, state: Option<String>) -> RpcResult<Vec<Job>>;

	/// Asks this custodian node for its share of a record's key, off chain: `request` is a
	/// SCALE-encoded `ShareRequest` and `signature` the requester's SCALE-encoded
	/// `MultiSignature` over its signing payload, both `0x`-hex. Answered at once from the
	/// consent decision at this node's finalized block; every answer, released or refused, is
	/// recorded on chain for the patient's audit trail. A *safe* method: the requester's
	/// signature authenticates it, the runtime gates it.
	#[method(name = "requestShare")]
	async fn request_share(&self, request: String, signature: String) -> RpcResult<ShareReply>;

	/// A page of `patient`'s audit trail as this node archived it from the finalized blocks'
	/// `consent.Audited` events: entries with an index below `before` (the newest when
	/// `null`), at most `limit` (default and most 256), newest first, every version of an entry
	/// the chain rewrote; each entry SCALE-encoded (`pallet_consent::AuditEntry`). Entries the
	/// on-chain ring no longer holds are here. A *safe* method.
	#[method(name = "auditArchive")]
	fn audit_archive(&self, patient: u64, before: Option<u64>, limit: Option<u32>) -> RpcResult<ArchivePage>;

	/// The job now and after every change, until it is anchored or final.
	#[subscription(
		name = "subscribeJobStatus" => "jobStatusUpdate",
		unsubscribe = "unsubscribeJobStatus",
		item = Job,
		with_extensions
	)]
	async fn subscribe_job_status(&self, job: JobId) -> SubscriptionResult;
}

/// The RPC handler.
pub struct PmrRpc<C> {
	worker: Arc<Worker<C>>,
}

impl<C> PmrRpc<C> {
	/// A handler over `worker`.
	pub fn new(worker: Arc<Worker<C>>) -> Self {
		Self { worker }
	}
}

fn is_done(state: &JobState) -> bool {
	matches!(state, JobState::Anchored { .. }) || state.is_final()
}

#[async_trait]
impl<C: Chain> PmrApiServer for PmrRpc<C> {
	async fn submit_record(&self, ext: &Extensions, submission: SubmitRecord) -> RpcResult<JobId> {
		sc_rpc_api::check_if_safe(ext)?;
		let SubmitRecord { format, request, data } = submission;
		let limit = self.worker.config.max_record_size;
		let hex = data.strip_prefix("0x").unwrap_or(&data);
		let refuse = |e: SubmitError| {
			self.worker.refused(&e);
			Err(e.into())
		};
		if hex.len() / 2 > limit {
			return refuse(SubmitError::TooLarge { size: hex.len() / 2, limit });
		}
		let Some(data) = parse_hex(hex) else { return refuse(SubmitError::BadEncoding) };
		Ok(self.worker.submit(Submission { format, request, data }).await?)
	}

	async fn request_share(&self, request: String, signature: String) -> RpcResult<ShareReply> {
		let hex = |what: &str, text: &str| {
			parse_hex(text.strip_prefix("0x").unwrap_or(text))
				.ok_or_else(|| ShareError::Malformed(format!("{what} is not hex")))
		};
		let request = hex("the request", &request)?;
		let signature = hex("the signature", &signature)?;
		Ok(self.worker.request_share(&request, &signature).await?)
	}

	fn audit_archive(&self, patient: u64, before: Option<u64>, limit: Option<u32>) -> RpcResult<ArchivePage> {
		self.worker.audit_archive(patient, before, limit.unwrap_or(MAX_PAGE)).map_err(store_error)
	}

	fn job_status(&self, ext: &Extensions, job: JobId) -> RpcResult<Option<Job>> {
		sc_rpc_api::check_if_safe(ext)?;
		self.worker.job(job).map_err(store_error)
	}

	fn jobs(&self, ext: &Extensions, state: Option<String>) -> RpcResult<Vec<Job>> {
		sc_rpc_api::check_if_safe(ext)?;
		self.worker.jobs(state.as_deref()).map_err(store_error)
	}

	async fn subscribe_job_status(
		&self,
		pending: PendingSubscriptionSink,
		ext: &Extensions,
		job: JobId,
	) -> SubscriptionResult {
		if let Err(e) = sc_rpc_api::check_if_safe(ext) {
			pending.reject(ErrorObjectOwned::from(e)).await;
			return Ok(());
		}
		// Subscribe before reading, so no change between the two is missed.
		let mut updates = self.worker.subscribe();
		let current = match self.worker.job(job) {
			Ok(Some(current)) => current,
			Ok(None) => {
				pending.reject(ErrorObject::owned(error_code::STORE, format!("no {job}"), None::<()>)).await;
				return Ok(());
			},
			Err(e) => {
				pending.reject(store_error(e)).await;
				return Ok(());
			},
		};
		let sink = pending.accept().await?;
		let mut done = is_done(&current.state);
		sink.send(SubscriptionMessage::from_json(&current)?).await?;
		while !done {
			let update = match updates.recv().await {
				Ok(update) if update.id == job => update,
				Ok(_) => continue,
				// Missed updates: re-read the job.
				Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => match self.worker.job(job) {
					Ok(Some(j)) => j,
					_ => break,
				},
				Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
			};
			done = is_done(&update.state);
			sink.send(SubscriptionMessage::from_json(&update)?).await?;
		}
		Ok(())
	}
}
