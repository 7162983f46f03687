//! The two ends of key release that need no node of one's own: the patient's side re-wraps
//! the essential share to the reader ([`release_essential`] for an on-chain key request,
//! [`approval_key`] to hand it over with an approval) or, after a rotation of the patient's
//! key, to the new key ([`rewrap_share`]), and the reader recovers the record
//! ([`read`] from an on-chain key request, [`read_answered`] from custodians' off-chain
//! answers). They take what the chain anchored (a [`KeyRequestView`] or the content) and an
//! IPFS node of the private network; `pmr-node rewrap-essential`, `approval-keys` and
//! `read-record` get those over JSON-RPC from any node. The secrets stay with whoever runs
//! them.

use crate::{chain::KeyRequestView, job::AnchorContent};
use pmr_vault::{
	crypto,
	ipfs::Ipfs,
	manifest::KeyManifest,
	release::{Binding, ReleasedShare},
	VaultError,
};
use x25519_dalek::StaticSecret;

/// Why a read or a re-wrap failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
	/// The patient's side has not handed the essential share over yet.
	#[error("the essential share was not released yet")]
	NoEssentialShare,
	/// Fewer custodians released their share than the threshold needs.
	#[error("{got} custodian share(s) released, {needed} needed (refused by {refused})")]
	NotEnoughShares {
		/// Shares released so far.
		got: usize,
		/// The threshold.
		needed: u8,
		/// Custodians that refused.
		refused: usize,
	},
	/// The manifest does not belong to the anchored content.
	#[error("the manifest is not the anchored content's")]
	ManifestMismatch,
	/// The decrypted record does not hash to the plaintext hash anchored on chain.
	#[error("the decrypted record does not match the anchored plaintext hash")]
	PlaintextMismatch,
	/// A vault operation (fetch with hash check, envelope, share, decryption) failed.
	#[error(transparent)]
	Vault(#[from] VaultError),
}

/// Fetches the content's manifest and checks it against the chain's hashes.
async fn checked_manifest(ipfs: &Ipfs, content: &AnchorContent) -> Result<KeyManifest, ReadError> {
	let m = &content.manifest;
	let manifest = KeyManifest::from_json(&ipfs.cat_verified(&m.cid, &m.hash).await?)?;
	if manifest.ciphertext_hash != content.ciphertext_hash || manifest.plaintext_hash != content.plaintext_hash {
		return Err(ReadError::ManifestMismatch);
	}
	Ok(manifest)
}

/// The patient's essential share of one piece of content re-wrapped to a newer key of the
/// patient after a rotation, as the chain keeps it (`KeyReleaseApi_rewrapped_essential`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rewrapped {
	/// The patient's key it is sealed to.
	pub key: [u8; 32],
	/// The compact envelope.
	pub envelope: Vec<u8>,
}

impl Rewrapped {
	/// As [`KeyManifest::for_patient_key`] takes it.
	fn entry(this: Option<&Self>) -> Option<([u8; 32], &[u8])> {
		this.map(|r| (r.key, &r.envelope[..]))
	}
}

/// The content's manifest, checked against the chain, as the holder of `patient_secret` sees
/// it: the essential share re-wrapped to that key when it was (`rewrapped`).
async fn patient_manifest(
	ipfs: &Ipfs,
	content: &AnchorContent,
	rewrapped: Option<&Rewrapped>,
	patient_secret: &StaticSecret,
) -> Result<KeyManifest, ReadError> {
	let manifest = checked_manifest(ipfs, content).await?;
	Ok(manifest.for_patient_key(Rewrapped::entry(rewrapped), patient_secret)?)
}

/// The patient's tool, after a rotation of the patient's key: the essential share of
/// `content` opened with `old_secret` (from the manifest, or from `rewrapped` when an earlier
/// rotation re-wrapped it to that key) and sealed to `new_key`, as
/// `keyRelease.rewrapEssentialShares` takes it; `None` when it is already sealed to `new_key`.
pub async fn rewrap_share(
	ipfs: &Ipfs,
	content: &AnchorContent,
	rewrapped: Option<&Rewrapped>,
	old_secret: &StaticSecret,
	new_key: &[u8; 32],
) -> Result<Option<Vec<u8>>, ReadError> {
	let manifest = checked_manifest(ipfs, content).await?;
	if rewrapped.map_or(manifest.patient.patient_key, |r| r.key) == *new_key {
		return Ok(None);
	}
	let manifest = manifest.for_patient_key(Rewrapped::entry(rewrapped), old_secret)?;
	Ok(Some(manifest.rewrap_essential(old_secret, new_key)?))
}

/// The patient's side: opens the essential share with the patient's secret (from `rewrapped`
/// after a rotation), re-wraps it to the requester's key bound to the request, and pins it.
/// Returns the envelope's CID, which the patient (or a guardian) hands over with
/// `keyRelease.releaseEssentialShare(request, cid)`.
pub async fn release_essential(
	ipfs: &Ipfs,
	view: &KeyRequestView,
	rewrapped: Option<&Rewrapped>,
	patient_secret: &StaticSecret,
) -> Result<String, ReadError> {
	let manifest = patient_manifest(ipfs, &view.content, rewrapped, patient_secret).await?;
	let released = manifest.release_essential_share(patient_secret, &view.reader_key, Binding::KeyRequest(view.id))?;
	Ok(ipfs.add_pinned(std::io::Cursor::new(released.to_json())).await.map_err(VaultError::from)?)
}

/// The patient's side, approving a reader's access (one click in a wallet): the essential
/// share of `content`, checked against the manifest the chain anchored, sealed to the
/// reader's registered key `reader_key`, as the compact envelope
/// `consent.approveRequest(request, scope, duration, keys)` hands over with the approval.
/// After a rotation the essential share is opened from `rewrapped`.
pub async fn approval_key(
	ipfs: &Ipfs,
	content: &AnchorContent,
	rewrapped: Option<&Rewrapped>,
	patient_secret: &StaticSecret,
	reader_key: &[u8; 32],
) -> Result<Vec<u8>, ReadError> {
	let manifest = patient_manifest(ipfs, content, rewrapped, patient_secret).await?;
	Ok(manifest.approve_essential(patient_secret, reader_key)?)
}

/// The pauses (ms) before each attempt to fetch the released envelopes: 7.75 s in all for an
/// envelope its custodian has not added yet.
const ENVELOPE_WAIT_MS: [u64; 6] = [0, 250, 500, 1_000, 2_000, 4_000];

/// The reader: collects the essential and the released custodian shares, recovers the data
/// key, fetches the ciphertext, and decrypts. Manifest, ciphertext and plaintext are each
/// checked against the hashes the chain anchored. Returns the (anonymized) record.
///
/// For a request of the patient's side (`view.own`), `reader_secret` is the patient's key and
/// the essential share is opened from the manifest, or from `rewrapped` after a rotation
/// (ignored for other readers).
pub async fn read(
	ipfs: &Ipfs,
	view: &KeyRequestView,
	rewrapped: Option<&Rewrapped>,
	reader_secret: &StaticSecret,
) -> Result<Vec<u8>, ReadError> {
	let essential_cid = match (&view.essential, view.own) {
		(_, true) => None,
		(Some(cid), false) => Some(cid.as_str()),
		(None, false) => return Err(ReadError::NoEssentialShare),
	};
	let manifest = match view.own {
		true => patient_manifest(ipfs, &view.content, rewrapped, reader_secret).await?,
		false => checked_manifest(ipfs, &view.content).await?,
	};
	if view.released.len() < usize::from(manifest.threshold) {
		return Err(ReadError::NotEnoughShares {
			got: view.released.len(),
			needed: manifest.threshold,
			refused: view.refused.len(),
		});
	}
	// Every released share is fetched, not only the first t: one that cannot be fetched or
	// parsed, or (in the vault) does not open or match its commitment, is passed over for the
	// next, so one faulty or dishonest custodian cannot stop a read that t others answered.
	// A custodian adds its envelope to IPFS only once it sees the chain accepted its release
	// (in the same finalized block the reader read), so one not found yet is asked again for a
	// few seconds while fewer than t shares are in hand.
	let mut shares = Vec::with_capacity(view.released.len());
	let mut unusable = None;
	let mut pending: Vec<&String> = view.released.iter().map(|(_, cid)| cid).collect();
	for pause in ENVELOPE_WAIT_MS {
		tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
		let mut missing = Vec::new();
		for cid in pending {
			match ipfs.cat(cid).await {
				Ok(bytes) => match ReleasedShare::from_json(&bytes) {
					Ok(share) => shares.push(share),
					Err(e) => {
						unusable.get_or_insert(e);
					},
				},
				Err(e) => {
					unusable = Some(VaultError::from(e));
					missing.push(cid);
				},
			}
		}
		pending = missing;
		if pending.is_empty() || shares.len() >= usize::from(manifest.threshold) {
			break;
		}
	}
	if shares.len() < usize::from(manifest.threshold) {
		return Err(unusable.map_or(ReadError::NotEnoughShares { got: shares.len(), needed: manifest.threshold, refused: view.refused.len() }, ReadError::from));
	}
	let binding = Binding::KeyRequest(view.id);
	let essential = match essential_cid {
		Some(cid) => Some(ReleasedShare::from_json(&ipfs.cat(cid).await.map_err(VaultError::from)?)?),
		None => None,
	};
	let essential = essential.as_ref().map(|e| (e, binding));
	decrypt(ipfs, &view.content, &manifest, reader_secret, essential, &shares, binding).await
}

/// The reader, with shares its custodians answered off chain (`pmr_requestShare`), each bound
/// to the digest of the reader's signed share request: recovers the data key from `essential`
/// (the essential share and what it was released for; `None` for the patient's own content,
/// whose essential share `reader_secret` opens from the manifest) and at least `t` of
/// `shares`, fetches the ciphertext and decrypts. Manifest, ciphertext and plaintext are each
/// checked against the hashes the chain anchored (`content`). A share that does not open or
/// does not match its commitment is passed over for the next.
pub async fn read_answered(
	ipfs: &Ipfs,
	content: &AnchorContent,
	reader_secret: &StaticSecret,
	essential: Option<(&ReleasedShare, Binding)>,
	request_digest: [u8; 32],
	shares: &[ReleasedShare],
) -> Result<Vec<u8>, ReadError> {
	let manifest = checked_manifest(ipfs, content).await?;
	if shares.len() < usize::from(manifest.threshold) {
		return Err(ReadError::NotEnoughShares { got: shares.len(), needed: manifest.threshold, refused: 0 });
	}
	decrypt(ipfs, content, &manifest, reader_secret, essential, shares, Binding::ShareRequest(request_digest)).await
}

/// What the reader says of a read from an on-chain key request, given `ended`: why the request
/// can no longer be answered at the reader's block (a [`crate::share::refusal_cause`]), or
/// `None` while it can. A record read with shares that were released while the request could
/// be answered is still readable after it ends (a released key cannot be taken back): the read
/// stands, with a note that says so. A read that failed for want of shares fails with the
/// request's end as its cause, since waiting will not help.
pub fn request_read_outcome(
	request: u64,
	ended: Option<&str>,
	read: Result<Vec<u8>, ReadError>,
) -> Result<(Vec<u8>, Option<String>), String> {
	match (read, ended) {
		(Ok(record), None) => Ok((record, None)),
		(Ok(record), Some(why)) => Ok((
			record,
			Some(format!(
				"key request {request} can no longer be answered ({why}), but its shares were released while \
				 it could be: the record is still readable, since a key once released cannot be taken back \
				 (docs/key-release.md)"
			)),
		)),
		(Err(e @ (ReadError::NoEssentialShare | ReadError::NotEnoughShares { .. })), Some(why)) => {
			Err(format!("key request {request} can no longer be answered: {why} ({e})"))
		},
		(Err(e), _) => Err(e.to_string()),
	}
}

/// Recovers the data key from the essential share (or the manifest, for the patient) and the
/// custodian shares released for `binding`, then fetches, decrypts and checks the content.
async fn decrypt(
	ipfs: &Ipfs,
	content: &AnchorContent,
	manifest: &KeyManifest,
	reader_secret: &StaticSecret,
	essential: Option<(&ReleasedShare, Binding)>,
	shares: &[ReleasedShare],
	binding: Binding,
) -> Result<Vec<u8>, ReadError> {
	let key = match essential {
		Some(essential) => manifest.recover_released(reader_secret, essential, shares, binding)?,
		None => manifest.recover_released_own(reader_secret, binding, shares)?,
	};
	let ciphertext = ipfs.cat_verified(&content.cid, &content.ciphertext_hash).await?;
	let mut plaintext = Vec::with_capacity(ciphertext.len());
	let plaintext_hash = crypto::decrypt(&key, ciphertext.as_slice(), &mut plaintext)?;
	if plaintext_hash != content.plaintext_hash {
		return Err(ReadError::PlaintextMismatch);
	}
	Ok(plaintext)
}

/// One piece of the patient's content read for an export.
#[derive(Clone, Debug)]
pub struct Exported {
	/// What it is on chain, e.g. `record/1234/v0`, `lab-study/7`, `iomt/3/12`.
	pub label: String,
	/// The CID of its (encrypted) object on the consortium's IPFS.
	pub cid: String,
	/// The decrypted, anonymized content.
	pub plaintext: Vec<u8>,
}

/// A FHIR R4 `Bundle` (type `collection`) of a patient's content: FHIR records as they were
/// recorded (a resource or a `Bundle`), DICOM studies as `DocumentReference`s naming the
/// study, series and instance by their DICOM UIDs and the object by its CID, and other
/// content (IoMT readings) as a `DocumentReference` to its CID.
pub fn fhir_bundle(items: &[Exported]) -> serde_json::Value {
	use serde_json::json;
	let entries: Vec<_> = items
		.iter()
		.map(|item| {
			let fhir = serde_json::from_slice::<serde_json::Value>(&item.plaintext)
				.ok()
				.filter(|v| v.get("resourceType").is_some());
			let resource = match fhir {
				Some(resource) => resource,
				None => match pmr_vault::anonymize::dicom::uids(&item.plaintext) {
					Ok(uids) => json!({
						"resourceType": "DocumentReference",
						"status": "current",
						"identifier": [
							{ "system": "urn:dicom:uid", "value": format!("urn:oid:{}", uids.study) },
							{ "system": "urn:dicom:uid", "value": format!("urn:oid:{}", uids.series) },
							{ "system": "urn:dicom:uid", "value": format!("urn:oid:{}", uids.sop_instance) },
						],
						"description": format!("DICOM {} study", uids.modality),
						"content": [{ "attachment": {
							"contentType": "application/dicom",
							"url": format!("ipfs://{}", item.cid),
							"title": format!("SOP class urn:oid:{}", uids.sop_class),
						}}],
					}),
					Err(_) => json!({
						"resourceType": "DocumentReference",
						"status": "current",
						"description": "IoMT readings",
						"content": [{ "attachment": {
							"contentType": "application/json",
							"url": format!("ipfs://{}", item.cid),
						}}],
					}),
				},
			};
			json!({ "fullUrl": format!("urn:pmr:{}", item.label), "resource": resource })
		})
		.collect();
	json!({ "resourceType": "Bundle", "type": "collection", "total": entries.len(), "entry": entries })
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_read_after_the_request_ended_stands_and_says_why_it_still_works() {
		let (record, note) = request_read_outcome(3, Some("the patient revoked the consent"), Ok(b"{}".to_vec())).unwrap();
		assert_eq!(record, b"{}");
		let note = note.expect("a note");
		assert!(note.starts_with("key request 3 can no longer be answered (the patient revoked the consent)"), "{note}");
		assert!(note.contains("still readable"), "{note}");
	}

	#[test]
	fn an_open_request_reads_without_a_note() {
		assert_eq!(request_read_outcome(3, None, Ok(vec![1])).unwrap(), (vec![1], None));
	}

	#[test]
	fn missing_shares_of_an_ended_request_fail_with_the_end_first() {
		let err = request_read_outcome(5, Some("the consent ended"), Err(ReadError::NoEssentialShare)).unwrap_err();
		assert_eq!(
			err,
			"key request 5 can no longer be answered: the consent ended (the essential share was not released yet)"
		);
		let short = ReadError::NotEnoughShares { got: 1, needed: 2, refused: 2 };
		let err = request_read_outcome(5, Some("the request's time to be answered ran out"), Err(short)).unwrap_err();
		assert!(err.starts_with("key request 5 can no longer be answered: the request's time"), "{err}");
	}

	#[test]
	fn other_failures_keep_their_own_words() {
		// Missing shares of an open request: waiting may help, so no end is claimed.
		assert_eq!(
			request_read_outcome(5, None, Err(ReadError::NoEssentialShare)).unwrap_err(),
			"the essential share was not released yet"
		);
		// A hash mismatch is a mismatch, whatever the request's state.
		assert_eq!(
			request_read_outcome(5, Some("the consent ended"), Err(ReadError::PlaintextMismatch)).unwrap_err(),
			"the decrypted record does not match the anchored plaintext hash"
		);
	}
}
