//! A client for a private IPFS node's Kubo HTTP RPC API (`/api/v0/add`, `pin/add`, `pin/ls`,
//! `cat`, `pin/rm`), built on `ipfs-api-backend-hyper`.
//!
//! Every call has a timeout; errors are typed and say whether retrying can help
//! ([`IpfsError::is_retryable`]). [`Ipfs::cat_verified`] checks fetched bytes against the hash
//! recorded on chain before anyone decrypts them.

use crate::{blake2_256, hex, ContentHash, Result, VaultError};
use futures::TryStreamExt;
use ipfs_api_backend_hyper::{
	request, Error as ApiClientError, Form, IpfsApi, IpfsClient, TryFromUri,
};
use std::{future::Future, io::Read, time::Duration};
use thiserror::Error;

/// The default API address of a local node.
pub const DEFAULT_API: &str = "http://127.0.0.1:5001";

/// What can go wrong talking to IPFS.
#[derive(Debug, Error)]
pub enum IpfsError {
	/// The node cannot be reached (down, wrong address). Retryable.
	#[error("IPFS node unreachable: {0}")]
	Unavailable(String),
	/// The node did not answer in time. Retryable.
	#[error("IPFS request timed out after {0:?}")]
	Timeout(Duration),
	/// The node does not have (and could not find) the content.
	#[error("content not found: {0}")]
	NotFound(String),
	/// The content is not pinned on the node.
	#[error("not pinned: {0}")]
	NotPinned(String),
	/// The node answered with another error.
	#[error("IPFS API error: {0}")]
	Api(String),
	/// The API address is not a valid URI.
	#[error("bad IPFS API address: {0}")]
	BadAddress(String),
}

impl IpfsError {
	/// Whether the same request may succeed if retried later.
	pub fn is_retryable(&self) -> bool {
		matches!(self, Self::Unavailable(_) | Self::Timeout(_))
	}

	fn from_client(e: ApiClientError) -> Self {
		match e {
			ApiClientError::Client(h) if h.is_connect() => Self::Unavailable(h.to_string()),
			ApiClientError::Client(h) => Self::Unavailable(h.to_string()),
			ApiClientError::Api(api) => {
				let m = api.message.to_lowercase();
				if m.contains("not pinned") {
					Self::NotPinned(api.message)
				} else if m.contains("not found") || m.contains("no link") || m.contains("invalid cid") || m.contains("invalid path") {
					Self::NotFound(api.message)
				} else {
					Self::Api(api.message)
				}
			},
			other => Self::Api(other.to_string()),
		}
	}
}

/// A connection to one IPFS node's RPC API.
pub struct Ipfs {
	client: IpfsClient,
	timeout: Duration,
}

impl Ipfs {
	/// A client for the API at `api` (e.g. `http://127.0.0.1:5001`), with a per-call timeout.
	pub fn new(api: &str, timeout: Duration) -> Result<Self, IpfsError> {
		let client = IpfsClient::from_str(api).map_err(|e| IpfsError::BadAddress(e.to_string()))?;
		Ok(Self { client, timeout })
	}

	/// A client for `$PMR_IPFS_API`, or the local default, with a 30 s timeout.
	pub fn from_env() -> Result<Self, IpfsError> {
		let api = std::env::var("PMR_IPFS_API").unwrap_or_else(|_| DEFAULT_API.to_string());
		Self::new(&api, Duration::from_secs(30))
	}

	async fn timed<T>(
		&self,
		f: impl Future<Output = Result<T, ApiClientError>>,
	) -> Result<T, IpfsError> {
		match tokio::time::timeout(self.timeout, f).await {
			Ok(r) => r.map_err(IpfsError::from_client),
			Err(_) => Err(IpfsError::Timeout(self.timeout)),
		}
	}

	/// Whether the node answers (`/api/v0/version`).
	pub async fn is_up(&self) -> bool {
		self.timed(self.client.version()).await.is_ok()
	}

	/// Adds and pins `data` (streamed; a file works), returning its CID (v1).
	pub async fn add_pinned<R>(&self, data: R) -> Result<String, IpfsError>
	where
		R: 'static + Read + Send + Sync + Unpin,
	{
		let options = request::Add { pin: Some(true), cid_version: Some(1), ..Default::default() };
		Ok(self.timed(self.client.add_with_options(data, options)).await?.hash)
	}

	/// The CID (v1) `data` gets when it is added with [`Ipfs::add_pinned`], computed by the
	/// node without storing anything (`only-hash`): a CID that can be published before the
	/// content may be reachable.
	pub async fn cid_of<R>(&self, data: R) -> Result<String, IpfsError>
	where
		R: 'static + Read + Send + Sync + Unpin,
	{
		let options = request::Add {
			only_hash: Some(true),
			pin: Some(false),
			cid_version: Some(1),
			..Default::default()
		};
		Ok(self.timed(self.client.add_with_options(data, options)).await?.hash)
	}

	/// Adds and pins several named blobs in one request (one round trip instead of one per
	/// blob), returning their CIDs (v1) in the order given.
	pub async fn add_pinned_all(
		&self,
		blobs: Vec<(&'static str, Vec<u8>)>,
	) -> Result<Vec<String>, IpfsError> {
		self.add_all(blobs, true).await
	}

	/// Adds several named blobs in one request **without** pinning them, returning their CIDs
	/// (v1) in the order given. Unpinned blocks are garbage the node may collect: a caller that
	/// records the CIDs durably first and pins them afterwards ([`Ipfs::pin`]) never leaves a
	/// pin behind that nobody knows about, whenever it crashes.
	pub async fn add_unpinned_all(
		&self,
		blobs: Vec<(&'static str, Vec<u8>)>,
	) -> Result<Vec<String>, IpfsError> {
		self.add_all(blobs, false).await
	}

	async fn add_all(
		&self,
		blobs: Vec<(&'static str, Vec<u8>)>,
		pin: bool,
	) -> Result<Vec<String>, IpfsError> {
		let names: Vec<&str> = blobs.iter().map(|(name, _)| *name).collect();
		let mut form = Form::default();
		for (name, bytes) in blobs {
			form.add_reader_file("file", std::io::Cursor::new(bytes), name);
		}
		let options = request::Add { pin: Some(pin), cid_version: Some(1), ..Default::default() };
		let added = self.timed(self.client.add_with_form(form, options)).await?;
		names
			.iter()
			.map(|name| {
				added
					.iter()
					.find(|a| a.name == *name)
					.map(|a| a.hash.clone())
					.ok_or_else(|| IpfsError::Api(format!("the node did not report {name}")))
			})
			.collect()
	}

	/// Pins `cid` (recursively).
	pub async fn pin(&self, cid: &str) -> Result<(), IpfsError> {
		self.timed(self.client.pin_add(cid, true)).await.map(|_| ())
	}

	/// Whether `cid` is pinned on the node.
	pub async fn is_pinned(&self, cid: &str) -> Result<bool, IpfsError> {
		match self.timed(self.client.pin_ls(Some(cid), None)).await {
			Ok(r) => Ok(!r.keys.is_empty()),
			Err(IpfsError::NotPinned(_)) => Ok(false),
			Err(e) => Err(e),
		}
	}

	/// Unpins `cid` (e.g. after a record is erased by crypto-shredding).
	pub async fn unpin(&self, cid: &str) -> Result<(), IpfsError> {
		self.timed(self.client.pin_rm(cid, true)).await.map(|_| ())
	}

	/// The bytes of `cid`.
	pub async fn cat(&self, cid: &str) -> Result<Vec<u8>, IpfsError> {
		let fetch = self.client.cat(cid).map_ok(|chunk| chunk.to_vec()).try_concat();
		self.timed(fetch).await
	}

	/// The bytes of `cid`, only if their blake2-256 equals `expected` (the on-chain hash).
	pub async fn cat_verified(&self, cid: &str, expected: &ContentHash) -> Result<Vec<u8>> {
		let bytes = self.cat(cid).await?;
		let actual = blake2_256(&bytes);
		if &actual != expected {
			return Err(VaultError::HashMismatch {
				expected: hex::encode(expected),
				actual: hex::encode(&actual),
			});
		}
		Ok(bytes)
	}
}

/// Runs `op` up to `attempts` times while it fails with a retryable error, doubling the pause
/// (starting at `backoff`) between attempts.
pub async fn with_retries<T, F, Fut>(attempts: u32, backoff: Duration, mut op: F) -> Result<T, IpfsError>
where
	F: FnMut() -> Fut,
	Fut: Future<Output = Result<T, IpfsError>>,
{
	let mut pause = backoff;
	let mut tries = 0;
	loop {
		tries += 1;
		match op().await {
			Err(e) if e.is_retryable() && tries < attempts => {
				tokio::time::sleep(pause).await;
				pause = pause.saturating_mul(2);
			},
			other => return other,
		}
	}
}
