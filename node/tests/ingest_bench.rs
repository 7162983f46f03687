//! The ingest benchmark (not part of the test suite: `#[ignore]`; run it with
//! `scripts/bench-ingest.sh`, which builds the study and records the results in
//! `docs/performance.md`).
//!
//! In one run against the same dev IPFS node: the throughput of ingesting a large DICOM study
//! (request → anonymize → queue → encrypt → key-share → add → pin; from the request to the
//! job's `pinned` state), through `pmr_submitRecord` (hex in JSON) and through the binary
//! upload (`--pmr-upload-addr`, raw bytes), each against a raw `ipfs add` (pinned) of the same
//! bytes, and the node's resident memory while it ingests the study back to back.

// Standalone build only: this test is about the standalone node.
#![cfg(not(feature = "parachain"))]

mod common;

use common::{ingest::*, Node};
use pmr_vault::ipfs::Ipfs;
use serde_json::json;
use std::time::{Duration, Instant};

fn rss_kib(pid: u32, field: &str) -> u64 {
	let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
	status
		.lines()
		.find(|l| l.starts_with(field))
		.and_then(|l| l.split_whitespace().nth(1))
		.and_then(|v| v.parse().ok())
		.unwrap_or(0)
}

#[test]
#[ignore = "a benchmark: scripts/bench-ingest.sh"]
fn ingest_throughput_and_memory() {
	let path = std::env::var("PMR_BENCH_STUDY").expect("PMR_BENCH_STUDY: the study to ingest");
	let runs: usize = std::env::var("PMR_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(5);
	let study = std::fs::read(&path).expect("the study file");
	let mib = study.len() as f64 / (1 << 20) as f64;
	// PMR_BENCH_NODE: another pmr-node binary to measure (scripts/bench-ingest.sh --production).
	let bin = std::env::var("PMR_BENCH_NODE").unwrap_or_else(|_| env!("CARGO_BIN_EXE_pmr-node").into());
	println!("BENCH node {bin}");
	let upload_port = common::free_port();
	let upload_addr = format!("127.0.0.1:{upload_port}");
	let node = Node::start_bin(
		&bin,
		"ingest-bench",
		&[
			"--dev",
			"--tmp",
			"--pmr-ipfs-api",
			&ipfs_api(),
			"--pmr-max-record-mib",
			"256",
			"--rpc-max-request-size",
			"600",
			"--pmr-upload-addr",
			&upload_addr,
		],
	);
	node.wait_for("block #1", Duration::from_secs(240), |n| n.best_number().filter(|b| *b >= 1));
	consortium(&node);
	let rt = tokio::runtime::Runtime::new().expect("tokio");
	let ipfs = Ipfs::new(&ipfs_api(), Duration::from_secs(300)).expect("IPFS");
	let target = json!({ "kind": "record", "hospital": 0, "visitDate": yesterday().ddmmyyyy() });
	let payload = submission("dicom", "labDiagnostics", target, &study);
	// serialised once: the client's own JSON encoding is not the node's ingest time
	let body = json!({"jsonrpc": "2.0", "id": 1, "method": "pmr_submitRecord", "params": payload}).to_string();
	let mut head = payload[0].clone();
	head.as_object_mut().expect("a submission").remove("data");

	// One ingest from the request to `pinned`: (total, request → durably queued, queued →
	// pinned), the node's RSS peak noted on the way.
	let mut peak_during = 0;
	let mut ingest_once = |run: usize, submit: &dyn Fn() -> u64| {
		let started = Instant::now();
		let submitted_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
		let job = submit();
		let status = loop {
			peak_during = peak_during.max(rss_kib(node.pid(), "VmRSS:"));
			let status = node.rpc("pmr_jobStatus", json!([job])).expect("status");
			match status["state"]["state"].as_str() {
				Some("pinned") => break status,
				Some("failed") => panic!("run {run}: {status}"),
				_ => std::thread::sleep(Duration::from_millis(5)),
			}
		};
		let total = started.elapsed();
		// request → durably queued (transfer, decoding, anonymization, commit), and queued →
		// pinned (encryption, key split, IPFS add and pin), from the job's own timestamps
		let accepted = status["acceptedAt"].as_u64().unwrap();
		let intake = Duration::from_millis(accepted.saturating_sub(submitted_ms));
		let process = Duration::from_millis(status["updatedAt"].as_u64().unwrap() - accepted);
		let content = &status["state"]["anchor"]["content"];
		for cid in [&content["cid"], &content["manifest"]["cid"]] {
			rt.block_on(ipfs.unpin(cid.as_str().unwrap())).expect("unpin");
		}
		[total, intake, process]
	};
	let via_rpc = || node.rpc_raw("pmr_submitRecord", &body).expect("accepted").as_u64().unwrap();
	let via_upload = || {
		let (status, answer) = upload(upload_port, "/records", &head, &study);
		assert_eq!(status, 200, "{answer}");
		answer["job"].as_u64().unwrap()
	};

	let (mut raw, mut rpc, mut binary) = (Vec::new(), [Vec::new(), Vec::new(), Vec::new()], [Vec::new(), Vec::new(), Vec::new()]);
	for run in 0..runs {
		// raw add of the same bytes, pinned, then unpinned
		let started = Instant::now();
		let cid = rt.block_on(ipfs.add_pinned(std::io::Cursor::new(study.clone()))).expect("ipfs add");
		raw.push(started.elapsed());
		rt.block_on(ipfs.unpin(&cid)).expect("unpin");
		for (times, submit) in [(&mut rpc, &via_rpc as &dyn Fn() -> u64), (&mut binary, &via_upload)] {
			for (series, time) in times.iter_mut().zip(ingest_once(run, submit)) {
				series.push(time);
			}
		}
	}
	let median = |v: &mut Vec<Duration>| {
		v.sort();
		v[v.len() / 2].as_secs_f64()
	};
	let raw_s = median(&mut raw);
	let path = |[total, intake, process]: &mut [Vec<Duration>; 3]| {
		let total_s = median(total);
		json!({
			"ingest_median_s": total_s,
			"intake_median_s": median(intake),
			"queue_to_pinned_median_s": median(process),
			"ingest_mib_s": mib / total_s,
			"ratio": raw_s / total_s,
		})
	};
	println!(
		"BENCH {}",
		json!({
			"study_mib": mib,
			"runs": runs,
			"raw_add_median_s": raw_s,
			"raw_add_mib_s": mib / raw_s,
			"rpc": path(&mut rpc),
			"upload": path(&mut binary),
			"node_rss_peak_during_mib": peak_during as f64 / 1024.0,
			"node_vmhwm_mib": rss_kib(node.pid(), "VmHWM:") as f64 / 1024.0,
		})
	);
}
