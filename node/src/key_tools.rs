//! Key release from the patient's and the reader's side, without a node of one's own:
//! `pmr-node x25519-key`, `pmr-node rewrap-essential` and `pmr-node read-record` talk JSON-RPC
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

fn read_secret(path: &std::path::Path) -> Result<StaticSecret, String> {
	let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
	pmr_worker::job::parse_hex32(text.trim())
		.map(StaticSecret::from)
		.ok_or_else(|| format!("{}: not a 32-byte hex key", path.display()))
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

fn write_new_owner_only(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
	use std::io::Write;
	let mut options = std::fs::OpenOptions::new();
	options.write(true).create_new(true);
	#[cfg(unix)]
	std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
	let mut file = options.open(path).map_err(|e| format!("{}: {e}", path.display()))?;
	file.write_all(bytes).and_then(|_| file.sync_all()).map_err(|e| format!("{}: {e}", path.display()))
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
		if self.out.as_os_str() == "-" {
			use std::io::Write;
			std::io::stdout().write_all(&record).map_err(|e| e.to_string())
		} else {
			std::fs::write(&self.out, &record).map_err(|e| format!("{}: {e}", self.out.display()))
		}
	}
}

/// The key request at the node's last finalized block.
async fn key_request(rpc_url: &str, id: u64) -> Result<KeyRequestView, String> {
	let finalized = rpc(rpc_url, "chain_getFinalizedHead", serde_json::json!([])).await?;
	let arg = format!("0x{}", pmr_vault::hex::encode(&KeyRequestId(id).encode()));
	let result = rpc(rpc_url, "state_call", serde_json::json!(["KeyReleaseApi_key_request", arg, finalized])).await?;
	let bytes = result
		.as_str()
		.and_then(pmr_worker::job::parse_hex)
		.ok_or_else(|| format!("state_call returned {result}"))?;
	let found = Option::<pallet_key_release::KeyRequest<pmr_runtime::Runtime>>::decode(&mut &bytes[..])
		.map_err(|e| format!("the node's answer does not decode as a key request: {e}"))?;
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
