//! The IPFS client and the whole pipeline against the real local IPFS node
//! (scripts/ipfs-dev-node.sh; $PMR_IPFS_API, default http://127.0.0.1:5001).

use pmr_vault::{
	anonymize::fhir,
	envelope::generate_keypair,
	ipfs::{with_retries, Ipfs, IpfsError},
	pipeline::{self, Recipients, RecordKind},
	VaultError,
};
use std::{
	sync::atomic::{AtomicU32, Ordering},
	time::Duration,
};

fn node() -> Ipfs {
	Ipfs::from_env().expect("PMR_IPFS_API is a valid address")
}

async fn require_node(ipfs: &Ipfs) {
	assert!(
		ipfs.is_up().await,
		"no IPFS node at $PMR_IPFS_API: start one with scripts/ipfs-dev-node.sh"
	);
}

#[tokio::test]
async fn add_pin_cat_verify_unpin() {
	let ipfs = node();
	require_node(&ipfs).await;
	let data = format!("pmr-vault test {:?}", std::time::SystemTime::now()).into_bytes();
	let cid = ipfs.add_pinned(std::io::Cursor::new(data.clone())).await.expect("add");
	assert!(ipfs.is_pinned(&cid).await.expect("pin/ls"));
	let hash = pmr_vault::blake2_256(&data);
	assert_eq!(ipfs.cat_verified(&cid, &hash).await.expect("cat"), data);
	// a wrong on-chain hash is caught before anyone decrypts
	assert!(matches!(
		ipfs.cat_verified(&cid, &[0; 32]).await,
		Err(VaultError::HashMismatch { .. })
	));
	ipfs.unpin(&cid).await.expect("pin/rm");
	assert!(!ipfs.is_pinned(&cid).await.expect("pin/ls"));
	ipfs.pin(&cid).await.expect("pin/add");
	assert!(ipfs.is_pinned(&cid).await.expect("pin/ls"));
	ipfs.unpin(&cid).await.expect("pin/rm");
}

#[tokio::test]
async fn a_node_that_is_down_is_a_retryable_error() {
	let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
	let ipfs = Ipfs::new(&format!("http://127.0.0.1:{port}"), Duration::from_secs(2)).unwrap();
	let err = ipfs.cat("bafkqaaa").await.expect_err("nothing listens there");
	assert!(matches!(err, IpfsError::Unavailable(_)) && err.is_retryable(), "{err:?}");

	let attempts = AtomicU32::new(0);
	let result = with_retries(3, Duration::from_millis(10), || {
		attempts.fetch_add(1, Ordering::SeqCst);
		ipfs.cat("bafkqaaa")
	})
	.await;
	assert!(result.is_err());
	assert_eq!(attempts.load(Ordering::SeqCst), 3);
	assert!(matches!(Ipfs::new("not a uri", Duration::from_secs(1)), Err(IpfsError::BadAddress(_))));
}

#[tokio::test]
async fn ingest_then_retrieve_with_patient_and_t_custodians() {
	let ipfs = node();
	require_node(&ipfs).await;
	let record = include_bytes!("fixtures/bundle.json");
	let (patient_sk, patient_pk) = generate_keypair();
	let custodians: Vec<_> = (0..3).map(|_| generate_keypair()).collect();
	let recipients = Recipients {
		patient_key: patient_pk,
		custodian_keys: custodians.iter().map(|(_, pk)| *pk).collect(),
		threshold: 2,
	};
	let receipt = pipeline::ingest(&ipfs, RecordKind::Fhir, record, "85437", &recipients, &[1; 32])
		.await
		.expect("ingest");
	assert!(ipfs.is_pinned(&receipt.ciphertext_cid).await.unwrap());
	assert!(ipfs.is_pinned(&receipt.manifest_cid).await.unwrap());
	assert!(!receipt.report.removed.is_empty());

	// the reader's side: the manifest is checked against the hash the ingest computed before
	// pinning (the one the chain stores), never against a hash of what was fetched
	let manifest = pipeline::fetch_manifest(&ipfs, &receipt.manifest_cid, &receipt.manifest_hash)
		.await
		.expect("manifest");
	// a manifest swapped on the IPFS side fails against the anchored hash
	assert!(matches!(
		pipeline::fetch_manifest(&ipfs, &receipt.ciphertext_cid, &receipt.manifest_hash).await,
		Err(pmr_vault::VaultError::HashMismatch { .. })
	));
	let essential = manifest.open_essential(&patient_sk).unwrap();
	let shares = vec![
		manifest.open_custodian_share(1, &custodians[0].0).unwrap(),
		manifest.open_custodian_share(3, &custodians[2].0).unwrap(),
	];
	let plain = pipeline::retrieve(&ipfs, &receipt.ciphertext_cid, &manifest, &essential, &shares)
		.await
		.expect("retrieve");
	let (expected, _) = fhir::anonymize(record, "85437", &[1; 32]).unwrap();
	assert_eq!(plain, expected);

	// one custodian share is not enough
	assert!(matches!(
		pipeline::retrieve(&ipfs, &receipt.ciphertext_cid, &manifest, &essential, &shares[..1]).await,
		Err(VaultError::NotEnoughShares { .. })
	));
	ipfs.unpin(&receipt.ciphertext_cid).await.unwrap();
	ipfs.unpin(&receipt.manifest_cid).await.unwrap();
}
