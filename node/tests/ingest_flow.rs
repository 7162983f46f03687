//! End-to-end: the ingest worker of a real `pmr-node --dev` with the dev IPFS node
//! (scripts/ipfs-dev-node.sh, $PMR_IPFS_API), driven over JSON-RPC as a hospital system would.
//!
//! A FHIR visit record goes through `pmr_submitRecord`; its prepared anchor is signed by the
//! doctor's key (as a wallet would) and submitted; the job becomes `anchored` (a WebSocket
//! client following it with `pmr_subscribeJobStatus` is told each state in order); the ciphertext
//! and the manifest are fetched by the CIDs the chain holds and every hash is checked against
//! the chain, then the record is decrypted with the patient's and a custodian's key shares. A
//! real DICOM study (for a lab order) and an IoMT batch (for a registered device) are anchored
//! by the node itself, with keys the operator put into its keystore. Bad input gets typed
//! errors, nothing is queued and the node stays up; the worker's metrics are on the node's
//! Prometheus endpoint; a node killed right after accepting a job finishes it after a restart,
//! with exactly one anchor; a node serving only safe RPCs refuses the `pmr_` methods. The DICOM
//! study travels as raw bytes over the binary upload (`--pmr-upload-addr`), which refuses what
//! `pmr_submitRecord` refuses with the same codes, and listens only on loopback unless the node
//! allows unsafe methods.

mod common;

use common::{chain, test_dev, Node};
use pallet_medical_records::RecordInfo;
use pmr_primitives::{LabOrderId, Page, PatientId, PmrItemId};
use pmr_runtime::{Runtime, RuntimeCall};
use serde_json::{json, Value};
use sp_keyring::Sr25519Keyring::{Dave, Ferdie};
use std::time::Duration;

use common::ingest::*;

#[test]
fn records_and_studies_go_from_rpc_through_ipfs_to_the_chain() {
	let upload_port = common::free_port();
	let upload_addr = format!("127.0.0.1:{upload_port}");
	let node = Node::start(
		"ingest",
		&test_dev(&["--tmp", "--pmr-ipfs-api", &ipfs_api(), "--pmr-max-record-mib", "1", "--pmr-upload-addr", &upload_addr]),
	);
	node.wait_for("block #1", Duration::from_secs(240), |n| n.best_number().filter(|b| *b >= 1));
	let keys = consortium(&node);

	// A FHIR visit record: accepted at once, pinned by the worker, signed by Dave; a WebSocket
	// client follows it with `pmr_subscribeJobStatus`.
	let job = node
		.rpc("pmr_submitRecord", submission("fhir", "presentIllness", record_target(), BUNDLE))
		.expect("accepted")
		.as_u64()
		.expect("a job id");
	let followed = follow_job(node.rpc_port, job);
	let pinned = wait_state(&node, job, "pinned", Duration::from_secs(60));
	assert_eq!(pinned["anonymization"]["removed"].as_u64().map(|n| n > 0), Some(true));
	// The call is prepared for Dave, its author: signed by anyone else it anchors nothing.
	let stolen = sign_anchor(&node, Ferdie, &pinned);
	node.wait_for("the stolen anchor finalized", Duration::from_secs(60), |n| n.finalized_number().filter(|f| *f >= stolen));
	let still = node.rpc("pmr_jobStatus", json!([job])).expect("status");
	assert_eq!(still["state"]["state"], "pinned", "anchored by another account: {still}");
	sign_anchor(&node, Dave, &pinned);
	let anchored = wait_state(&node, job, "anchored", Duration::from_secs(90));
	let item = item_of(&anchored);
	let states = followed.join().expect("the subscriber");
	assert_eq!(states.last().map(String::as_str), Some("anchored"), "{states:?}");
	let order = ["queued", "encrypted", "pinned", "anchored"];
	let rank = |s: &String| order.iter().position(|o| o == s).expect("a known state");
	assert!(states.windows(2).all(|w| rank(&w[0]) < rank(&w[1])), "in order, each once: {states:?}");
	let (info, versions) = record(&node, item);
	assert_eq!(info.patient, PatientId(0));
	let content = &anchored["state"]["anchor"]["content"];
	assert_eq!(versions[0].ciphertext_hash, hash_of(&content["ciphertextHash"]));
	let manifest = versions[0].manifest.clone().expect("manifest anchored");
	assert_eq!(manifest.hash, hash_of(&content["manifest"]["hash"]));
	assert_eq!(manifest.custodian_set.0, content["manifest"]["custodianSet"].as_u64().unwrap() as u32);
	let plain = String::from_utf8(read_from_chain(&keys, &versions[0])).expect("JSON");
	for marker in MARKERS {
		assert!(!plain.contains(marker), "{marker:?} reached IPFS");
	}

	let code = |params: Value| -> i64 {
		let err = node.rpc("pmr_submitRecord", params).expect_err("refused");
		let v: Value = serde_json::from_str(err.split_once(": ").expect("error object").1).expect("JSON error");
		v["code"].as_i64().expect("a code")
	};

	// A real DICOM study for a lab order, anchored by the lab's own key.
	chain::submit(
		&node,
		Dave,
		RuntimeCall::LabReports(pallet_lab_reports::Call::order_lab_work {
			patient: PatientId(0),
			lab: pmr_primitives::LabId(0),
			modality: pallet_lab_reports::Modality::Ct,
			record: Some(item),
			reason_hash: [9; 32],
		}),
	);
	let samples = std::env::var("PMR_DICOM_SAMPLES").map(std::path::PathBuf::from).unwrap_or_else(|_| {
		std::path::PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/pmr-chain/test-data/dicom")
	});
	let ct = std::fs::read(samples.join("CT_small.dcm")).expect("scripts/fetch-test-data.sh fetched CT_small.dcm");
	// The lab analyser's anchors are node-signed: the operator puts the lab's key into the
	// node's keystore (key type `pmra`); the RPC caller only names the account.
	let target = json!({ "kind": "labReport", "order": 0, "capturedOn": yesterday().ddmmyyyy() });
	let mut study = submission("dicom", "labDiagnostics", target, &ct);
	study[0]["signer"] = json!(Ferdie.to_account_id().to_string());
	assert_eq!(code(study.clone()), 7011, "no key in the keystore yet");
	node.rpc("author_insertKey", json!(["pmra", "//Ferdie", hex(Ferdie.public().as_ref())]))
		.expect("the operator inserts the lab's key");
	// The lab system sends the study's bytes as they are, over the binary upload: the same
	// submission without `data` in the header, the same answer and the same typed errors.
	let mut head = study[0].clone();
	head.as_object_mut().expect("a submission").remove("data");
	let too_large = vec![0u8; 1024 * 1024 + 1];
	let (status, refused) = upload(upload_port, "/records", &head, &too_large);
	assert_eq!((status, refused["code"].as_i64()), (413, Some(7001)), "over the node's limit: {refused}");
	let (status, refused) = upload(upload_port, "/records", &json!({ "format": "dicom" }), &ct);
	assert_eq!((status, refused["code"].as_i64()), (400, Some(7017)), "an unreadable header: {refused}");
	let (status, refused) = upload(upload_port, "/jobs", &head, &ct);
	assert_eq!((status, refused["code"].as_i64()), (404, Some(7017)), "another path: {refused}");
	// A browser page of an origin `--rpc-cors` allows (any, on this dev node) is answered its
	// preflight, and the answers name its origin.
	let preflight = http(
		upload_port,
		"OPTIONS /records HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://app.hospital.example\r\n\
		 Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type, pmr-submission\r\n\
		 Connection: close\r\n\r\n"
			.as_bytes(),
	)
	.to_ascii_lowercase();
	assert!(preflight.starts_with("http/1.1 204"), "{preflight}");
	for header in ["access-control-allow-origin: https://app.hospital.example", "access-control-allow-methods: post", "access-control-allow-headers: content-type, pmr-submission"] {
		assert!(preflight.contains(header), "{header} in {preflight}");
	}
	let (status, refused) = upload(upload_port, "/records", &head, b"not a DICOM file");
	assert_eq!((status, refused["code"].as_i64()), (400, Some(7004)), "malformed DICOM: {refused}");
	let (status, accepted) = upload(upload_port, "/records", &head, &ct);
	assert_eq!(status, 200, "{accepted}");
	let job = accepted["job"].as_u64().expect("a job id");
	let anchored = wait_state(&node, job, "anchored", Duration::from_secs(120));
	assert_eq!(anchored["state"]["anchoredAs"]["kind"], "labReport");
	let order: Option<pallet_lab_reports::LabOrder<Runtime>> =
		chain::runtime_api(&node, "LabReportsApi_order", LabOrderId(0));
	assert!(matches!(order.expect("order").status, pallet_lab_reports::OrderStatus::Fulfilled(_)));

	// An IoMT gateway's batch of a glucose monitor's readings, node-signed by the device's key.
	let device = sp_keyring::Sr25519Keyring::One;
	chain::submit(
		&node,
		sp_keyring::Sr25519Keyring::Charlie,
		RuntimeCall::LabReports(pallet_lab_reports::Call::register_device {
			patient: PatientId(0),
			device: device.to_account_id(),
			kind: sp_crypto_hashing::blake2_256(b"salt|continuous glucose monitor"),
		}),
	);
	chain::submit(
		&node,
		sp_keyring::Sr25519Keyring::Charlie,
		RuntimeCall::Balances(pmr_runtime::BalancesCall::transfer_keep_alive {
			dest: device.to_account_id().into(),
			value: 1_000_000_000_000_000,
		}),
	);
	node.rpc("author_insertKey", json!(["pmra", "//One", hex(device.public().as_ref())]))
		.expect("the operator inserts the device's key");
	let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
	let readings: Vec<Value> = (0..30u64)
		.map(|i| json!({ "t": now_ms - 600_000 + i * 10_000, "code": "2339-0", "value": 5.0 + i as f64 / 10.0, "unit": "mmol/L" }))
		.collect();
	let batch = serde_json::to_vec(&json!({ "readings": readings })).unwrap();
	let mut iomt = submission("iomt", "iomtData", json!({ "kind": "iomtBatch" }), &batch);
	iomt[0]["signer"] = json!(device.to_account_id().to_string());
	let job = node.rpc("pmr_submitRecord", iomt).expect("accepted").as_u64().unwrap();
	let anchored = wait_state(&node, job, "anchored", Duration::from_secs(120));
	assert_eq!(anchored["state"]["anchoredAs"]["kind"], "iomtBatch");
	let summary = &anchored["request"]["target"]["batch"];
	assert_eq!(summary["samples"], 30);
	let batches: Vec<pallet_lab_reports::IomtBatch<Runtime>> =
		chain::runtime_api(&node, "LabReportsApi_device_batches", (pmr_primitives::DeviceId(0), 0u32, 10u32));
	assert_eq!(batches.len(), 1);
	assert_eq!(batches[0].root, hash_of(&summary["root"]), "the anchored root is the worker's Merkle root");
	assert_eq!(batches[0].content.ciphertext_hash, hash_of(&anchored["state"]["anchor"]["content"]["ciphertextHash"]));
	assert!(batches[0].content.manifest.is_some(), "the batch's key manifest is anchored with it");

	// Bad input: typed errors, nothing queued, the node stays up.
	let jobs_before = node.rpc("pmr_jobs", json!([])).unwrap().as_array().unwrap().len();
	assert_eq!(code(submission("fhir", "presentIllness", record_target(), b"{ not json")), 7003);
	assert_eq!(code(submission("dicom", "labDiagnostics", record_target(), &ct[..200])), 7004);
	let mut stranger = submission("fhir", "presentIllness", record_target(), BUNDLE);
	stranger[0]["patient"] = json!(99);
	assert_eq!(code(stranger), 7005);
	assert_eq!(code(submission("fhir", "gossip", record_target(), BUNDLE)), 7006);
	let mut not_hex = submission("fhir", "presentIllness", record_target(), BUNDLE);
	not_hex[0]["data"] = json!("0xzz");
	assert_eq!(code(not_hex), 7002);
	assert_eq!(code(submission("fhir", "presentIllness", record_target(), &vec![b' '; (1 << 20) + 1])), 7001);
	// A record signed in a wallet names its author, an SS58 account.
	let mut anonymous = submission("fhir", "presentIllness", record_target(), BUNDLE);
	anonymous[0].as_object_mut().unwrap().remove("author");
	assert_eq!(code(anonymous), 7007);
	let mut nobody = submission("fhir", "presentIllness", record_target(), BUNDLE);
	nobody[0]["author"] = json!("Dave");
	assert_eq!(code(nobody), 7007);
	assert_eq!(node.rpc("pmr_jobs", json!([])).unwrap().as_array().unwrap().len(), jobs_before);
	assert!(node.best_number().is_some(), "the node is up");

	// The worker's metrics are on the node's Prometheus endpoint (Substrate prefixes them
	// `substrate_` and adds the chain label).
	let metric = |text: &str, name: &str, label: &str| -> Option<f64> {
		text.lines()
			.filter(|l| !l.starts_with('#'))
			.find(|l| {
				let (series, _) = l.rsplit_once(' ').unwrap_or_default();
				series.split(['{', ' ']).next().is_some_and(|n| n.ends_with(name)) && series.contains(label)
			})
			.and_then(|l| l.rsplit_once(' ')?.1.parse().ok())
	};
	let metrics = node.wait_for("the job gauges", Duration::from_secs(10), |n| {
		let m = n.metrics();
		(metric(&m, "pmr_worker_jobs", "state=\"anchored\"") == Some(3.0)).then_some(m)
	});
	assert_eq!(metric(&metrics, "pmr_worker_queue_depth", ""), Some(0.0));
	assert_eq!(metric(&metrics, "pmr_worker_failures_total", "reason=\"rpc_malformed_fhir\""), Some(1.0));
	// One over-large record through each way in (JSON-RPC and the binary upload).
	assert_eq!(metric(&metrics, "pmr_worker_failures_total", "reason=\"rpc_too_large\""), Some(2.0));
	assert_eq!(metric(&metrics, "pmr_worker_ingest_seconds_count", ""), Some(3.0));
}

#[test]
fn a_node_killed_after_accepting_a_job_finishes_it_once_after_restart() {
	let base = tempfile::tempdir().expect("base path");
	let base_path = base.path().to_str().expect("utf8 path").to_string();
	let ipfs = ipfs_api();
	let args = test_dev(&["--base-path", &base_path, "--pmr-ipfs-api", &ipfs]);
	let node = Node::start("ingest-crash", &args);
	node.wait_for("block #1", Duration::from_secs(240), |n| n.best_number().filter(|b| *b >= 1));
	let keys = consortium(&node);
	let job = node
		.rpc("pmr_submitRecord", submission("fhir", "pastIllness", record_target(), BUNDLE))
		.expect("accepted")
		.as_u64()
		.unwrap();
	drop(node); // SIGKILL, right after the job was accepted

	let node = Node::start("ingest-crash-restarted", &args);
	let pinned = wait_state(&node, job, "pinned", Duration::from_secs(120));
	sign_anchor(&node, Dave, &pinned);
	let anchored = wait_state(&node, job, "anchored", Duration::from_secs(90));
	let (_, versions) = record(&node, item_of(&anchored));
	read_from_chain(&keys, &versions[0]);
	let all = node.rpc("pmr_jobs", json!([])).unwrap();
	assert_eq!(all.as_array().unwrap().len(), 1, "exactly one job: {all}");
	let records: Page<(PmrItemId, RecordInfo<Runtime>), PmrItemId> = chain::runtime_api(
		&node,
		"RecordsApi_patient_records",
		(PatientId(0), pallet_medical_records::RecordFilter::default(), None::<PmrItemId>, 10u32),
	);
	assert_eq!((records.items.len(), records.next), (1, None), "exactly one anchor");
}

#[test]
fn the_pmr_methods_are_unsafe() {
	// The binary upload receives the same personal data: on a node that does not allow unsafe
	// methods it listens on a loopback address only, and the node refuses to start otherwise.
	let refused = std::process::Command::new(env!("CARGO_BIN_EXE_pmr-node"))
		.args(test_dev(&["--tmp", "--pmr-upload-addr", "0.0.0.0:0"]))
		.args(["--rpc-port", "0", "--port", "0", "--no-prometheus", "--no-telemetry", "--no-mdns"])
		.output()
		.expect("pmr-node runs");
	assert!(!refused.status.success());
	let stderr = String::from_utf8_lossy(&refused.stderr);
	assert!(stderr.contains("is not a loopback address"), "{stderr}");

	let node = Node::start("ingest-safe", &test_dev(&["--tmp", "--rpc-methods", "safe"]));
	node.wait_for("RPC", Duration::from_secs(240), |n| n.best_number());
	let err = node
		.rpc("pmr_submitRecord", submission("fhir", "presentIllness", record_target(), BUNDLE))
		.expect_err("refused on a node that serves only safe methods");
	assert!(err.contains("unsafe") || err.contains("Unsafe"), "{err}");
	assert!(node.rpc("pmr_jobStatus", json!([0])).is_err());
}

/// Subscribes to a job's status over WebSocket (as an integrator's client does) and collects
/// the states it is told, until the job is anchored (or two minutes pass).
fn follow_job(rpc_port: u16, job: u64) -> std::thread::JoinHandle<Vec<String>> {
	use jsonrpsee::{
		core::client::{Subscription, SubscriptionClientT},
		rpc_params,
		ws_client::WsClientBuilder,
	};
	let client = tokio::runtime::Runtime::new().expect("tokio");
	let (ready_tx, ready_rx) = std::sync::mpsc::channel();
	let handle = std::thread::spawn(move || {
		client.block_on(async move {
			let ws = WsClientBuilder::default()
				.build(format!("ws://127.0.0.1:{rpc_port}"))
				.await
				.expect("a WebSocket connection");
			let mut sub: Subscription<Value> = ws
				.subscribe("pmr_subscribeJobStatus", rpc_params![job], "pmr_unsubscribeJobStatus")
				.await
				.expect("subscribed");
			ready_tx.send(()).expect("the test waits");
			let mut states = Vec::new();
			while let Ok(Some(Ok(update))) = tokio::time::timeout(Duration::from_secs(120), sub.next()).await {
				let state = update["state"]["state"].as_str().unwrap_or_default().to_string();
				let done = state == "anchored";
				states.push(state);
				if done {
					break;
				}
			}
			states
		})
	});
	ready_rx.recv_timeout(Duration::from_secs(30)).expect("the subscription is open");
	handle
}
