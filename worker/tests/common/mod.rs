//! What the worker's tests share: an in-memory [`Chain`] and the real local IPFS node
//! (scripts/ipfs-dev-node.sh; $PMR_IPFS_API).
#![allow(dead_code)]

use pmr_vault::{envelope::generate_keypair, ipfs::Ipfs, manifest::KeyManifest, pipeline};
use pmr_worker::{
	chain::{
		AnswerToRecord, BlockFacts, BoxFuture, Chain, ChainError, CustodyAnswer, KeyHolders,
		KeyRequestView, PoolError, Rejection, ShareCheck, ShareRefusal, ShareRequestInvalid,
	},
	job::{AnchorContent, AnchorRequest, AnchorTarget, JobId, JobState, RecordFormat},
	Config, Submission, Worker,
};
use std::{
	collections::BTreeMap,
	path::Path,
	sync::{Arc, Mutex},
	time::Duration,
};
use x25519_dalek::StaticSecret;

pub const BUNDLE: &[u8] = include_bytes!("../../../vault/tests/fixtures/bundle.json");
/// Identifying values in the bundle that must never leave the anonymizer.
pub const MARKERS: [&str; 6] =
	["Ravi", "Kumar", "9876 5432 1098", "+91 98450 12345", "ravi.kumar@example.in", "12 Temple Street"];

/// A chain in memory: one patient (0), custodian set version 3, and finalized blocks the
/// test appends.
pub struct MemChain {
	pub patient_key: [u8; 32],
	pub custodians: Vec<[u8; 32]>,
	pub blocks: Mutex<Vec<BlockFacts>>,
	/// Best blocks beyond the finalized ones.
	pub unfinalized: Mutex<u64>,
	/// The signer the node holds a key for, and its (best, finalized) nonces.
	pub nonces: Mutex<(u32, u32)>,
	/// Every transaction handed to the pool: (signer, call, nonce).
	pub pool: Mutex<Vec<(String, Vec<u8>, u32)>>,
	/// Open key requests, and the release check of each.
	pub key_requests: Mutex<BTreeMap<u64, (KeyRequestView, Result<(), ShareRefusal>)>>,
	/// CIDs a live anchor names (at the last finalized block).
	pub live_cids: Mutex<std::collections::BTreeSet<String>>,
	/// The node pruned the state of every block below this one: their facts can no longer
	/// be read from the chain.
	pub pruned_below: Mutex<u64>,
	/// The runtime's decision on each share request (by its bytes) at the finalized block;
	/// only the signature [`SIGNED`] is the requester's.
	pub share_checks: Mutex<BTreeMap<Vec<u8>, ShareCheck>>,
}

/// The one signature [`MemChain`] takes as the requester's.
pub const SIGNED: &[u8] = b"signed";

/// The key-custodian account of hospital `hospital` in [`MemChain`].
pub fn custodian(hospital: u32) -> String {
	format!("5FCustodian{hospital}")
}

pub const LAB: &str = "5FLab";

impl MemChain {
	pub fn finalize(&self, facts: BlockFacts) {
		self.blocks.lock().unwrap().push(facts);
	}

	pub fn finalize_empty(&self, n: usize) {
		for _ in 0..n {
			self.finalize(BlockFacts::default());
		}
	}
}

impl Chain for MemChain {
	fn key_holders(&self, request: &AnchorRequest) -> Result<KeyHolders, Rejection> {
		if request.patient != 0 {
			return Err(Rejection::UnknownPatient);
		}
		if request.category == "noSuchCategory" {
			return Err(Rejection::WrongCategory(request.category.clone()));
		}
		Ok(KeyHolders {
			patient_key: self.patient_key,
			custodian_keys: self.custodians.clone(),
			threshold: 2,
			custodian_set: 3,
		})
	}

	fn anchor_call(&self, _: &AnchorRequest, content: &AnchorContent) -> Result<Vec<u8>, Rejection> {
		Ok(content.ciphertext_hash.to_vec())
	}

	fn finalized_number(&self) -> Result<u64, ChainError> {
		Ok(self.blocks.lock().unwrap().len() as u64)
	}

	fn block_hash(&self, number: u64) -> Result<String, ChainError> {
		Ok(format!("0x{number:064x}"))
	}

	fn block_facts(&self, number: u64) -> Result<BlockFacts, ChainError> {
		if number < *self.pruned_below.lock().unwrap() {
			return Err(ChainError(format!("state of block {number} already discarded")));
		}
		let blocks = self.blocks.lock().unwrap();
		let mut facts = blocks.get(number as usize - 1).cloned().ok_or(ChainError("no block".into()))?;
		facts.hash = format!("0x{number:064x}");
		Ok(facts)
	}

	fn best_number(&self) -> Result<u64, ChainError> {
		Ok(self.finalized_number()? + *self.unfinalized.lock().unwrap())
	}

	fn can_sign(&self, signer: &str) -> Result<(), Rejection> {
		(signer == LAB || signer.starts_with("5FCustodian"))
			.then_some(())
			.ok_or(Rejection::NoSigningKey(signer.into()))
	}

	fn nonce(&self, _: &str, finalized: bool) -> Result<u32, ChainError> {
		let (best, fin) = *self.nonces.lock().unwrap();
		Ok(if finalized { fin } else { best })
	}

	fn submit_signed(&self, signer: &str, call: &[u8], nonce: u32) -> BoxFuture<Result<(), PoolError>> {
		self.pool.lock().unwrap().push((signer.to_string(), call.to_vec(), nonce));
		Box::pin(async { Ok(()) })
	}

	fn key_request(&self, request: u64) -> Result<Option<KeyRequestView>, ChainError> {
		Ok(self.key_requests.lock().unwrap().get(&request).map(|(v, _)| v.clone()))
	}

	fn release_check(&self, request: u64) -> Result<Option<Result<(), ShareRefusal>>, ChainError> {
		Ok(self.key_requests.lock().unwrap().get(&request).map(|(_, c)| *c))
	}

	fn cid_in_use(&self, cid: &str) -> Result<bool, ChainError> {
		Ok(self.live_cids.lock().unwrap().contains(cid))
	}

	fn custodian_hospital(&self, account: &str) -> Result<Option<u32>, ChainError> {
		Ok(account.strip_prefix("5FCustodian").and_then(|h| h.parse().ok()))
	}

	/// `request:answer` as text, so tests can read what was answered.
	fn answer_call(&self, request: u64, answer: &CustodyAnswer) -> Result<Vec<u8>, ChainError> {
		Ok(format!("{request}:{answer:?}").into_bytes())
	}

	fn check_share_request(&self, request: &[u8], signature: &[u8]) -> Result<ShareCheck, ChainError> {
		if signature != SIGNED {
			return Ok(ShareCheck::Invalid(ShareRequestInvalid::BadSignature));
		}
		Ok(self
			.share_checks
			.lock()
			.unwrap()
			.get(request)
			.cloned()
			.unwrap_or(ShareCheck::Invalid(ShareRequestInvalid::UnknownContent)))
	}

	/// `record:` and each answer's `request@decided_at=answer` as text.
	fn record_answers_call(&self, answers: &[AnswerToRecord]) -> Result<Vec<u8>, ChainError> {
		let each: Vec<_> = answers
			.iter()
			.map(|a| format!("{}@{}={:?}", String::from_utf8_lossy(&a.request), a.decided_at, a.answer))
			.collect();
		Ok(format!("record:{}", each.join(",")).into_bytes())
	}
}

pub struct Fixture {
	pub chain: Arc<MemChain>,
	pub patient: StaticSecret,
	pub custodians: Vec<StaticSecret>,
	pub ipfs: Ipfs,
	pub dir: tempfile::TempDir,
}

pub fn fixture() -> Fixture {
	let (patient, patient_key) = generate_keypair();
	let custodians: Vec<_> = (0..3).map(|_| generate_keypair()).collect();
	let chain = Arc::new(MemChain {
		patient_key,
		custodians: custodians.iter().map(|(_, pk)| *pk).collect(),
		blocks: Mutex::new(Vec::new()),
		unfinalized: Mutex::new(0),
		nonces: Mutex::new((5, 5)),
		pool: Mutex::new(Vec::new()),
		key_requests: Mutex::new(BTreeMap::new()),
		live_cids: Mutex::new(Default::default()),
		pruned_below: Mutex::new(0),
		share_checks: Mutex::new(BTreeMap::new()),
	});
	Fixture {
		chain,
		patient,
		custodians: custodians.into_iter().map(|(sk, _)| sk).collect(),
		ipfs: Ipfs::from_env().expect("PMR_IPFS_API"),
		dir: tempfile::tempdir().unwrap(),
	}
}

pub fn config(dir: &Path, anchor_timeout: u64) -> Config {
	Config {
		ipfs_api: std::env::var("PMR_IPFS_API").unwrap_or_else(|_| "http://127.0.0.1:5001".into()),
		ipfs_timeout: Duration::from_secs(30),
		max_record_size: 1 << 20,
		anchor_timeout,
		data_dir: dir.to_path_buf(),
		max_concurrent_intake: 2,
		custodian: None,
		replica_check: Duration::from_secs(3600),
	}
}

/// The clinician who signs the prepared anchors of [`record`] (an SS58 account).
pub const DOCTOR: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

pub fn record(data: &[u8]) -> Submission {
	Submission {
		format: RecordFormat::Fhir,
		request: AnchorRequest {
			patient: 0,
			category: "presentIllness".into(),
			target: AnchorTarget::Record { hospital: 0, visit_date: 26_01_2021, course_end: None },
			signer: None,
			author: Some(DOCTOR.into()),
		},
		data: data.to_vec(),
	}
}

impl Fixture {
	/// A worker that is hospital `hospital`'s custodian node, holding custodian secret
	/// `secret` (its own queue under the fixture's directory; replicas checked every round).
	pub fn custodian_worker(&self, hospital: u32, secret: &StaticSecret) -> Arc<Worker<MemChain>> {
		let dir = self.dir.path().join(format!("custodian-{hospital}"));
		std::fs::create_dir_all(&dir).unwrap();
		let key_file = dir.join("custodian.key");
		std::fs::write(&key_file, format!("# custodian {hospital}\n0x{}\n", pmr_vault::hex::encode(secret.as_bytes())))
			.unwrap();
		// Key files are the owner's alone, or the worker refuses them.
		let mut owner_only = std::fs::metadata(&key_file).unwrap().permissions();
		std::os::unix::fs::PermissionsExt::set_mode(&mut owner_only, 0o600);
		std::fs::set_permissions(&key_file, owner_only).unwrap();
		let config = Config {
			custodian: Some((key_file, custodian(hospital))),
			// Check replicas on every round.
			replica_check: Duration::ZERO,
			..config(&dir, 100)
		};
		Worker::new(config, self.chain.clone(), None).expect("custodian worker starts")
	}

	pub fn worker(&self, anchor_timeout: u64) -> Arc<Worker<MemChain>> {
		Worker::new(config(self.dir.path(), anchor_timeout), self.chain.clone(), None).expect("worker starts")
	}

	/// The same worker (the same queue) with its IPFS node down.
	pub fn worker_without_ipfs(&self, anchor_timeout: u64) -> Arc<Worker<MemChain>> {
		let config = Config {
			ipfs_api: "http://127.0.0.1:9".into(),
			ipfs_timeout: Duration::from_secs(2),
			..config(self.dir.path(), anchor_timeout)
		};
		Worker::new(config, self.chain.clone(), None).expect("worker starts")
	}

	pub async fn require_ipfs(&self) {
		assert!(self.ipfs.is_up().await, "no IPFS node at $PMR_IPFS_API: start scripts/ipfs-dev-node.sh");
	}

	/// Reads the record back the way an authorized reader will: manifest and ciphertext
	/// checked against the anchored hashes, the patient's share plus two custodians'.
	pub async fn read_back(&self, content: &AnchorContent) -> Vec<u8> {
		let manifest: KeyManifest =
			pipeline::fetch_manifest(&self.ipfs, &content.manifest.cid, &content.manifest.hash)
				.await
				.expect("manifest matches its anchored hash");
		assert_eq!(manifest.ciphertext_hash, content.ciphertext_hash);
		assert_eq!(manifest.plaintext_hash, content.plaintext_hash);
		assert_eq!(manifest.custodians.len(), 3);
		let essential = manifest.open_essential(&self.patient).unwrap();
		let shares = vec![
			manifest.open_custodian_share(1, &self.custodians[0]).unwrap(),
			manifest.open_custodian_share(3, &self.custodians[2]).unwrap(),
		];
		pipeline::retrieve(&self.ipfs, &content.cid, &manifest, &essential, &shares)
			.await
			.expect("ciphertext and plaintext match their anchored hashes")
	}
}

pub fn pinned(worker: &Worker<MemChain>, id: JobId) -> AnchorContent {
	match worker.job(id).unwrap().unwrap().state {
		JobState::Pinned { anchor, .. } => anchor.content,
		other => panic!("expected pinned, got {other:?}"),
	}
}

/// pydicom's `CT_small.dcm` ($PMR_DICOM_SAMPLES, fetched by scripts/fetch-test-data.sh).
pub fn ct_small() -> Vec<u8> {
	let dir = std::env::var("PMR_DICOM_SAMPLES").map(std::path::PathBuf::from).unwrap_or_else(|_| {
		std::path::PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/pmr-chain/test-data/dicom")
	});
	std::fs::read(dir.join("CT_small.dcm")).expect("scripts/fetch-test-data.sh fetched CT_small.dcm")
}
