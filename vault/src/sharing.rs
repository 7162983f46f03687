//! The (1,t,n) essential secret-sharing scheme of the primary design, applied to the data key.
//!
//! `K = E ⊕ S`: the patient's **essential share** `E` is 32 uniformly random bytes, and
//! `S = K ⊕ E` is split t-of-n with Shamir's scheme over GF(2^8) (`blahaj`, the maintained
//! fork of `sharks`). Recovering `K` needs `E` **and** at least `t` custodian shares:
//!
//! - without `E`: `S` is `K` one-time-padded by a uniform `E`, so `S` (even all n shares)
//!   says nothing about `K`;
//! - with fewer than `t` custodian shares: Shamir's scheme reveals nothing about `S`, hence
//!   nothing about `K`, even together with `E`.
//!
//! Each custodian share is bound by a commitment `blake2-256("pmr-vault/share/v1" ‖ index ‖
//! share)` recorded in the manifest, so a tampered or substituted share is detected before
//! it is used. Shares are 33 bytes (index + 32) and uniformly distributed, so commitments
//! reveal nothing. See `docs/vault.md` for why the key is split rather than the image.

use crate::{blake2_256, crypto::DataKey, ContentHash, Result, VaultError};
use blahaj::{Share, Sharks};
use rand::{rngs::OsRng, RngCore};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// The patient's essential share `E`. Zeroed when dropped.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct EssentialShare(pub(crate) [u8; 32]);

impl EssentialShare {
	/// From raw bytes (e.g. after opening the patient's envelope).
	pub fn from_bytes(bytes: [u8; 32]) -> Self {
		Self(bytes)
	}

	/// The raw bytes.
	pub fn as_bytes(&self) -> &[u8; 32] {
		&self.0
	}
}

impl core::fmt::Debug for EssentialShare {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str("EssentialShare(<redacted>)")
	}
}

/// One custodian's Shamir share of `S`: its index (1..=n, the x coordinate) and bytes.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct CustodianShare {
	/// The share's index (x coordinate), 1..=n.
	pub index: u8,
	/// The share's y values (32 bytes).
	pub value: Vec<u8>,
}

impl core::fmt::Debug for CustodianShare {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "CustodianShare({}, <redacted>)", self.index)
	}
}

impl CustodianShare {
	/// The share's commitment, as recorded in the manifest.
	pub fn commitment(&self) -> ContentHash {
		let mut preimage = Zeroizing::new(Vec::with_capacity(19 + 1 + self.value.len()));
		preimage.extend_from_slice(b"pmr-vault/share/v1");
		preimage.push(self.index);
		preimage.extend_from_slice(&self.value);
		blake2_256(&preimage)
	}

	/// Serialized as `index ‖ value` (what an envelope carries).
	pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
		let mut v = Zeroizing::new(Vec::with_capacity(1 + self.value.len()));
		v.push(self.index);
		v.extend_from_slice(&self.value);
		v
	}

	/// Parses `index ‖ value`.
	pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
		match bytes.split_first() {
			Some((&index, value)) if index != 0 && value.len() == 32 =>
				Ok(Self { index, value: value.to_vec() }),
			_ => Err(VaultError::MalformedShare("expected index (1..=255) and 32 bytes".into())),
		}
	}
}

/// The result of splitting a data key.
#[derive(Debug)]
pub struct KeySplit {
	/// The patient's essential share.
	pub essential: EssentialShare,
	/// The n custodian shares.
	pub custodians: Vec<CustodianShare>,
	/// How many custodian shares recovery needs.
	pub threshold: u8,
}

/// Splits `key` into an essential share and `n` custodian shares, `threshold` of which are
/// needed (with the essential share) to recover it.
pub fn split(key: &DataKey, threshold: u8, n: u8) -> Result<KeySplit> {
	if threshold == 0 || threshold > n {
		return Err(VaultError::InvalidThreshold { threshold, shares: n });
	}
	let mut e = [0u8; 32];
	OsRng.fill_bytes(&mut e);
	let essential = EssentialShare(e);
	let mut s = Zeroizing::new([0u8; 32]);
	for (i, b) in s.iter_mut().enumerate() {
		*b = key.0[i] ^ essential.0[i];
	}
	let custodians = Sharks(threshold)
		.dealer(&s[..])
		.take(n as usize)
		.map(|share| {
			let bytes = Zeroizing::new(Vec::from(&share));
			CustodianShare::from_bytes(&bytes)
		})
		.collect::<Result<Vec<_>>>()?;
	Ok(KeySplit { essential, custodians, threshold })
}

/// Recovers the data key from the essential share and at least `threshold` custodian shares,
/// each checked against its commitment in `commitments` (`(index, commitment)` pairs from the
/// manifest).
pub fn combine(
	essential: &EssentialShare,
	shares: &[CustodianShare],
	commitments: &[(u8, ContentHash)],
	threshold: u8,
) -> Result<DataKey> {
	let mut seen = std::collections::BTreeSet::new();
	for share in shares {
		let expected = commitments
			.iter()
			.find(|(i, _)| *i == share.index)
			.map(|(_, c)| c)
			.ok_or(VaultError::TamperedShare { index: share.index })?;
		if &share.commitment() != expected {
			return Err(VaultError::TamperedShare { index: share.index });
		}
		seen.insert(share.index);
	}
	if seen.len() < threshold as usize || threshold == 0 {
		return Err(VaultError::NotEnoughShares { got: seen.len(), needed: threshold });
	}
	let parsed = shares
		.iter()
		.map(|s| {
			Share::try_from(&s.to_bytes()[..])
				.map_err(|e| VaultError::MalformedShare(e.to_string()))
		})
		.collect::<Result<Vec<_>>>()?;
	let s = Zeroizing::new(
		Sharks(threshold)
			.recover(parsed.as_slice())
			.map_err(|e| VaultError::MalformedShare(e.to_string()))?,
	);
	if s.len() != 32 {
		return Err(VaultError::MalformedShare("recovered secret has the wrong length".into()));
	}
	let mut k = [0u8; 32];
	for (i, b) in k.iter_mut().enumerate() {
		*b = s[i] ^ essential.0[i];
	}
	Ok(DataKey(k))
}

#[cfg(test)]
mod tests {
	use super::*;

	fn commitments(ks: &KeySplit) -> Vec<(u8, ContentHash)> {
		ks.custodians.iter().map(|s| (s.index, s.commitment())).collect()
	}

	#[test]
	fn essential_share_and_any_t_of_n_recover_the_key() {
		let key = DataKey::generate();
		let ks = super::split(&key, 3, 5).unwrap();
		let c = commitments(&ks);
		for subset in [[0, 1, 2], [0, 2, 4], [2, 3, 4], [1, 3, 4]] {
			let shares: Vec<_> = subset.iter().map(|&i| ks.custodians[i].clone()).collect();
			assert_eq!(combine(&ks.essential, &shares, &c, 3).unwrap(), key);
		}
		// more than t works too
		assert_eq!(combine(&ks.essential, &ks.custodians, &c, 3).unwrap(), key);
	}

	#[test]
	fn fewer_than_t_shares_are_refused() {
		let key = DataKey::generate();
		let ks = super::split(&key, 3, 5).unwrap();
		let c = commitments(&ks);
		let two = &ks.custodians[..2];
		assert!(matches!(
			combine(&ks.essential, two, &c, 3),
			Err(VaultError::NotEnoughShares { got: 2, needed: 3 })
		));
		// the same share twice does not count twice
		let dup = vec![ks.custodians[0].clone(), ks.custodians[0].clone(), ks.custodians[1].clone()];
		assert!(matches!(
			combine(&ks.essential, &dup, &c, 3),
			Err(VaultError::NotEnoughShares { got: 2, .. })
		));
		// and interpolating from t-1 shares (bypassing the check) does not give the key
		let parsed: Vec<Share> =
			two.iter().map(|s| Share::try_from(&s.to_bytes()[..]).unwrap()).collect();
		let wrong = Sharks(2).recover(parsed.as_slice()).unwrap();
		let mut k = [0u8; 32];
		for i in 0..32 {
			k[i] = wrong[i] ^ ks.essential.0[i];
		}
		assert_ne!(DataKey(k), key);
	}

	#[test]
	fn without_the_essential_share_the_key_is_not_recovered() {
		let key = DataKey::generate();
		let ks = super::split(&key, 2, 3).unwrap();
		let c = commitments(&ks);
		let guess = EssentialShare([0u8; 32]);
		assert_ne!(combine(&guess, &ks.custodians, &c, 2).unwrap(), key);
		// every key is consistent with the custodian shares for some essential share: for any
		// candidate K', E' = S ⊕ K' opens the same shares to K'. So the shares alone carry no
		// information about K.
		let candidate = DataKey::generate();
		let s = combine(&EssentialShare([0u8; 32]), &ks.custodians, &c, 2).unwrap();
		let mut e_prime = [0u8; 32];
		for i in 0..32 {
			e_prime[i] = s.0[i] ^ candidate.0[i];
		}
		assert_eq!(combine(&EssentialShare(e_prime), &ks.custodians, &c, 2).unwrap(), candidate);
	}

	#[test]
	fn tampered_or_foreign_shares_are_detected() {
		let key = DataKey::generate();
		let ks = super::split(&key, 2, 3).unwrap();
		let c = commitments(&ks);
		let mut bad = ks.custodians[0].clone();
		bad.value[5] ^= 0x40;
		assert!(matches!(
			combine(&ks.essential, &[bad, ks.custodians[1].clone()], &c, 2),
			Err(VaultError::TamperedShare { index: 1 })
		));
		// a share from another record's split
		let other = super::split(&DataKey::generate(), 2, 3).unwrap();
		assert!(matches!(
			combine(&ks.essential, &[other.custodians[0].clone(), ks.custodians[1].clone()], &c, 2),
			Err(VaultError::TamperedShare { .. })
		));
	}

	#[test]
	fn invalid_parameters_are_rejected() {
		let key = DataKey::generate();
		assert!(matches!(split(&key, 0, 3), Err(VaultError::InvalidThreshold { .. })));
		assert!(matches!(split(&key, 4, 3), Err(VaultError::InvalidThreshold { .. })));
		assert!(split(&key, 1, 1).is_ok());
		assert!(CustodianShare::from_bytes(&[0; 33]).is_err());
		assert!(CustodianShare::from_bytes(&[1; 5]).is_err());
	}
}
