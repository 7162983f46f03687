//! The two ends of key release that need no node of one's own: the patient's side re-wraps
//! the essential share to the reader ([`release_essential`]), and the reader recovers the
//! record ([`read`]). Both take the key request as the chain has it ([`KeyRequestView`]) and
//! an IPFS node of the private network; `pmr-node rewrap-essential` and `pmr-node read-record`
//! get the view over JSON-RPC from any node. The secrets stay with whoever runs them.

use crate::chain::KeyRequestView;
use pmr_vault::{
	crypto,
	ipfs::Ipfs,
	manifest::KeyManifest,
	release::ReleasedShare,
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

/// Fetches the request's manifest and checks it against the chain's hashes.
async fn manifest(ipfs: &Ipfs, view: &KeyRequestView) -> Result<KeyManifest, ReadError> {
	let m = &view.content.manifest;
	let manifest = KeyManifest::from_json(&ipfs.cat_verified(&m.cid, &m.hash).await?)?;
	if manifest.ciphertext_hash != view.content.ciphertext_hash ||
		manifest.plaintext_hash != view.content.plaintext_hash
	{
		return Err(ReadError::ManifestMismatch);
	}
	Ok(manifest)
}

/// The patient's side: opens the essential share with the patient's secret, re-wraps it to the
/// requester's key bound to the request, and pins it. Returns the envelope's CID, which the
/// patient (or a guardian) hands over with `keyRelease.releaseEssentialShare(request, cid)`.
pub async fn release_essential(
	ipfs: &Ipfs,
	view: &KeyRequestView,
	patient_secret: &StaticSecret,
) -> Result<String, ReadError> {
	let manifest = manifest(ipfs, view).await?;
	let released = manifest.release_essential_share(patient_secret, &view.reader_key, view.id)?;
	Ok(ipfs.add_pinned(std::io::Cursor::new(released.to_json())).await.map_err(VaultError::from)?)
}

/// The reader: collects the essential and the released custodian shares, recovers the data
/// key, fetches the ciphertext, and decrypts. Manifest, ciphertext and plaintext are each
/// checked against the hashes the chain anchored. Returns the (anonymized) record.
pub async fn read(ipfs: &Ipfs, view: &KeyRequestView, reader_secret: &StaticSecret) -> Result<Vec<u8>, ReadError> {
	let essential_cid = view.essential.as_deref().ok_or(ReadError::NoEssentialShare)?;
	let manifest = manifest(ipfs, view).await?;
	if view.released.len() < usize::from(manifest.threshold) {
		return Err(ReadError::NotEnoughShares {
			got: view.released.len(),
			needed: manifest.threshold,
			refused: view.refused.len(),
		});
	}
	let essential = ReleasedShare::from_json(&ipfs.cat(essential_cid).await.map_err(VaultError::from)?)?;
	let mut shares = Vec::with_capacity(usize::from(manifest.threshold));
	for (_, cid) in view.released.iter().take(usize::from(manifest.threshold)) {
		shares.push(ReleasedShare::from_json(&ipfs.cat(cid).await.map_err(VaultError::from)?)?);
	}
	let key = manifest.recover_released(reader_secret, view.id, &essential, &shares)?;
	let ciphertext = ipfs.cat_verified(&view.content.cid, &view.content.ciphertext_hash).await?;
	let mut plaintext = Vec::with_capacity(ciphertext.len());
	let plaintext_hash = crypto::decrypt(&key, ciphertext.as_slice(), &mut plaintext)?;
	if plaintext_hash != view.content.plaintext_hash {
		return Err(ReadError::PlaintextMismatch);
	}
	Ok(plaintext)
}
