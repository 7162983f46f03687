//! The ingest worker's view of this node's chain ([`pmr_worker::chain::Chain`]): who holds a
//! record's key shares (runtime APIs at the best block), the encoded anchoring call, the
//! anchors and erasures in finalized blocks (their events), and node-signed anchors (signed
//! with keys the operator inserted into the node's keystore under [`ANCHOR_KEY_TYPE`], handed
//! to the transaction pool).

use codec::{Decode, Encode};
use pallet_key_release::runtime_api::{KeyReleaseApi, ShareRequestApi};
use pallet_lab_reports::runtime_api::LabReportsApi;
use pallet_medical_records::runtime_api::RecordsApi;
use pallet_registry::runtime_api::RegistryApi;
use pmr_primitives::{
	CustodianSetVersion, DeviceId, EncryptedContent, HospitalId, KeyRequestId, LabOrderId,
	LabReportId, ManifestRef, PatientId, RecordCategory, SealedTarget, ShareDecision, ShareRefusal,
	VisitDate,
};

/// A share request as this runtime's accounts and blocks sign it.
type ShareRequestOf = pallet_key_release::ShareRequestOf<Runtime>;
use pmr_runtime::{opaque::Block, Runtime, RuntimeCall, RuntimeEvent};
use pmr_worker::{
	chain::{
		AnchorSeen, AnswerToRecord, AuditSeen, BlockFacts, Chain, ChainError, CustodyAnswer, KeyHolders,
		KeyRequestView, Rejection, ShareCheck, ShareRequestView,
	},
	job::{AnchorContent, AnchorRequest, AnchorTarget, AnchoredAs, ManifestAnchor},
};
use frame_system_rpc_runtime_api::AccountNonceApi;
use pmr_worker::chain::{BoxFuture, PoolError};
use sc_client_api::{HeaderBackend, StorageKey, StorageProvider};
use sc_transaction_pool_api::{
	error::{Error as PoolApiError, IntoPoolError},
	TransactionPool, TransactionSource,
};
use sp_crypto_hashing::twox_128;
use sp_api::ProvideRuntimeApi;
use sp_core::{
	crypto::{AccountId32, KeyTypeId, Ss58Codec},
	sr25519,
};
use sp_keystore::KeystorePtr;
use sp_runtime::{generic::Era, BoundedVec};
use std::sync::Arc;

use crate::service::{FullBackend, FullClient};

/// The keystore key type of anchor-signing keys (`pmra`): the operator inserts a lab's or a
/// device's sr25519 key with `pmr-node key insert --key-type pmra --scheme sr25519` (or the
/// `author_insertKey` RPC), and only then can `pmr_submitRecord` name that account as signer.
pub const ANCHOR_KEY_TYPE: KeyTypeId = KeyTypeId(*b"pmra");

/// The transaction pool of the node.
pub type Pool = sc_transaction_pool::TransactionPoolHandle<Block, FullClient>;

/// The chain of a running node.
pub struct NodeChain {
	client: Arc<FullClient>,
	pool: Arc<Pool>,
	keystore: KeystorePtr,
}

impl NodeChain {
	/// The chain behind `client`, with the node's pool and keystore for node-signed anchors.
	pub fn new(client: Arc<FullClient>, pool: Arc<Pool>, keystore: KeystorePtr) -> Self {
		Self { client, pool, keystore }
	}

	/// The signer's public key, if it is an account whose key is in the keystore.
	fn signing_key(&self, signer: &str) -> Option<sr25519::Public> {
		let account = AccountId32::from_ss58check(signer).ok()?;
		let public = sr25519::Public::from_raw(account.into());
		self.keystore.has_keys(&[(public.to_vec(), ANCHOR_KEY_TYPE)]).then_some(public)
	}
}

/// The account a record's or amendment's call is bound to: its author (the clinician's wallet
/// signs the prepared call), or the node's signer.
fn prepared_for(request: &AnchorRequest) -> Result<AccountId32, Rejection> {
	let account = request
		.author
		.as_deref()
		.or(request.signer.as_deref())
		.ok_or_else(|| bad_target("a record signed in a wallet names its author"))?;
	AccountId32::from_ss58check(account).map_err(|_| bad_target("the author is not an SS58 account"))
}

fn bad_target(what: impl Into<String>) -> Rejection {
	Rejection::BadTarget(what.into())
}

fn api_error(e: impl std::fmt::Debug) -> Rejection {
	// A runtime-API failure at the best block: the node is not in a state to judge.
	Rejection::BadTarget(format!("the node could not check the target: {e:?}"))
}

/// The runtime's category for its camelCase name (as the metadata and Polkadot.js show it).
fn category(name: &str) -> Result<RecordCategory, Rejection> {
	Ok(match name {
		"presentIllness" => RecordCategory::PresentIllness,
		"pastIllness" => RecordCategory::PastIllness,
		"provisionalDiagnosis" => RecordCategory::ProvisionalDiagnosis,
		"treatmentSummary" => RecordCategory::TreatmentSummary,
		"labDiagnostics" => RecordCategory::LabDiagnostics,
		"iomtData" => RecordCategory::IomtData,
		"insurance" => RecordCategory::Insurance,
		"prescription" => RecordCategory::Prescription,
		other => return Err(Rejection::WrongCategory(format!("unknown category {other:?}"))),
	})
}

fn date(ddmmyyyy: u32, what: &str) -> Result<VisitDate, Rejection> {
	VisitDate::from_ddmmyyyy(ddmmyyyy).map_err(|e| bad_target(format!("{what} {ddmmyyyy}: {e:?}")))
}

impl Chain for NodeChain {
	fn key_holders(&self, request: &AnchorRequest) -> Result<KeyHolders, Rejection> {
		let at = self.client.info().best_hash;
		let api = self.client.runtime_api();
		let patient = PatientId(request.patient);
		let info = api.patient(at, patient).map_err(api_error)?.ok_or(Rejection::UnknownPatient)?;
		let category = category(&request.category)?;
		if request.is_clinical() {
			prepared_for(request)?;
		}
		match &request.target {
			AnchorTarget::Record { hospital, visit_date, course_end } => {
				api.hospital(at, HospitalId(*hospital))
					.map_err(api_error)?
					.ok_or_else(|| bad_target(format!("unknown hospital {hospital}")))?;
				date(*visit_date, "visit date")?;
				if let Some(end) = course_end {
					if category != RecordCategory::Prescription {
						return Err(Rejection::WrongCategory("a course end is for prescriptions only".into()));
					}
					date(*end, "course end")?;
				}
			},
			AnchorTarget::Amendment { item, .. } => {
				let (record, _) = api
					.record(at, *item)
					.map_err(api_error)?
					.ok_or_else(|| bad_target(format!("unknown record {item}")))?;
				if record.patient != patient {
					return Err(bad_target("the record belongs to another patient"));
				}
				if record.category != category {
					return Err(Rejection::WrongCategory("not the record's category".into()));
				}
			},
			AnchorTarget::LabReport { order, captured_on } => {
				let found = api
					.order(at, LabOrderId(*order))
					.map_err(api_error)?
					.ok_or_else(|| bad_target(format!("unknown lab order {order}")))?;
				if found.patient != patient {
					return Err(bad_target("the order is for another patient"));
				}
				if category != RecordCategory::LabDiagnostics {
					return Err(Rejection::WrongCategory("lab reports are labDiagnostics".into()));
				}
				date(*captured_on, "capture date")?;
			},
			AnchorTarget::IomtBatch { .. } => {
				if category != RecordCategory::IomtData {
					return Err(Rejection::WrongCategory("IoMT batches are iomtData".into()));
				}
				let signer = request.signer.as_deref().unwrap_or_default();
				let account = AccountId32::from_ss58check(signer)
					.map_err(|_| bad_target("the signer is not an SS58 account"))?;
				let devices = api.patient_devices(at, patient).map_err(api_error)?;
				if !devices.iter().any(|(_, d)| d.active && d.account == account) {
					return Err(bad_target("the signer is not an active device of this patient"));
				}
			},
		}
		let set = api.custodian_set(at).map_err(api_error)?;
		let n = set.custodians.len();
		if set.threshold == 0 || n < usize::from(set.threshold) {
			return Err(Rejection::NoCustodianSet(format!(
				"{n} approved custodian(s), threshold {}",
				set.threshold
			)));
		}
		Ok(KeyHolders {
			patient_key: info.encryption_key,
			custodian_keys: set.custodians.iter().map(|c| c.key).collect(),
			threshold: set.threshold,
			custodian_set: set.version.0,
		})
	}

	fn anchor_call(&self, request: &AnchorRequest, content: &AnchorContent) -> Result<Vec<u8>, Rejection> {
		let cid = |c: &str, what: &str| {
			pmr_primitives::cid::from_text(c).map_err(|e| bad_target(format!("{what} is not a CID the chain takes ({e:?})")))
		};
		let content = EncryptedContent {
			cid: cid(&content.cid, "the ciphertext CID")?,
			plaintext_hash: content.plaintext_hash,
			ciphertext_hash: content.ciphertext_hash,
			manifest: Some(ManifestRef {
				cid: cid(&content.manifest.cid, "the manifest CID")?,
				hash: content.manifest.hash,
				custodian_set: CustodianSetVersion(content.manifest.custodian_set),
			}),
		};
		let patient = PatientId(request.patient);
		let call = match &request.target {
			AnchorTarget::Record { hospital, visit_date, course_end } => {
				RuntimeCall::MedicalRecords(pallet_medical_records::Call::create_record {
					patient,
					hospital: HospitalId(*hospital),
					visit_date: date(*visit_date, "visit date")?,
					category: category(&request.category)?,
					content,
					course_end: course_end.map(|d| date(d, "course end")).transpose()?,
					prepared_for: Some(prepared_for(request)?),
				})
			},
			AnchorTarget::Amendment { item, reason } => {
				RuntimeCall::MedicalRecords(pallet_medical_records::Call::amend_record {
					item: *item,
					content,
					reason: *reason,
					prepared_for: Some(prepared_for(request)?),
				})
			},
			AnchorTarget::LabReport { order, captured_on } => {
				RuntimeCall::LabReports(pallet_lab_reports::Call::anchor_lab_report {
					order: LabOrderId(*order),
					captured_on: date(*captured_on, "capture date")?,
					study: content,
					observations: None,
				})
			},
			AnchorTarget::IomtBatch { batch } => {
				let batch = batch.ok_or_else(|| bad_target("the batch was not summarised"))?;
				RuntimeCall::LabReports(pallet_lab_reports::Call::anchor_iomt_batch {
					root: batch.root,
					window_start: batch.window_start,
					window_end: batch.window_end,
					samples: batch.samples,
					content,
				})
			},
		};
		Ok(call.encode())
	}

	fn best_number(&self) -> Result<u64, ChainError> {
		Ok(u64::from(self.client.info().best_number))
	}

	fn can_sign(&self, signer: &str) -> Result<(), Rejection> {
		self.signing_key(signer).map(|_| ()).ok_or_else(|| Rejection::NoSigningKey(signer.into()))
	}

	fn nonce(&self, signer: &str, finalized: bool) -> Result<u32, ChainError> {
		let account = AccountId32::from_ss58check(signer).map_err(|e| ChainError(format!("{e:?}")))?;
		let info = self.client.info();
		let at = if finalized { info.finalized_hash } else { info.best_hash };
		self.client.runtime_api().account_nonce(at, account).map_err(|e| ChainError(e.to_string()))
	}

	fn submit_signed(&self, signer: &str, call: &[u8], nonce: u32) -> BoxFuture<Result<(), PoolError>> {
		let prepared = (|| {
			let public = self.signing_key(signer).ok_or_else(|| PoolError::Invalid(format!("no key for {signer}")))?;
			let call = RuntimeCall::decode(&mut &call[..]).map_err(|e| PoolError::Invalid(e.to_string()))?;
			let info = self.client.info();
			// Valid for 256 blocks from the last finalized block, which every view of the pool
			// has seen (a best block may be newer than the pool's view while the node catches
			// up); resubmissions are signed afresh.
			let era = Era::mortal(256, u64::from(info.finalized_number));
			let xt = crate::signing::sign_extrinsic(
				public,
				call,
				nonce,
				info.genesis_hash,
				era,
				info.finalized_hash,
				|payload| match self.keystore.sr25519_sign(ANCHOR_KEY_TYPE, &public, payload) {
					Ok(Some(signature)) => Ok(signature),
					Ok(None) => Err(PoolError::Invalid(format!("the keystore lost the key of {signer}"))),
					Err(e) => Err(PoolError::Retry(e.to_string())),
				},
			)?;
			Ok::<_, PoolError>((info.best_hash, xt))
		})();
		let pool = self.pool.clone();
		Box::pin(async move {
			let (at, xt) = prepared?;
			match pool.submit_one(at, TransactionSource::Local, xt.into()).await {
				Ok(_) => Ok(()),
				Err(e) => match e.into_pool_error() {
					Ok(e) => classify(e),
					Err(e) => Err(PoolError::Retry(e.to_string())),
				},
			}
		})
	}

	fn key_request(&self, request: u64) -> Result<Option<KeyRequestView>, ChainError> {
		let at = self.client.info().finalized_hash;
		let found = self.client.runtime_api().key_request(at, KeyRequestId(request)).map_err(chain_error)?;
		Ok(found.map(|r| key_request_view(request, r)))
	}

	fn release_check(&self, request: u64) -> Result<Option<Result<(), ShareRefusal>>, ChainError> {
		let at = self.client.info().finalized_hash;
		self.client.runtime_api().release_check(at, KeyRequestId(request)).map_err(chain_error)
	}

	fn cid_in_use(&self, cid: &str) -> Result<bool, ChainError> {
		let at = self.client.info().finalized_hash;
		let api = self.client.runtime_api();
		let Ok(binary) = pmr_primitives::cid::from_text(cid) else {
			// No anchor can name what is not a CID the chain takes.
			return Ok(false);
		};
		let Some(anchor) = api.content_anchor(at, binary.into_inner()).map_err(chain_error)? else {
			return Ok(false);
		};
		// The one anchor that claimed it: in use while that anchor is not erased.
		Ok(api.sealed(at, anchor).map_err(chain_error)?.is_some_and(|s| s.content.is_some()))
	}

	fn custodian_hospital(&self, account: &str) -> Result<Option<u32>, ChainError> {
		let account = AccountId32::from_ss58check(account).map_err(|e| ChainError(format!("{e:?}")))?;
		let at = self.client.info().finalized_hash;
		let found = self.client.runtime_api().custodian_of(at, account).map_err(chain_error)?;
		Ok(found.map(|h| h.0))
	}

	fn answer_call(&self, request: u64, answer: &CustodyAnswer) -> Result<Vec<u8>, ChainError> {
		let request = KeyRequestId(request);
		let call = match answer {
			CustodyAnswer::Release { envelope_cid } => {
				let envelope = pmr_primitives::cid::from_text(envelope_cid)
					.map_err(|e| ChainError(format!("the envelope's CID is not one the chain takes ({e:?})")))?;
				pallet_key_release::Call::release_share { request, envelope }
			},
			CustodyAnswer::Refuse(reason) => pallet_key_release::Call::refuse_share { request, reason: *reason },
		};
		Ok(RuntimeCall::KeyRelease(call).encode())
	}

	fn check_share_request(&self, request: &[u8], signature: &[u8]) -> Result<ShareCheck, ChainError> {
		let Ok(request) = ShareRequestOf::decode(&mut &request[..]) else {
			return Ok(ShareCheck::Malformed("the request is not a SCALE-encoded ShareRequest".into()));
		};
		let Ok(signature) = pmr_runtime::Signature::decode(&mut &signature[..]) else {
			return Ok(ShareCheck::Malformed("the signature is not a SCALE-encoded MultiSignature".into()));
		};
		let info = self.client.info();
		let decided_at = u64::from(info.finalized_number);
		let view = ShareRequestView {
			digest: request.digest(),
			reader_key: request.reader_key,
		};
		let decision = self
			.client
			.runtime_api()
			.check_share_request(info.finalized_hash, request, signature)
			.map_err(chain_error)?;
		Ok(match decision {
			ShareDecision::Release(release) => match anchor_content(&release.content) {
				Some(content) => ShareCheck::Release { request: view, content, decided_at },
				None => ShareCheck::Invalid(pmr_primitives::ShareRequestInvalid::NotSealed),
			},
			ShareDecision::Refuse(reason) => ShareCheck::Refuse { request: view, reason, decided_at },
			ShareDecision::Invalid(why) => ShareCheck::Invalid(why),
		})
	}

	fn record_answers_call(&self, answers: &[AnswerToRecord]) -> Result<Vec<u8>, ChainError> {
		let answers = answers
			.iter()
			.map(|a| {
				Ok(pmr_primitives::AnsweredShareRequest {
					request: ShareRequestOf::decode(&mut &a.request[..]).map_err(chain_error)?,
					signature: pmr_runtime::Signature::decode(&mut &a.signature[..]).map_err(chain_error)?,
					decided_at: u32::try_from(a.decided_at).map_err(chain_error)?,
					answer: a.answer,
				})
			})
			.collect::<Result<Vec<_>, ChainError>>()?;
		let answers = BoundedVec::try_from(answers).map_err(|_| ChainError("too many answers in one batch".into()))?;
		Ok(RuntimeCall::KeyRelease(pallet_key_release::Call::record_share_answers { answers }).encode())
	}

	fn finalized_number(&self) -> Result<u64, ChainError> {
		Ok(u64::from(self.client.info().finalized_number))
	}

	fn block_hash(&self, number: u64) -> Result<String, ChainError> {
		Ok(format!("{:?}", self.hash_of(number)?))
	}

	fn block_facts(&self, number: u64) -> Result<BlockFacts, ChainError> {
		self.facts_at(self.hash_of(number)?)
	}
}

impl NodeChain {
	/// The hash of canonical block `number`.
	fn hash_of(&self, number: u64) -> Result<sp_core::H256, ChainError> {
		let n = u32::try_from(number).map_err(|_| ChainError(format!("block {number} out of range")))?;
		self.client
			.hash(n)
			.map_err(|e| ChainError(e.to_string()))?
			.ok_or_else(|| ChainError(format!("no block {number}")))
	}

	/// What block `hash` anchored, erased and asked for: its events and the sealed content
	/// they name, read from the block's state (so while the node still keeps it).
	pub fn facts_at(&self, hash: sp_core::H256) -> Result<BlockFacts, ChainError> {
		let number = self
			.client
			.number(hash)
			.map_err(|e| ChainError(e.to_string()))?
			.ok_or_else(|| ChainError(format!("no block {hash:?}")))?;
		// `System::Events`: twox128("System") ++ twox128("Events").
		let key = StorageKey([twox_128(b"System"), twox_128(b"Events")].concat());
		let raw = <FullClient as StorageProvider<Block, FullBackend>>::storage(&self.client, hash, &key)
			.map_err(|e| ChainError(e.to_string()))?;
		let records = match raw {
			Some(raw) => Vec::<frame_system::EventRecord<RuntimeEvent, sp_core::H256>>::decode(&mut &raw.0[..])
				.map_err(|e| ChainError(format!("events of block {number}: {e}")))?,
			None => Vec::new(),
		};
		let mut facts = BlockFacts { hash: format!("{hash:?}"), ..Default::default() };
		for (position, record) in records.into_iter().enumerate() {
			match record.event {
				RuntimeEvent::MedicalRecords(pallet_medical_records::Event::RecordCreated {
					item,
					ciphertext_hash,
					..
				}) => facts.anchors.push(AnchorSeen {
					ciphertext_hash,
					anchored_as: AnchoredAs::Record { item, version: 0 },
				}),
				RuntimeEvent::MedicalRecords(pallet_medical_records::Event::RecordAmended {
					item,
					version,
					ciphertext_hash,
					..
				}) => facts.anchors.push(AnchorSeen {
					ciphertext_hash,
					anchored_as: AnchoredAs::Record { item, version },
				}),
				RuntimeEvent::LabReports(pallet_lab_reports::Event::LabReportAnchored {
					report,
					study_hash,
					..
				}) => facts.anchors.push(AnchorSeen {
					ciphertext_hash: study_hash,
					anchored_as: AnchoredAs::LabReport { report: report.0 },
				}),
				RuntimeEvent::LabReports(pallet_lab_reports::Event::IomtBatchAnchored {
					device,
					batch,
					ciphertext_hash,
					..
				}) => facts.anchors.push(AnchorSeen {
					ciphertext_hash,
					anchored_as: AnchoredAs::IomtBatch { device: device.0.into(), batch },
				}),
				RuntimeEvent::MedicalRecords(pallet_medical_records::Event::RecordErased { unpin, .. }) |
				RuntimeEvent::LabReports(pallet_lab_reports::Event::LabReportErased { unpin, .. }) |
				RuntimeEvent::LabReports(pallet_lab_reports::Event::IomtBatchErased { unpin, .. }) => facts
					.erased_cids
					.extend(unpin.iter().map(|cid| text(cid))),
				RuntimeEvent::KeyRelease(pallet_key_release::Event::KeyRequested { request, .. }) =>
					facts.key_requests.push(request.0),
				RuntimeEvent::Consent(pallet_consent::Event::Audited { patient, entry }) =>
					facts.audit.push(AuditSeen {
						patient: patient.0.into(),
						index: entry.index,
						event: position as u32,
						entry: format!("0x{}", pmr_vault::hex::encode(&entry.encode())),
					}),
				_ => {},
			}
		}
		let api = self.client.runtime_api();
		for seen in &facts.anchors {
			let target = match seen.anchored_as {
				AnchoredAs::Record { item, version } => SealedTarget::RecordVersion { item, version },
				AnchoredAs::LabReport { report } => SealedTarget::LabStudy(LabReportId(report)),
				AnchoredAs::IomtBatch { device, batch } => {
					let device = u32::try_from(device).map_err(|_| ChainError(format!("device {device}")))?;
					SealedTarget::IomtBatch { device: DeviceId(device), batch }
				},
			};
			let sealed = api.sealed(hash, target).map_err(chain_error)?;
			if let Some(content) = sealed.and_then(|s| s.content).and_then(|c| anchor_content(&c)) {
				facts.sealed.push(content);
			}
		}
		Ok(facts)
	}
}

/// Anchored content as the worker sees it (`None` without a manifest: nothing to release).
pub(crate) fn anchor_content(c: &EncryptedContent) -> Option<AnchorContent> {
	c.manifest.as_ref().map(|m| anchor_content_with(c, m))
}

/// Anchored content with its manifest, as the worker sees it.
fn anchor_content_with(c: &EncryptedContent, manifest: &ManifestRef) -> AnchorContent {
	AnchorContent {
		cid: text(&c.cid),
		plaintext_hash: c.plaintext_hash,
		ciphertext_hash: c.ciphertext_hash,
		manifest: ManifestAnchor {
			cid: text(&manifest.cid),
			hash: manifest.hash,
			custodian_set: manifest.custodian_set.0,
		},
	}
}

fn chain_error(e: impl std::fmt::Debug) -> ChainError {
	ChainError(format!("{e:?}"))
}

/// The text form (base32 CIDv1) of a CID the chain holds in binary.
fn text(cid: &[u8]) -> String {
	pmr_primitives::cid::to_text(cid)
}

/// A key request as the worker, the patient's helper and the reader see it.
pub fn key_request_view(id: u64, r: pallet_key_release::KeyRequest<Runtime>) -> KeyRequestView {
	let mut released = Vec::new();
	let mut refused = Vec::new();
	for (hospital, answer) in r.answers.iter() {
		match answer {
			pallet_key_release::Answer::Released(cid) => released.push((hospital.0, text(cid))),
			pallet_key_release::Answer::Refused(_) => refused.push(hospital.0),
		}
	}
	KeyRequestView {
		id,
		patient: r.patient.0,
		reader_key: r.reader_key,
		content: anchor_content_with(&r.content, &r.manifest),
		released,
		refused,
		essential: r.essential.as_ref().map(|cid| text(cid)),
		own: r.by == pmr_primitives::KeyRequester::PatientSide,
		valid_until: u64::from(r.valid_until),
	}
}

/// Sorts the pool's answer: a transaction it already holds (or just saw included) is fine;
/// an invalid one fails the job; anything else is retried.
fn classify(e: PoolApiError) -> Result<(), PoolError> {
	match e {
		PoolApiError::AlreadyImported(_) | PoolApiError::TemporarilyBanned => Ok(()),
		PoolApiError::InvalidTransaction(invalid) if invalid.exhausted_resources() => {
			Err(PoolError::Retry(format!("{invalid:?}")))
		},
		PoolApiError::InvalidTransaction(sp_runtime::transaction_validity::InvalidTransaction::Stale) => {
			// Its nonce was used: the next round settles it.
			Ok(())
		},
		PoolApiError::InvalidTransaction(sp_runtime::transaction_validity::InvalidTransaction::AncientBirthBlock) => {
			// The pool validated it at a block older than its era's checkpoint (a node that
			// is still catching up after a restart): signed afresh in the next round.
			Err(PoolError::Retry("the pool has not seen the transaction's checkpoint block yet".into()))
		},
		PoolApiError::InvalidTransaction(invalid) => Err(PoolError::Invalid(format!("{invalid:?}"))),
		PoolApiError::UnknownTransaction(unknown) => Err(PoolError::Invalid(format!("{unknown:?}"))),
		other => Err(PoolError::Retry(other.to_string())),
	}
}
