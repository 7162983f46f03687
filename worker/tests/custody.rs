//! The custodian role and the two ends of key release without a chain: an in-memory chain,
//! custodian workers and the real local IPFS node. A record is ingested, two custodians (of
//! t = 2) answer a key request, the patient re-wraps the essential share, and the reader
//! recovers exactly the anonymized record; refusals, a failed answer and restarts follow the
//! chain's word; custodians keep a checked copy of every anchored record until it is erased.

mod common;

use common::*;
use pmr_vault::{envelope::generate_keypair, release::Binding};
use pmr_worker::{
	chain::{BlockFacts, KeyRequestView, ShareCheck, ShareRefusal, ShareRequestInvalid, ShareRequestView},
	custody::CustodyState,
	job::AnchorContent,
	read::{self, ReadError},
	replica::ReplicaState,
	share::{RecordState, ShareError, StoredOutcome},
};
use pmr_primitives::AccessDenied;

/// Ingests the bundle and returns the pinned content (shares for the fixture's 3 custodians,
/// threshold 2).
async fn ingested(f: &Fixture) -> AnchorContent {
	let worker = f.worker(100);
	let id = worker.submit(record(BUNDLE)).await.expect("accepted");
	worker.process_pending().await;
	pinned(&worker, id)
}

fn request(id: u64, content: &AnchorContent, reader_key: [u8; 32]) -> KeyRequestView {
	KeyRequestView {
		id,
		patient: 0,
		reader_key,
		content: content.clone(),
		released: vec![],
		refused: vec![],
		essential: None,
		own: false,
		valid_until: 100,
	}
}

/// Opens a key request on the chain (allowed or not) in a new finalized block.
fn open(f: &Fixture, view: KeyRequestView, check: Result<(), ShareRefusal>) {
	let id = view.id;
	f.chain.key_requests.lock().unwrap().insert(id, (view, check));
	f.chain.finalize(BlockFacts { key_requests: vec![id], ..Default::default() });
}

/// What the chain recorded of an answer: the pool's transactions by `signer`, as text.
fn answers(f: &Fixture, signer: &str) -> Vec<(String, u32)> {
	f.chain
		.pool
		.lock()
		.unwrap()
		.iter()
		.filter(|(s, _, _)| s == signer)
		.map(|(_, call, nonce)| (String::from_utf8(call.clone()).unwrap(), *nonce))
		.collect()
}

/// The envelope CID of a `Release` answer.
fn envelope(answer: &str) -> String {
	answer.split('"').nth(1).expect("a release names its envelope").to_string()
}

/// The chain includes `hospital`'s release in a finalized block.
fn released(f: &Fixture, id: u64, hospital: u32, cid: String) {
	f.chain.key_requests.lock().unwrap().get_mut(&id).unwrap().0.released.push((hospital, cid));
	f.chain.finalize_empty(1);
}

/// Whether any IPFS node of the test network serves `cid` (asked for 2 s).
async fn reachable(cid: &str) -> bool {
	let api = std::env::var("PMR_IPFS_API").unwrap_or_else(|_| "http://127.0.0.1:5001".into());
	let ipfs = pmr_vault::ipfs::Ipfs::new(&api, std::time::Duration::from_secs(2)).expect("IPFS address");
	ipfs.cat(cid).await.is_ok()
}

/// Where custodian worker `w` holds replica `cid`, if it knows it.
fn replica_state(w: &pmr_worker::Worker<MemChain>, cid: &str) -> Option<ReplicaState> {
	w.replicas().unwrap().into_iter().find(|r| r.cid == cid).map(|r| r.state)
}

#[tokio::test]
async fn custodians_release_the_patient_rewraps_and_the_reader_recovers_the_record() {
	let f = fixture();
	f.require_ipfs().await;
	let content = ingested(&f).await;
	let expected = f.read_back(&content).await;
	let (reader, reader_key) = generate_keypair();
	let one = f.custodian_worker(1, &f.custodians[0]);
	let three = f.custodian_worker(3, &f.custodians[2]);
	for w in [&one, &three] {
		w.follow_chain().await.unwrap(); // first scan: remembers where it starts
	}
	open(&f, request(7, &content, reader_key), Ok(()));

	for w in [&one, &three] {
		w.follow_chain().await.unwrap();
		w.answer_key_requests().await.unwrap();
	}
	let (a, b) = (answers(&f, &custodian(1)), answers(&f, &custodian(3)));
	assert_eq!((a.len(), b.len()), (1, 1), "one answer each");
	assert!(a[0].0.starts_with("7:Release") && b[0].0.starts_with("7:Release"), "{a:?} {b:?}");
	assert_eq!((a[0].1, b[0].1), (5, 5), "each signs with its account's next nonce");
	// An answer names its envelope's CID, but nobody can fetch the envelope before the chain
	// accepts the release.
	for answer in [&a[0].0, &b[0].0] {
		assert!(!reachable(&envelope(answer)).await, "an envelope is reachable before its release is accepted");
	}

	// Once the chain shows the answers, each custodian publishes its envelope, settles and
	// never answers again.
	released(&f, 7, 1, envelope(&a[0].0));
	released(&f, 7, 3, envelope(&b[0].0));
	for w in [&one, &three] {
		w.follow_chain().await.unwrap();
		w.answer_key_requests().await.unwrap();
		let tasks = w.custody_tasks().unwrap();
		assert_eq!(tasks[0].state, CustodyState::Done { outcome: "released".into() });
	}
	assert_eq!(f.chain.pool.lock().unwrap().len(), 2);
	for answer in [&a[0].0, &b[0].0] {
		assert!(f.ipfs.is_pinned(&envelope(answer)).await.unwrap(), "the accepted envelope is pinned");
	}

	// The reader cannot read before the patient's side answers.
	let view = f.chain.key_requests.lock().unwrap()[&7].0.clone();
	assert!(matches!(read::read(&f.ipfs, &view, None, &reader).await, Err(ReadError::NoEssentialShare)));

	// The patient re-wraps the essential share; the reader recovers the anonymized record.
	let essential = read::release_essential(&f.ipfs, &view, None, &f.patient).await.expect("re-wrapped");
	let view = KeyRequestView { essential: Some(essential), ..view };
	assert_eq!(read::read(&f.ipfs, &view, None, &reader).await.expect("read"), expected);
	// Nobody else can: another key, or one custodian short.
	let (stranger, _) = generate_keypair();
	assert!(read::read(&f.ipfs, &view, None, &stranger).await.is_err());
	let short = KeyRequestView { released: view.released[..1].to_vec(), ..view.clone() };
	assert!(matches!(
		read::read(&f.ipfs, &short, None, &reader).await,
		Err(ReadError::NotEnoughShares { got: 1, needed: 2, .. })
	));
	// A bogus answer ahead of the sound ones (an admin account answering as custodian with
	// any CID: here the record's own manifest, which is no share) is passed over.
	let bogus = (2, content.manifest.cid.clone());
	let with_bogus = KeyRequestView {
		released: [vec![bogus.clone()], view.released.clone()].concat(),
		..view.clone()
	};
	assert_eq!(read::read(&f.ipfs, &with_bogus, None, &reader).await.expect("read past the bogus answer"), expected);
	// With only one sound answer beside it, the cause is named.
	let one_sound = KeyRequestView { released: vec![bogus, view.released[0].clone()], ..view.clone() };
	assert!(matches!(read::read(&f.ipfs, &one_sound, None, &reader).await, Err(ReadError::Vault(_))));
}

#[tokio::test]
async fn custodians_refuse_what_the_chain_or_the_manifest_does_not_allow() {
	let f = fixture();
	f.require_ipfs().await;
	let content = ingested(&f).await;
	let (_, reader_key) = generate_keypair();
	let w = f.custodian_worker(1, &f.custodians[0]);
	w.follow_chain().await.unwrap();

	// The consent expired before the custodian acted.
	open(&f, request(1, &content, reader_key), Err(ShareRefusal::Denied(AccessDenied::Expired)));
	// The manifest fetched is not the one anchored.
	let mut tampered = content.clone();
	tampered.manifest.hash = [0xee; 32];
	open(&f, request(2, &tampered, reader_key), Ok(()));
	// The request was closed before the custodian got to it.
	f.chain.finalize(BlockFacts { key_requests: vec![3], ..Default::default() });
	w.follow_chain().await.unwrap();
	w.answer_key_requests().await.unwrap();

	let sent: Vec<String> = answers(&f, &custodian(1)).into_iter().map(|(a, _)| a).collect();
	assert_eq!(sent, vec!["1:Refuse(Denied(Expired))".to_string(), "2:Refuse(ManifestMismatch)".to_string()]);
	let outcome = |id: u64| w.custody_tasks().unwrap().into_iter().find(|t| t.request == id).unwrap().state;
	assert_eq!(outcome(3), CustodyState::Done { outcome: "closed".into() });

	// A custodian whose key holds no share in the manifest says so.
	let (outsider, _) = generate_keypair();
	let other = f.custodian_worker(2, &outsider);
	other.follow_chain().await.unwrap();
	open(&f, request(4, &content, reader_key), Ok(()));
	other.follow_chain().await.unwrap();
	other.answer_key_requests().await.unwrap();
	assert_eq!(answers(&f, &custodian(2))[0].0, "4:Refuse(NoShareForCustodian)");
}

#[tokio::test]
async fn an_answer_keeps_its_nonce_across_a_restart_and_a_failed_release_is_decided_again() {
	let f = fixture();
	f.require_ipfs().await;
	let content = ingested(&f).await;
	let (_, reader_key) = generate_keypair();
	{
		let w = f.custodian_worker(1, &f.custodians[0]);
		w.follow_chain().await.unwrap();
		open(&f, request(9, &content, reader_key), Ok(()));
		w.follow_chain().await.unwrap();
		w.answer_key_requests().await.unwrap();
	}
	// Restarted at once: the answer is recorded with its nonce, not sent again yet.
	let w = f.custodian_worker(1, &f.custodians[0]);
	w.answer_key_requests().await.unwrap();
	let first = answers(&f, &custodian(1));
	assert_eq!(first.len(), 1);
	let envelope_cid = envelope(&first[0].0);

	// Its nonce is used in a finalized block, but the chain shows no answer: the runtime
	// refused it (the consent was revoked meanwhile). It is decided again, and now refused.
	*f.chain.nonces.lock().unwrap() = (6, 6);
	f.chain.key_requests.lock().unwrap().get_mut(&9).unwrap().1 =
		Err(ShareRefusal::Denied(AccessDenied::NoConsent));
	w.answer_key_requests().await.unwrap(); // settles the failed release
	w.answer_key_requests().await.unwrap(); // decides again
	let sent = answers(&f, &custodian(1));
	assert_eq!(sent.last().unwrap(), &("9:Refuse(Denied(NoConsent))".to_string(), 6));
	assert!(!reachable(&envelope_cid).await, "the envelope of a release the chain refused is reachable");
}

#[tokio::test]
async fn a_custodian_keeps_a_checked_copy_of_every_anchored_record_until_erasure() {
	let f = fixture();
	f.require_ipfs().await;
	let content = ingested(&f).await;
	// Content whose CID the network serves but whose bytes are not what the chain anchored.
	let cids = f.ipfs.add_unpinned_all(vec![("bogus", b"not the anchored bytes".to_vec())]).await.unwrap();
	let mut bogus = content.clone();
	bogus.cid = cids[0].clone();
	bogus.ciphertext_hash = [0xee; 32];
	bogus.manifest.cid = cids[0].clone();
	bogus.manifest.hash = [0xee; 32];

	let w = f.custodian_worker(2, &f.custodians[1]);
	w.follow_chain().await.unwrap();
	f.chain.finalize(BlockFacts { sealed: vec![content.clone(), bogus], ..Default::default() });
	w.follow_chain().await.unwrap();
	w.replicate().await.unwrap();
	let state = |cid: &str| replica_state(&w, cid);
	for cid in [&content.cid, &content.manifest.cid] {
		assert!(matches!(state(cid), Some(ReplicaState::Pinned { .. })), "{cid}: {:?}", state(cid));
		assert!(f.ipfs.is_pinned(cid).await.unwrap());
	}
	assert_eq!(state(&cids[0]), Some(ReplicaState::Mismatch));
	assert!(!f.ipfs.is_pinned(&cids[0]).await.unwrap(), "what does not match the chain is not kept");

	// The pin is lost (an operator's mistake, a repo reset): the next check fetches it again.
	f.ipfs.unpin(&content.cid).await.unwrap();
	w.replicate().await.unwrap(); // finds it gone
	w.replicate().await.unwrap(); // fetches, checks and pins it again
	assert!(f.ipfs.is_pinned(&content.cid).await.unwrap());

	// The record is erased: the custodian unpins its copy.
	f.chain.finalize(BlockFacts {
		erased_cids: vec![content.cid.clone(), content.manifest.cid.clone()],
		..Default::default()
	});
	w.follow_chain().await.unwrap();
	assert_eq!(state(&content.cid), Some(ReplicaState::Erased));
	assert!(!f.ipfs.is_pinned(&content.cid).await.unwrap());
	assert!(!f.ipfs.is_pinned(&content.manifest.cid).await.unwrap());
}

#[tokio::test]
async fn an_erasure_seen_while_a_replica_is_fetched_leaves_nothing_pinned() {
	let f = fixture();
	f.require_ipfs().await;
	let content = ingested(&f).await;
	let w = f.custodian_worker(2, &f.custodians[1]);
	w.follow_chain().await.unwrap();
	f.chain.finalize(BlockFacts { sealed: vec![content.clone()], ..Default::default() });
	w.follow_chain().await.unwrap();
	f.chain.finalize(BlockFacts {
		erased_cids: vec![content.cid.clone(), content.manifest.cid.clone()],
		..Default::default()
	});
	// Replication runs in a task of its own beside the chain scan: whichever way the two
	// interleave, the erasure wins.
	let (fetched, scanned) = tokio::join!(w.replicate(), w.follow_chain());
	fetched.unwrap();
	scanned.unwrap();
	w.replicate().await.unwrap();
	for cid in [&content.cid, &content.manifest.cid] {
		assert_eq!(replica_state(&w, cid), Some(ReplicaState::Erased), "{cid}");
		assert!(!f.ipfs.is_pinned(cid).await.unwrap(), "{cid} left pinned");
	}
}

#[tokio::test]
async fn the_patient_reads_their_own_record_and_exports_it_as_a_fhir_bundle() {
	let f = fixture();
	f.require_ipfs().await;
	let content = ingested(&f).await;
	let expected = f.read_back(&content).await;
	let patient_key = x25519_dalek::PublicKey::from(&f.patient).to_bytes();
	let w = f.custodian_worker(1, &f.custodians[0]);
	let v = f.custodian_worker(2, &f.custodians[1]);
	for c in [&w, &v] {
		c.follow_chain().await.unwrap();
	}
	open(&f, KeyRequestView { own: true, ..request(5, &content, patient_key) }, Ok(()));
	for c in [&w, &v] {
		c.follow_chain().await.unwrap();
		c.answer_key_requests().await.unwrap();
	}
	released(&f, 5, 1, envelope(&answers(&f, &custodian(1))[0].0));
	released(&f, 5, 2, envelope(&answers(&f, &custodian(2))[0].0));
	for c in [&w, &v] {
		c.follow_chain().await.unwrap();
		c.answer_key_requests().await.unwrap(); // publishes the accepted envelope
	}
	let view = f.chain.key_requests.lock().unwrap()[&5].0.clone();

	// No essential share is handed over: the patient opens it from the manifest.
	let plain = read::read(&f.ipfs, &view, None, &f.patient).await.expect("the patient reads");
	assert_eq!(plain, expected);
	let bundle = read::fhir_bundle(&[read::Exported {
		label: "record/42/v0".into(),
		cid: content.cid.clone(),
		plaintext: plain,
	}]);
	assert_eq!(bundle["resourceType"], "Bundle");
	assert_eq!(bundle["type"], "collection");
	assert_eq!(bundle["entry"][0]["fullUrl"], "urn:pmr:record/42/v0");
	assert_eq!(bundle["entry"][0]["resource"]["resourceType"], "Bundle", "the recorded FHIR as it was");
	let text = bundle.to_string();
	for marker in MARKERS {
		assert!(!text.contains(marker), "{marker:?} in the export");
	}

	// The patient rotates the key: the tool re-wraps the essential share from the old secret,
	// and the new secret reads and approves with it (and only with it).
	let (new_secret, new_key) = generate_keypair();
	let envelope = read::rewrap_share(&f.ipfs, &content, None, &f.patient, &new_key).await.unwrap().expect("re-wrapped");
	let rewrapped = read::Rewrapped { key: new_key, envelope };
	assert_eq!(read::rewrap_share(&f.ipfs, &content, Some(&rewrapped), &f.patient, &new_key).await.unwrap(), None, "done once");
	assert!(matches!(
		read::read(&f.ipfs, &view, None, &new_secret).await,
		Err(ReadError::Vault(pmr_vault::VaultError::EssentialSealedToAnotherKey { .. }))
	));
	// An approval opens the share from the re-wrapped entry; the reader it is sealed to opens it
	// as the manifest's own share.
	let (reader, reader_key) = generate_keypair();
	assert!(matches!(
		read::approval_key(&f.ipfs, &content, None, &new_secret, &reader_key).await,
		Err(ReadError::Vault(pmr_vault::VaultError::EssentialSealedToAnotherKey { .. }))
	));
	let compact = read::approval_key(&f.ipfs, &content, Some(&rewrapped), &new_secret, &reader_key).await.unwrap();
	let manifest = pmr_vault::manifest::KeyManifest::from_json(&f.ipfs.cat(&content.manifest.cid).await.unwrap()).unwrap();
	let binding = Binding::ShareRequest([0xb1; 32]);
	let shares: Vec<_> =
		f.custodians.iter().map(|c| manifest.release_custodian_share(c, &reader_key, binding).unwrap()).collect();
	let handed = pmr_vault::release::ReleasedShare::from_approval(content.ciphertext_hash, reader_key, &compact).unwrap();
	let key = manifest.recover_released(&reader, (&handed, Binding::PatientApproval), &shares, binding).unwrap();
	let mut plain = Vec::new();
	pmr_vault::crypto::decrypt(&key, &f.ipfs.cat(&content.cid).await.unwrap()[..], &mut plain).unwrap();
	assert_eq!(plain, expected, "the reader opens the record with the rotated patient's approval");
}

#[test]
fn a_dicom_study_is_exported_by_its_uids_and_cid() {
	let ct = ct_small();
	let (anonymized, _) =
		pmr_vault::pipeline::anonymize(pmr_vault::pipeline::RecordKind::Dicom, &ct, "0", &[3; 32]).unwrap();
	let uids = pmr_vault::anonymize::dicom::uids(&anonymized).unwrap();
	let bundle = read::fhir_bundle(&[
		read::Exported { label: "lab-study/7".into(), cid: "bafy-study".into(), plaintext: anonymized },
		read::Exported { label: "iomt/1/0".into(), cid: "bafy-iomt".into(), plaintext: b"{\"readings\":[]}".to_vec() },
	]);
	let study = &bundle["entry"][0]["resource"];
	assert_eq!(study["resourceType"], "DocumentReference");
	assert_eq!(study["identifier"][0]["value"], format!("urn:oid:{}", uids.study));
	assert_eq!(study["identifier"][2]["value"], format!("urn:oid:{}", uids.sop_instance));
	assert_eq!(study["content"][0]["attachment"]["url"], "ipfs://bafy-study");
	assert_eq!(study["description"], "DICOM CT study");
	let readings = &bundle["entry"][1]["resource"];
	assert_eq!(readings["content"][0]["attachment"]["url"], "ipfs://bafy-iomt");
	assert_eq!(bundle["total"], 2);
}

/// The chain's word on share request `request` (its bytes, as the reader sent them).
fn decide(f: &Fixture, request: &[u8], check: ShareCheck) {
	f.chain.share_checks.lock().unwrap().insert(request.to_vec(), check);
}

fn share_request(digest: u8, reader_key: [u8; 32]) -> ShareRequestView {
	ShareRequestView { digest: [digest; 32], reader_key }
}

#[tokio::test]
async fn a_custodian_answers_a_signed_share_request_at_once_and_records_every_answer() {
	let f = fixture();
	f.require_ipfs().await;
	let content = ingested(&f).await;
	let expected = f.read_back(&content).await;
	let (reader, reader_key) = generate_keypair();
	let one = f.custodian_worker(1, &f.custodians[0]);
	let three = f.custodian_worker(3, &f.custodians[2]);
	f.chain.finalize_empty(4);

	// Allowed at the finalized block: each custodian answers at once, with its share bound to
	// the request's digest, and stores the answer before it replies.
	let asked = share_request(0xa1, reader_key);
	decide(&f, b"ask-1", ShareCheck::Release { request: asked.clone(), content: content.clone(), decided_at: 4 });
	let mut shares = Vec::new();
	for w in [&one, &three] {
		let reply = w.request_share(b"ask-1", SIGNED).await.expect("released");
		assert_eq!(reply.decided_at, 4);
		assert_eq!(reply.request, format!("0x{}", pmr_vault::hex::encode(&[0xa1; 32])));
		shares.push(reply.share);
		let stored = w.share_answers().unwrap();
		assert_eq!(stored.len(), 1);
		assert_eq!((stored[0].answer, &stored[0].record), (StoredOutcome::Released, &RecordState::Pending));
	}
	assert!(f.chain.pool.lock().unwrap().is_empty(), "the reply never waits for the chain");

	// The reader recovers the record from the essential share and the two answers, and only
	// for the request they answered.
	let manifest = pmr_vault::pipeline::fetch_manifest(&f.ipfs, &content.manifest.cid, &content.manifest.hash)
		.await
		.unwrap();
	let approval = Binding::KeyRequest(9);
	let essential = manifest.release_essential_share(&f.patient, &reader_key, approval).unwrap();
	let read = read::read_answered(&f.ipfs, &content, &reader, Some((&essential, approval)), [0xa1; 32], &shares);
	assert_eq!(read.await.expect("read"), expected);
	let other = read::read_answered(&f.ipfs, &content, &reader, Some((&essential, approval)), [0xa2; 32], &shares);
	assert!(other.await.is_err());
	let one_short =
		read::read_answered(&f.ipfs, &content, &reader, Some((&essential, approval)), [0xa1; 32], &shares[..1]);
	assert!(matches!(one_short.await, Err(ReadError::NotEnoughShares { got: 1, needed: 2, .. })));

	// Refused at the finalized block (the consent ended): the refusal is stored for the record.
	decide(
		&f,
		b"ask-2",
		ShareCheck::Refuse {
			request: share_request(0xa2, reader_key),
			reason: ShareRefusal::Denied(AccessDenied::Expired),
			decided_at: 5,
		},
	);
	let refused = one.request_share(b"ask-2", SIGNED).await.expect_err("refused");
	assert_eq!(refused.to_string(), "refused: the consent ended");
	// Forged or unknown: answered with the reason, stored nowhere.
	let forged = one.request_share(b"ask-1", b"forged").await.expect_err("invalid");
	assert!(matches!(forged, ShareError::Invalid(ShareRequestInvalid::BadSignature)), "{forged}");
	// Asked again: answered again, recorded once.
	one.request_share(b"ask-1", SIGNED).await.expect("released again");
	assert_eq!(one.share_answers().unwrap().len(), 2);

	// A restart between the reply and the record loses nothing: the next round records both
	// answers in one batch with the account's next nonce.
	drop(one);
	let one = f.custodian_worker(1, &f.custodians[0]);
	one.answer_key_requests().await.unwrap();
	let recorded = answers(&f, &custodian(1));
	assert_eq!(recorded.len(), 1, "{recorded:?}");
	assert_eq!(recorded[0].1, 5);
	assert!(recorded[0].0.starts_with("record:ask-1@4=Released,ask-2@5=Refused(Denied(Expired))"), "{recorded:?}");
	// Not handed over twice while the batch is on its way; settled once it is finalized.
	one.answer_key_requests().await.unwrap();
	assert_eq!(answers(&f, &custodian(1)).len(), 1);
	*f.chain.nonces.lock().unwrap() = (6, 6);
	one.answer_key_requests().await.unwrap();
	assert!(one.share_answers().unwrap().iter().all(|a| a.record == RecordState::Recorded));
	assert_eq!(answers(&f, &custodian(1)).len(), 1);
}

#[tokio::test]
async fn a_node_that_is_no_custodian_answers_no_share_request() {
	let f = fixture();
	let w = f.worker(100);
	let e = w.request_share(b"ask", SIGNED).await.expect_err("not a custodian");
	assert!(matches!(e, ShareError::NotACustodian));
}
