//! Key release from the patient's and the reader's side, without a node of one's own:
//! `pmr-node x25519-key`, `rewrap-essential`, `approval-keys`, `read-record` and
//! `export-records` talk JSON-RPC
//! (HTTP) to any PMR Chain node and to an IPFS node of the private network. The secrets are
//! read from local files and never leave the machine they run on.
//!
//! The chain is read at the last finalized block, through the key-release runtime API
//! (`KeyReleaseApi_key_request`), so what a reader checks ciphertext, manifest and plaintext
//! against is what the chain anchored.

use codec::{Decode, Encode};
use pmr_primitives::{KeyRequestId, SealedTarget};
use pmr_vault::release::{Binding, ReleasedShare};
use pmr_worker::chain::KeyRequestView;
use sp_core::{crypto::AccountId32, Pair as _};
use std::{path::PathBuf, time::Duration};
use x25519_dalek::{PublicKey, StaticSecret};

/// The default JSON-RPC endpoint (a local node).
const DEFAULT_RPC: &str = "http://127.0.0.1:9944";

/// How many blocks before its node's finalized block a share request names.
const REQUEST_AT_MARGIN: u32 = 8;

/// X25519 keys: the keys doctors, labs and patients register on chain, and custodian keys.
#[derive(Debug, clap::Subcommand)]
pub enum X25519KeyCmd {
	/// Generates a secret key into a new file (owner-only) and prints its public key, the one
	/// to register (`registry.setEncryptionKey`, `registry.proposeCustodianKey`, or a
	/// patient's key at registration).
	Generate {
		/// Where to write the secret (hex); the file must not exist.
		#[arg(long, value_name = "PATH")]
		out: PathBuf,
	},
	/// Prints the public key of a secret key file.
	Public {
		/// The secret key file (hex).
		#[arg(long, value_name = "PATH")]
		secret: PathBuf,
	},
}

/// Where the chain and IPFS are.
#[derive(Debug, Clone, clap::Args)]
pub struct Endpoints {
	/// A PMR Chain node's JSON-RPC endpoint (HTTP).
	#[arg(long = "rpc-url", value_name = "URL", default_value = DEFAULT_RPC)]
	pub rpc_url: String,
	/// An IPFS node of the private network (Kubo RPC API).
	#[arg(long = "ipfs-api", value_name = "URL", default_value = pmr_vault::ipfs::DEFAULT_API)]
	pub ipfs_api: String,
}

/// The patient's side of a key request: re-wraps the essential share to the requester, pins
/// it and prints the envelope's CID in the binary form the chain takes (`0x…`), to hand over
/// with `keyRelease.releaseEssentialShare(request, envelope)` from the patient's (or
/// guardian's) wallet. The text form (`bafy…`) goes to standard error.
#[derive(Debug, clap::Args)]
pub struct RewrapEssentialCmd {
	/// The key request (`keyRelease.KeyRequested` event).
	#[arg(long, value_name = "ID")]
	pub request: u64,
	/// The patient's X25519 secret key file (hex).
	#[arg(long = "patient-key", value_name = "PATH")]
	pub patient_key: PathBuf,
	/// The chain and IPFS endpoints.
	#[clap(flatten)]
	pub endpoints: Endpoints,
}

/// The patient's side of an approval: the essential share of each piece of content named,
/// sealed to the requester's registered key, printed as the `keys` argument of
/// `consent.approveRequest(request, scope, duration, keys)` (JSON, as Polkadot.js Apps and
/// @polkadot/api take it). Signing that one call approves and hands the shares over.
#[derive(Debug, clap::Args)]
pub struct ApprovalKeysCmd {
	/// The consent request to approve (`consent.AccessRequested`).
	#[arg(long, value_name = "ID")]
	pub request: u64,
	/// Content in the request's scope: `record/<item>/v<version>`, `lab-study/<report>` or
	/// `iomt/<device>/<batch>`; repeat for each.
	#[arg(long = "target", value_name = "TARGET", required = true)]
	pub targets: Vec<String>,
	/// The patient's X25519 secret key file (hex).
	#[arg(long = "patient-key", value_name = "PATH")]
	pub patient_key: PathBuf,
	/// The chain and IPFS endpoints.
	#[clap(flatten)]
	pub endpoints: Endpoints,
}

/// The reader's side: recovers a record's key, fetches and decrypts the record, checking
/// manifest, ciphertext and plaintext against the chain, and writes the anonymized record.
///
/// Either from an on-chain key request (`--request`: the essential and `t` custodian shares
/// released to it), or, the fast way, by asking the custodian nodes directly
/// (`--target` with `--signer-key` and `--custodian-rpc`): a share request signed with the
/// reader's account goes to every custodian at once, and the essential share is the one the
/// patient handed over with the approval.
#[derive(Debug, clap::Args)]
pub struct ReadRecordCmd {
	/// The key request (on-chain release).
	#[arg(long, value_name = "ID", required_unless_present = "target", conflicts_with = "target")]
	pub request: Option<u64>,
	/// What to read (off-chain release): `record/<item>/v<version>`, `lab-study/<report>` or
	/// `iomt/<device>/<batch>`.
	#[arg(long, value_name = "TARGET", requires_all = ["signer_key", "custodian_rpc"])]
	pub target: Option<String>,
	/// Why (off-chain release), as the consent names it: `treatment`, `secondOpinion`,
	/// `labWork`, `insurance`, `emergency`, `research`; or `own` for the patient's side
	/// reading the patient's own content.
	#[arg(long, value_name = "PURPOSE", default_value = "treatment")]
	pub purpose: String,
	/// The file holding the reader's account key (a secret URI: mnemonic, hex seed or
	/// `//Dev` path), owner-only; it signs the share request.
	#[arg(long = "signer-key", value_name = "PATH")]
	pub signer_key: Option<PathBuf>,
	/// A custodian node's JSON-RPC endpoint (HTTP); repeat for each custodian hospital.
	#[arg(long = "custodian-rpc", value_name = "URL")]
	pub custodian_rpc: Vec<String>,
	/// The reader's X25519 secret key file (hex); its public key is the one registered.
	#[arg(long = "reader-key", value_name = "PATH")]
	pub reader_key: PathBuf,
	/// Where to write the record (`-` for standard output).
	#[arg(long, value_name = "PATH", default_value = "-")]
	pub out: PathBuf,
	/// The chain and IPFS endpoints.
	#[clap(flatten)]
	pub endpoints: Endpoints,
}

/// The patient's export (data portability): reads every piece of the patient's content whose
/// key the patient's side requested (`keyRelease.requestOwnKey`) and the custodians released,
/// and writes one FHIR R4 `Bundle` (type `collection`). Each read is a key release in the
/// patient's audit trail like any other.
#[derive(Debug, clap::Args)]
pub struct ExportRecordsCmd {
	/// The Patient-ID.
	#[arg(long, value_name = "ID")]
	pub patient: u64,
	/// The patient's X25519 secret key file (hex).
	#[arg(long = "patient-key", value_name = "PATH")]
	pub patient_key: PathBuf,
	/// Where to write the Bundle (`-` for standard output).
	#[arg(long, value_name = "PATH", default_value = "-")]
	pub out: PathBuf,
	/// The chain and IPFS endpoints.
	#[clap(flatten)]
	pub endpoints: Endpoints,
}

/// A secret key file, read as custodian key files are (hex; the first key if several).
pub(crate) fn read_secret(path: &std::path::Path) -> Result<StaticSecret, String> {
	let mut keys = pmr_worker::custody::load_secrets(path)?;
	Ok(keys.swap_remove(0))
}

impl X25519KeyCmd {
	/// Runs the command.
	pub fn run(&self) -> Result<(), String> {
		match self {
			Self::Generate { out } => {
				let (secret, public) = pmr_vault::envelope::generate_keypair();
				write_new_owner_only(out, format!("0x{}\n", pmr_vault::hex::encode(secret.as_bytes())).as_bytes())?;
				println!("0x{}", pmr_vault::hex::encode(&public));
			},
			Self::Public { secret } => {
				let public = PublicKey::from(&read_secret(secret)?).to_bytes();
				println!("0x{}", pmr_vault::hex::encode(&public));
			},
		}
		Ok(())
	}
}

/// Writes a new file only its owner may read (a key); never overwrites one.
fn write_new_owner_only(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
	let mut options = std::fs::OpenOptions::new();
	options.write(true).create_new(true);
	write_owner_only(path, bytes, options)
}

/// Writes decrypted data to `out` (a file only its owner may read, replacing one there), or
/// to standard output for `-`.
fn write_out(out: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
	use std::io::Write;
	if out.as_os_str() == "-" {
		return std::io::stdout().write_all(bytes).map_err(|e| e.to_string());
	}
	let mut options = std::fs::OpenOptions::new();
	options.write(true).create(true).truncate(true);
	write_owner_only(out, bytes, options)
}

fn write_owner_only(path: &std::path::Path, bytes: &[u8], mut options: std::fs::OpenOptions) -> Result<(), String> {
	use std::io::Write;
	#[cfg(unix)]
	std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
	let fail = |e: std::io::Error| format!("{}: {e}", path.display());
	let mut file = options.open(path).map_err(fail)?;
	// A file that existed keeps its mode on open: make it the owner's alone before writing.
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		file.set_permissions(std::fs::Permissions::from_mode(0o600)).map_err(fail)?;
	}
	file.write_all(bytes).and_then(|_| file.sync_all()).map_err(fail)
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, String> {
	tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())
}

pub(crate) fn ipfs(endpoints: &Endpoints) -> Result<pmr_vault::ipfs::Ipfs, String> {
	pmr_vault::ipfs::Ipfs::new(&endpoints.ipfs_api, Duration::from_secs(60)).map_err(|e| e.to_string())
}

impl RewrapEssentialCmd {
	/// Runs the command: prints the envelope's binary CID (hex).
	pub fn run(&self) -> Result<(), String> {
		let secret = read_secret(&self.patient_key)?;
		runtime()?.block_on(async {
			let (view, rewrapped, ended) = key_request(&self.endpoints.rpc_url, self.request).await?;
			if let Some(why) = ended {
				return Err(format!("key request {} can no longer be answered: {why}", self.request));
			}
			let cid = pmr_worker::read::release_essential(&ipfs(&self.endpoints)?, &view, rewrapped.as_ref(), &secret)
				.await
				.map_err(|e| e.to_string())?;
			let binary = pmr_primitives::cid::from_text(&cid).map_err(|e| format!("IPFS returned {cid}, not a CID the chain takes ({e:?})"))?;
			eprintln!("envelope pinned as {cid}");
			println!("0x{}", pmr_vault::hex::encode(&binary));
			Ok(())
		})
	}
}

impl ApprovalKeysCmd {
	/// Runs the command: prints the `keys` argument.
	pub fn run(&self) -> Result<(), String> {
		let secret = read_secret(&self.patient_key)?;
		let targets = self.targets.iter().map(|t| parse_target(t)).collect::<Result<Vec<_>, _>>()?;
		let keys = runtime()?.block_on(async {
			let rpc_url = &self.endpoints.rpc_url;
			let finalized = rpc(rpc_url, "chain_getFinalizedHead", serde_json::json!([])).await?;
			let mut sealed = Vec::with_capacity(targets.len());
			for target in targets {
				sealed.push((target, sealed_content(rpc_url, target, &finalized).await?));
			}
			let patient = sealed.first().map(|(_, (patient, _))| *patient).ok_or("name at least one --target")?;
			if let Some((target, _)) = sealed.iter().find(|(_, (p, _))| *p != patient) {
				return Err(format!("{} is another patient's content", target_label(*target)));
			}
			let reader_key = requester_key(rpc_url, patient, self.request, &finalized).await?;
			let ipfs = ipfs(&self.endpoints)?;
			let mut out = Vec::with_capacity(sealed.len());
			for (target, (_, content)) in sealed {
				let rewrapped = rewrapped_share(rpc_url, target, &finalized).await?;
				let compact = pmr_worker::read::approval_key(&ipfs, &content, rewrapped.as_ref(), &secret, &reader_key)
					.await
					.map_err(|e| format!("{}: {e}", target_label(target)))?;
				out.push(serde_json::json!([target_json(target), format!("0x{}", pmr_vault::hex::encode(&compact))]));
			}
			Ok::<_, String>(out)
		})?;
		println!("{}", serde_json::Value::Array(keys));
		Ok(())
	}
}

impl ReadRecordCmd {
	/// Runs the command: writes the record.
	pub fn run(&self) -> Result<(), String> {
		let secret = read_secret(&self.reader_key)?;
		let record = runtime()?.block_on(async {
			match (self.request, &self.target) {
				(Some(request), _) => {
					let (view, rewrapped, ended) = key_request(&self.endpoints.rpc_url, request).await?;
					let read = pmr_worker::read::read(&ipfs(&self.endpoints)?, &view, rewrapped.as_ref(), &secret).await;
					let (record, note) = pmr_worker::read::request_read_outcome(request, ended.as_deref(), read)?;
					if let Some(note) = note {
						eprintln!("note: {note}");
					}
					Ok(record)
				},
				(None, Some(target)) => self.read_answered(parse_target(target)?, &secret).await,
				(None, None) => Err("name a key request (--request) or what to read (--target)".into()),
			}
		})?;
		write_out(&self.out, &record)
	}

	/// The off-chain release: asks every custodian at once with one signed share request.
	async fn read_answered(&self, target: SealedTarget, secret: &StaticSecret) -> Result<Vec<u8>, String> {
		let rpc_url = &self.endpoints.rpc_url;
		let signer = load_signer(self.signer_key.as_deref().ok_or("--signer-key is needed with --target")?)?;
		let account = AccountId32::from(signer.public());
		let purpose = parse_purpose(&self.purpose)?;
		let genesis = rpc(rpc_url, "chain_getBlockHash", serde_json::json!([0])).await?;
		let finalized = rpc(rpc_url, "chain_getFinalizedHead", serde_json::json!([])).await?;
		let header = rpc(rpc_url, "chain_getHeader", serde_json::json!([finalized.clone()])).await?;
		let at = header["number"]
			.as_str()
			.and_then(|n| u32::from_str_radix(n.trim_start_matches("0x"), 16).ok())
			.ok_or_else(|| format!("the node's finalized header has no number: {header}"))?
			// A custodian whose finalized block is a little behind this node's still takes it
			// (a request naming a block the custodian has not finalized is not decided); the
			// request stays answerable for the runtime's request lifetime (an hour) from there.
			.saturating_sub(REQUEST_AT_MARGIN);
		let (patient, content) = sealed_content(rpc_url, target, &finalized).await?;
		let reader_key = PublicKey::from(secret).to_bytes();
		let request = pmr_primitives::ShareRequest {
			genesis: hash32(&genesis).ok_or_else(|| format!("the node's genesis hash is {genesis}"))?,
			at,
			requester: account.clone(),
			target,
			purpose,
			reader_key,
		};
		let signature = pmr_runtime::Signature::from(signer.sign(&request.signing_payload()));
		let params = serde_json::json!([
			format!("0x{}", pmr_vault::hex::encode(&request.encode())),
			format!("0x{}", pmr_vault::hex::encode(&signature.encode())),
		]);
		// Every custodian at once; each answers from its own finalized block.
		let asked = self.custodian_rpc.iter().map(|url| rpc(url, "pmr_requestShare", params.clone()));
		let replies = futures::future::join_all(asked).await;
		let mut shares = Vec::new();
		let mut refusals = Vec::new();
		for (url, reply) in self.custodian_rpc.iter().zip(replies) {
			match reply.and_then(|v| {
				serde_json::from_value::<pmr_worker::share::ShareReply>(v).map_err(|e| format!("not a share: {e}"))
			}) {
				Ok(reply) => shares.push(reply.share),
				Err(e) => refusals.push(format!("{url}: {e}")),
			}
		}
		if shares.is_empty() {
			// The custodians' word comes first: it says why (the consent ended, was revoked…).
			return Err(format!("every custodian refused or failed:\n  {}", refusals.join("\n  ")));
		}
		let essential = match purpose {
			None => None,
			Some(_) => {
				let handed: Option<(pmr_primitives::GrantId, pmr_primitives::EssentialEnvelope)> = state_call(
					rpc_url,
					"ConsentApi_essential_share",
					(account, pmr_primitives::PatientId(patient), target),
					&finalized,
				)
				.await?;
				let (_, envelope) = handed.ok_or_else(|| {
					"the patient has not handed over the essential share of this content with a consent that applies now"
						.to_string()
				})?;
				Some(
					ReleasedShare::from_approval(content.ciphertext_hash, reader_key, &envelope)
						.map_err(|e| e.to_string())?,
				)
			},
		};
		let essential = essential.as_ref().map(|e| (e, Binding::PatientApproval));
		let read = pmr_worker::read::read_answered(
			&ipfs(&self.endpoints)?,
			&content,
			secret,
			essential,
			request.digest(),
			&shares,
		)
		.await;
		match read {
			Ok(record) => Ok(record),
			Err(pmr_worker::read::ReadError::NotEnoughShares { got, needed, .. }) => Err(format!(
				"{got} custodian(s) released their share, {needed} needed; the others:\n  {}",
				refusals.join("\n  ")
			)),
			Err(e) => Err(e.to_string()),
		}
	}
}

/// `0x`-hex of 32 bytes in a JSON string.
fn hash32(value: &serde_json::Value) -> Option<[u8; 32]> {
	pmr_worker::job::parse_hex32(value.as_str()?)
}

/// The reader's account key: a secret URI in an owner-only file.
pub(crate) fn load_signer(path: &std::path::Path) -> Result<sp_core::sr25519::Pair, String> {
	pmr_worker::custody::ensure_owner_only(path)?;
	let suri = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
	<sp_core::sr25519::Pair as sp_core::Pair>::from_string(suri.trim(), None)
		.map_err(|e| format!("{}: not a secret URI ({e:?})", path.display()))
}

/// A purpose as the consent names it (camelCase), or `own` for the patient's side.
fn parse_purpose(name: &str) -> Result<Option<pmr_primitives::Purpose>, String> {
	use pmr_primitives::Purpose::*;
	Ok(Some(match name {
		"own" => return Ok(None),
		"treatment" => Treatment,
		"secondOpinion" => SecondOpinion,
		"labWork" => LabWork,
		"insurance" => Insurance,
		"emergency" => Emergency,
		"research" => Research,
		other => return Err(format!("unknown purpose {other}: treatment, secondOpinion, labWork, insurance, emergency, research or own")),
	}))
}

/// A target as `record/<item>/v<version>`, `lab-study/<report>` or `iomt/<device>/<batch>`.
fn parse_target(text: &str) -> Result<SealedTarget, String> {
	let bad = || format!("{text}: not record/<item>/v<version>, lab-study/<report> or iomt/<device>/<batch>");
	let parts: Vec<&str> = text.split('/').collect();
	match parts.as_slice() {
		["record", item, version] => Ok(SealedTarget::RecordVersion {
			item: item.parse().map_err(|_| bad())?,
			version: version.strip_prefix('v').and_then(|v| v.parse().ok()).ok_or_else(bad)?,
		}),
		["lab-study", report] => Ok(SealedTarget::LabStudy(pmr_primitives::LabReportId(report.parse().map_err(|_| bad())?))),
		["iomt", device, batch] => Ok(SealedTarget::IomtBatch {
			device: pmr_primitives::DeviceId(device.parse().map_err(|_| bad())?),
			batch: batch.parse().map_err(|_| bad())?,
		}),
		_ => Err(bad()),
	}
}

/// A target as [`parse_target`] reads it.
pub(crate) fn target_label(target: SealedTarget) -> String {
	match target {
		SealedTarget::RecordVersion { item, version } => format!("record/{item}/v{version}"),
		SealedTarget::LabStudy(report) => format!("lab-study/{}", report.0),
		SealedTarget::IomtBatch { device, batch } => format!("iomt/{}/{batch}", device.0),
	}
}

/// A target as @polkadot/api takes it in JSON.
fn target_json(target: SealedTarget) -> serde_json::Value {
	match target {
		SealedTarget::RecordVersion { item, version } => {
			serde_json::json!({ "RecordVersion": { "item": item.to_string(), "version": version } })
		},
		SealedTarget::LabStudy(report) => serde_json::json!({ "LabStudy": report.0 }),
		SealedTarget::IomtBatch { device, batch } => serde_json::json!({ "IomtBatch": { "device": device.0, "batch": batch } }),
	}
}

/// Whose `target` is and its anchored content, at `at`.
async fn sealed_content(
	rpc_url: &str,
	target: SealedTarget,
	at: &serde_json::Value,
) -> Result<(u64, pmr_worker::job::AnchorContent), String> {
	let sealed: Option<pmr_primitives::SealedContent> = state_call(rpc_url, "KeyReleaseApi_sealed", target, at).await?;
	let sealed = sealed.ok_or_else(|| format!("no {} on chain", target_label(target)))?;
	let content = sealed.content.ok_or_else(|| format!("{} was erased", target_label(target)))?;
	let content = crate::ingest::anchor_content(&content).ok_or_else(|| format!("{} has no key manifest yet", target_label(target)))?;
	Ok((sealed.patient.0, content))
}

/// The registered X25519 key of the account that made consent request `request` of `patient`.
async fn requester_key(rpc_url: &str, patient: u64, request: u64, at: &serde_json::Value) -> Result<[u8; 32], String> {
	type Request = pallet_consent::RequestInfo<pmr_runtime::Runtime>;
	let pending: Vec<(pmr_primitives::RequestId, Request)> =
		state_call(rpc_url, "ConsentApi_pending_requests", pmr_primitives::PatientId(patient), at).await?;
	let (_, info) = pending
		.into_iter()
		.find(|(id, _)| id.0 == request)
		.ok_or_else(|| format!("consent request {request} is not pending for this patient"))?;
	let key: Option<[u8; 32]> = state_call(rpc_url, "RegistryApi_encryption_key", info.requester_account, at).await?;
	key.ok_or_else(|| "the requester has no registered encryption key to seal the essential share to".into())
}

impl ExportRecordsCmd {
	/// Runs the command: writes the Bundle, and says on standard error what was left out.
	pub fn run(&self) -> Result<(), String> {
		let secret = read_secret(&self.patient_key)?;
		let bundle = runtime()?.block_on(async {
			let finalized = rpc(&self.endpoints.rpc_url, "chain_getFinalizedHead", serde_json::json!([])).await?;
			// Every page of the patient's open requests (the runtime reads at most 256 per call).
			type Request = pallet_key_release::KeyRequest<pmr_runtime::Runtime>;
			let mut requests: Vec<(KeyRequestId, Request)> = Vec::new();
			let mut after: Option<KeyRequestId> = None;
			loop {
				let page: pmr_primitives::Page<(KeyRequestId, Request), KeyRequestId> = state_call(
					&self.endpoints.rpc_url,
					"KeyReleaseApi_patient_key_requests",
					(pmr_primitives::PatientId(self.patient), after, pmr_primitives::MAX_PAGE_SCAN),
					&finalized,
				)
				.await?;
				requests.extend(page.items);
				match page.next {
					Some(next) => after = Some(next),
					None => break,
				}
			}
			let ipfs = ipfs(&self.endpoints)?;
			let mut items = Vec::new();
			for (id, request) in requests {
				if request.by != pmr_primitives::KeyRequester::PatientSide {
					continue;
				}
				let (label, target) = (target_label(request.target), request.target);
				let view = crate::ingest::key_request_view(id.0, request);
				let rewrapped = rewrapped_share(&self.endpoints.rpc_url, target, &finalized).await?;
				match pmr_worker::read::read(&ipfs, &view, rewrapped.as_ref(), &secret).await {
					Ok(plaintext) => items.push(pmr_worker::read::Exported { label, cid: view.content.cid, plaintext }),
					Err(e) => eprintln!("{label} (key request {}): left out: {e}", id.0),
				}
			}
			eprintln!("exported {} item(s)", items.len());
			Ok::<_, String>(pmr_worker::read::fhir_bundle(&items))
		})?;
		let json = serde_json::to_vec_pretty(&bundle).map_err(|e| e.to_string())?;
		write_out(&self.out, &json)
	}
}

/// The patient's essential share of `target` re-wrapped after a rotation, at `at`.
pub(crate) async fn rewrapped_share(
	rpc_url: &str,
	target: SealedTarget,
	at: &serde_json::Value,
) -> Result<Option<pmr_worker::read::Rewrapped>, String> {
	let kept: Option<pallet_key_release::RewrappedEssential> =
		state_call(rpc_url, "KeyReleaseApi_rewrapped_essential", target, at).await?;
	Ok(kept.map(|r| pmr_worker::read::Rewrapped { key: r.key, envelope: r.envelope.into_inner() }))
}

/// Calls a runtime API at `at` and decodes its answer.
pub(crate) async fn state_call<R: Decode>(rpc_url: &str, method: &str, arg: impl Encode, at: &serde_json::Value) -> Result<R, String> {
	let arg = format!("0x{}", pmr_vault::hex::encode(&arg.encode()));
	let result = rpc(rpc_url, "state_call", serde_json::json!([method, arg, at])).await?;
	let bytes = result
		.as_str()
		.and_then(pmr_worker::job::parse_hex)
		.ok_or_else(|| format!("state_call returned {result}"))?;
	R::decode(&mut &bytes[..]).map_err(|e| format!("the node's answer to {method} does not decode: {e}"))
}

/// The key request at the node's last finalized block, the patient's essential share of its
/// content re-wrapped after a rotation (if it was), and why the request can no longer be
/// answered there (`None` while it can).
async fn key_request(
	rpc_url: &str,
	id: u64,
) -> Result<(KeyRequestView, Option<pmr_worker::read::Rewrapped>, Option<String>), String> {
	let finalized = rpc(rpc_url, "chain_getFinalizedHead", serde_json::json!([])).await?;
	let found: Option<pallet_key_release::KeyRequest<pmr_runtime::Runtime>> =
		state_call(rpc_url, "KeyReleaseApi_key_request", KeyRequestId(id), &finalized).await?;
	let request = found.ok_or_else(|| format!("no open key request {id} at the finalized block"))?;
	let check: Option<Result<(), pmr_primitives::ShareRefusal>> =
		state_call(rpc_url, "KeyReleaseApi_release_check", KeyRequestId(id), &finalized).await?;
	let ended = match check {
		Some(Err(reason)) => Some(pmr_worker::share::refusal_cause(reason)),
		_ => None,
	};
	let rewrapped = rewrapped_share(rpc_url, request.target, &finalized).await?;
	Ok((crate::ingest::key_request_view(id, request), rewrapped, ended))
}

/// One JSON-RPC call over HTTP.
pub(crate) async fn rpc(url: &str, method: &str, params: serde_json::Value) -> Result<serde_json::Value, String> {
	let body = serde_json::json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
	let request = hyper::Request::post(url)
		.header("content-type", "application/json")
		.body(hyper::Body::from(body.to_string()))
		.map_err(|e| format!("{url}: {e}"))?;
	let response = hyper::Client::new().request(request).await.map_err(|e| format!("{url}: {e}"))?;
	let bytes = hyper::body::to_bytes(response.into_body()).await.map_err(|e| format!("{url}: {e}"))?;
	let mut reply: serde_json::Value =
		serde_json::from_slice(&bytes).map_err(|e| format!("{url}: not JSON-RPC: {e}"))?;
	if let Some(error) = reply.get("error") {
		// The node's sentence first; the typed reason, if any, after it.
		return Err(match (error["message"].as_str(), error.get("data")) {
			(Some(message), Some(data)) if !data.is_null() => format!("{message} ({data})"),
			(Some(message), _) => message.to_string(),
			_ => format!("{method}: {error}"),
		});
	}
	Ok(reply["result"].take())
}
