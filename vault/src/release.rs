//! Releasing a record's key to one reader, for one request.
//!
//! A custodian opens its share from the manifest with its X25519 secret and re-wraps it to the
//! reader's registered key ([`KeyManifest::release_custodian_share`]); the patient (or a
//! guardian) does the same with the essential share ([`KeyManifest::release_essential_share`]).
//! Each result is a [`ReleasedShare`]: an envelope whose associated data binds it to the
//! record's ciphertext hash, the request it answers ([`Binding`]: an on-chain key request, or
//! the digest of a signed off-chain share request) and the share's index, so an envelope
//! released for one request or record cannot be passed off for another. The reader opens the
//! envelopes and recovers the data key ([`KeyManifest::recover_released`]); every custodian
//! share is still checked against its commitment in the manifest, so a custodian that
//! releases a wrong share is caught.
//!
//! Nothing here is secret: a released share is as safe to pin to IPFS as the manifest.

use crate::{
	crypto::DataKey,
	envelope::{self, Envelope},
	hex,
	manifest::KeyManifest,
	sharing::{CustodianShare, EssentialShare},
	ContentHash, Result, VaultError,
};
use serde::{Deserialize, Serialize};
use x25519_dalek::{PublicKey, StaticSecret};

/// The released-share format this library writes.
pub const RELEASE_VERSION: u8 = 2;

/// The index a released essential share carries (custodian shares are 1..=n).
pub const ESSENTIAL_INDEX: u8 = 0;

/// The request a released share answers, bound into its envelope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Binding {
	/// An on-chain key request, by ID.
	KeyRequest(u64),
	/// An off-chain share request, by the digest its requester signed.
	ShareRequest(#[serde(with = "hex::bytes32")] [u8; 32]),
	/// The patient's side's approval of a consent request, which hands the essential share
	/// over (sealed to the grantee; see [`KeyManifest::approve_essential`]).
	PatientApproval,
}

impl Binding {
	fn to_bytes(self) -> Vec<u8> {
		match self {
			Self::KeyRequest(id) => [&[0u8][..], &id.to_le_bytes()].concat(),
			Self::ShareRequest(digest) => [&[1u8][..], &digest].concat(),
			Self::PatientApproval => vec![2u8],
		}
	}
}

/// One share of a record's key, re-wrapped to one reader for one request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleasedShare {
	/// Format version.
	pub version: u8,
	/// The request it answers.
	pub binding: Binding,
	/// blake2-256 of the ciphertext whose key it is a share of.
	#[serde(with = "hex::bytes32")]
	pub ciphertext_hash: ContentHash,
	/// [`ESSENTIAL_INDEX`] for the essential share, the custodian share's index otherwise.
	pub index: u8,
	/// The reader's X25519 public key it is sealed to.
	#[serde(with = "hex::bytes32")]
	pub reader_key: [u8; 32],
	/// The share, sealed to the reader.
	pub envelope: Envelope,
}

fn context(ciphertext_hash: &ContentHash, binding: Binding, index: u8) -> Vec<u8> {
	let mut c = b"pmr-vault/release/v2".to_vec();
	c.extend_from_slice(ciphertext_hash);
	c.extend_from_slice(&binding.to_bytes());
	c.push(index);
	c
}

impl ReleasedShare {
	fn seal(
		manifest: &KeyManifest,
		binding: Binding,
		index: u8,
		reader_key: &[u8; 32],
		share: &[u8],
	) -> Result<Self> {
		let h = manifest.ciphertext_hash;
		Ok(Self {
			version: RELEASE_VERSION,
			binding,
			ciphertext_hash: h,
			index,
			reader_key: *reader_key,
			envelope: envelope::seal(reader_key, share, &context(&h, binding, index))?,
		})
	}

	/// Opens the share with the reader's secret, checking that it was released for this
	/// manifest's record and for `binding`.
	fn open(
		&self,
		manifest: &KeyManifest,
		binding: Binding,
		reader: &StaticSecret,
	) -> Result<zeroize::Zeroizing<Vec<u8>>> {
		if self.version != RELEASE_VERSION {
			return Err(VaultError::Release(format!("unsupported version {}", self.version)));
		}
		if self.binding != binding || self.ciphertext_hash != manifest.ciphertext_hash {
			return Err(VaultError::Release(format!(
				"share {} was released for another request or record",
				self.index
			)));
		}
		envelope::open(reader, &self.envelope, &context(&self.ciphertext_hash, binding, self.index))
	}

	/// The essential share an approval handed over, from the compact envelope the chain keeps
	/// (see [`KeyManifest::approve_essential`]), for the reader whose key is `reader_key`.
	pub fn from_approval(ciphertext_hash: ContentHash, reader_key: [u8; 32], envelope: &[u8]) -> Result<Self> {
		Ok(Self {
			version: RELEASE_VERSION,
			binding: Binding::PatientApproval,
			ciphertext_hash,
			index: ESSENTIAL_INDEX,
			reader_key,
			envelope: Envelope::from_bytes(envelope)?,
		})
	}

	/// The released share as JSON (what is pinned to IPFS).
	pub fn to_json(&self) -> Vec<u8> {
		// Serialising plain structs of integers and byte arrays cannot fail.
		serde_json::to_vec(self).unwrap_or_default()
	}

	/// Parses a released share.
	pub fn from_json(bytes: &[u8]) -> Result<Self> {
		serde_json::from_slice(bytes).map_err(|e| VaultError::Release(e.to_string()))
	}
}

impl KeyManifest {
	/// A custodian opens its share with `custodian_secret` (checked against its commitment)
	/// and re-wraps it to `reader_key` for `binding`. Fails with
	/// [`VaultError::NoShareForKey`] if the manifest holds no share for this custodian key.
	pub fn release_custodian_share(
		&self,
		custodian_secret: &StaticSecret,
		reader_key: &[u8; 32],
		binding: Binding,
	) -> Result<ReleasedShare> {
		let public = PublicKey::from(custodian_secret).to_bytes();
		let index = self
			.custodians
			.iter()
			.find(|c| c.custodian_key == public)
			.map(|c| c.index)
			.ok_or(VaultError::NoShareForKey)?;
		let share = self.open_custodian_share(index, custodian_secret)?;
		ReleasedShare::seal(self, binding, index, reader_key, &share.to_bytes())
	}

	/// The patient (or a guardian holding the patient's key) opens the essential share and
	/// re-wraps it to `reader_key` for `binding`.
	pub fn release_essential_share(
		&self,
		patient_secret: &StaticSecret,
		reader_key: &[u8; 32],
		binding: Binding,
	) -> Result<ReleasedShare> {
		let essential = self.open_essential(patient_secret)?;
		ReleasedShare::seal(self, binding, ESSENTIAL_INDEX, reader_key, essential.as_bytes())
	}

	/// The patient's side, approving a reader's access: the essential share sealed to
	/// `reader_key`, as the compact envelope the approval carries on chain (at most
	/// [`crate::envelope::COMPACT_LEN`] bytes). The reader opens it with
	/// [`ReleasedShare::from_approval`] and [`Binding::PatientApproval`].
	pub fn approve_essential(&self, patient_secret: &StaticSecret, reader_key: &[u8; 32]) -> Result<Vec<u8>> {
		Ok(self.release_essential_share(patient_secret, reader_key, Binding::PatientApproval)?.envelope.to_bytes())
	}

	/// The reader recovers the data key from the essential share released for
	/// `essential_for` and at least `threshold` custodian shares released for `binding`, each
	/// opened with `reader_secret` and each custodian share checked against its commitment.
	/// (On chain key requests bind both to the same request; with off-chain share requests the
	/// essential share comes with the patient's approval and each custodian's with the
	/// reader's share request.)
	pub fn recover_released(
		&self,
		reader_secret: &StaticSecret,
		(essential, essential_for): (&ReleasedShare, Binding),
		custodians: &[ReleasedShare],
		binding: Binding,
	) -> Result<DataKey> {
		if essential.index != ESSENTIAL_INDEX {
			return Err(VaultError::Release("the essential share has index 0".into()));
		}
		let bytes = essential.open(self, essential_for, reader_secret)?;
		let e = <[u8; 32]>::try_from(&bytes[..]).map_err(|_| VaultError::Envelope)?;
		self.recover_with(EssentialShare::from_bytes(e), reader_secret, binding, custodians)
	}

	/// The patient recovers the data key of the patient's own content for
	/// `binding` (made by the patient's side): the essential share is opened from the
	/// manifest with `patient_secret`, and the released custodian shares were wrapped to the
	/// same key.
	pub fn recover_released_own(
		&self,
		patient_secret: &StaticSecret,
		binding: Binding,
		custodians: &[ReleasedShare],
	) -> Result<DataKey> {
		let essential = self.open_essential(patient_secret)?;
		self.recover_with(essential, patient_secret, binding, custodians)
	}

	/// Opens the released custodian shares one by one and uses the first `t` that are sound:
	/// a share that does not open for this reader and request, or does not match its
	/// commitment in the manifest (a custodian that released a wrong share, by fault or on
	/// purpose), is passed over for the next one. When fewer than `t` are sound, the error is
	/// the first unsound share's, or `NotEnoughShares` if all were sound.
	fn recover_with(
		&self,
		essential: EssentialShare,
		reader_secret: &StaticSecret,
		binding: Binding,
		custodians: &[ReleasedShare],
	) -> Result<DataKey> {
		let needed = usize::from(self.threshold);
		let mut sound: Vec<CustodianShare> = Vec::with_capacity(needed);
		let mut first_error = None;
		for released in custodians {
			if sound.len() >= needed {
				break;
			}
			match self.open_released_share(reader_secret, binding, released) {
				Ok(share) if sound.iter().all(|s| s.index != share.index) => sound.push(share),
				Ok(_) => {},
				Err(e) => {
					first_error.get_or_insert(e);
				},
			}
		}
		if sound.len() < needed {
			if let Some(e) = first_error {
				return Err(e);
			}
		}
		self.recover_key(&essential, &sound)
	}

	/// Opens one released custodian share and checks it against its commitment.
	fn open_released_share(
		&self,
		reader_secret: &StaticSecret,
		binding: Binding,
		released: &ReleasedShare,
	) -> Result<CustodianShare> {
		let share = CustodianShare::from_bytes(&released.open(self, binding, reader_secret)?)?;
		let committed = self.custodians.iter().find(|c| c.index == share.index).map(|c| c.commitment);
		if share.index != released.index || committed != Some(share.commitment()) {
			return Err(VaultError::TamperedShare { index: released.index });
		}
		Ok(share)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{crypto::EncryptionSummary, envelope::generate_keypair};

	const R7: Binding = Binding::KeyRequest(7);
	const R8: Binding = Binding::KeyRequest(8);

	struct World {
		key: DataKey,
		manifest: KeyManifest,
		patient: StaticSecret,
		custodians: Vec<StaticSecret>,
		reader: StaticSecret,
		reader_key: [u8; 32],
	}

	fn world() -> World {
		let key = DataKey::generate();
		let (patient, patient_key) = generate_keypair();
		let pairs: Vec<_> = (0..3).map(|_| generate_keypair()).collect();
		let keys: Vec<_> = pairs.iter().map(|(_, pk)| *pk).collect();
		let summary = EncryptionSummary {
			plaintext_hash: [1; 32],
			ciphertext_hash: [2; 32],
			plaintext_len: 0,
			ciphertext_len: 0,
		};
		let manifest = KeyManifest::build(&key, &summary, &patient_key, &keys, 2).unwrap();
		let (reader, reader_key) = generate_keypair();
		World {
			key,
			manifest,
			patient,
			custodians: pairs.into_iter().map(|(sk, _)| sk).collect(),
			reader,
			reader_key,
		}
	}

	#[test]
	fn the_reader_recovers_the_key_from_the_essential_and_t_released_shares() {
		let w = world();
		let m = &w.manifest;
		let essential = m.release_essential_share(&w.patient, &w.reader_key, R7).unwrap();
		let shares: Vec<_> = [0, 2]
			.iter()
			.map(|&i| m.release_custodian_share(&w.custodians[i], &w.reader_key, R7).unwrap())
			.collect();
		assert_eq!(shares.iter().map(|s| s.index).collect::<Vec<_>>(), vec![1, 3]);
		// Through JSON, as they travel over IPFS.
		let essential = ReleasedShare::from_json(&essential.to_json()).unwrap();
		let shares: Vec<_> =
			shares.iter().map(|s| ReleasedShare::from_json(&s.to_json()).unwrap()).collect();
		assert_eq!(m.recover_released(&w.reader, (&essential, R7), &shares, R7).unwrap(), w.key);
	}

	#[test]
	fn fewer_than_t_custodians_or_no_essential_share_recover_nothing() {
		let w = world();
		let m = &w.manifest;
		let essential = m.release_essential_share(&w.patient, &w.reader_key, R7).unwrap();
		let one = m.release_custodian_share(&w.custodians[1], &w.reader_key, R7).unwrap();
		assert!(matches!(
			m.recover_released(&w.reader, (&essential, R7), &[one.clone()], R7),
			Err(VaultError::NotEnoughShares { got: 1, needed: 2 })
		));
		// A custodian share passed off as the essential one is refused.
		let two = m.release_custodian_share(&w.custodians[2], &w.reader_key, R7).unwrap();
		assert!(m.recover_released(&w.reader, (&one, R7), &[one.clone(), two], R7).is_err());
	}

	#[test]
	fn shares_are_bound_to_the_reader_the_request_and_the_record() {
		let w = world();
		let m = &w.manifest;
		let essential = m.release_essential_share(&w.patient, &w.reader_key, R7).unwrap();
		let shares: Vec<_> = (0..2)
			.map(|i| m.release_custodian_share(&w.custodians[i], &w.reader_key, R7).unwrap())
			.collect();
		// Another reader cannot open them.
		let (other, _) = generate_keypair();
		assert!(matches!(
			m.recover_released(&other, (&essential, R7), &shares, R7),
			Err(VaultError::Envelope)
		));
		// They are not valid for another request, even with the request field rewritten.
		assert!(matches!(
			m.recover_released(&w.reader, (&essential, R8), &shares, R8),
			Err(VaultError::Release(_))
		));
		let mut forged = essential.clone();
		forged.binding = R8;
		let forged_shares: Vec<_> =
			shares.iter().cloned().map(|s| ReleasedShare { binding: R8, ..s }).collect();
		assert!(matches!(
			m.recover_released(&w.reader, (&forged, R8), &forged_shares, R8),
			Err(VaultError::Envelope)
		));
		// Nor for another record's manifest.
		let other_record = world();
		assert!(other_record.manifest.recover_released(&w.reader, (&essential, R7), &shares, R7).is_err());
	}

	#[test]
	fn off_chain_answers_are_bound_to_the_signed_request_they_answer() {
		let w = world();
		let m = &w.manifest;
		let asked = Binding::ShareRequest([0xa5; 32]);
		let essential = m.release_essential_share(&w.patient, &w.reader_key, R7).unwrap();
		let shares: Vec<_> = (0..2)
			.map(|i| m.release_custodian_share(&w.custodians[i], &w.reader_key, asked).unwrap())
			.collect();
		let travelled = ReleasedShare::from_json(&shares[0].to_json()).unwrap();
		assert_eq!(travelled.binding, asked);
		assert_eq!(m.recover_released(&w.reader, (&essential, R7), &shares, asked).unwrap(), w.key);
		// Not for another signed request, nor passed off as an on-chain request's answer.
		let other = Binding::ShareRequest([0xa6; 32]);
		assert!(m.recover_released(&w.reader, (&essential, R7), &shares, other).is_err());
		assert!(m.recover_released(&w.reader, (&essential, R7), &shares, R7).is_err());
	}

	#[test]
	fn the_essential_share_an_approval_carries_opens_for_the_grantee_only() {
		let w = world();
		let m = &w.manifest;
		let compact = m.approve_essential(&w.patient, &w.reader_key).unwrap();
		assert!(compact.len() <= crate::envelope::COMPACT_LEN, "{} bytes", compact.len());
		let essential = ReleasedShare::from_approval(m.ciphertext_hash, w.reader_key, &compact).unwrap();
		let asked = Binding::ShareRequest([0xb7; 32]);
		let shares: Vec<_> = (1..3)
			.map(|i| m.release_custodian_share(&w.custodians[i], &w.reader_key, asked).unwrap())
			.collect();
		let approval = Binding::PatientApproval;
		assert_eq!(m.recover_released(&w.reader, (&essential, approval), &shares, asked).unwrap(), w.key);
		// Not by anybody else, and not passed off as a key request's essential share.
		let (other, _) = generate_keypair();
		assert!(m.recover_released(&other, (&essential, approval), &shares, asked).is_err());
		assert!(m.recover_released(&w.reader, (&essential, R7), &shares, asked).is_err());
		let mut bent = compact.clone();
		bent[40] ^= 1;
		let bent = ReleasedShare::from_approval(m.ciphertext_hash, w.reader_key, &bent).unwrap();
		assert!(m.recover_released(&w.reader, (&bent, approval), &shares, asked).is_err());
		assert!(ReleasedShare::from_approval(m.ciphertext_hash, w.reader_key, &compact[..20]).is_err());
	}

	#[test]
	fn a_wrong_share_from_a_custodian_is_caught_by_its_commitment() {
		let w = world();
		let m = &w.manifest;
		let essential = m.release_essential_share(&w.patient, &w.reader_key, R7).unwrap();
		let good = m.release_custodian_share(&w.custodians[0], &w.reader_key, R7).unwrap();
		// Custodian 2 re-wraps a made-up share under its own index.
		let fake = CustodianShare { index: 2, value: vec![0x55; 32] };
		let bad = ReleasedShare::seal(m, R7, 2, &w.reader_key, &fake.to_bytes()).unwrap();
		assert!(matches!(
			m.recover_released(&w.reader, (&essential, R7), &[good.clone(), bad.clone()], R7),
			Err(VaultError::TamperedShare { index: 2 })
		));
		// With a third, sound share the reader passes the wrong one over, wherever it is.
		let third = m.release_custodian_share(&w.custodians[2], &w.reader_key, R7).unwrap();
		for order in [[&bad, &good, &third], [&good, &bad, &third], [&bad, &third, &good]] {
			let shares: Vec<_> = order.into_iter().cloned().collect();
			assert_eq!(m.recover_released(&w.reader, (&essential, R7), &shares, R7).unwrap(), w.key);
		}
		// A share sealed to somebody else, or garbage, is passed over too.
		let (_, stranger) = generate_keypair();
		let not_mine = m.release_custodian_share(&w.custodians[1], &stranger, R7).unwrap();
		let shares = [not_mine, good, third];
		assert_eq!(m.recover_released(&w.reader, (&essential, R7), &shares, R7).unwrap(), w.key);
	}

	#[test]
	fn the_patient_recovers_their_own_key_from_the_manifest_and_t_released_shares() {
		let w = world();
		let m = &w.manifest;
		let patient_key = PublicKey::from(&w.patient).to_bytes();
		let shares: Vec<_> = (1..3)
			.map(|i| m.release_custodian_share(&w.custodians[i], &patient_key, Binding::KeyRequest(3)).unwrap())
			.collect();
		assert_eq!(m.recover_released_own(&w.patient, Binding::KeyRequest(3), &shares).unwrap(), w.key);
		// Not with another key, nor for another request.
		assert!(m.recover_released_own(&w.reader, Binding::KeyRequest(3), &shares).is_err());
		assert!(m.recover_released_own(&w.patient, Binding::KeyRequest(4), &shares).is_err());
	}

	#[test]
	fn only_holders_release() {
		let w = world();
		let m = &w.manifest;
		let (stranger, _) = generate_keypair();
		assert!(matches!(
			m.release_custodian_share(&stranger, &w.reader_key, R7),
			Err(VaultError::NoShareForKey)
		));
		assert!(matches!(
			m.release_essential_share(&stranger, &w.reader_key, R7),
			Err(VaultError::Envelope)
		));
		// A low-order reader key is refused.
		assert!(matches!(
			m.release_custodian_share(&w.custodians[0], &[0u8; 32], R7),
			Err(VaultError::Envelope)
		));
	}
}
