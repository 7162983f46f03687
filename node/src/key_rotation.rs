//! `pmr-node rotate-patient-key`: the patient's own tool for replacing the patient's X25519
//! key. The manifests on IPFS are content-addressed and anchored, so they cannot change; the
//! tool registers the new key (`registry.updatePatient`, the commitment unchanged), then opens
//! the essential share of every piece of the patient's content with the old secret, seals it
//! to the new key, and hands the envelopes to the chain (`keyRelease.rewrapEssentialShares`,
//! in batches of the runtime's `MaxRewrapBatch`), where approvals, releases and exports open
//! them from then on.
//!
//! Every step is idempotent: a run cut short is finished by running it again (a share already
//! sealed to the new key is skipped). Transactions are signed with the patient's (or a
//! guardian's) account key from a local owner-only file, like `read-record`'s share requests,
//! and each is waited for until the node's finalized state shows it.

use crate::key_tools::{self, rewrapped_share, state_call, target_label, Endpoints};
use sp_core::Get;
use pmr_primitives::{PatientId, SealedTarget};
use pmr_runtime::RuntimeCall;
use sp_core::{Pair as _, H256};
use std::{path::PathBuf, time::Duration};
use x25519_dalek::PublicKey;

/// How long a transaction may take to show in the finalized state.
const FINALITY_WAIT: Duration = Duration::from_secs(120);

/// Rotates a patient's X25519 key: registers the new key and re-wraps every essential share of
/// the patient's content (record versions, lab studies, IoMT batches) from the old key to it.
#[derive(Debug, clap::Args)]
pub struct RotatePatientKeyCmd {
	/// The Patient-ID.
	#[arg(long, value_name = "ID")]
	pub patient: u64,
	/// The secret key file (hex) the shares are sealed to now (the key being replaced).
	#[arg(long = "old-key", value_name = "PATH")]
	pub old_key: PathBuf,
	/// The new secret key file (hex; `pmr-node x25519-key generate`).
	#[arg(long = "new-key", value_name = "PATH")]
	pub new_key: PathBuf,
	/// The file holding the patient's (or a guardian's) account key (a secret URI: mnemonic,
	/// hex seed or `//Dev` path), owner-only; it signs the transactions. Only the patient's
	/// own account can register the new key.
	#[arg(long = "signer-key", value_name = "PATH")]
	pub signer_key: PathBuf,
	/// The chain and IPFS endpoints.
	#[clap(flatten)]
	pub endpoints: Endpoints,
}

impl RotatePatientKeyCmd {
	/// Runs the command; says on standard error what it did and what it left.
	pub fn run(&self) -> Result<(), String> {
		let old = key_tools::read_secret(&self.old_key)?;
		let new = key_tools::read_secret(&self.new_key)?;
		let new_key = PublicKey::from(&new).to_bytes();
		let signer = key_tools::load_signer(&self.signer_key)?;
		let patient = PatientId(self.patient);
		key_tools::runtime()?.block_on(async {
			let chain = Chain::connect(&self.endpoints.rpc_url, signer).await?;
			let info: Option<pallet_registry::PatientInfo<pmr_runtime::Runtime>> =
				chain.call("RegistryApi_patient", patient).await?;
			let info = info.ok_or_else(|| format!("no patient {} on chain", patient.0))?;
			if info.encryption_key != new_key {
				let call = pallet_registry::Call::update_patient { commitment: info.commitment, encryption_key: new_key };
				chain.submit(call.into()).await?;
				chain
					.until_finalized("the new key's registration", || async {
						let info: Option<pallet_registry::PatientInfo<pmr_runtime::Runtime>> =
							chain.call("RegistryApi_patient", patient).await?;
						Ok(info.is_some_and(|i| i.encryption_key == new_key))
					})
					.await?;
				eprintln!("registered the new key 0x{}", pmr_vault::hex::encode(&new_key));
			}

			let ipfs = key_tools::ipfs(&self.endpoints)?;
			let (mut shares, mut left) = (Vec::new(), 0usize);
			let at = chain.finalized().await?;
			for target in chain.patient_targets(patient, &at).await? {
				let Some(content) = chain.live_content(target, &at).await? else { continue };
				let rewrapped = rewrapped_share(&self.endpoints.rpc_url, target, &at).await?;
				match pmr_worker::read::rewrap_share(&ipfs, &content, rewrapped.as_ref(), &old, &new_key).await {
					Ok(Some(envelope)) => shares.push((target, envelope)),
					Ok(None) => {},
					Err(e) => {
						left += 1;
						eprintln!("{}: not re-wrapped: {e}", target_label(target));
					},
				}
			}
			let batch: u32 = <pmr_runtime::Runtime as pallet_key_release::Config>::MaxRewrapBatch::get();
			for chunk in shares.chunks(batch as usize) {
				let list = chunk
					.iter()
					.map(|(t, e)| {
						let envelope = pmr_primitives::EssentialEnvelope::try_from(e.clone())
							.map_err(|_| "an envelope longer than the chain takes".to_string())?;
						Ok((*t, envelope))
					})
					.collect::<Result<Vec<_>, String>>()?;
				let last = chunk.last().map(|(t, _)| *t);
				let call = pallet_key_release::Call::rewrap_essential_shares {
					patient,
					shares: list.try_into().map_err(|_| "a batch larger than the chain takes")?,
				};
				chain.submit(call.into()).await?;
				chain
					.until_finalized("the re-wrapped shares", || async {
						let kept = match last {
							Some(t) => rewrapped_share(&self.endpoints.rpc_url, t, &chain.finalized().await?).await?,
							None => None,
						};
						Ok(kept.is_some_and(|k| k.key == new_key))
					})
					.await?;
			}
			eprintln!("re-wrapped {} essential share(s) to the new key; {left} left", shares.len());
			match left {
				0 => Ok(()),
				n => Err(format!("{n} share(s) could not be re-wrapped (above); keep the old key and run again")),
			}
		})
	}
}

/// The node the tool talks to, and the account it signs with.
struct Chain {
	url: String,
	signer: sp_core::sr25519::Pair,
	genesis: H256,
}

impl Chain {
	async fn connect(url: &str, signer: sp_core::sr25519::Pair) -> Result<Self, String> {
		let genesis = key_tools::rpc(url, "chain_getBlockHash", serde_json::json!([0])).await?;
		let genesis = genesis
			.as_str()
			.and_then(pmr_worker::job::parse_hex)
			.filter(|b| b.len() == 32)
			.map(|b| H256::from_slice(&b))
			.ok_or_else(|| format!("{url}: no genesis hash ({genesis})"))?;
		Ok(Self { url: url.into(), signer, genesis })
	}

	async fn finalized(&self) -> Result<serde_json::Value, String> {
		key_tools::rpc(&self.url, "chain_getFinalizedHead", serde_json::json!([])).await
	}

	/// A runtime API call at the finalized block.
	async fn call<R: codec::Decode>(&self, method: &str, arg: impl codec::Encode) -> Result<R, String> {
		state_call(&self.url, method, arg, &self.finalized().await?).await
	}

	/// Signs `call` with the next nonce and hands it to the node's pool.
	async fn submit(&self, call: RuntimeCall) -> Result<(), String> {
		let account = sp_core::crypto::AccountId32::from(self.signer.public());
		let nonce = key_tools::rpc(&self.url, "system_accountNextIndex", serde_json::json!([account.to_string()]))
			.await?
			.as_u64()
			.ok_or("the node did not say the account's next nonce")?;
		let nonce = u32::try_from(nonce).map_err(|_| "the account's nonce is out of range")?;
		let era = sp_runtime::generic::Era::Immortal;
		let xt = crate::signing::create_extrinsic(&self.signer, call, nonce, self.genesis, era, self.genesis);
		let hex = format!("0x{}", pmr_vault::hex::encode(&codec::Encode::encode(&xt)));
		key_tools::rpc(&self.url, "author_submitExtrinsic", serde_json::json!([hex])).await.map(|_| ())
	}

	/// Waits until `done` says the finalized state shows what was submitted.
	async fn until_finalized<F, Fut>(&self, what: &str, done: F) -> Result<(), String>
	where
		F: Fn() -> Fut,
		Fut: std::future::Future<Output = Result<bool, String>>,
	{
		let deadline = tokio::time::Instant::now() + FINALITY_WAIT;
		while !done().await? {
			if tokio::time::Instant::now() > deadline {
				return Err(format!(
					"{what} did not show in a finalized block within {} s: the transaction failed \
					 (see the node's events for why) or finality stalls",
					FINALITY_WAIT.as_secs()
				));
			}
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
		Ok(())
	}

	/// Every sealed target of the patient at `at`: each version of each live record, each lab
	/// study, and each IoMT batch of the patient's devices.
	async fn patient_targets(&self, patient: PatientId, at: &serde_json::Value) -> Result<Vec<SealedTarget>, String> {
		type Record = pallet_medical_records::RecordInfo<pmr_runtime::Runtime>;
		type Report = pallet_lab_reports::LabReport<pmr_runtime::Runtime>;
		type Device = pallet_lab_reports::DeviceInfo<pmr_runtime::Runtime>;
		let mut targets = Vec::new();
		let filter = pallet_medical_records::RecordFilter { category: None, from: None, to: None, include_erased: false };
		let mut after = None;
		loop {
			let page: pmr_primitives::Page<(pmr_primitives::PmrItemId, Record), pmr_primitives::PmrItemId> = state_call(
				&self.url,
				"RecordsApi_patient_records",
				(patient, filter, after, pmr_primitives::MAX_PAGE_SCAN),
				at,
			)
			.await?;
			for (item, record) in page.items {
				targets.extend((0..record.versions).map(|version| SealedTarget::RecordVersion { item, version }));
			}
			match page.next {
				Some(next) => after = Some(next),
				None => break,
			}
		}
		let mut after = None;
		loop {
			let page: pmr_primitives::Page<(pmr_primitives::LabReportId, Report), pmr_primitives::LabReportId> =
				state_call(&self.url, "LabReportsApi_patient_reports", (patient, after, pmr_primitives::MAX_PAGE_SCAN), at)
					.await?;
			targets.extend(page.items.into_iter().map(|(id, _)| SealedTarget::LabStudy(id)));
			match page.next {
				Some(next) => after = Some(next),
				None => break,
			}
		}
		let devices: Vec<(pmr_primitives::DeviceId, Device)> =
			state_call(&self.url, "LabReportsApi_patient_devices", patient, at).await?;
		for (device, info) in devices {
			targets.extend((0..info.batches).map(|batch| SealedTarget::IomtBatch { device, batch }));
		}
		Ok(targets)
	}

	/// The anchored content of `target` with its manifest at `at`; `None` when it is erased or
	/// has no manifest (nothing to re-wrap).
	async fn live_content(
		&self,
		target: SealedTarget,
		at: &serde_json::Value,
	) -> Result<Option<pmr_worker::job::AnchorContent>, String> {
		let sealed: Option<pmr_primitives::SealedContent> = state_call(&self.url, "KeyReleaseApi_sealed", target, at).await?;
		Ok(sealed.and_then(|s| s.content).and_then(|c| crate::ingest::anchor_content(&c)))
	}
}
