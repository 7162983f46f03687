//! Key release from the patient's and the reader's side, without a node of one's own:
//! `pmr-node x25519-key`, `rewrap-essential`, `read-record` and `export-records` talk JSON-RPC
//! (HTTP) to any PMR Chain node and to an IPFS node of the private network. The secrets are
//! read from local files and never leave the machine they run on.
//!
//! The chain is read at the last finalized block, through the key-release runtime API
//! (`KeyReleaseApi_key_request`), so what a reader checks ciphertext, manifest and plaintext
//! against is what the chain anchored.

use codec::{Decode, Encode};
use pmr_primitives::KeyRequestId;
use pmr_worker::chain::KeyRequestView;
use std::{path::PathBuf, time::Duration};
use x25519_dalek::{PublicKey, StaticSecret};

/// The default JSON-RPC endpoint (a local node).
const DEFAULT_RPC: &str = "http://127.0.0.1:9944";

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
/// it and prints the envelope's CID, to hand over with
/// `keyRelease.releaseEssentialShare(request, cid)` from the patient's (or guardian's) wallet.
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

/// The reader's side of a key request: collects the essential and `t` custodian shares
/// released to the reader, recovers the key, fetches and decrypts the record, checking
/// manifest, ciphertext and plaintext against the chain, and writes the anonymized record.
#[derive(Debug, clap::Args)]
pub struct ReadRecordCmd {
	/// The key request.
	#[arg(long, value_name = "ID")]
	pub request: u64,
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
fn read_secret(path: &std::path::Path) -> Result<StaticSecret, String> {
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

fn runtime() -> Result<tokio::runtime::Runtime, String> {
	tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())
}

fn ipfs(endpoints: &Endpoints) -> Result<pmr_vault::ipfs::Ipfs, String> {
	pmr_vault::ipfs::Ipfs::new(&endpoints.ipfs_api, Duration::from_secs(60)).map_err(|e| e.to_string())
}

impl RewrapEssentialCmd {
	/// Runs the command: prints the envelope's CID.
	pub fn run(&self) -> Result<(), String> {
		let secret = read_secret(&self.patient_key)?;
		runtime()?.block_on(async {
			let view = key_request(&self.endpoints.rpc_url, self.request).await?;
			let cid = pmr_worker::read::release_essential(&ipfs(&self.endpoints)?, &view, &secret)
				.await
				.map_err(|e| e.to_string())?;
			println!("{cid}");
			Ok(())
		})
	}
}

impl ReadRecordCmd {
	/// Runs the command: writes the record.
	pub fn run(&self) -> Result<(), String> {
		let secret = read_secret(&self.reader_key)?;
		let record = runtime()?.block_on(async {
			let view = key_request(&self.endpoints.rpc_url, self.request).await?;
			pmr_worker::read::read(&ipfs(&self.endpoints)?, &view, &secret).await.map_err(|e| e.to_string())
		})?;
		write_out(&self.out, &record)
	}
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
				let label = match request.target {
					pmr_primitives::SealedTarget::RecordVersion { item, version } => format!("record/{item}/v{version}"),
					pmr_primitives::SealedTarget::LabStudy(report) => format!("lab-study/{}", report.0),
					pmr_primitives::SealedTarget::IomtBatch { device, batch } => format!("iomt/{}/{batch}", device.0),
				};
				let view = crate::ingest::key_request_view(id.0, request);
				match pmr_worker::read::read(&ipfs, &view, &secret).await {
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

/// Calls a runtime API at `at` and decodes its answer.
async fn state_call<R: Decode>(rpc_url: &str, method: &str, arg: impl Encode, at: &serde_json::Value) -> Result<R, String> {
	let arg = format!("0x{}", pmr_vault::hex::encode(&arg.encode()));
	let result = rpc(rpc_url, "state_call", serde_json::json!([method, arg, at])).await?;
	let bytes = result
		.as_str()
		.and_then(pmr_worker::job::parse_hex)
		.ok_or_else(|| format!("state_call returned {result}"))?;
	R::decode(&mut &bytes[..]).map_err(|e| format!("the node's answer to {method} does not decode: {e}"))
}

/// The key request at the node's last finalized block.
async fn key_request(rpc_url: &str, id: u64) -> Result<KeyRequestView, String> {
	let finalized = rpc(rpc_url, "chain_getFinalizedHead", serde_json::json!([])).await?;
	let found: Option<pallet_key_release::KeyRequest<pmr_runtime::Runtime>> =
		state_call(rpc_url, "KeyReleaseApi_key_request", KeyRequestId(id), &finalized).await?;
	let request = found.ok_or_else(|| format!("no open key request {id} at the finalized block"))?;
	Ok(crate::ingest::key_request_view(id, request))
}

/// One JSON-RPC call over HTTP.
async fn rpc(url: &str, method: &str, params: serde_json::Value) -> Result<serde_json::Value, String> {
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
		return Err(format!("{method}: {error}"));
	}
	Ok(reply["result"].take())
}
