//! The whole ingest, in the order the design fixes: anonymize → encrypt → split the key →
//! pin ciphertext and manifest; and the way back for an authorized reader.

use crate::{
	anonymize::{self, Report},
	crypto::{self, DataKey, EncryptionSummary},
	ipfs::Ipfs,
	manifest::KeyManifest,
	sharing::{CustodianShare, EssentialShare},
	ContentHash, Result, VaultError,
};

/// The kind of record being ingested.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordKind {
	/// A FHIR R4 JSON resource or Bundle.
	Fhir,
	/// A DICOM Part 10 file.
	Dicom,
}

/// Who can recover the record's key.
#[derive(Clone, Debug)]
pub struct Recipients {
	/// The patient's registered X25519 public key (from the chain's registry).
	pub patient_key: [u8; 32],
	/// The custodian nodes' X25519 public keys (n = their number).
	pub custodian_keys: Vec<[u8; 32]>,
	/// Custodian shares needed, with the patient's essential share.
	pub threshold: u8,
}

/// What the chain records about an ingested record (the records pallet stores these).
#[derive(Clone, Debug)]
pub struct IngestReceipt {
	/// CID of the encrypted record.
	pub ciphertext_cid: String,
	/// CID of the key manifest.
	pub manifest_cid: String,
	/// blake2-256 of the key manifest (anchored on chain next to its CID).
	pub manifest_hash: ContentHash,
	/// Hashes and sizes.
	pub summary: EncryptionSummary,
	/// What anonymization removed and replaced (kept by the hospital for the audit).
	pub report: Report,
}

/// An encrypted record and its key manifest, ready to be added to IPFS.
pub struct Sealed {
	/// The ciphertext.
	pub ciphertext: Vec<u8>,
	/// The key manifest as JSON (what is pinned; [`Sealed::manifest_hash`] is its hash).
	pub manifest: Vec<u8>,
	/// blake2-256 of `manifest`: anchored on chain next to the manifest's CID, so that a
	/// reader checks the manifest against the chain and not against itself.
	pub manifest_hash: ContentHash,
	/// Hashes and sizes of plaintext and ciphertext.
	pub summary: EncryptionSummary,
}

/// Steps 2 and 3 of the ingest for an already anonymized record: encrypts it under a fresh
/// data key and splits the key to the recipients (the key itself is dropped, zeroized, when
/// this returns: only the shares survive).
pub fn seal(anonymized: &[u8], recipients: &Recipients) -> Result<Sealed> {
	let key = DataKey::generate();
	let mut ciphertext = Vec::with_capacity(anonymized.len() + anonymized.len() / 1024 + 64);
	let summary = crypto::encrypt(&key, anonymized, &mut ciphertext)?;
	let manifest = KeyManifest::build(
		&key,
		&summary,
		&recipients.patient_key,
		&recipients.custodian_keys,
		recipients.threshold,
	)?
	.to_json();
	let manifest_hash = crate::blake2_256(&manifest);
	Ok(Sealed { ciphertext, manifest, manifest_hash, summary })
}

/// Anonymizes, encrypts, splits the key and pins everything. `pseudonym_key` keys resource
/// and UID pseudonyms (one per patient keeps a patient's records linkable to each other and
/// to nobody else).
pub async fn ingest(
	ipfs: &Ipfs,
	kind: RecordKind,
	input: &[u8],
	patient_id: &str,
	recipients: &Recipients,
	pseudonym_key: &[u8; 32],
) -> Result<IngestReceipt> {
	let (anonymized, report) = anonymize(kind, input, patient_id, pseudonym_key)?;
	let Sealed { ciphertext, manifest, manifest_hash, summary } = seal(&anonymized, recipients)?;
	// The two uploads are independent: one request carries both.
	let cids = ipfs.add_pinned_all(vec![("ciphertext", ciphertext), ("manifest", manifest)]).await?;
	let [ciphertext_cid, manifest_cid] = <[String; 2]>::try_from(cids)
		.map_err(|_| VaultError::Ipfs(crate::ipfs::IpfsError::Api("expected two CIDs".into())))?;
	Ok(IngestReceipt { ciphertext_cid, manifest_cid, manifest_hash, summary, report })
}

/// Step 1 of the ingest: the anonymizer of `kind`.
pub fn anonymize(
	kind: RecordKind,
	input: &[u8],
	patient_id: &str,
	pseudonym_key: &[u8; 32],
) -> Result<(Vec<u8>, Report)> {
	match kind {
		RecordKind::Fhir => anonymize::fhir::anonymize(input, patient_id, pseudonym_key),
		RecordKind::Dicom => anonymize::dicom::anonymize(input, patient_id, pseudonym_key),
	}
}

/// Fetches the manifest (checked against its on-chain hash).
pub async fn fetch_manifest(ipfs: &Ipfs, cid: &str, manifest_hash: &ContentHash) -> Result<KeyManifest> {
	KeyManifest::from_json(&ipfs.cat_verified(cid, manifest_hash).await?)
}

/// The reader's way back: fetch the ciphertext, check it against the on-chain hash, recover
/// the key from the essential share and custodian shares, decrypt, and check the plaintext
/// hash too.
pub async fn retrieve(
	ipfs: &Ipfs,
	ciphertext_cid: &str,
	manifest: &KeyManifest,
	essential: &EssentialShare,
	shares: &[CustodianShare],
) -> Result<Vec<u8>> {
	let sealed = ipfs.cat_verified(ciphertext_cid, &manifest.ciphertext_hash).await?;
	let key = manifest.recover_key(essential, shares)?;
	let mut plain = Vec::with_capacity(sealed.len());
	let hash = crypto::decrypt(&key, &sealed[..], &mut plain)?;
	if hash != manifest.plaintext_hash {
		return Err(VaultError::HashMismatch {
			expected: crate::hex::encode(&manifest.plaintext_hash),
			actual: crate::hex::encode(&hash),
		});
	}
	Ok(plain)
}
