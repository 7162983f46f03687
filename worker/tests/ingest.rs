//! The ingest path without a chain: an in-memory chain and the real local IPFS node. Each
//! test follows one record from submission to its end state and checks what IPFS holds
//! against what the chain would anchor.

mod common;

use common::*;
use pmr_vault::pipeline;
use pmr_worker::{
	chain::{AnchorSeen, BlockFacts, Rejection},
	job::{AnchorContent, AnchorTarget, AnchoredAs, JobState, ManifestAnchor, RecordFormat},
	queue::Indexes,
	SubmitError,
};
use std::{collections::BTreeMap, sync::Mutex};

#[tokio::test]
async fn a_record_is_anonymized_encrypted_shared_pinned_and_anchored() {
	let f = fixture();
	f.require_ipfs().await;
	let worker = f.worker(100);
	let id = worker.submit(record(BUNDLE)).await.expect("accepted");
	assert_eq!(worker.job(id).unwrap().unwrap().state, JobState::Queued);

	worker.process_pending().await;
	let content = pinned(&worker, id);
	assert_eq!(content.manifest.custodian_set, 3);
	assert!(f.ipfs.is_pinned(&content.cid).await.unwrap());
	assert!(f.ipfs.is_pinned(&content.manifest.cid).await.unwrap());

	let plain = f.read_back(&content).await;
	let text = String::from_utf8(plain).unwrap();
	for marker in MARKERS {
		assert!(!text.contains(marker), "{marker:?} survived anonymization");
	}
	assert!(text.contains("\"resourceType\":\"Bundle\""));

	// Finalized blocks: one unrelated, then the anchor.
	f.chain.finalize_empty(1);
	worker.follow_chain().await.unwrap(); // first scan: remembers where it starts
	f.chain.finalize(anchored_as_record_42(&content));
	worker.follow_chain().await.unwrap();
	match worker.job(id).unwrap().unwrap().state {
		JobState::Anchored { block_number, anchored_as, .. } => {
			assert_eq!(block_number, 2);
			assert_eq!(anchored_as, AnchoredAs::Record { item: 42, version: 0 });
		},
		other => panic!("expected anchored, got {other:?}"),
	}

	// The record is erased on chain: the node unpins what it pinned for it.
	f.chain.finalize(erasure_of(&content));
	worker.follow_chain().await.unwrap();
	assert!(matches!(worker.job(id).unwrap().unwrap().state, JobState::Erased { block_number: 3 }));
	assert!(!f.ipfs.is_pinned(&content.cid).await.unwrap());
	assert!(!f.ipfs.is_pinned(&content.manifest.cid).await.unwrap());
}

#[tokio::test]
async fn an_erasure_never_unpins_content_a_live_anchor_names() {
	let f = fixture();
	f.require_ipfs().await;
	let worker = f.worker(100);
	let id = worker.submit(record(BUNDLE)).await.expect("accepted");
	worker.process_pending().await;
	let content = pinned(&worker, id);
	f.chain.finalize_empty(1);
	worker.follow_chain().await.unwrap();
	f.chain.finalize(anchored_as_record_42(&content));
	worker.follow_chain().await.unwrap();

	// An erasure event names this record's CIDs while its anchor is still live on chain (what
	// a second anchor of the same CIDs, then erased, would have done before the chain refused
	// such anchors): nothing is unpinned and the job stays anchored.
	f.chain.live_cids.lock().unwrap().extend([content.cid.clone(), content.manifest.cid.clone()]);
	f.chain.finalize(erasure_of(&content));
	worker.follow_chain().await.unwrap();
	assert!(matches!(worker.job(id).unwrap().unwrap().state, JobState::Anchored { .. }));
	assert!(f.ipfs.is_pinned(&content.cid).await.unwrap());
	assert!(f.ipfs.is_pinned(&content.manifest.cid).await.unwrap());

	// Once no live anchor names them, the record's own erasure unpins them.
	f.chain.live_cids.lock().unwrap().clear();
	f.chain.finalize(erasure_of(&content));
	worker.follow_chain().await.unwrap();
	assert!(matches!(worker.job(id).unwrap().unwrap().state, JobState::Erased { .. }));
	assert!(!f.ipfs.is_pinned(&content.cid).await.unwrap());
}

#[tokio::test]
async fn a_failed_unpin_never_holds_up_the_scan_and_is_tried_again() {
	let f = fixture();
	f.require_ipfs().await;
	let content = {
		let worker = f.worker(100);
		let id = worker.submit(record(BUNDLE)).await.expect("accepted");
		worker.process_pending().await;
		let content = pinned(&worker, id);
		f.chain.finalize_empty(1);
		worker.follow_chain().await.unwrap();
		f.chain.finalize(anchored_as_record_42(&content));
		worker.follow_chain().await.unwrap();
		content
	};
	// The record is erased while the node's IPFS node is down; more blocks follow.
	f.chain.finalize(erasure_of(&content));
	f.chain.finalize_empty(5);
	{
		let worker = f.worker_without_ipfs(100);
		worker.follow_chain().await.expect("the scan goes on past the failed unpin");
		assert_eq!(worker.scan_lag().unwrap(), 0, "every finalized block was scanned");
		let pending = worker.unpins_pending().unwrap();
		assert_eq!(pending.len(), 2, "both CIDs wait to be unpinned: {pending:?}");
		assert!(pending.iter().all(|(_, block)| *block == 3));
	}
	// IPFS is back: the next round unpins them.
	let worker = f.worker(100);
	worker.follow_chain().await.unwrap();
	assert!(worker.unpins_pending().unwrap().is_empty());
	assert!(!f.ipfs.is_pinned(&content.cid).await.unwrap());
	assert!(!f.ipfs.is_pinned(&content.manifest.cid).await.unwrap());
}

#[tokio::test]
async fn a_worker_far_behind_catches_up_from_the_facts_captured_at_import() {
	let f = fixture();
	f.require_ipfs().await;
	let worker = f.worker(1_000);
	let id = worker.submit(record(BUNDLE)).await.expect("accepted");
	worker.process_pending().await;
	let content = pinned(&worker, id);
	f.chain.finalize_empty(1);
	worker.follow_chain().await.unwrap(); // first scan: remembers where it starts
	// 150 blocks are imported and finalized while the worker does not scan (its node was
	// syncing after an outage): the anchor in #100. The node hands the worker each block's
	// facts as it imports it, then prunes the state of all but the last.
	for n in 2..=151u64 {
		let facts = if n == 100 { anchored_as_record_42(&content) } else { BlockFacts::default() };
		f.chain.finalize(facts.clone());
		let hash = pmr_worker::chain::Chain::block_hash(&*f.chain, n).unwrap();
		worker.capture_block(n, &BlockFacts { hash, ..facts }).unwrap();
	}
	*f.chain.pruned_below.lock().unwrap() = 151;
	// The scan catches up in rounds of at most 64 blocks, from the captured facts alone.
	while worker.scan_lag().unwrap() > 0 {
		worker.follow_chain().await.expect("no pruned state is needed");
	}
	match worker.job(id).unwrap().unwrap().state {
		JobState::Anchored { block_number, .. } => assert_eq!(block_number, 100),
		other => panic!("expected anchored, got {other:?}"),
	}
	// Without the captured facts, the same scan stops at the first pruned block (as every
	// worker did before the node captured them).
	drop(worker);
	let late = fixture();
	let worker = late.worker(1_000);
	late.chain.finalize_empty(1);
	worker.follow_chain().await.unwrap();
	late.chain.finalize_empty(10);
	*late.chain.pruned_below.lock().unwrap() = 11;
	let err = worker.follow_chain().await.expect_err("pruned state");
	assert!(err.contains("block #2") && err.contains("discarded"), "{err}");
	assert_eq!(worker.scan_lag().unwrap(), 10);
}

#[tokio::test]
async fn a_prepared_anchor_never_signed_is_unpinned_after_its_deadline() {
	let f = fixture();
	f.require_ipfs().await;
	let worker = f.worker(2);
	worker.follow_chain().await.unwrap();
	let id = worker.submit(record(BUNDLE)).await.unwrap();
	worker.process_pending().await;
	let content = pinned(&worker, id);
	f.chain.finalize_empty(2);
	worker.follow_chain().await.unwrap();
	assert!(matches!(worker.job(id).unwrap().unwrap().state, JobState::Pinned { .. }), "not late yet");
	f.chain.finalize_empty(1);
	worker.follow_chain().await.unwrap();
	assert_eq!(worker.job(id).unwrap().unwrap().state, JobState::Expired { anchor_by: 2 });
	assert!(!f.ipfs.is_pinned(&content.cid).await.unwrap());
	// an anchor arriving after the deadline does not revive it
	f.chain.finalize(BlockFacts {
		anchors: vec![AnchorSeen {
			ciphertext_hash: content.ciphertext_hash,
			anchored_as: AnchoredAs::Record { item: 1, version: 0 },
		}],
		..Default::default()
	});
	worker.follow_chain().await.unwrap();
	assert!(matches!(worker.job(id).unwrap().unwrap().state, JobState::Expired { .. }));
}

#[tokio::test]
async fn accepted_jobs_survive_a_restart_at_every_step() {
	let f = fixture();
	f.require_ipfs().await;
	// Crash right after acceptance: the job is on disk and finishes after the restart.
	let queued = {
		let worker = f.worker(100);
		worker.submit(record(BUNDLE)).await.unwrap()
	};
	// Crash after the unpinned add (state `encrypted`, nothing pinned yet), and the same with
	// blocks IPFS no longer has (it collected them while the node was down).
	let (encrypted, lost) = {
		let worker = f.worker(100);
		(worker.submit(record(BUNDLE)).await.unwrap(), worker.submit(record(BUNDLE)).await.unwrap())
	};
	let recipients = pipeline::Recipients {
		patient_key: f.chain.patient_key,
		custodian_keys: f.chain.custodians.clone(),
		threshold: 2,
	};
	let sealed = pipeline::seal(b"{\"resourceType\":\"Basic\"}", &recipients).unwrap();
	let cids = f
		.ipfs
		.add_unpinned_all(vec![("ciphertext", sealed.ciphertext), ("manifest", sealed.manifest)])
		.await
		.unwrap();
	assert!(!f.ipfs.is_pinned(&cids[0]).await.unwrap());
	let content = |cid: &str, manifest_cid: &str| AnchorContent {
		cid: cid.to_string(),
		plaintext_hash: sealed.summary.plaintext_hash,
		ciphertext_hash: sealed.summary.ciphertext_hash,
		manifest: ManifestAnchor { cid: manifest_cid.to_string(), hash: sealed.manifest_hash, custodian_set: 3 },
	};
	{
		// what `encrypt` records before pinning, as the crashed worker left it
		let store = pmr_worker::open_store(&f.dir.path().join("queue.redb")).unwrap();
		let state = JobState::Encrypted { content: content(&cids[0], &cids[1]) };
		store.transition(encrypted, state, Indexes::default()).unwrap();
		let state = JobState::Encrypted { content: content("not-a-cid", "not-a-cid-either") };
		store.transition(lost, state, Indexes::default()).unwrap();
	}
	let worker = f.worker(100);
	worker.process_pending().await;
	let a = pinned(&worker, queued);
	let b = pinned(&worker, encrypted);
	assert_eq!(b, content(&cids[0], &cids[1]), "pinned what was added before the crash");
	// the lost one went back to the queue and is encrypted again on the next round
	worker.process_pending().await;
	let c = pinned(&worker, lost);
	assert_ne!(c.ciphertext_hash, b.ciphertext_hash);
	for content in [&a, &b, &c] {
		assert!(f.ipfs.is_pinned(&content.cid).await.unwrap());
		assert!(f.ipfs.is_pinned(&content.manifest.cid).await.unwrap());
		f.read_back(content).await;
	}
	// Nothing is left to do: processing again changes nothing.
	worker.process_pending().await;
	assert_eq!(pinned(&worker, queued), a);
	for content in [&a, &b, &c] {
		f.ipfs.unpin(&content.cid).await.unwrap();
		f.ipfs.unpin(&content.manifest.cid).await.unwrap();
	}
}

#[tokio::test]
async fn bad_input_gets_a_typed_error_and_stores_nothing() {
	let f = fixture();
	let worker = f.worker(100);
	let mut oversize = record(&vec![b' '; (1 << 20) + 1]);
	oversize.format = RecordFormat::Fhir;
	assert!(matches!(worker.submit(oversize).await, Err(SubmitError::TooLarge { .. })));
	assert!(matches!(worker.submit(record(b"{not json")).await, Err(SubmitError::MalformedFhir(_))));
	let mut dicom = record(b"DICM but not really a DICOM file");
	dicom.format = RecordFormat::Dicom;
	assert!(matches!(worker.submit(dicom).await, Err(SubmitError::MalformedDicom(_))));
	let mut stranger = record(BUNDLE);
	stranger.request.patient = 9;
	assert!(matches!(worker.submit(stranger).await, Err(SubmitError::Rejected(Rejection::UnknownPatient))));
	let mut category = record(BUNDLE);
	category.request.category = "noSuchCategory".into();
	assert!(matches!(worker.submit(category).await, Err(SubmitError::Rejected(Rejection::WrongCategory(_)))));
	// A record signed in a wallet names its author; a node-signed one may name only its
	// signer; a lab report names none.
	let bad_target = |r: Result<_, SubmitError>| matches!(r, Err(SubmitError::Rejected(Rejection::BadTarget(_))));
	let mut anonymous = record(BUNDLE);
	anonymous.request.author = None;
	assert!(bad_target(worker.submit(anonymous).await));
	let mut two_accounts = record(BUNDLE);
	two_accounts.request.signer = Some(LAB.into());
	assert!(bad_target(worker.submit(two_accounts).await));
	let mut authored_study = record(BUNDLE);
	authored_study.request.category = "labDiagnostics".into();
	authored_study.request.target = AnchorTarget::LabReport { order: 0, captured_on: 26_01_2021 };
	assert!(bad_target(worker.submit(authored_study).await));
	assert!(worker.jobs(None).unwrap().is_empty());
}

#[tokio::test]
async fn a_real_dicom_study_goes_through() {
	let f = fixture();
	f.require_ipfs().await;
	let ct = ct_small();
	let worker = f.worker(100);
	let mut study = record(&ct);
	study.format = RecordFormat::Dicom;
	study.request.category = "labDiagnostics".into();
	study.request.target = AnchorTarget::LabReport { order: 0, captured_on: 26_01_2021 };
	study.request.author = None;
	let id = worker.submit(study).await.unwrap();
	worker.process_pending().await;
	let content = pinned(&worker, id);
	let plain = f.read_back(&content).await;
	assert!(plain.len() > 128 && &plain[128..132] == b"DICM");
	assert_ne!(plain, ct, "the study was anonymized");
	f.ipfs.unpin(&content.cid).await.unwrap();
	f.ipfs.unpin(&content.manifest.cid).await.unwrap();
}

/// Captures every log line of the process (the worker logs through `log`).
struct Capture(Mutex<Vec<String>>);

impl log::Log for Capture {
	fn enabled(&self, _: &log::Metadata) -> bool {
		true
	}
	fn log(&self, record: &log::Record) {
		self.0.lock().unwrap().push(format!("{}", record.args()));
	}
	fn flush(&self) {}
}

static LOGS: Capture = Capture(Mutex::new(Vec::new()));

#[tokio::test]
async fn no_personal_data_in_the_logs() {
	let _ = log::set_logger(&LOGS);
	log::set_max_level(log::LevelFilter::Trace);
	let f = fixture();
	f.require_ipfs().await;
	let worker = f.worker(100);
	let id = worker.submit(record(BUNDLE)).await.unwrap();
	let _ = worker.submit(record(b"{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Kumar\"}]")).await;
	worker.process_pending().await;
	let content = pinned(&worker, id);
	let logs = LOGS.0.lock().unwrap().join("\n");
	assert!(logs.contains(&format!("{id}: pinned")), "the worker logs each job: {logs}");
	for marker in MARKERS {
		assert!(!logs.contains(marker), "{marker:?} in the logs");
	}
	let counts: BTreeMap<_, _> = worker.jobs(None).unwrap().iter().map(|j| (j.id, j.state.label())).collect();
	assert_eq!(counts.len(), 1);
	f.ipfs.unpin(&content.cid).await.unwrap();
	f.ipfs.unpin(&content.manifest.cid).await.unwrap();
}

#[tokio::test]
async fn node_signed_anchors_keep_their_nonce_until_included_and_never_anchor_twice() {
	let f = fixture();
	f.require_ipfs().await;
	let worker = f.worker(100);
	worker.follow_chain().await.unwrap();
	let mut stranger = record(BUNDLE);
	stranger.request.signer = Some("5FNobody".into());
	stranger.request.author = None;
	assert!(matches!(worker.submit(stranger).await, Err(SubmitError::Rejected(Rejection::NoSigningKey(_)))));

	let signed = || {
		let mut r = record(BUNDLE);
		r.request.signer = Some(LAB.into());
		r.request.author = None;
		r
	};
	let first = worker.submit(signed()).await.unwrap();
	let second = worker.submit(signed()).await.unwrap();
	worker.process_pending().await;
	let (a, b) = (pinned(&worker, first), pinned(&worker, second));
	worker.submit_node_signed().await.unwrap();
	let sent: Vec<_> = f.chain.pool.lock().unwrap().iter().map(|(s, call, n)| (s.clone(), call.clone(), *n)).collect();
	assert_eq!(
		sent,
		vec![(LAB.to_string(), a.ciphertext_hash.to_vec(), 5), (LAB.to_string(), b.ciphertext_hash.to_vec(), 6)],
		"in job order, consecutive nonces"
	);

	// Nothing is included for a while (the pool dropped both): resubmitted with the same nonces.
	worker.submit_node_signed().await.unwrap();
	assert_eq!(f.chain.pool.lock().unwrap().len(), 2, "not resubmitted at once");
	*f.chain.unfinalized.lock().unwrap() = 3;
	worker.submit_node_signed().await.unwrap();
	let nonces: Vec<u32> = f.chain.pool.lock().unwrap().iter().map(|(_, _, n)| *n).collect();
	assert_eq!(nonces, vec![5, 6, 5, 6]);

	// The first is included and finalized: anchored once.
	*f.chain.unfinalized.lock().unwrap() = 0;
	*f.chain.nonces.lock().unwrap() = (6, 6);
	f.chain.finalize(BlockFacts {
		anchors: vec![AnchorSeen {
			ciphertext_hash: a.ciphertext_hash,
			anchored_as: AnchoredAs::Record { item: 7, version: 0 },
		}],
		..Default::default()
	});
	worker.follow_chain().await.unwrap();
	worker.submit_node_signed().await.unwrap();
	assert!(matches!(worker.job(first).unwrap().unwrap().state, JobState::Anchored { .. }));
	assert!(matches!(worker.job(second).unwrap().unwrap().state, JobState::Pinned { .. }));

	// The second's nonce is used by a finalized transaction that did not anchor it (the call
	// failed on chain): it fails and is unpinned instead of being signed again.
	*f.chain.nonces.lock().unwrap() = (7, 7);
	f.chain.finalize_empty(1);
	worker.follow_chain().await.unwrap();
	worker.submit_node_signed().await.unwrap();
	assert!(matches!(worker.job(second).unwrap().unwrap().state, JobState::Failed { .. }));
	assert!(!f.ipfs.is_pinned(&b.cid).await.unwrap());
	assert_eq!(f.chain.pool.lock().unwrap().len(), 4, "never signed with a new nonce");
	f.ipfs.unpin(&a.cid).await.unwrap();
	f.ipfs.unpin(&a.manifest.cid).await.unwrap();
}

/// A finalized block that anchors `content` as record 42, version 0.
fn anchored_as_record_42(content: &AnchorContent) -> BlockFacts {
	BlockFacts {
		anchors: vec![AnchorSeen {
			ciphertext_hash: content.ciphertext_hash,
			anchored_as: AnchoredAs::Record { item: 42, version: 0 },
		}],
		..Default::default()
	}
}

/// A finalized block whose erasure lists `content`'s ciphertext and manifest CIDs.
fn erasure_of(content: &AnchorContent) -> BlockFacts {
	BlockFacts { erased_cids: vec![content.cid.clone(), content.manifest.cid.clone()], ..Default::default() }
}
