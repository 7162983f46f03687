//! The key manifest: the content-addressed list of share envelopes of one record.
//!
//! It names the record by its plaintext and ciphertext hashes, says the threshold, and holds
//! the patient's envelope (the essential share `E`, sealed to the patient's registered key)
//! and one envelope per custodian (its Shamir share of `S`, sealed to the custodian node's
//! key) with the share's commitment. Every envelope's associated data binds it to this
//! record's ciphertext hash, its role and its index. There is no key material in the clear:
//! the manifest can be pinned to IPFS and its CID put on chain.

use crate::{
	crypto::{DataKey, EncryptionSummary},
	envelope::{self, Envelope},
	hex,
	sharing::{self, CustodianShare, EssentialShare},
	ContentHash, Result, VaultError,
};
use serde::{Deserialize, Serialize};
use x25519_dalek::StaticSecret;

/// The manifest format this library writes.
pub const MANIFEST_VERSION: u8 = 1;
/// The scheme identifier written into manifests.
pub const SCHEME: &str = "pmr-1tn/xor-shamir-gf256/x25519-hkdf-sha256-chacha20poly1305/v1";

const ROLE_PATIENT: u8 = 0;
const ROLE_CUSTODIAN: u8 = 1;

/// The patient's entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientEntry {
	/// The patient's registered X25519 public key.
	#[serde(with = "hex::bytes32")]
	pub patient_key: [u8; 32],
	/// The essential share, sealed to that key.
	pub envelope: Envelope,
}

/// One custodian's entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustodianEntry {
	/// The share's index (1..=n).
	pub index: u8,
	/// The custodian node's X25519 public key.
	#[serde(with = "hex::bytes32")]
	pub custodian_key: [u8; 32],
	/// The commitment to the share.
	#[serde(with = "hex::bytes32")]
	pub commitment: ContentHash,
	/// The share, sealed to the custodian's key.
	pub envelope: Envelope,
}

/// A record's key manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyManifest {
	/// Format version.
	pub version: u8,
	/// Scheme identifier.
	pub scheme: String,
	/// blake2-256 of the plaintext.
	#[serde(with = "hex::bytes32")]
	pub plaintext_hash: ContentHash,
	/// blake2-256 of the ciphertext.
	#[serde(with = "hex::bytes32")]
	pub ciphertext_hash: ContentHash,
	/// Custodian shares needed (with the essential share).
	pub threshold: u8,
	/// The patient's envelope.
	pub patient: PatientEntry,
	/// The custodians' envelopes.
	pub custodians: Vec<CustodianEntry>,
}

fn context(ciphertext_hash: &ContentHash, role: u8, index: u8) -> Vec<u8> {
	let mut c = b"pmr-vault/manifest/v1".to_vec();
	c.extend_from_slice(ciphertext_hash);
	c.push(role);
	c.push(index);
	c
}

impl KeyManifest {
	/// Splits `key` and seals the shares: `E` to `patient_key`, one Shamir share of `S` to each
	/// of `custodian_keys` (so n = their number), `threshold` of which are needed.
	pub fn build(
		key: &DataKey,
		summary: &EncryptionSummary,
		patient_key: &[u8; 32],
		custodian_keys: &[[u8; 32]],
		threshold: u8,
	) -> Result<Self> {
		let n = u8::try_from(custodian_keys.len())
			.map_err(|_| VaultError::InvalidThreshold { threshold, shares: u8::MAX })?;
		let split = sharing::split(key, threshold, n)?;
		let h = summary.ciphertext_hash;
		let patient = PatientEntry {
			patient_key: *patient_key,
			envelope: envelope::seal(
				patient_key,
				split.essential.as_bytes(),
				&context(&h, ROLE_PATIENT, 0),
			)?,
		};
		let custodians = split
			.custodians
			.iter()
			.zip(custodian_keys)
			.map(|(share, custodian_key)| {
				Ok(CustodianEntry {
					index: share.index,
					custodian_key: *custodian_key,
					commitment: share.commitment(),
					envelope: envelope::seal(
						custodian_key,
						&share.to_bytes(),
						&context(&h, ROLE_CUSTODIAN, share.index),
					)?,
				})
			})
			.collect::<Result<Vec<_>>>()?;
		Ok(Self {
			version: MANIFEST_VERSION,
			scheme: SCHEME.into(),
			plaintext_hash: summary.plaintext_hash,
			ciphertext_hash: h,
			threshold,
			patient,
			custodians,
		})
	}

	/// The manifest as JSON (deterministic: fields in declaration order).
	pub fn to_json(&self) -> Vec<u8> {
		// Serialising plain structs of integers, strings and byte arrays cannot fail.
		serde_json::to_vec(self).unwrap_or_default()
	}

	/// Parses a manifest and checks its version and shape.
	pub fn from_json(bytes: &[u8]) -> Result<Self> {
		let m: Self = serde_json::from_slice(bytes).map_err(|e| VaultError::Manifest(e.to_string()))?;
		if m.version != MANIFEST_VERSION || m.scheme != SCHEME {
			return Err(VaultError::Manifest("unsupported version or scheme".into()));
		}
		if m.threshold == 0 || m.threshold as usize > m.custodians.len() {
			return Err(VaultError::Manifest("threshold does not fit the custodians".into()));
		}
		Ok(m)
	}

	/// The patient opens the essential share.
	pub fn open_essential(&self, patient_secret: &StaticSecret) -> Result<EssentialShare> {
		let bytes = envelope::open(
			patient_secret,
			&self.patient.envelope,
			&context(&self.ciphertext_hash, ROLE_PATIENT, 0),
		)?;
		let e = <[u8; 32]>::try_from(&bytes[..]).map_err(|_| VaultError::Envelope)?;
		Ok(EssentialShare::from_bytes(e))
	}

	/// The patient's tool, after a rotation of the patient's key: opens the essential share
	/// with the secret it is sealed to now (`old_secret`, of the manifest's or an earlier
	/// re-wrapped entry, see [`KeyManifest::for_patient_key`]) and seals it to `new_key`, bound
	/// like the manifest's own entry (this record's ciphertext hash, the patient's role). The
	/// result is the compact envelope `keyRelease.rewrapEssentialShares` keeps on chain; it
	/// opens for no other record.
	pub fn rewrap_essential(&self, old_secret: &StaticSecret, new_key: &[u8; 32]) -> Result<Vec<u8>> {
		let essential = self.open_essential(old_secret)?;
		let sealed = envelope::seal(new_key, essential.as_bytes(), &context(&self.ciphertext_hash, ROLE_PATIENT, 0))?;
		Ok(sealed.to_bytes())
	}

	/// This manifest as the holder of `patient_secret` sees it: the patient's entry is the
	/// re-wrapped one the chain keeps (`rewrapped`: the key it is sealed to and its compact
	/// envelope) when that is sealed to this secret's key, the manifest's own otherwise. Fails
	/// with [`VaultError::EssentialSealedToAnotherKey`] when neither is: the share must first be
	/// re-wrapped from the key it is sealed to.
	pub fn for_patient_key(mut self, rewrapped: Option<([u8; 32], &[u8])>, patient_secret: &StaticSecret) -> Result<Self> {
		let public = x25519_dalek::PublicKey::from(patient_secret).to_bytes();
		match rewrapped {
			Some((key, sealed)) if key == public => {
				self.patient = PatientEntry { patient_key: key, envelope: Envelope::from_bytes(sealed)? };
				Ok(self)
			},
			_ if self.patient.patient_key == public => Ok(self),
			Some((key, _)) => Err(VaultError::EssentialSealedToAnotherKey { sealed_to: crate::hex::encode(&key) }),
			None => Err(VaultError::EssentialSealedToAnotherKey { sealed_to: crate::hex::encode(&self.patient.patient_key) }),
		}
	}

	/// A custodian opens its share (and checks it against its commitment).
	pub fn open_custodian_share(&self, index: u8, custodian_secret: &StaticSecret) -> Result<CustodianShare> {
		let entry = self
			.custodians
			.iter()
			.find(|c| c.index == index)
			.ok_or_else(|| VaultError::Manifest(format!("no custodian share {index}")))?;
		let bytes = envelope::open(
			custodian_secret,
			&entry.envelope,
			&context(&self.ciphertext_hash, ROLE_CUSTODIAN, index),
		)?;
		let share = CustodianShare::from_bytes(&bytes)?;
		if share.index != index || share.commitment() != entry.commitment {
			return Err(VaultError::TamperedShare { index });
		}
		Ok(share)
	}

	/// Recovers the data key from the essential share and custodian shares, each checked
	/// against this manifest's commitments.
	pub fn recover_key(&self, essential: &EssentialShare, shares: &[CustodianShare]) -> Result<DataKey> {
		let commitments: Vec<_> = self.custodians.iter().map(|c| (c.index, c.commitment)).collect();
		sharing::combine(essential, shares, &commitments, self.threshold)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::envelope::generate_keypair;

	fn summary() -> EncryptionSummary {
		EncryptionSummary {
			plaintext_hash: [1; 32],
			ciphertext_hash: [2; 32],
			plaintext_len: 0,
			ciphertext_len: 0,
		}
	}

	#[test]
	fn patient_and_t_custodians_recover_the_key() {
		let key = DataKey::generate();
		let (patient_sk, patient_pk) = generate_keypair();
		let custodians: Vec<_> = (0..5).map(|_| generate_keypair()).collect();
		let pks: Vec<_> = custodians.iter().map(|(_, pk)| *pk).collect();
		let m = KeyManifest::build(&key, &summary(), &patient_pk, &pks, 3).unwrap();

		let m = KeyManifest::from_json(&m.to_json()).unwrap();
		let e = m.open_essential(&patient_sk).unwrap();
		let shares: Vec<_> = [1u8, 3, 5]
			.iter()
			.map(|&i| m.open_custodian_share(i, &custodians[i as usize - 1].0).unwrap())
			.collect();
		assert_eq!(m.recover_key(&e, &shares).unwrap(), key);
	}

	#[test]
	fn manifest_holds_no_key_material_in_the_clear() {
		let key = DataKey::generate();
		let (patient_sk, patient_pk) = generate_keypair();
		let custodians: Vec<_> = (0..3).map(|_| generate_keypair()).collect();
		let pks: Vec<_> = custodians.iter().map(|(_, pk)| *pk).collect();
		let m = KeyManifest::build(&key, &summary(), &patient_pk, &pks, 2).unwrap();
		let json = String::from_utf8(m.to_json()).unwrap();
		let e = m.open_essential(&patient_sk).unwrap();
		assert!(!json.contains(&hex::encode(key.as_bytes())));
		assert!(!json.contains(&hex::encode(e.as_bytes())));
		for (i, (sk, _)) in custodians.iter().enumerate() {
			let share = m.open_custodian_share(i as u8 + 1, sk).unwrap();
			assert!(!json.contains(&hex::encode(&share.value)));
		}
	}

	#[test]
	fn envelopes_cannot_be_swapped_between_slots_or_opened_by_others() {
		let key = DataKey::generate();
		let (patient_sk, patient_pk) = generate_keypair();
		let custodians: Vec<_> = (0..3).map(|_| generate_keypair()).collect();
		let pks: Vec<_> = custodians.iter().map(|(_, pk)| *pk).collect();
		let mut m = KeyManifest::build(&key, &summary(), &patient_pk, &pks, 2).unwrap();
		// custodian 1 cannot open share 2
		assert!(m.open_custodian_share(2, &custodians[0].0).is_err());
		// a custodian cannot open the patient's essential share
		assert!(m.open_essential(&custodians[0].0).is_err());
		// moving envelope 1 into slot 2 breaks its binding
		m.custodians[1].envelope = m.custodians[0].envelope.clone();
		m.custodians[1].custodian_key = m.custodians[0].custodian_key;
		assert!(m.open_custodian_share(2, &custodians[0].0).is_err());
		assert!(m.open_essential(&patient_sk).is_ok());
	}

	#[test]
	fn malformed_manifests_are_rejected() {
		assert!(matches!(KeyManifest::from_json(b"{"), Err(VaultError::Manifest(_))));
		assert!(matches!(KeyManifest::from_json(b"[]"), Err(VaultError::Manifest(_))));
	}

	#[test]
	fn a_rotated_patient_opens_the_rewrapped_essential_share_and_only_for_its_record() {
		let key = DataKey::generate();
		let (old_sk, old_pk) = generate_keypair();
		let (new_sk, new_pk) = generate_keypair();
		let custodians: Vec<_> = (0..3).map(|_| generate_keypair()).collect();
		let pks: Vec<_> = custodians.iter().map(|(_, pk)| *pk).collect();
		let m = KeyManifest::build(&key, &summary(), &old_pk, &pks, 2).unwrap();
		let essential = m.open_essential(&old_sk).unwrap();
		let rewrapped = m.rewrap_essential(&old_sk, &new_pk).unwrap();
		assert!(rewrapped.len() <= crate::envelope::COMPACT_LEN);

		// The new secret opens it; the old one still opens the manifest's own entry.
		let seen = m.clone().for_patient_key(Some((new_pk, &rewrapped)), &new_sk).unwrap();
		assert_eq!(seen.open_essential(&new_sk).unwrap().as_bytes(), essential.as_bytes());
		let old = m.clone().for_patient_key(Some((new_pk, &rewrapped)), &old_sk).unwrap();
		assert_eq!(old, m);
		// Without the re-wrapped entry the new secret is told where the share is sealed.
		assert!(matches!(
			m.clone().for_patient_key(None, &new_sk),
			Err(VaultError::EssentialSealedToAnotherKey { sealed_to }) if sealed_to == hex::encode(&old_pk)
		));
		// A third key is refused, naming the re-wrapped entry's key.
		let (other_sk, _) = generate_keypair();
		assert!(matches!(
			m.clone().for_patient_key(Some((new_pk, &rewrapped)), &other_sk),
			Err(VaultError::EssentialSealedToAnotherKey { sealed_to }) if sealed_to == hex::encode(&new_pk)
		));
		// The re-wrapped envelope is bound to this record: another record's manifest refuses it.
		let mut other = summary();
		other.ciphertext_hash = [3; 32];
		let m2 = KeyManifest::build(&key, &other, &old_pk, &pks, 2).unwrap();
		let moved = m2.for_patient_key(Some((new_pk, &rewrapped)), &new_sk).unwrap();
		assert!(matches!(moved.open_essential(&new_sk), Err(VaultError::Envelope)));
		// And a wrong old secret re-wraps nothing.
		assert!(matches!(m.rewrap_essential(&new_sk, &new_pk), Err(VaultError::Envelope)));
	}
}
