//! The key-release pallet's stored types.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use frame_system::pallet_prelude::BlockNumberFor;
use pmr_primitives::{
	AccessGround, AccessTarget, Cid, EncryptedContent, EncryptionPublicKey, EssentialEnvelope,
	HospitalId, KeyRequester, ManifestRef, PatientId, SealedTarget, ShareRefusal,
};
use scale_info::TypeInfo;

/// One custodian's answer to a key request.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum Answer {
	/// The share, re-wrapped to the requester's key: the envelope's IPFS CID.
	Released(Cid),
	/// Refused, with the reason.
	Refused(ShareRefusal),
}

/// An open key request: what was decided and what the custodians and the patient's side
/// answered. Everything a reader needs to check is copied from the chain's anchor when the
/// request is decided.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct KeyRequest<T: Config> {
	/// The requester's account (the one the access decision is re-checked for).
	pub requester: T::AccountId,
	/// The doctor or lab it acted as and why, or the patient's side.
	pub by: KeyRequester,
	/// Whose content.
	pub patient: PatientId,
	/// Which content.
	pub target: SealedTarget,
	/// What the access decision covers for this content.
	pub access: AccessTarget,
	/// On which ground it was allowed.
	pub ground: AccessGround,
	/// The X25519 key shares are re-wrapped to (the requester's key when it was decided; the
	/// patient's for the patient's side).
	pub reader_key: EncryptionPublicKey,
	/// The anchored content: ciphertext CID and hashes.
	pub content: EncryptedContent,
	/// The key-share manifest (CID, hash, custodian set version).
	pub manifest: ManifestRef,
	/// When it was decided.
	pub requested_at: BlockNumberFor<T>,
	/// The last block in which it can be answered.
	pub valid_until: BlockNumberFor<T>,
	/// The custodians' answers, in the order they came.
	pub answers: BoundedVec<(HospitalId, Answer), T::MaxCustodians>,
	/// The essential-share envelope's CID, once the patient's side handed it over.
	pub essential: Option<Cid>,
}

impl<T: Config> KeyRequest<T> {
	/// Whether the request can still be answered at block `now`.
	pub fn is_answerable(&self, now: BlockNumberFor<T>) -> bool {
		now <= self.valid_until
	}

	/// The envelopes released so far, by custodian.
	pub fn released(&self) -> impl Iterator<Item = (HospitalId, &Cid)> {
		self.answers.iter().filter_map(|(h, a)| match a {
			Answer::Released(cid) => Some((*h, cid)),
			Answer::Refused(_) => None,
		})
	}

	/// Whether `custodian` answered already.
	pub fn answered_by(&self, custodian: HospitalId) -> bool {
		self.answers.iter().any(|(h, _)| *h == custodian)
	}
}

/// The patient's essential share of one piece of content, re-wrapped by the patient's side to
/// a newer key of the patient (after a rotation of the patient's X25519 key,
/// [`crate::Pallet::rewrap_essential_shares`]). The manifest on IPFS cannot change (it is
/// content-addressed and anchored), so this entry stands next to it: the patient's tool opens
/// the share from here when it is sealed to the key it holds.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct RewrappedEssential {
	/// The patient's registered key it is sealed to (the key registered when it was stored).
	pub key: EncryptionPublicKey,
	/// The compact envelope (`pmr_primitives::ESSENTIAL_ENVELOPE_LEN` bytes), bound to the
	/// content's ciphertext hash like the manifest's own patient entry.
	pub envelope: EssentialEnvelope,
}
