//! Releasing a record's key to one reader, under one on-chain key request.
//!
//! A custodian opens its share from the manifest with its X25519 secret and re-wraps it to the
//! reader's registered key ([`KeyManifest::release_custodian_share`]); the patient (or a
//! guardian) does the same with the essential share ([`KeyManifest::release_essential_share`]).
//! Each result is a [`ReleasedShare`]: an envelope whose associated data binds it to the
//! record's ciphertext hash, the key request's ID and the share's index, so an envelope
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
pub const RELEASE_VERSION: u8 = 1;

/// The index a released essential share carries (custodian shares are 1..=n).
pub const ESSENTIAL_INDEX: u8 = 0;

/// One share of a record's key, re-wrapped to one reader for one key request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleasedShare {
	/// Format version.
	pub version: u8,
	/// The on-chain key request it answers.
	pub request: u64,
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

fn context(ciphertext_hash: &ContentHash, request: u64, index: u8) -> Vec<u8> {
	let mut c = b"pmr-vault/release/v1".to_vec();
	c.extend_from_slice(ciphertext_hash);
	c.extend_from_slice(&request.to_le_bytes());
	c.push(index);
	c
}

impl ReleasedShare {
	fn seal(
		manifest: &KeyManifest,
		request: u64,
		index: u8,
		reader_key: &[u8; 32],
		share: &[u8],
	) -> Result<Self> {
		let h = manifest.ciphertext_hash;
		Ok(Self {
			version: RELEASE_VERSION,
			request,
			ciphertext_hash: h,
			index,
			reader_key: *reader_key,
			envelope: envelope::seal(reader_key, share, &context(&h, request, index))?,
		})
	}

	/// Opens the share with the reader's secret, checking that it was released for this
	/// manifest's record and for `request`.
	fn open(
		&self,
		manifest: &KeyManifest,
		request: u64,
		reader: &StaticSecret,
	) -> Result<zeroize::Zeroizing<Vec<u8>>> {
		if self.version != RELEASE_VERSION {
			return Err(VaultError::Release(format!("unsupported version {}", self.version)));
		}
		if self.request != request || self.ciphertext_hash != manifest.ciphertext_hash {
			return Err(VaultError::Release(format!(
				"share {} was released for another request or record",
				self.index
			)));
		}
		envelope::open(reader, &self.envelope, &context(&self.ciphertext_hash, request, self.index))
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
	/// and re-wraps it to `reader_key` for key request `request`. Fails with
	/// [`VaultError::NoShareForKey`] if the manifest holds no share for this custodian key.
	pub fn release_custodian_share(
		&self,
		custodian_secret: &StaticSecret,
		reader_key: &[u8; 32],
		request: u64,
	) -> Result<ReleasedShare> {
		let public = PublicKey::from(custodian_secret).to_bytes();
		let index = self
			.custodians
			.iter()
			.find(|c| c.custodian_key == public)
			.map(|c| c.index)
			.ok_or(VaultError::NoShareForKey)?;
		let share = self.open_custodian_share(index, custodian_secret)?;
		ReleasedShare::seal(self, request, index, reader_key, &share.to_bytes())
	}

	/// The patient (or a guardian holding the patient's key) opens the essential share and
	/// re-wraps it to `reader_key` for key request `request`.
	pub fn release_essential_share(
		&self,
		patient_secret: &StaticSecret,
		reader_key: &[u8; 32],
		request: u64,
	) -> Result<ReleasedShare> {
		let essential = self.open_essential(patient_secret)?;
		ReleasedShare::seal(self, request, ESSENTIAL_INDEX, reader_key, essential.as_bytes())
	}

	/// The reader recovers the data key for key request `request` from the released essential
	/// share and at least `threshold` released custodian shares, each opened with
	/// `reader_secret` and each custodian share checked against its commitment.
	pub fn recover_released(
		&self,
		reader_secret: &StaticSecret,
		request: u64,
		essential: &ReleasedShare,
		custodians: &[ReleasedShare],
	) -> Result<DataKey> {
		if essential.index != ESSENTIAL_INDEX {
			return Err(VaultError::Release("the essential share has index 0".into()));
		}
		let bytes = essential.open(self, request, reader_secret)?;
		let e = <[u8; 32]>::try_from(&bytes[..]).map_err(|_| VaultError::Envelope)?;
		self.recover_with(EssentialShare::from_bytes(e), reader_secret, request, custodians)
	}

	/// The patient recovers the data key of the patient's own content for key request
	/// `request` (made by the patient's side): the essential share is opened from the
	/// manifest with `patient_secret`, and the released custodian shares were wrapped to the
	/// same key.
	pub fn recover_released_own(
		&self,
		patient_secret: &StaticSecret,
		request: u64,
		custodians: &[ReleasedShare],
	) -> Result<DataKey> {
		let essential = self.open_essential(patient_secret)?;
		self.recover_with(essential, patient_secret, request, custodians)
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
		request: u64,
		custodians: &[ReleasedShare],
	) -> Result<DataKey> {
		let needed = usize::from(self.threshold);
		let mut sound: Vec<CustodianShare> = Vec::with_capacity(needed);
		let mut first_error = None;
		for released in custodians {
			if sound.len() >= needed {
				break;
			}
			match self.open_released_share(reader_secret, request, released) {
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
		request: u64,
		released: &ReleasedShare,
	) -> Result<CustodianShare> {
		let share = CustodianShare::from_bytes(&released.open(self, request, reader_secret)?)?;
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
		let essential = m.release_essential_share(&w.patient, &w.reader_key, 7).unwrap();
		let shares: Vec<_> = [0, 2]
			.iter()
			.map(|&i| m.release_custodian_share(&w.custodians[i], &w.reader_key, 7).unwrap())
			.collect();
		assert_eq!(shares.iter().map(|s| s.index).collect::<Vec<_>>(), vec![1, 3]);
		// Through JSON, as they travel over IPFS.
		let essential = ReleasedShare::from_json(&essential.to_json()).unwrap();
		let shares: Vec<_> =
			shares.iter().map(|s| ReleasedShare::from_json(&s.to_json()).unwrap()).collect();
		assert_eq!(m.recover_released(&w.reader, 7, &essential, &shares).unwrap(), w.key);
	}

	#[test]
	fn fewer_than_t_custodians_or_no_essential_share_recover_nothing() {
		let w = world();
		let m = &w.manifest;
		let essential = m.release_essential_share(&w.patient, &w.reader_key, 7).unwrap();
		let one = m.release_custodian_share(&w.custodians[1], &w.reader_key, 7).unwrap();
		assert!(matches!(
			m.recover_released(&w.reader, 7, &essential, &[one.clone()]),
			Err(VaultError::NotEnoughShares { got: 1, needed: 2 })
		));
		// A custodian share passed off as the essential one is refused.
		let two = m.release_custodian_share(&w.custodians[2], &w.reader_key, 7).unwrap();
		assert!(m.recover_released(&w.reader, 7, &one, &[one.clone(), two]).is_err());
	}

	#[test]
	fn shares_are_bound_to_the_reader_the_request_and_the_record() {
		let w = world();
		let m = &w.manifest;
		let essential = m.release_essential_share(&w.patient, &w.reader_key, 7).unwrap();
		let shares: Vec<_> = (0..2)
			.map(|i| m.release_custodian_share(&w.custodians[i], &w.reader_key, 7).unwrap())
			.collect();
		// Another reader cannot open them.
		let (other, _) = generate_keypair();
		assert!(matches!(
			m.recover_released(&other, 7, &essential, &shares),
			Err(VaultError::Envelope)
		));
		// They are not valid for another request, even with the request field rewritten.
		assert!(matches!(
			m.recover_released(&w.reader, 8, &essential, &shares),
			Err(VaultError::Release(_))
		));
		let mut forged = essential.clone();
		forged.request = 8;
		let forged_shares: Vec<_> =
			shares.iter().cloned().map(|s| ReleasedShare { request: 8, ..s }).collect();
		assert!(matches!(
			m.recover_released(&w.reader, 8, &forged, &forged_shares),
			Err(VaultError::Envelope)
		));
		// Nor for another record's manifest.
		let other_record = world();
		assert!(other_record.manifest.recover_released(&w.reader, 7, &essential, &shares).is_err());
	}

	#[test]
	fn a_wrong_share_from_a_custodian_is_caught_by_its_commitment() {
		let w = world();
		let m = &w.manifest;
		let essential = m.release_essential_share(&w.patient, &w.reader_key, 7).unwrap();
		let good = m.release_custodian_share(&w.custodians[0], &w.reader_key, 7).unwrap();
		// Custodian 2 re-wraps a made-up share under its own index.
		let fake = CustodianShare { index: 2, value: vec![0x55; 32] };
		let bad = ReleasedShare::seal(m, 7, 2, &w.reader_key, &fake.to_bytes()).unwrap();
		assert!(matches!(
			m.recover_released(&w.reader, 7, &essential, &[good.clone(), bad.clone()]),
			Err(VaultError::TamperedShare { index: 2 })
		));
		// With a third, sound share the reader passes the wrong one over, wherever it is.
		let third = m.release_custodian_share(&w.custodians[2], &w.reader_key, 7).unwrap();
		for order in [[&bad, &good, &third], [&good, &bad, &third], [&bad, &third, &good]] {
			let shares: Vec<_> = order.into_iter().cloned().collect();
			assert_eq!(m.recover_released(&w.reader, 7, &essential, &shares).unwrap(), w.key);
		}
		// A share sealed to somebody else, or garbage, is passed over too.
		let (_, stranger) = generate_keypair();
		let not_mine = m.release_custodian_share(&w.custodians[1], &stranger, 7).unwrap();
		let shares = [not_mine, good, third];
		assert_eq!(m.recover_released(&w.reader, 7, &essential, &shares).unwrap(), w.key);
	}

	#[test]
	fn the_patient_recovers_their_own_key_from_the_manifest_and_t_released_shares() {
		let w = world();
		let m = &w.manifest;
		let patient_key = PublicKey::from(&w.patient).to_bytes();
		let shares: Vec<_> = (1..3)
			.map(|i| m.release_custodian_share(&w.custodians[i], &patient_key, 3).unwrap())
			.collect();
		assert_eq!(m.recover_released_own(&w.patient, 3, &shares).unwrap(), w.key);
		// Not with another key, nor for another request.
		assert!(m.recover_released_own(&w.reader, 3, &shares).is_err());
		assert!(m.recover_released_own(&w.patient, 4, &shares).is_err());
	}

	#[test]
	fn only_holders_release() {
		let w = world();
		let m = &w.manifest;
		let (stranger, _) = generate_keypair();
		assert!(matches!(
			m.release_custodian_share(&stranger, &w.reader_key, 7),
			Err(VaultError::NoShareForKey)
		));
		assert!(matches!(
			m.release_essential_share(&stranger, &w.reader_key, 7),
			Err(VaultError::Envelope)
		));
		// A low-order reader key is refused.
		assert!(matches!(
			m.release_custodian_share(&w.custodians[0], &[0u8; 32], 7),
			Err(VaultError::Envelope)
		));
	}
}
