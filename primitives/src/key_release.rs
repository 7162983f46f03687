//! The vocabulary of consent-gated key release, shared by the key-release pallet, the consent
//! pallet (whose audit trail records every decision), the records pallets (which say what a
//! piece of sealed content is) and the custodian nodes.
//!
//! A doctor or lab asks for the key of one piece of sealed content ([`SealedTarget`]); the
//! runtime decides with the consent pallet's `AccessPolicy`; the custodians of the content's
//! custodian set answer with a share re-wrapped to the requester's registered X25519 key or
//! with a typed [`ShareRefusal`]; the patient's side hands over the essential share. Each step
//! is a [`KeyAuditEvent`] in the patient's audit trail.

use crate::ids::{
	DeviceId, EncryptedContent, EncryptionPublicKey, HospitalId, KeyRequestId, LabReportId,
	PatientId, PmrItemId,
};
use crate::traits::{AccessDenied, AccessGround, AccessTarget, Accessor, Purpose};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// A piece of sealed (encrypted, key-shared) content whose key can be requested.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum SealedTarget {
	/// One version of a PMR record (each version has its own data key).
	RecordVersion {
		/// The record's PMR NFT item ID.
		item: PmrItemId,
		/// The version (0 is the original).
		version: u32,
	},
	/// The study (e.g. a DICOM series) of a lab report.
	LabStudy(LabReportId),
	/// A batch of an IoMT device's readings.
	IomtBatch {
		/// The device.
		device: DeviceId,
		/// The batch's index among the device's batches.
		batch: u32,
	},
}

/// What the chain knows about a [`SealedTarget`]: whose it is, what a consent must cover to
/// open it, and where its ciphertext and key-share manifest are.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct SealedContent {
	/// Whose content it is.
	pub patient: PatientId,
	/// What an access decision must cover to open it.
	pub access: AccessTarget,
	/// The anchored content; `None` once it is erased (the decision then says `NoSuchRecord`).
	pub content: Option<EncryptedContent>,
}

/// Looks up sealed content, answered by the records and lab-report pallets (the runtime routes
/// each [`SealedTarget`] to its pallet).
pub trait SealedContentInspect {
	/// The content `target` names, or `None` if it never existed.
	fn sealed(target: SealedTarget) -> Option<SealedContent>;
}

/// Nothing is sealed. A safe default for mock runtimes.
impl SealedContentInspect for () {
	fn sealed(_: SealedTarget) -> Option<SealedContent> {
		None
	}
}

/// A content address is already anchored: every content address (ciphertext or manifest CID)
/// names at most one anchor, ever.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ContentAddressTaken;

/// The content addresses anchored on the chain, answered by the medical-records pallet and
/// used by every pallet that anchors content (records, lab reports, IoMT batches).
///
/// A content address is anchored **at most once**, by one [`SealedTarget`], and stays taken
/// after that anchor is erased. So no anchor can name another's ciphertext or manifest, and
/// erasing an anchor can only unpin what was its own: unpinning by CID (as every worker and
/// custodian does) is safe. Entries are keyed by blake2-256 of the CID bytes, so an erased
/// anchor's CIDs leave the chain's state.
pub trait ContentAddresses {
	/// Records that `anchor` names `cids`. Fails, recording nothing, if any of them is taken
	/// (by a live or an erased anchor) or if two of them are equal.
	fn claim(anchor: SealedTarget, cids: &[&crate::ids::Cid]) -> Result<(), ContentAddressTaken>;

	/// The anchor that named `cid`, live or erased; `None` if none ever did.
	fn anchor_of(cid: &[u8]) -> Option<SealedTarget>;
}

/// Questions about key custody, answered by the registry.
pub trait KeyCustody<AccountId> {
	/// The hospital `who` answers key requests for: `who` is the key-custodian account (the
	/// custodian node's) or an admin account of a verified hospital that is in the current
	/// custodian set.
	fn custodian_of(who: &AccountId) -> Option<HospitalId>;
	/// The X25519 key a doctor or lab account registered (shares released to it are wrapped to
	/// this key).
	fn staff_encryption_key(who: &AccountId) -> Option<EncryptionPublicKey>;
}

/// Nobody holds keys. A safe default for mock runtimes.
impl<AccountId> KeyCustody<AccountId> for () {
	fn custodian_of(_: &AccountId) -> Option<HospitalId> {
		None
	}
	fn staff_encryption_key(_: &AccountId) -> Option<EncryptionPublicKey> {
		None
	}
}

/// Who asked for a key.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum KeyRequester {
	/// A doctor or lab, for a purpose the consent decision covers.
	Staff {
		/// The doctor or lab.
		accessor: Accessor,
		/// Why.
		purpose: Purpose,
	},
	/// The patient or a guardian, for the patient's own content (e.g. an export): shares are
	/// wrapped to the patient's registered key, and the patient opens the essential share
	/// from the manifest.
	PatientSide,
}

/// Why a custodian did not release its share.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum ShareRefusal {
	/// The access decision, re-checked at the block the custodian acted on, failed (expired or
	/// revoked consent, erased record, suspended requester, ...).
	Denied(AccessDenied),
	/// The request was past its answer deadline.
	RequestExpired,
	/// The manifest could not be fetched from IPFS.
	ManifestUnavailable,
	/// The fetched manifest does not match the hash anchored on chain.
	ManifestMismatch,
	/// The manifest holds no share for this custodian's key (it was made for another set).
	NoShareForCustodian,
	/// The custodian deleted its key material for this content (erasure).
	KeyMaterialErased,
}

/// A key-release step in the patient's audit trail.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum KeyAuditEvent {
	/// A doctor or lab, or the patient's side, asked for a key and the runtime allowed it.
	KeyRequested {
		/// The request.
		request: KeyRequestId,
		/// Who asked, and why.
		requester: KeyRequester,
		/// For which content.
		target: SealedTarget,
		/// On which ground it was allowed.
		ground: AccessGround,
	},
	/// A doctor or lab asked for a key and the runtime refused it.
	KeyRefused {
		/// Who asked.
		accessor: Accessor,
		/// For which content.
		target: SealedTarget,
		/// Why.
		purpose: Purpose,
		/// Why it was refused.
		reason: AccessDenied,
	},
	/// A custodian released its share to the requester.
	ShareReleased {
		/// The request.
		request: KeyRequestId,
		/// The custodian hospital.
		custodian: HospitalId,
	},
	/// A custodian refused to release its share.
	ShareRefused {
		/// The request.
		request: KeyRequestId,
		/// The custodian hospital.
		custodian: HospitalId,
		/// Why.
		reason: ShareRefusal,
	},
	/// The patient's side handed the essential share over to the requester.
	EssentialShareReleased {
		/// The request.
		request: KeyRequestId,
	},
	/// The patient's side re-wrapped the essential shares of `count` pieces of the patient's
	/// content to the patient's registered key `key` (after a rotation of that key).
	EssentialSharesRewrapped {
		/// The X25519 key they are sealed to now.
		key: EncryptionPublicKey,
		/// How many pieces of content.
		count: u32,
	},
	/// A custodian answered a signed share request off chain ([`ShareRequest`]) and recorded
	/// its answer. The entry's actor is the requester.
	ShareAnswered {
		/// The custodian hospital.
		custodian: HospitalId,
		/// For which content.
		target: SealedTarget,
		/// Why the requester asked; `None` for the patient's side.
		purpose: Option<Purpose>,
		/// The request's digest ([`ShareRequest::digest`]): what the released share is bound to.
		request: [u8; 32],
		/// Released or refused, and why.
		answer: ShareAnswer,
	},
}

/// A signed ask for custodian shares, sent straight to each custodian node (off chain). The
/// custodian decides it with [`ShareRequest`]'s runtime check at its finalized block, answers
/// at once, and records the answer on chain for the patient's audit trail.
///
/// The requester signs [`ShareRequest::signing_payload`] with their chain account (sr25519, as
/// a wallet's `signRaw` does, with or without the `<Bytes>` wrapping).
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct ShareRequest<AccountId, BlockNumber> {
	/// The chain's genesis hash: a request made for one chain is refused on any other.
	pub genesis: [u8; 32],
	/// A recent block number the requester saw: answered from that block on, for the
	/// key-release pallet's `RequestLifetime` blocks at most.
	pub at: BlockNumber,
	/// Who asks (and signs).
	pub requester: AccountId,
	/// Which content.
	pub target: SealedTarget,
	/// Why, for a doctor or lab; `None` for the patient's side asking for the patient's own
	/// content.
	pub purpose: Option<Purpose>,
	/// The X25519 key the shares are to be wrapped to: the requester's registered key (the
	/// patient's, for the patient's side).
	pub reader_key: EncryptionPublicKey,
}

impl<AccountId: Encode, BlockNumber: Encode> ShareRequest<AccountId, BlockNumber> {
	/// What precedes the SCALE encoding in the signed bytes.
	pub const DOMAIN: &'static [u8] = b"pmr-share-request/v1:";

	/// The bytes the requester signs: [`Self::DOMAIN`] followed by the SCALE encoding.
	pub fn signing_payload(&self) -> alloc::vec::Vec<u8> {
		let mut payload = Self::DOMAIN.to_vec();
		self.encode_to(&mut payload);
		payload
	}

	/// blake2-256 of [`Self::signing_payload`]: the request's name in the audit trail and
	/// what every released share is bound to.
	pub fn digest(&self) -> [u8; 32] {
		sp_crypto_hashing::blake2_256(&self.signing_payload())
	}

	/// Whether `signature` is `requester`'s over [`Self::signing_payload`], either as is or
	/// wrapped in `<Bytes>…</Bytes>` (what browser wallet extensions sign for `signRaw`).
	pub fn is_signed_by<S>(&self, signature: &S) -> bool
	where
		S: sp_runtime::traits::Verify,
		S::Signer: sp_runtime::traits::IdentifyAccount<AccountId = AccountId>,
	{
		let payload = self.signing_payload();
		if signature.verify(&payload[..], &self.requester) {
			return true;
		}
		let mut wrapped = alloc::vec::Vec::with_capacity(payload.len().saturating_add(15));
		wrapped.extend_from_slice(b"<Bytes>");
		wrapped.extend_from_slice(&payload);
		wrapped.extend_from_slice(b"</Bytes>");
		signature.verify(&wrapped[..], &self.requester)
	}
}

/// The most bytes an essential-share envelope takes on chain.
pub const MAX_ESSENTIAL_ENVELOPE: u32 = 128;

/// The bytes of a compact envelope of a 32-byte essential share (ephemeral key, nonce, sealed
/// share, tag): the only length the patient's re-wrapped shares take
/// (`keyRelease.rewrapEssentialShares`).
pub const ESSENTIAL_ENVELOPE_LEN: u32 = 32 + 12 + 32 + 16;

/// The patient's essential share of one piece of content, sealed to one reader's X25519 key
/// (the vault's compact envelope: ephemeral key, nonce, sealed share). The patient's side
/// hands it over with the approval that lets the reader in.
pub type EssentialEnvelope = sp_runtime::BoundedVec<u8, sp_runtime::traits::ConstU32<MAX_ESSENTIAL_ENVELOPE>>;

/// A custodian's answer to a [`ShareRequest`].
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum ShareAnswer {
	/// The share was released, wrapped to the request's reader key and bound to its digest.
	Released,
	/// Refused, and why.
	Refused(ShareRefusal),
}

/// A custodian's answer as it records it on chain: the signed request, the finalized block it
/// decided at, and the answer.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct AnsweredShareRequest<AccountId, BlockNumber, Signature> {
	/// The request as signed.
	pub request: ShareRequest<AccountId, BlockNumber>,
	/// The requester's signature over it.
	pub signature: Signature,
	/// The finalized block the custodian decided at.
	pub decided_at: BlockNumber,
	/// What it answered.
	pub answer: ShareAnswer,
}

/// Why a [`ShareRequest`] is not even decided: it is malformed, stale or not the requester's.
/// Such a request is answered with this error and leaves no audit entry (nothing ties it to a
/// patient's consent).
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum ShareRequestInvalid {
	/// Made for another chain (its genesis hash is not this chain's).
	WrongChain,
	/// Names a block this chain has not reached (at the block it was decided at).
	NotYetValid,
	/// Older than the request lifetime: ask again with a recent block.
	Stale,
	/// The signature is not the requester's.
	BadSignature,
	/// The requester asks for a purpose but is not an active doctor or lab.
	NotDoctorOrLab,
	/// The requester asks for the patient's own content but is neither the patient nor a
	/// guardian.
	NotPatientOrGuardian,
	/// The reader key is not the requester's registered X25519 key (the patient's, for the
	/// patient's side), or none is registered.
	WrongReaderKey,
	/// No such record version, lab study or IoMT batch.
	UnknownContent,
	/// The content has no key-share manifest on chain yet.
	NotSealed,
}

/// What a custodian needs to release its share for an allowed [`ShareRequest`].
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct ShareRelease<BlockNumber> {
	/// Whose content.
	pub patient: PatientId,
	/// The anchored content: ciphertext CID, hashes and manifest.
	pub content: EncryptedContent,
	/// On which ground it was allowed.
	pub ground: AccessGround,
	/// The last block at which it would still be answered.
	pub valid_until: BlockNumber,
}

/// The runtime's decision on a [`ShareRequest`] at one block.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum ShareDecision<BlockNumber> {
	/// Release the share.
	Release(ShareRelease<BlockNumber>),
	/// Refuse, and record the refusal (the patient sees it).
	Refuse(ShareRefusal),
	/// Not a request that can be decided; answer with the error, record nothing.
	Invalid(ShareRequestInvalid),
}

/// The patient's audit trail and the patient's side, answered by the consent pallet.
pub trait PatientAudit<AccountId, BlockNumber> {
	/// Appends `event`, attributed to `actor`, to the patient's audit trail; returns the
	/// entry's index.
	fn log_key_event(patient: PatientId, actor: &AccountId, event: KeyAuditEvent) -> u64;
	/// Appends `event`, a step of `accessor`'s access to the patient's content (a key request,
	/// a share released to it), counted as an access: the trail's ring keeps the first and the
	/// latest of an accessor's accesses per audit day (every version stays in the archive), so
	/// nobody can flush the trail by asking for keys. Returns the entry's index.
	fn log_key_access(patient: PatientId, accessor: Accessor, actor: &AccountId, event: KeyAuditEvent) -> u64;
	/// Whether a refusal of `accessor` for `patient` may be logged now (the same rate limit as
	/// refused record access, so nobody can flush a patient's trail with refusals). Returns
	/// `true` and notes the time when it may.
	fn note_refusal(patient: PatientId, accessor: Accessor) -> bool;
	/// The first block in which `ground` no longer applies, if it ends (a grant or a
	/// break-glass declaration); `None` for a standing relationship.
	fn ground_expires_at(ground: AccessGround) -> Option<BlockNumber>;
	/// Whether `who` is the patient or one of the patient's guardians.
	fn is_patient_side(who: &AccountId, patient: PatientId) -> bool;
}

/// Sets up what the key-release benchmarks need, with the `runtime-benchmarks` feature. The
/// runtime implements it through the real pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait KeyReleaseBenchmarkHelper<AccountId, Signature> {
	/// A doctor with a registered encryption key and live access to a sealed record version
	/// of a patient, through a consent grant (the costlier decision): (doctor account,
	/// patient account, target).
	fn sealed_with_access(seed: u32) -> (AccountId, AccountId, SealedTarget);
	/// A patient with `n` pieces of sealed content: (patient account, Patient-ID, targets).
	fn patient_content(n: u32) -> (AccountId, PatientId, alloc::vec::Vec<SealedTarget>);
	/// An admin account of a hospital in the current custodian set.
	fn custodian(seed: u32) -> AccountId;
	/// An account whose signatures the benchmark can make ([`Self::sign`]).
	fn share_requester() -> AccountId;
	/// `signer`'s signature over `payload` (`signer` from [`Self::share_requester`]).
	fn sign(signer: &AccountId, payload: &[u8]) -> Signature;
}
