//! # PMR ingest worker
//!
//! The node-side "off-chain worker" of PMR Chain: the part of the design that must never touch
//! the chain. It runs natively in `pmr-node` (the service spawns [`Worker::run`] and merges
//! [`rpc::PmrApiServer`] into the node's JSON-RPC), not in the runtime's `offchain_worker`
//! hook, because it needs DICOM parsing, an IPFS client and the node's own files.
//!
//! The data path, in one walk:
//!
//! 1. **RPC** ([`rpc`]): a hospital system calls `pmr_submitRecord` with a FHIR R4 resource or
//!    a DICOM file, the Patient-ID, the category and the anchor target. The call is *unsafe*
//!    in Substrate's sense (refused unless the node allows unsafe RPCs).
//! 2. **Intake** ([`Worker::submit`]): size limit, the chain's view of the target
//!    ([`chain::Chain::key_holders`]), then anonymization ([`pmr_vault::anonymize`]) before
//!    anything is stored, so the plain record never reaches the node's disk. The anonymized
//!    record is committed durably to the queue ([`queue`], over the role-agnostic [`store`])
//!    and the job id returned.
//! 3. **Queue → vault → IPFS** ([`engine`]): encrypt under a fresh key, split the key to the
//!    patient (essential share) and the chain's current custodian set (t of n), add ciphertext
//!    and manifest to IPFS unpinned, record their CIDs, pin them, drop the anonymized copy.
//! 4. **Anchor**: the job's prepared anchor (content, manifest hash, the encoded call) is
//!    signed by the clinician's wallet (two-phase), or by the node with a key the operator put
//!    in its keystore for a lab or device account (node-signed, submitted in nonce order and
//!    resubmitted until included); the worker follows finalized blocks ([`scan`], from the
//!    facts the node captured when it imported each block), marks the job anchored, unpins
//!    jobs never anchored in time and unpins erased records' content.
//!
//! 5. **Custody** ([`custody`], when the node is its hospital's custodian node): answers the
//!    key requests of finalized blocks, releasing this custodian's share re-wrapped to the
//!    requester, or refusing, after re-checking the consent decision on chain; and keeps a
//!    checked copy of every record anchored in the consortium ([`replica`]). It also answers
//!    signed share requests sent straight to it (`pmr_requestShare`, [`share`]) at once, from
//!    the decision at its finalized block, and records each answer on chain for the patient's
//!    audit trail.
//!
//! [`read`] holds the other side of key release, which needs no node of one's own: the
//! patient's re-wrap of the essential share and the reader's recovery of the record.
//!
//! See `docs/worker.md` for the operator's view and `docs/key-release.md` for key release.

pub mod archive;
pub mod chain;
pub mod custody;
pub mod engine;
pub mod iomt;
pub mod job;
pub mod metrics;
pub mod queue;
pub mod read;
pub mod replica;
pub mod rpc;
pub mod scan;
pub mod share;
pub mod store;

use chain::{Chain, Rejection};
use job::{AnchorRequest, AnonymizationSummary, Job, JobId, JobState, RecordFormat};
use metrics::Metrics;
use pmr_vault::{ipfs::Ipfs, pipeline::RecordKind};
use std::{
	path::{Path, PathBuf},
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	time::Duration,
};
use store::{Store, StoreError};
use tokio::sync::{broadcast, Notify, Semaphore};

/// The worker's command-line options (flattened into `pmr-node`'s).
#[derive(Debug, Clone, clap::Args)]
pub struct WorkerCli {
	/// The hospital's IPFS node (Kubo RPC API) where records are pinned.
	#[arg(long = "pmr-ipfs-api", value_name = "URL", default_value = pmr_vault::ipfs::DEFAULT_API)]
	pub ipfs_api: String,

	/// The largest record `pmr_submitRecord` accepts, in MiB (the JSON-RPC request carrying it
	/// is twice as large: raise `--rpc-max-request-size` to match).
	#[arg(long = "pmr-max-record-mib", value_name = "MiB", default_value_t = 64)]
	pub max_record_mib: u64,

	/// Finalized blocks a prepared anchor waits to be included before its content is unpinned.
	#[arg(long = "pmr-anchor-timeout", value_name = "BLOCKS", default_value_t = 600)]
	pub anchor_timeout: u64,

	/// Seconds per IPFS request before it counts as failed (and is retried).
	#[arg(long = "pmr-ipfs-timeout", value_name = "SECONDS", default_value_t = 60)]
	pub ipfs_timeout: u64,

	/// Run the node without the ingest worker and its `pmr_` RPC methods.
	#[arg(long = "pmr-no-worker")]
	pub disabled: bool,

	/// Make this node its hospital's custodian node: the file holds the hospital's custodian
	/// X25519 secret(s) as hex, one per line, newest first (older keys open shares made before
	/// a rotation). Needs `--pmr-custodian-account`.
	#[arg(long = "pmr-custodian-key-file", value_name = "PATH", requires = "custodian_account")]
	pub custodian_key_file: Option<PathBuf>,

	/// The hospital's key-custodian account (SS58) that signs the answers to key requests; its
	/// sr25519 key must be in the node's keystore under key type `pmra`.
	#[arg(long = "pmr-custodian-account", value_name = "SS58", requires = "custodian_key_file")]
	pub custodian_account: Option<String>,

	/// Seconds between checks that a custodian node's replicas of the consortium's records
	/// are still pinned (what is not is fetched again).
	#[arg(long = "pmr-replica-check-secs", value_name = "SECONDS", default_value_t = 3600)]
	pub replica_check_secs: u64,

	/// Also accept records as raw bytes over HTTP at this address (`POST /records`, the
	/// submission's JSON in the `PMR-Submission` header): no hex, no JSON parse of the record.
	/// Like the unsafe `pmr_` methods it serves only localhost, unless the node allows unsafe
	/// RPC methods (`--rpc-methods unsafe`). Off when omitted.
	#[arg(long = "pmr-upload-addr", value_name = "IP:PORT")]
	pub upload_addr: Option<std::net::SocketAddr>,
}

/// The worker's configuration.
#[derive(Debug, Clone)]
pub struct Config {
	/// The IPFS RPC API.
	pub ipfs_api: String,
	/// Per-request IPFS timeout.
	pub ipfs_timeout: Duration,
	/// Largest accepted record, in bytes.
	pub max_record_size: usize,
	/// Finalized blocks an anchor is awaited.
	pub anchor_timeout: u64,
	/// Where the queue and the pseudonym secret live.
	pub data_dir: PathBuf,
	/// Records anonymized at once (each holds its input and output in memory).
	pub max_concurrent_intake: usize,
	/// The custodian role: the key file and the account that answers, if this node is its
	/// hospital's custodian node.
	pub custodian: Option<(PathBuf, String)>,
	/// How often a custodian node checks its replicas are still pinned.
	pub replica_check: Duration,
}

impl Config {
	/// The configuration from the command line, with its files under `data_dir`.
	pub fn from_cli(cli: &WorkerCli, data_dir: PathBuf) -> Self {
		Self {
			ipfs_api: cli.ipfs_api.clone(),
			ipfs_timeout: Duration::from_secs(cli.ipfs_timeout.max(1)),
			max_record_size: usize::try_from(cli.max_record_mib.saturating_mul(1 << 20)).unwrap_or(usize::MAX),
			anchor_timeout: cli.anchor_timeout,
			data_dir,
			max_concurrent_intake: 2,
			custodian: cli.custodian_key_file.clone().zip(cli.custodian_account.clone()),
			replica_check: Duration::from_secs(cli.replica_check_secs),
		}
	}
}

/// Why a submission was refused.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
	/// The record is larger than the configured limit.
	#[error("record too large: {size} bytes, the limit is {limit}")]
	TooLarge {
		/// Its size.
		size: usize,
		/// The limit.
		limit: usize,
	},
	/// `data` is not hex.
	#[error("data is not 0x-prefixed hex")]
	BadEncoding,
	/// The FHIR input is not valid FHIR R4 JSON the anonymizer accepts.
	#[error("malformed FHIR: {0}")]
	MalformedFhir(String),
	/// The DICOM input could not be parsed.
	#[error("malformed DICOM: {0}")]
	MalformedDicom(String),
	/// The IoMT batch is not a batch of coded readings.
	#[error("malformed IoMT batch: {0}")]
	MalformedIomt(String),
	/// The chain refused the target.
	#[error(transparent)]
	Rejected(#[from] Rejection),
	/// The queue could not store the job (nothing was stored).
	#[error(transparent)]
	Store(#[from] StoreError),
	/// An internal failure (nothing was stored).
	#[error("internal: {0}")]
	Internal(String),
}

impl SubmitError {
	/// A short label for metrics.
	pub fn label(&self) -> &'static str {
		match self {
			Self::TooLarge { .. } => "rpc_too_large",
			Self::BadEncoding => "rpc_bad_encoding",
			Self::MalformedFhir(_) => "rpc_malformed_fhir",
			Self::MalformedDicom(_) => "rpc_malformed_dicom",
			Self::MalformedIomt(_) => "rpc_malformed_iomt",
			Self::Rejected(Rejection::UnknownPatient) => "rpc_unknown_patient",
			Self::Rejected(Rejection::WrongCategory(_)) => "rpc_wrong_category",
			Self::Rejected(Rejection::BadTarget(_)) => "rpc_bad_target",
			Self::Rejected(Rejection::NoCustodianSet(_)) => "rpc_no_custodian_set",
			Self::Rejected(Rejection::NoSigningKey(_)) => "rpc_no_signing_key",
			Self::Store(_) => "rpc_store",
			Self::Internal(_) => "rpc_internal",
		}
	}
}

/// A record handed to the worker.
#[derive(Debug, Clone)]
pub struct Submission {
	/// Its format.
	pub format: RecordFormat,
	/// Who it is for and what it becomes.
	pub request: AnchorRequest,
	/// The record's bytes.
	pub data: Vec<u8>,
}

/// Opens (or creates) the worker's store at `path` with the tables of every role.
pub fn open_store(path: &Path) -> Result<Store, StoreError> {
	Store::open(
		path,
		&[
				queue::create_tables,
				scan::create_tables,
				custody::create_tables,
				share::create_tables,
				replica::create_tables,
				archive::create_tables,
			],
	)
}

/// The ingest worker: the queue, the IPFS client and the chain, shared by the RPC handlers
/// and the background task.
pub struct Worker<C> {
	pub(crate) store: Store,
	pub(crate) chain: Arc<C>,
	pub(crate) ipfs: Ipfs,
	pub(crate) config: Config,
	pub(crate) metrics: Option<Metrics>,
	pub(crate) wake: Notify,
	pub(crate) updates: broadcast::Sender<Job>,
	/// Whether a job changed since the state gauges were last set.
	pub(crate) metrics_stale: AtomicBool,
	/// The custodian role, if this node is its hospital's custodian node.
	pub(crate) custodian: Option<custody::Custodian>,
	intake: Semaphore,
	pseudonym_secret: [u8; 32],
}

/// What can stop the worker from starting.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
	/// The queue cannot be opened.
	#[error(transparent)]
	Store(#[from] StoreError),
	/// The IPFS API address is invalid.
	#[error("IPFS: {0}")]
	Ipfs(String),
	/// The pseudonym secret cannot be read or created.
	#[error("pseudonym secret: {0}")]
	Secret(std::io::Error),
	/// The metrics cannot be registered.
	#[error("metrics: {0}")]
	Metrics(String),
	/// The custodian keys cannot be read.
	#[error("custodian keys: {0}")]
	Custodian(String),
}

impl<C: Chain> Worker<C> {
	/// Opens the queue under `config.data_dir` and connects to IPFS (lazily: an IPFS node that
	/// is down only delays jobs).
	pub fn new(
		config: Config,
		chain: Arc<C>,
		registry: Option<&substrate_prometheus_endpoint::Registry>,
	) -> Result<Arc<Self>, StartError> {
		let store = open_store(&config.data_dir.join("queue.redb"))?;
		let ipfs =
			Ipfs::new(&config.ipfs_api, config.ipfs_timeout).map_err(|e| StartError::Ipfs(e.to_string()))?;
		let metrics = registry
			.map(Metrics::register)
			.transpose()
			.map_err(|e| StartError::Metrics(e.to_string()))?;
		let pseudonym_secret = load_or_create_secret(&config.data_dir.join("pseudonym-secret"))
			.map_err(StartError::Secret)?;
		let custodian = config
			.custodian
			.as_ref()
			.map(|(path, account)| {
				custody::load_secrets(path).map(|secrets| custody::Custodian { account: account.clone(), secrets })
			})
			.transpose()
			.map_err(StartError::Custodian)?;
		let (updates, _) = broadcast::channel(256);
		Ok(Arc::new(Self {
			store,
			chain,
			ipfs,
			intake: Semaphore::new(config.max_concurrent_intake.max(1)),
			config,
			metrics,
			wake: Notify::new(),
			updates,
			metrics_stale: AtomicBool::new(true),
			custodian,
			pseudonym_secret,
		}))
	}

	/// A job, as `pmr_jobStatus` shows it.
	pub fn job(&self, id: JobId) -> Result<Option<Job>, StoreError> {
		self.store.job(id)
	}

	/// Jobs, oldest first, optionally only those in state `state`.
	pub fn jobs(&self, state: Option<&str>) -> Result<Vec<Job>, StoreError> {
		self.store.jobs_where(|j| state.is_none_or(|s| j.state.label() == s))
	}

	/// Follows every change of job states.
	pub fn subscribe(&self) -> broadcast::Receiver<Job> {
		self.updates.subscribe()
	}

	/// Takes a record: checks it against the chain, anonymizes it and queues the anonymized
	/// record durably. Returns once the job is on disk; nothing is stored if it fails.
	pub async fn submit(self: &Arc<Self>, submission: Submission) -> Result<JobId, SubmitError> {
		let result = self.clone().intake(submission).await;
		match &result {
			Ok(id) => {
				log::info!(target: "pmr-worker", "{id}: accepted");
				self.wake.notify_one();
			},
			Err(e) => self.refused(e),
		}
		result
	}

	/// The largest record accepted, in bytes (`--pmr-max-record-mib`).
	pub fn max_record_size(&self) -> usize {
		self.config.max_record_size
	}

	/// Logs and counts a submission refused before it reached [`Worker::submit`] (too large,
	/// unreadable), and returns it.
	pub fn refuse(&self, e: SubmitError) -> SubmitError {
		self.refused(&e);
		e
	}

	/// Logs and counts a refused submission (by its label: no personal data).
	pub(crate) fn refused(&self, e: &SubmitError) {
		log::info!(target: "pmr-worker", "submission refused: {}", e.label());
		if let Some(m) = &self.metrics {
			m.fail(e.label());
		}
	}

	async fn intake(self: Arc<Self>, submission: Submission) -> Result<JobId, SubmitError> {
		let Submission { format, mut request, data } = submission;
		let limit = self.config.max_record_size;
		if data.len() > limit {
			return Err(SubmitError::TooLarge { size: data.len(), limit });
		}
		let is_batch = matches!(request.target, job::AnchorTarget::IomtBatch { .. });
		if is_batch != (format == RecordFormat::Iomt) {
			return Err(Rejection::BadTarget("IoMT batches, and only they, are anchored as iomtBatch".into()).into());
		}
		if is_batch && request.signer.is_none() {
			return Err(Rejection::BadTarget("an IoMT batch is signed by its device: name it as signer".into()).into());
		}
		match (request.is_clinical(), &request.signer, &request.author) {
			(true, None, None) => {
				return Err(Rejection::BadTarget(
					"a record signed in a wallet names its author: the SS58 account that will sign the prepared call"
						.into(),
				)
				.into())
			},
			(true, Some(signer), Some(author)) if signer != author => {
				return Err(Rejection::BadTarget("the author and the signer differ".into()).into())
			},
			(false, _, Some(_)) => {
				return Err(Rejection::BadTarget(
					"only records and amendments name an author; a lab report is anchored by the order's lab, an IoMT batch by its device"
						.into(),
				)
				.into())
			},
			_ => {},
		}
		self.chain.key_holders(&request)?;
		if let Some(signer) = &request.signer {
			// Its nonces belong to the custodian role's answers.
			if self.custodian.as_ref().is_some_and(|c| &c.account == signer) {
				return Err(Rejection::BadTarget("the custodian account answers key requests only".into()).into());
			}
			self.chain.can_sign(signer)?;
		}
		let _permit = self.intake.acquire().await.map_err(|e| SubmitError::Internal(e.to_string()))?;
		let worker = self.clone();
		tokio::task::spawn_blocking(move || {
			let key = worker.pseudonym_key(request.patient);
			let patient = request.patient.to_string();
			let (anonymized, report) = match format {
				RecordFormat::Fhir => pmr_vault::pipeline::anonymize(RecordKind::Fhir, &data, &patient, &key)
					.map_err(|e| SubmitError::MalformedFhir(e.to_string()))?,
				RecordFormat::Dicom => pmr_vault::pipeline::anonymize(RecordKind::Dicom, &data, &patient, &key)
					.map_err(|e| SubmitError::MalformedDicom(e.to_string()))?,
				RecordFormat::Iomt => {
					let (canonical, batch) =
						iomt::canonicalize(&data, rand::random()).map_err(SubmitError::MalformedIomt)?;
					request.target = job::AnchorTarget::IomtBatch { batch: Some(batch) };
					(canonical, Default::default())
				},
			};
			drop(data);
			let now = job::now_millis();
			let job = Job {
				id: JobId(0),
				format,
				request,
				state: JobState::Queued,
				size: anonymized.len() as u64,
				anonymization: AnonymizationSummary {
					removed: u32::try_from(report.removed.len()).unwrap_or(u32::MAX),
					pseudonymized: u32::try_from(report.pseudonymized.len()).unwrap_or(u32::MAX),
					warnings: report.warnings,
				},
				accepted_at: now,
				updated_at: now,
			};
			let id = worker.store.accept(job.clone(), &anonymized)?;
			worker.metrics_stale.store(true, Ordering::Relaxed);
			let _ = worker.updates.send(Job { id, ..job });
			Ok(id)
		})
		.await
		.map_err(|e| SubmitError::Internal(e.to_string()))?
	}

	/// The key of a patient's pseudonyms: one per patient and hospital node, so a patient's
	/// records stay linkable to each other and to nothing else.
	fn pseudonym_key(&self, patient: u64) -> [u8; 32] {
		let mut input = b"pmr-worker/pseudonym/v1".to_vec();
		input.extend_from_slice(&self.pseudonym_secret);
		input.extend_from_slice(&patient.to_le_bytes());
		pmr_vault::blake2_256(&input)
	}

	/// Refreshes the state gauges, if a job changed since the last refresh (counting reads
	/// every job).
	pub(crate) fn refresh_metrics(&self) {
		if !self.metrics_stale.swap(false, Ordering::Relaxed) {
			return;
		}
		if let Some(m) = &self.metrics {
			if let Ok((counts, _)) = self.store.counts() {
				m.set_counts(&counts);
			}
		}
	}
}

/// Reads the node's pseudonym secret, creating it (owner-only) on first start.
fn load_or_create_secret(path: &std::path::Path) -> std::io::Result<[u8; 32]> {
	use std::io::Write;
	if let Ok(bytes) = std::fs::read(path) {
		return <[u8; 32]>::try_from(bytes.as_slice())
			.map_err(|_| std::io::Error::other("the pseudonym secret is not 32 bytes"));
	}
	if let Some(dir) = path.parent() {
		std::fs::create_dir_all(dir)?;
	}
	let secret = *pmr_vault::crypto::DataKey::generate().as_bytes();
	let tmp = path.with_extension("tmp");
	{
		let mut options = std::fs::OpenOptions::new();
		options.write(true).create(true).truncate(true);
		#[cfg(unix)]
		std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
		let mut file = options.open(&tmp)?;
		file.write_all(&secret)?;
		file.sync_all()?;
	}
	std::fs::rename(&tmp, path)?;
	Ok(secret)
}
