//! End-to-end: consent-gated key release on a real `pmr-node --dev` that is also its
//! hospital's custodian node (its custodian X25519 key in a file, its key-custodian account in
//! the keystore), with the dev IPFS node ($PMR_IPFS_API).
//!
//! A visit record is ingested and anchored; the treating doctor asks for its key; the node's
//! custodian role releases its share on chain; the patient re-wraps the essential share with
//! `pmr-node rewrap-essential` (no node of the patient's own, only JSON-RPC and IPFS) and
//! hands it over; the doctor reads the record with `pmr-node read-record`, which checks
//! manifest, ciphertext and plaintext against the chain: it equals the anonymized record. A
//! second-opinion doctor reads under a grant; the patient exports her records as a FHIR Bundle
//! (`pmr-node export-records`); after the patient revokes the grant, a new request is
//! refused and the essential share can no longer be handed over. The patient rotates her key
//! (`pmr-node rotate-patient-key`) and hands the essential share over with the new key.
//! After erasure, a request is refused as `NoSuchRecord`. The patient's audit trail lists every step.

mod common;

use common::{chain, ingest::*, test_dev, Node};
use pallet_key_release::{Answer, KeyRequest};
use pmr_primitives::{
	AccessDenied, Accessor, HospitalId, KeyAuditEvent, KeyRequestId, PatientId, PmrItemId, Purpose,
	SealedTarget,
};
use pmr_runtime::{Runtime, RuntimeCall};
use serde_json::json;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve, Two};
use sp_runtime::BoundedVec;
use std::{path::Path, process::Command, time::Duration};

/// Runs `pmr-node` with `args` (a tool subcommand) and returns its standard output.
fn cli(args: &[&str]) -> String {
	let out = Command::new(env!("CARGO_BIN_EXE_pmr-node")).args(args).output().expect("pmr-node runs");
	assert!(out.status.success(), "pmr-node {args:?}: {}", String::from_utf8_lossy(&out.stderr));
	String::from_utf8(out.stdout).expect("UTF-8").trim().to_string()
}

/// A new X25519 key in `path` (via the CLI); returns its public key.
fn x25519(path: &Path) -> [u8; 32] {
	let public = cli(&["x25519-key", "generate", "--out", path.to_str().unwrap()]);
	assert_eq!(cli(&["x25519-key", "public", "--secret", path.to_str().unwrap()]), public);
	pmr_worker::job::parse_hex32(&public).expect("a 32-byte public key")
}

fn secret(path: &Path) -> x25519_dalek::StaticSecret {
	let text = std::fs::read_to_string(path).unwrap();
	pmr_worker::job::parse_hex32(text.trim()).expect("a 32-byte secret").into()
}

fn key_request(node: &Node, id: u64) -> Option<KeyRequest<Runtime>> {
	chain::runtime_api(node, "KeyReleaseApi_key_request", KeyRequestId(id))
}

fn key_release(node: &Node, who: Sr25519Keyring, call: pallet_key_release::Call<Runtime>) -> u64 {
	chain::submit(node, who, RuntimeCall::KeyRelease(call))
}

/// Waits for block `n` to be finalized (the tools read the chain at the finalized block).
fn finalized(node: &Node, n: u64) {
	node.wait_for(&format!("block #{n} finalized"), Duration::from_secs(60), |node| {
		node.finalized_number().filter(|f| *f >= n)
	});
}

/// Waits for the custodian node's answer to request `id`.
fn answered(node: &Node, id: u64) -> KeyRequest<Runtime> {
	node.wait_for(&format!("the custodian's answer to key request {id}"), Duration::from_secs(90), |n| {
		key_request(n, id).filter(|r| !r.answers.is_empty())
	})
}

/// Every version of every entry of `patient`'s audit trail in the node's archive
/// (`pmr_auditArchive`, paged), newest first, with the block that wrote it.
fn audit_archive(node: &Node, patient: PatientId) -> Vec<(u64, pallet_consent::AuditEntry<Runtime>)> {
	use codec::Decode;
	let mut out = Vec::new();
	let mut before = serde_json::Value::Null;
	loop {
		let page = node.rpc("pmr_auditArchive", json!([patient.0, before, 64])).expect("pmr_auditArchive");
		for e in page["entries"].as_array().expect("entries") {
			let bytes = pmr_worker::job::parse_hex(e["entry"].as_str().expect("hex")).expect("hex");
			let entry = pallet_consent::AuditEntry::<Runtime>::decode(&mut &bytes[..]).expect("an audit entry");
			assert_eq!(Some(entry.index), e["index"].as_u64());
			out.push((e["block"].as_u64().expect("block"), entry));
		}
		if page["next"].is_null() {
			return out;
		}
		before = page["next"].clone();
	}
}

/// How many audit days (`consent.AuditDay` blocks) the entries of `trail` span.
fn days_spanned(trail: &[pallet_consent::AuditEntry<Runtime>]) -> usize {
	let day = <<Runtime as pallet_consent::Config>::AuditDay as sp_core::Get<u32>>::get();
	let days: std::collections::BTreeSet<u32> = trail.iter().map(|e| e.at / day).collect();
	days.len().max(1)
}

/// Runs a key-release tool (`rewrap-essential`, `read-record`) against `node` for key
/// request `request`, with the secret key file `key` (`--patient-key` or `--reader-key`).
/// Returns what it printed (standard output, standard error), or its standard error if it failed.
fn tool(
	node: &Node,
	tool: &str,
	request: u64,
	key_flag: &str,
	key: &Path,
	extra: &[&str],
) -> Result<(String, String), String> {
	let url = format!("http://127.0.0.1:{}", node.rpc_port);
	let request = request.to_string();
	let out = Command::new(env!("CARGO_BIN_EXE_pmr-node"))
		.args([tool, "--rpc-url", &url, "--ipfs-api", &ipfs_api(), "--request", &request, key_flag])
		.arg(key)
		.args(extra)
		.output()
		.expect("pmr-node runs");
	if out.status.success() {
		Ok((String::from_utf8_lossy(&out.stdout).trim().to_string(), String::from_utf8_lossy(&out.stderr).into_owned()))
	} else {
		Err(String::from_utf8_lossy(&out.stderr).into_owned())
	}
}

/// The patient's side: re-wraps the essential share of `request` and hands it over.
fn hand_over_essential(node: &Node, request: u64, patient_key: &Path) -> u64 {
	let (envelope, _) = tool(node, "rewrap-essential", request, "--patient-key", patient_key, &[]).expect("re-wrapped");
	key_release(
		node,
		Eve,
		pallet_key_release::Call::release_essential_share {
			request: KeyRequestId(request),
			envelope: BoundedVec::truncate_from(sp_core::bytes::from_hex(envelope.trim()).expect("the envelope's binary CID")),
		},
	)
}

/// The reader's side: reads `request`'s record with `reader_key` into `out`.
fn read_record(node: &Node, request: u64, reader_key: &Path, out: &Path) -> Result<Vec<u8>, String> {
	tool(node, "read-record", request, "--reader-key", reader_key, &["--out", out.to_str().unwrap()])?;
	Ok(std::fs::read(out).expect("the record was written"))
}

#[test]
fn a_doctor_reads_a_record_only_with_the_patients_and_the_custodians_shares() {
	let dir = tempfile::tempdir().unwrap();
	let path = |name: &str| dir.path().join(name);
	x25519(&path("custodian.key"));
	x25519(&path("patient.key"));
	let dave_pk = x25519(&path("dave.key"));
	let alice_pk = x25519(&path("alice.key"));

	let custodian_account = Two.to_account_id().to_string();
	// A base path of its own (not --tmp): the node is killed with kill -9 and restarted below.
	let base_path = path("node");
	let custodian_key = path("custodian.key");
	let ipfs = ipfs_api();
	let args = test_dev(&[
		"--base-path",
		base_path.to_str().unwrap(),
		"--pmr-ipfs-api",
		&ipfs,
		"--pmr-custodian-key-file",
		custodian_key.to_str().unwrap(),
		"--pmr-custodian-account",
		&custodian_account,
	]);
	let node = Node::start("key-release", &args);
	node.wait_for("block #1", Duration::from_secs(240), |n| n.best_number().filter(|b| *b >= 1));
	node.rpc("author_insertKey", json!(["pmra", "//Two", hex(Two.public().as_ref())]))
		.expect("the operator inserts the key-custodian account's key");
	let keys = consortium_with(&node, Keys { patient: secret(&path("patient.key")), custodian: secret(&path("custodian.key")) });
	let hospital = HospitalId(0);

	// Charlie's hospital gives its custodian node an account of its own, which can do nothing
	// but answer key requests, and funds its fees.
	chain::submit(
		&node,
		Charlie,
		RuntimeCall::Registry(pallet_registry::Call::add_member {
			hospital,
			member: Two.to_account_id(),
			role: pallet_registry::HospitalRole::KeyCustodian,
		}),
	);
	chain::submit(
		&node,
		Charlie,
		RuntimeCall::Balances(pmr_runtime::BalancesCall::transfer_keep_alive {
			dest: Two.to_account_id().into(),
			value: 1_000_000_000_000_000,
		}),
	);
	// Alice joins as a second doctor (a second opinion); both doctors register their keys.
	chain::submit(
		&node,
		Charlie,
		RuntimeCall::Registry(pallet_registry::Call::onboard_doctor {
			hospital,
			doctor: Alice.to_account_id(),
			details: pallet_registry::DoctorDetails::<Runtime> {
				registration_number: text("MCI-43"),
				name: text("Dr. Alice"),
				specialization: text("cardiology"),
				contact: text("alice@hospital"),
			},
		}),
	);
	chain::submit(
		&node,
		Bob,
		RuntimeCall::Registry(pallet_registry::Call::confirm_doctor_licence { doctor: pmr_primitives::DoctorId(1) }),
	);
	for (who, key) in [(Dave, dave_pk), (Alice, alice_pk)] {
		chain::submit(&node, who, RuntimeCall::Registry(pallet_registry::Call::set_encryption_key { key }));
	}

	// A visit record, ingested and anchored by Dave.
	let job = node
		.rpc("pmr_submitRecord", submission("fhir", "presentIllness", record_target(), BUNDLE))
		.expect("accepted")
		.as_u64()
		.expect("a job id");
	let pinned = wait_state(&node, job, "pinned", Duration::from_secs(60));
	sign_anchor(&node, Dave, &pinned);
	let item: PmrItemId = item_of(&wait_state(&node, job, "anchored", Duration::from_secs(90)));
	let (_, versions) = record(&node, item);
	let anonymized = read_from_chain(&keys, &versions[0]);
	let target = SealedTarget::RecordVersion { item, version: 0 };

	// Dave treats Eve at her hospital: allowed; the custodian node releases its share.
	key_release(&node, Dave, pallet_key_release::Call::request_key { target, purpose: Purpose::Treatment });
	let request = answered(&node, 0);
	assert!(matches!(request.answers[0], (h, Answer::Released(_)) if h == hospital), "{:?}", request.answers);
	assert_eq!(request.reader_key, dave_pk);

	// Not before the patient's side answers.
	let early = read_record(&node, 0, &path("dave.key"), &path("early.json"));
	assert!(early.expect_err("no essential share yet").contains("essential share"));

	// The patient re-wraps the essential share with the tool and hands it over from her wallet.
	let at = hand_over_essential(&node, 0, &path("patient.key"));
	finalized(&node, at);
	let read = read_record(&node, 0, &path("dave.key"), &path("record.json")).expect("Dave reads");
	assert_eq!(read, anonymized, "the doctor reads exactly the anonymized record");
	let text = String::from_utf8(read).unwrap();
	for marker in MARKERS {
		assert!(!text.contains(marker), "{marker:?} reached the reader");
	}
	// The shares were wrapped to Dave's key: nobody else reads them.
	assert!(read_record(&node, 0, &path("alice.key"), &path("stolen.json")).is_err());
	assert!(!path("stolen.json").exists());

	// A second opinion: Eve grants Alice; from the grant's inclusion to Alice holding the
	// record is the latency docs/performance.md records.
	let started = std::time::Instant::now();
	let granted_at = chain::submit(
		&node,
		Eve,
		RuntimeCall::Consent(pallet_consent::Call::grant_access {
			patient: PatientId(0),
			accessor: Accessor::Doctor(pmr_primitives::DoctorId(1)),
			scope: pallet_consent::Scope::AllRecords,
			purpose: Purpose::SecondOpinion,
			expiry: pallet_consent::Expiry::After(600),
		}),
	);
	key_release(&node, Alice, pallet_key_release::Call::request_key { target, purpose: Purpose::SecondOpinion });
	answered(&node, 1);
	let at = hand_over_essential(&node, 1, &path("patient.key"));
	finalized(&node, at);
	let second = read_record(&node, 1, &path("alice.key"), &path("second.json")).expect("Alice reads");
	assert_eq!(second, anonymized);
	eprintln!(
		"[measure] grant included in #{granted_at} → second opinion read after {:.1} s, {} blocks \
		 of {} ms",
		started.elapsed().as_secs_f64(),
		node.best_number().unwrap_or_default().saturating_sub(granted_at),
		chain::slot_millis(&node)
	);

	// Eve exports her records: her own key request, answered by the custodian, read with her
	// key alone (no essential share handed over), written as one FHIR Bundle.
	key_release(&node, Eve, pallet_key_release::Call::request_own_key { target });
	answered(&node, 2);
	// The tool reads at the finalized block: wait until the custodian's answer is final.
	node.wait_for("the answer to key request 2 finalized", Duration::from_secs(60), |n| {
		let head = n.rpc("chain_getFinalizedHead", json!([])).ok()?;
		let arg = hex(&codec::Encode::encode(&KeyRequestId(2)));
		let raw = n.rpc("state_call", json!(["KeyReleaseApi_key_request", arg, head])).ok()?;
		let bytes = sp_core::bytes::from_hex(raw.as_str()?).ok()?;
		let found: Option<KeyRequest<Runtime>> = codec::Decode::decode(&mut &bytes[..]).ok()?;
		found.filter(|r| !r.answers.is_empty())
	});
	let export = path("export.json");
	let url = format!("http://127.0.0.1:{}", node.rpc_port);
	let out = Command::new(env!("CARGO_BIN_EXE_pmr-node"))
		.args(["export-records", "--rpc-url", &url, "--ipfs-api", &ipfs_api(), "--patient", "0", "--patient-key"])
		.arg(path("patient.key"))
		.arg("--out")
		.arg(&export)
		.output()
		.expect("pmr-node runs");
	let said = String::from_utf8_lossy(&out.stderr);
	assert!(out.status.success() && said.contains("exported 1 item(s)"), "{said}");
	let bundle: serde_json::Value = serde_json::from_slice(&std::fs::read(&export).unwrap()).unwrap();
	assert_eq!((bundle["resourceType"].as_str(), bundle["type"].as_str()), (Some("Bundle"), Some("collection")));
	assert_eq!(bundle["entry"][0]["fullUrl"], format!("urn:pmr:record/{item}/v0"));
	let recorded: serde_json::Value = serde_json::from_slice(&anonymized).unwrap();
	assert_eq!(bundle["entry"][0]["resource"], recorded);

	// Eve revokes: a new request is refused and logged; the open one can no longer get the
	// essential share.
	key_release(&node, Alice, pallet_key_release::Call::request_key { target, purpose: Purpose::SecondOpinion });
	let grant = pmr_primitives::GrantId(0);
	let revoked_at = chain::submit(&node, Eve, RuntimeCall::Consent(pallet_consent::Call::revoke_grant { grant }));
	key_release(&node, Alice, pallet_key_release::Call::request_key { target, purpose: Purpose::SecondOpinion });
	assert!(key_request(&node, 4).is_none(), "refused after revocation");
	finalized(&node, revoked_at);
	// What was released before the revocation stays readable (a released key cannot be taken
	// back), and the tool says why it still reads; the open request fails with its end first.
	let again = path("again.json");
	let (_, note) = tool(&node, "read-record", 1, "--reader-key", &path("alice.key"), &["--out", again.to_str().unwrap()])
		.expect("what was released stays readable");
	assert!(
		note.contains("key request 1 can no longer be answered (the patient revoked the consent)")
			&& note.contains("still readable"),
		"{note}"
	);
	assert_eq!(std::fs::read(&again).unwrap(), anonymized);
	let ended = read_record(&node, 3, &path("alice.key"), &path("ended.json")).expect_err("no essential share");
	assert!(ended.contains("key request 3 can no longer be answered: the patient revoked the consent"), "{ended}");
	let refused = tool(&node, "rewrap-essential", 3, "--patient-key", &path("patient.key"), &[]).expect_err("ended");
	assert!(refused.contains("key request 3 can no longer be answered"), "{refused}");
	key_release(
		&node,
		Eve,
		pallet_key_release::Call::release_essential_share {
			request: KeyRequestId(3),
			envelope: pmr_primitives::cid::from_digest(pmr_primitives::cid::CidCodec::Raw, [7; 32]),
		},
	);
	assert_eq!(key_request(&node, 3).and_then(|r| r.essential), None, "no hand-over after revocation");

	// The fast way (off-chain share requests): Alice asks again; Eve approves in one call that
	// also hands the essential share over (`pmr-node approval-keys` seals it to Alice's key);
	// Alice's reader asks the custodian node directly with a request signed by her account.
	let asked_at = chain::submit(
		&node,
		Alice,
		RuntimeCall::Consent(pallet_consent::Call::request_access {
			patient: PatientId(0),
			scope: pallet_consent::Scope::AllRecords,
			purpose: Purpose::SecondOpinion,
			duration: 600,
			reason: None,
		}),
	);
	let asked = node.wait_for("Alice's consent request", Duration::from_secs(30), |n| {
		let pending: Vec<(pmr_primitives::RequestId, pallet_consent::RequestInfo<Runtime>)> =
			chain::runtime_api(n, "ConsentApi_pending_requests", PatientId(0));
		pending.first().map(|(id, _)| *id)
	});
	// The patient's tool reads the request at the finalized block.
	finalized(&node, asked_at);
	let label = format!("record/{item}/v0");
	let keys_json = cli(&[
		"approval-keys",
		"--rpc-url",
		&url,
		"--ipfs-api",
		&ipfs_api(),
		"--request",
		&asked.0.to_string(),
		"--target",
		&label,
		"--patient-key",
		path("patient.key").to_str().unwrap(),
	]);
	let keys: Vec<serde_json::Value> = serde_json::from_str(&keys_json).expect("the keys argument as JSON");
	let envelope = sp_core::bytes::from_hex(keys[0][1].as_str().unwrap()).unwrap();
	let keys = BoundedVec::truncate_from(vec![(target, BoundedVec::truncate_from(envelope))]);
	let approved_at = chain::submit(
		&node,
		Eve,
		RuntimeCall::Consent(pallet_consent::Call::approve_request { request: asked, scope: None, duration: None, keys }),
	);
	let started = std::time::Instant::now();
	std::fs::write(path("alice.suri"), "//Alice").unwrap();
	let mut owner_only = std::fs::metadata(path("alice.suri")).unwrap().permissions();
	std::os::unix::fs::PermissionsExt::set_mode(&mut owner_only, 0o600);
	std::fs::set_permissions(path("alice.suri"), owner_only.clone()).unwrap();
	let read_fast = |node: &Node, out: &str| {
		let out = path(out);
		let url = format!("http://127.0.0.1:{}", node.rpc_port);
		let run = Command::new(env!("CARGO_BIN_EXE_pmr-node"))
			.args(["read-record", "--rpc-url", &url, "--ipfs-api", &ipfs_api(), "--target", &label])
			.args(["--purpose", "secondOpinion", "--custodian-rpc", &url, "--signer-key"])
			.arg(path("alice.suri"))
			.arg("--reader-key")
			.arg(path("alice.key"))
			.arg("--out")
			.arg(&out)
			.output()
			.expect("pmr-node runs");
		if run.status.success() {
			Ok(std::fs::read(&out).expect("the record was written"))
		} else {
			Err(String::from_utf8_lossy(&run.stderr).into_owned())
		}
	};
	// Custodians decide at their finalized block.
	finalized(&node, approved_at);
	let fast = read_fast(&node, "fast.json").expect("Alice reads with the custodian's off-chain answer");
	assert_eq!(fast, anonymized);
	eprintln!(
		"[measure] approval included in #{approved_at} → record read (off-chain answers) after {:.1} s, {} blocks \
		 of {} ms",
		started.elapsed().as_secs_f64(),
		node.best_number().unwrap_or_default().saturating_sub(approved_at),
		chain::slot_millis(&node)
	);
	// The custodian node is killed with kill -9 right after it answers a share request, before
	// it could record the answer on chain: it stored the answer (fsync) before replying, and
	// the restarted node records it in the patient's trail.
	let request = pmr_primitives::ShareRequest {
		genesis: chain::genesis(&node).0,
		at: node.finalized_number().unwrap_or_default().saturating_sub(8) as u32,
		requester: Alice.to_account_id(),
		target,
		purpose: Some(Purpose::SecondOpinion),
		reader_key: alice_pk,
	};
	let signature = pmr_runtime::Signature::from(sp_core::Pair::sign(&Alice.pair(), &request.signing_payload()));
	let answer = node
		.rpc("pmr_requestShare", json!([hex(&codec::Encode::encode(&request)), hex(&codec::Encode::encode(&signature))]))
		.expect("the custodian releases its share");
	let best_at_answer = node.best_number().unwrap_or_default();
	drop(node); // SIGKILL
	assert_eq!(answer["request"], json!(hex(&request.digest())), "the answer is bound to the request");
	let node = Node::start("key-release-restarted", &args);
	node.wait_for("the restarted node's RPC and its chain", Duration::from_secs(120), |n| {
		n.best_number().filter(|b| *b >= best_at_answer)
	});
	let recorded_at = node.wait_for("the answer given before the kill, in the audit trail", Duration::from_secs(120), |n| {
		audit_archive(n, PatientId(0)).into_iter().find_map(|(_, e)| match e.event {
			pallet_consent::AuditEvent::Key(KeyAuditEvent::ShareAnswered {
				request: digest,
				answer: pmr_primitives::ShareAnswer::Released,
				..
			}) if digest == request.digest() => Some(e.at),
			_ => None,
		})
	});
	assert!(
		u64::from(recorded_at) > best_at_answer,
		"recorded by the restarted node (#{recorded_at}), not before the kill (best #{best_at_answer})"
	);
	eprintln!("kill -9 right after answering (best #{best_at_answer}): the restarted node recorded the answer in #{recorded_at}");

	// Once Eve revokes that grant too, the custodian refuses, and says why.
	let grant = pmr_primitives::GrantId(1);
	let revoked_at = chain::submit(&node, Eve, RuntimeCall::Consent(pallet_consent::Call::revoke_grant { grant }));
	finalized(&node, revoked_at);
	let refused = read_fast(&node, "refused.json").expect_err("refused after revocation");
	assert!(refused.contains("every custodian refused") && refused.contains("refused:"), "{refused}");
	// The custodian records its answer in the patient's trail within a few blocks.
	node.wait_for("the off-chain release in the audit trail", Duration::from_secs(60), |n| {
		audit_archive(n, PatientId(0)).into_iter().map(|(_, e)| e).find(|e| {
			matches!(
				e.event,
				pallet_consent::AuditEvent::Key(KeyAuditEvent::ShareAnswered {
					custodian,
					answer: pmr_primitives::ShareAnswer::Released,
					..
				}) if custodian == hospital
			) && e.actor == Some(Alice.to_account_id())
		})
	});

	// Eve rotates her key with her own tool (`pmr-node rotate-patient-key`): the new key is
	// registered and the record's essential share re-wrapped to it on chain. She hands it over
	// to Dave's next request with the new key alone; Dave reads. A second run has nothing left
	// to do.
	let new_patient_pk = x25519(&path("patient-new.key"));
	std::fs::write(path("eve.suri"), "//Eve").unwrap();
	std::fs::set_permissions(path("eve.suri"), owner_only).unwrap();
	let rotate = || {
		let url = format!("http://127.0.0.1:{}", node.rpc_port);
		let out = Command::new(env!("CARGO_BIN_EXE_pmr-node"))
			.args(["rotate-patient-key", "--rpc-url", &url, "--ipfs-api", &ipfs_api(), "--patient", "0"])
			.arg("--old-key")
			.arg(path("patient.key"))
			.arg("--new-key")
			.arg(path("patient-new.key"))
			.arg("--signer-key")
			.arg(path("eve.suri"))
			.output()
			.expect("pmr-node runs");
		(out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
	};
	let (ok, said) = rotate();
	assert!(ok && said.contains("registered the new key") && said.contains("re-wrapped 1 essential share(s) to the new key; 0 left"), "{said}");
	let info: Option<pallet_registry::PatientInfo<Runtime>> = chain::runtime_api(&node, "RegistryApi_patient", PatientId(0));
	assert_eq!(info.map(|i| i.encryption_key), Some(new_patient_pk));
	let (ok, said) = rotate();
	assert!(ok && !said.contains("registered") && said.contains("re-wrapped 0 essential share(s)"), "{said}");
	let requested_at = key_release(&node, Dave, pallet_key_release::Call::request_key { target, purpose: Purpose::Treatment });
	answered(&node, 4);
	finalized(&node, requested_at);
	let handed = hand_over_essential(&node, 4, &path("patient-new.key"));
	finalized(&node, handed);
	let rotated = read_record(&node, 4, &path("dave.key"), &path("rotated.json")).expect("Dave reads after the rotation");
	assert_eq!(rotated, anonymized);

	// Eve erases the record: Dave's next request is refused as NoSuchRecord.
	chain::submit(&node, Eve, RuntimeCall::MedicalRecords(pallet_medical_records::Call::erase_record { item }));
	key_release(&node, Dave, pallet_key_release::Call::request_key { target, purpose: Purpose::Treatment });
	assert!(key_request(&node, 5).is_none(), "refused after erasure");

	// The audit trail lists every step, refusals included: the ring on chain keeps the first
	// and the latest of each doctor's accesses per day (so no one can flush it), and the
	// node's archive every version of every entry.
	let ring: Vec<pallet_consent::AuditEntry<Runtime>> =
		chain::runtime_api(&node, "ConsentApi_audit_log", (PatientId(0), 0u32, 100u32));
	let archive = node.wait_for("the last finalized entries in the archive", Duration::from_secs(60), |n| {
		let archive = audit_archive(n, PatientId(0));
		ring.iter().all(|e| archive.iter().any(|(_, a)| a == e)).then_some(archive)
	});
	assert!(archive.len() > ring.len(), "the archive keeps what the ring rewrote ({} versions, {} entries)", archive.len(), ring.len());
	let dave_in_ring = ring.iter().filter(|e| e.actor == Some(Dave.to_account_id()) && !matches!(e.event, pallet_consent::AuditEvent::Key(KeyAuditEvent::KeyRefused { .. }))).count();
	assert!(dave_in_ring <= 2 * days_spanned(&ring), "Dave's accesses take at most two ring entries a day ({dave_in_ring})");
	let key_events: Vec<KeyAuditEvent> = archive
		.into_iter()
		.filter_map(|(_, e)| match e.event {
			pallet_consent::AuditEvent::Key(k) => Some(k),
			_ => None,
		})
		.collect();
	let has = |f: &dyn Fn(&KeyAuditEvent) -> bool| key_events.iter().any(f);
	for id in [0, 1] {
		let id = KeyRequestId(id);
		assert!(has(&|e| matches!(e, KeyAuditEvent::KeyRequested { request, .. } if *request == id)));
		assert!(has(&|e| matches!(e, KeyAuditEvent::ShareReleased { request, custodian } if *request == id && *custodian == hospital)));
		assert!(has(&|e| matches!(e, KeyAuditEvent::EssentialShareReleased { request } if *request == id)));
	}
	assert!(has(&|e| matches!(
		e,
		KeyAuditEvent::KeyRequested { request: KeyRequestId(2), requester: pmr_primitives::KeyRequester::PatientSide, .. }
	)));
	assert!(has(&|e| matches!(e, KeyAuditEvent::KeyRefused { reason: AccessDenied::Revoked, .. })));
	assert!(has(&|e| matches!(e, KeyAuditEvent::KeyRefused { reason: AccessDenied::NoSuchRecord, .. })));
	assert!(has(&|e| matches!(e, KeyAuditEvent::EssentialSharesRewrapped { key, count: 1 } if *key == new_patient_pk)));
}
