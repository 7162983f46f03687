//! Helpers for the ingest worker's end-to-end tests and benchmark: a small consortium on a dev
//! chain, `pmr_submitRecord` payloads, job polling, wallet-style signing of prepared anchors,
//! and reading a record back from IPFS against the chain's hashes.

use super::{chain, Node};
use codec::Decode;
use pallet_medical_records::{RecordInfo, VersionInfo};
use pallet_registry::{DoctorDetails, HospitalDetails, LabDetails};
use pmr_primitives::{HospitalId, PmrItemId, VisitDate};
use pmr_runtime::{Runtime, RuntimeCall};
use pmr_vault::{envelope::generate_keypair, ipfs::Ipfs, pipeline};
use serde_json::{json, Value};
use sp_core::crypto::Ss58Codec;
use sp_keyring::Sr25519Keyring::{self, Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::BoundedVec;
use std::time::Duration;
use x25519_dalek::StaticSecret;

pub const BUNDLE: &[u8] = include_bytes!("../../../vault/tests/fixtures/bundle.json");
pub const MARKERS: [&str; 5] = ["Ravi", "Kumar", "9876 5432 1098", "+91 98450 12345", "12 Temple Street"];

pub fn text<S: sp_runtime::traits::Get<u32>>(s: &str) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

pub fn hex(bytes: &[u8]) -> String {
	format!("0x{}", pmr_vault::hex::encode(bytes))
}

pub fn ipfs_api() -> String {
	std::env::var("PMR_IPFS_API").unwrap_or_else(|_| "http://127.0.0.1:5001".into())
}

/// Yesterday: in the past for the chain's clock too.
pub fn yesterday() -> VisitDate {
	let millis = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.expect("clock after 1970")
		.as_millis() as u64;
	VisitDate::from_unix_millis(millis - 86_400_000).expect("a date")
}

pub struct Keys {
	/// The patient's X25519 secret.
	pub patient: StaticSecret,
	/// The custodian's X25519 secret.
	pub custodian: StaticSecret,
}

/// The registry of a small consortium: Charlie's hospital (verified by Bob, the dev
/// regulator) with its custodian key, Dave its doctor, Ferdie its lab, Eve its patient.
pub fn consortium(node: &Node) -> Keys {
	let (patient, _) = generate_keypair();
	let (custodian, _) = generate_keypair();
	consortium_with(node, Keys { patient, custodian })
}

/// [`consortium`] with the patient's and the custodian's X25519 keys given.
pub fn consortium_with(node: &Node, keys: Keys) -> Keys {
	let patient_pk = x25519_dalek::PublicKey::from(&keys.patient).to_bytes();
	let custodian_pk = x25519_dalek::PublicKey::from(&keys.custodian).to_bytes();
	let hospital = HospitalId(0);
	let reg = |who: Sr25519Keyring, call: pallet_registry::Call<Runtime>| {
		chain::submit(node, who, RuntimeCall::Registry(call));
	};
	reg(
		Charlie,
		pallet_registry::Call::apply_for_registration {
			details: HospitalDetails::<Runtime> {
				registration_id: text("GOV-0001"),
				name: text("City Hospital"),
				location: text("Coimbatore"),
				specializations: BoundedVec::truncate_from(vec![text("radiology")]),
				contact: text("+91 422 000 0000"),
			},
		},
	);
	reg(Bob, pallet_registry::Call::verify_hospital { hospital });
	reg(Charlie, pallet_registry::Call::propose_custodian_key { hospital, key: custodian_pk });
	reg(Bob, pallet_registry::Call::approve_custodian_key { hospital });
	reg(Bob, pallet_registry::Call::set_custodian_threshold { threshold: 1 });
	reg(
		Charlie,
		pallet_registry::Call::onboard_doctor {
			hospital,
			doctor: Dave.to_account_id(),
			details: DoctorDetails::<Runtime> {
				registration_number: text("MCI-42"),
				name: text("Dr. Dave"),
				specialization: text("radiology"),
				contact: text("dave@hospital"),
			},
		},
	);
	reg(Bob, pallet_registry::Call::confirm_doctor_licence { doctor: pmr_primitives::DoctorId(0) });
	reg(
		Charlie,
		pallet_registry::Call::onboard_lab {
			hospital,
			lab: Ferdie.to_account_id(),
			details: LabDetails::<Runtime> {
				registration_number: text("LAB-7"),
				name: text("Imaging"),
				specialization: text("radiology"),
			},
		},
	);
	// The lab analyser signs its own anchors: the hospital funds its account's fees.
	chain::submit(
		node,
		Charlie,
		RuntimeCall::Balances(pmr_runtime::BalancesCall::transfer_keep_alive {
			dest: Ferdie.to_account_id().into(),
			value: 1_000_000_000_000_000,
		}),
	);
	reg(
		Charlie,
		pallet_registry::Call::register_patient {
			hospital,
			patient: Eve.to_account_id(),
			commitment: [1; 32],
			encryption_key: patient_pk,
		},
	);
	keys
}

/// A `pmr_submitRecord` request for patient 0. A record or an amendment names Dave, the
/// consortium's doctor, as its author (the wallet that signs the prepared call).
pub fn submission(format: &str, category: &str, target: Value, data: &[u8]) -> Value {
	let clinical = matches!(target["kind"].as_str(), Some("record" | "amendment"));
	let mut request = json!({ "format": format, "patient": 0, "category": category, "target": target, "data": hex(data) });
	if clinical {
		request["author"] = json!(Dave.to_account_id().to_ss58check());
	}
	json!([request])
}

/// The binary upload (`POST /records` on `--pmr-upload-addr 127.0.0.1:port`): `head` is the
/// submission without `data` (the `PMR-Submission` header), `body` the record's bytes, sent
/// as they are. Returns the HTTP status and the JSON answer.
pub fn upload(port: u16, path: &str, head: &Value, body: &[u8]) -> (u16, Value) {
	let mut request = format!(
		"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nPMR-Submission: {head}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
		body.len()
	)
	.into_bytes();
	request.extend_from_slice(body);
	let reply = http(port, &request);
	let status = reply.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("an HTTP answer: {reply}"));
	let body = reply.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
	(status, serde_json::from_str(body).unwrap_or_else(|e| panic!("a JSON answer ({e}): {body}")))
}

/// Sends a raw HTTP request to `port` and returns the whole answer as text. A server may
/// answer (a refusal) before the whole request is sent.
pub fn http(port: u16, request: &[u8]) -> String {
	use std::io::{Read, Write};
	let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("listening");
	stream.set_read_timeout(Some(std::time::Duration::from_secs(120))).unwrap();
	let _ = stream.write_all(request);
	let mut reply = Vec::new();
	let _ = stream.read_to_end(&mut reply);
	String::from_utf8_lossy(&reply).into_owned()
}

pub fn record_target() -> Value {
	json!({ "kind": "record", "hospital": 0, "visitDate": yesterday().ddmmyyyy() })
}

/// Waits for the job to reach `state` and returns it.
pub fn wait_state(node: &Node, job: u64, state: &str, timeout: Duration) -> Value {
	node.wait_for(&format!("job {job} {state}"), timeout, |n| {
		let status = n.rpc("pmr_jobStatus", json!([job])).ok()?;
		let now = status["state"]["state"].as_str()?;
		assert_ne!(now, "failed", "job {job} failed: {status}");
		(now == state).then_some(status)
	})
}

/// Signs the prepared anchor's call as `who` and submits it, the way a wallet does.
pub fn sign_anchor(node: &Node, who: Sr25519Keyring, status: &Value) -> u64 {
	let call = status["state"]["anchor"]["call"].as_str().expect("a prepared call");
	let raw = sp_core::bytes::from_hex(call).expect("hex call");
	let call = RuntimeCall::decode(&mut &raw[..]).expect("the prepared call decodes as a RuntimeCall");
	chain::submit(node, who, call)
}

pub fn hash_of(v: &Value) -> [u8; 32] {
	let raw = sp_core::bytes::from_hex(v.as_str().expect("hex hash")).expect("hex");
	raw.try_into().expect("32 bytes")
}

/// Fetches ciphertext and manifest by the CIDs **the chain** holds, checks them against the
/// chain's hashes, and decrypts with the patient's and the custodian's shares.
pub fn read_from_chain(keys: &Keys, version: &VersionInfo<Runtime>) -> Vec<u8> {
	let rt = tokio::runtime::Runtime::new().expect("tokio");
	rt.block_on(async {
		let ipfs = Ipfs::new(&ipfs_api(), Duration::from_secs(30)).expect("IPFS address");
		let cid = pmr_primitives::cid::to_text(&version.cid.clone().expect("not erased"));
		let manifest_ref = version.manifest.clone().expect("the anchor carries the manifest");
		let manifest_cid = pmr_primitives::cid::to_text(&manifest_ref.cid);
		let manifest = pipeline::fetch_manifest(&ipfs, &manifest_cid, &manifest_ref.hash)
			.await
			.expect("the manifest matches the chain's hash");
		assert_eq!(manifest.ciphertext_hash, version.ciphertext_hash);
		assert_eq!(manifest.plaintext_hash, version.plaintext_hash);
		let essential = manifest.open_essential(&keys.patient).expect("the patient's share");
		let share = manifest.open_custodian_share(1, &keys.custodian).expect("the custodian's share");
		pipeline::retrieve(&ipfs, &cid, &manifest, &essential, &[share])
			.await
			.expect("ciphertext and plaintext match the chain's hashes")
	})
}

pub fn record(node: &Node, item: PmrItemId) -> (RecordInfo<Runtime>, Vec<VersionInfo<Runtime>>) {
	let found: Option<(RecordInfo<Runtime>, Vec<VersionInfo<Runtime>>)> =
		chain::runtime_api(node, "RecordsApi_record", item);
	found.expect("the anchored record exists")
}

pub fn item_of(status: &Value) -> PmrItemId {
	status["state"]["anchoredAs"]["item"].as_str().expect("item as a string").parse().expect("u128")
}

