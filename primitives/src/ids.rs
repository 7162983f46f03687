//! Named identifier types.
//!
//! Every identifier on PMR Chain has its own type, so a Doctor-ID can never be passed where a
//! Patient-ID is expected. Registry identifiers are sequential numbers the registry pallet hands
//! out; the PMR-ID is derived from the Patient-ID and the visit date as the primary design
//! (Anjum et al., 2021, §3.2) describes, extended with a same-day sequence number.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt;
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

macro_rules! numeric_id {
	($(#[$doc:meta])* $name:ident($inner:ty)) => {
		$(#[$doc])*
		#[derive(
			Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Encode, Decode,
			DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Serialize, Deserialize,
		)]
		#[serde(transparent)]
		pub struct $name(pub $inner);

		impl $name {
			/// The identifier that follows this one, or `None` when the space is exhausted.
			pub fn checked_next(self) -> Option<Self> {
				self.0.checked_add(1).map(Self)
			}
		}

		impl From<$inner> for $name {
			fn from(value: $inner) -> Self {
				Self(value)
			}
		}

		impl From<$name> for $inner {
			fn from(value: $name) -> Self {
				value.0
			}
		}

		impl fmt::Display for $name {
			fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
				write!(f, "{}", self.0)
			}
		}

		impl fmt::Debug for $name {
			fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
				write!(f, "{}({})", stringify!($name), self.0)
			}
		}
	};
}

numeric_id!(
	/// Hospital-ID: assigned by the registry when a hospital applies.
	HospitalId(u32)
);
numeric_id!(
	/// Doctor-ID: assigned by the registry when a verified hospital onboards a doctor.
	DoctorId(u32)
);
numeric_id!(
	/// Lab-ID: assigned by the registry when a verified hospital onboards a lab unit.
	LabId(u32)
);
numeric_id!(
	/// Patient-ID: assigned by the registry when a hospital desk registers a patient.
	PatientId(u64)
);
numeric_id!(
	/// Identifier of a consent grant (patient → doctor or lab).
	GrantId(u64)
);
numeric_id!(
	/// Identifier of an access request (doctor or lab → patient).
	RequestId(u64)
);
numeric_id!(
	/// Identifier of a lab-report anchor.
	LabReportId(u64)
);
numeric_id!(
	/// Identifier of a registered IoMT device.
	DeviceId(u32)
);
numeric_id!(
	/// Identifier of a doctor's lab order (what a lab report answers).
	LabOrderId(u64)
);
numeric_id!(
	/// Identifier of an appointment.
	AppointmentId(u64)
);
numeric_id!(
	/// Identifier of a key request: a doctor's or lab's request for the key shares of one
	/// piece of sealed content, decided by the runtime and answered by the custodians.
	KeyRequestId(u64)
);
numeric_id!(
	/// The version of the consortium's custodian set; bumped by every change of the set or the
	/// threshold.
	CustodianSetVersion(u32)
);

/// The length of an IPFS CID as PMR Chain stores it: binary CIDv1, sha2-256 (see [`crate::cid`]).
pub const MAX_CID_LEN: u32 = crate::cid::CID_LEN as u32;

/// An IPFS CID of encrypted content, of a key-share manifest or of a share envelope, in binary
/// form: every call that takes one refuses anything but a CIDv1 with a sha2-256 multihash and
/// a raw or dag-pb codec ([`crate::cid::validate`]). Empty only where content was erased.
pub type Cid = sp_runtime::BoundedVec<u8, sp_runtime::traits::ConstU32<MAX_CID_LEN>>;

/// Where encrypted content is and what it hashes to: what a doctor's or lab's node anchors.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct EncryptedContent {
	/// The IPFS CID of the ciphertext.
	pub cid: Cid,
	/// blake2-256 of the (anonymized) plaintext.
	pub plaintext_hash: ContentHash,
	/// blake2-256 of the ciphertext: every fetch is checked against it before decryption.
	pub ciphertext_hash: ContentHash,
	/// The key-share manifest, when the anchor carries it; the ingest worker always sets it,
	/// `attach_*_manifest` sets it later otherwise.
	pub manifest: Option<ManifestRef>,
}

/// The key-share manifest of a piece of encrypted content: its IPFS CID, blake2-256 of the
/// manifest bytes, and the custodian set version its shares were made for. A reader fetches
/// the manifest by CID and checks it against the hash before opening any share.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct ManifestRef {
	/// The IPFS CID of the manifest.
	pub cid: Cid,
	/// blake2-256 of the manifest bytes.
	pub hash: ContentHash,
	/// The custodian set version the manifest's custodian shares were made for.
	pub custodian_set: CustodianSetVersion,
}

/// A key custodian: a consortium hospital and the X25519 public key its custodian node wraps
/// and unwraps key shares with.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Custodian {
	/// The hospital that holds the shares.
	pub hospital: HospitalId,
	/// Its custodian node's X25519 public key.
	pub key: EncryptionPublicKey,
}

/// The custodian set as the ingest worker splits data keys for it: its version, the threshold
/// `t` (0: not configured yet) and the custodians in approval order (a key rotation keeps a
/// custodian's place; a removal closes the gap).
#[derive(Clone, PartialEq, Eq, Debug, Default, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct CustodianSetInfo {
	/// The version of the set (and threshold) described here.
	pub version: CustodianSetVersion,
	/// How many custodian shares reconstruct the custodian part of a data key; 0 while the
	/// regulator has not configured it.
	pub threshold: u8,
	/// The custodians.
	pub custodians: alloc::vec::Vec<Custodian>,
}

/// A 32-byte blake2-256 digest (of a plaintext, a ciphertext or a commitment preimage).
pub type ContentHash = [u8; 32];

/// A note kept off chain, referenced on chain by the blake2-256 hash of its ciphertext: a
/// request's reason, a break-glass justification, an amendment's or a correction's reason.
///
/// The chain stores only this commitment, never the note. The author seals the note to its
/// readers' registered encryption keys and keeps it with the record's other ciphertext (for
/// example pinned to the hospital's IPFS node); a reader fetches it and checks it against
/// this hash. So free text, clinical or personal, cannot reach the chain through a note.
pub type NoteHash = ContentHash;

/// A public encryption key (X25519): a patient's (wraps the patient's essential key share), a
/// custodian's (wraps its custodian shares) or a doctor's or lab's (wraps the shares released
/// to them), used off chain. Only the public half is ever on chain.
pub type EncryptionPublicKey = [u8; 32];

/// The X25519 public keys of small order (libsodium's blocklist, with the top bit cleared as
/// X25519 clears it): 0 and 1, the two points of order 8, and p − 1, p and p + 1 (p = 2²⁵⁵ − 19).
/// A Diffie-Hellman exchange with any of them yields a shared secret known in advance (all
/// zeros), whatever the other side's secret key.
const SMALL_ORDER_KEYS: [EncryptionPublicKey; 7] = {
	let mut ff = [0xff; 32];
	ff[31] = 0x7f;
	let (mut p_minus_1, mut p, mut p_plus_1) = (ff, ff, ff);
	p_minus_1[0] = 0xec;
	p[0] = 0xed;
	p_plus_1[0] = 0xee;
	let mut one = [0; 32];
	one[0] = 1;
	[
		[0; 32],
		one,
		[
			0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f,
			0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16,
			0x5f, 0x49, 0xb8, 0x00,
		],
		[
			0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1, 0x55, 0x9c, 0x83,
			0xef, 0x5b, 0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd,
			0xd0, 0x9f, 0x11, 0x57,
		],
		p_minus_1,
		p,
		p_plus_1,
	]
};

/// Whether shares may be wrapped to `key`: `false` for an X25519 public key of small order
/// (all zeros, for example, or any of their encodings with the top bit set). Wrapping a share
/// to such a key would seal it with a secret everyone can compute, so the registry refuses them
/// wherever an encryption key is registered.
pub fn is_usable_encryption_key(key: &EncryptionPublicKey) -> bool {
	let mut masked = *key;
	masked[31] &= 0x7f;
	!SMALL_ORDER_KEYS.contains(&masked)
}

/// Why a [`VisitDate`] could not be built.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DateError {
	/// The month is not in `1..=12`.
	InvalidMonth,
	/// The day does not exist in that month of that year.
	InvalidDay,
	/// The year is outside `1..=9999` (it must print as four digits).
	InvalidYear,
}

/// A calendar date of a visit (proleptic Gregorian), as the PMR-ID spells it: DDMMYYYY.
///
/// Built only through [`VisitDate::new`], which rejects dates that do not exist, so every value
/// prints as exactly eight digits.
#[derive(
	Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, MaxEncodedLen, TypeInfo, Serialize, Debug,
)]
pub struct VisitDate {
	year: u16,
	month: u8,
	day: u8,
}

impl VisitDate {
	/// A checked date.
	pub fn new(day: u8, month: u8, year: u16) -> Result<Self, DateError> {
		if !(1..=9999).contains(&year) {
			return Err(DateError::InvalidYear);
		}
		if !(1..=12).contains(&month) {
			return Err(DateError::InvalidMonth);
		}
		if day == 0 || day > days_in_month(month, year) {
			return Err(DateError::InvalidDay);
		}
		Ok(Self { year, month, day })
	}

	/// Day of the month, `1..=31`.
	pub fn day(&self) -> u8 {
		self.day
	}

	/// Month, `1..=12`.
	pub fn month(&self) -> u8 {
		self.month
	}

	/// Year, `1..=9999`.
	pub fn year(&self) -> u16 {
		self.year
	}

	/// The date as the number DDMMYYYY (26 Jan 2021 → 26012021).
	pub fn ddmmyyyy(&self) -> u32 {
		u32::from(self.day) * 1_000_000 + u32::from(self.month) * 10_000 + u32::from(self.year)
	}

	/// The UTC calendar date of a Unix timestamp in milliseconds (what `pallet-timestamp`
	/// keeps), so the chain can tell which visit dates lie in the future.
	pub fn from_unix_millis(millis: u64) -> Result<Self, DateError> {
		// Days since 1970-01-01 → civil date (the well-known algorithm of H. Hinnant, for the
		// proleptic Gregorian calendar; exact for every day this type can hold).
		let days = (millis / 86_400_000) as i64;
		let z = days + 719_468;
		let era = z.div_euclid(146_097);
		let doe = z - era * 146_097;
		let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
		let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		let mp = (5 * doy + 2) / 153;
		let day = doy - (153 * mp + 2) / 5 + 1;
		let month = if mp < 10 { mp + 3 } else { mp - 9 };
		let year = yoe + era * 400 + i64::from(month <= 2);
		let year = u16::try_from(year).map_err(|_| DateError::InvalidYear)?;
		// `day` is in 1..=31 and `month` in 1..=12 by construction.
		Self::new(day as u8, month as u8, year)
	}

	/// Today's date by a chain clock that reports Unix milliseconds (`UnixTime::now()`), or
	/// `None` while the clock is not set (0: genesis, benchmarks) or out of range.
	pub fn from_clock_millis(millis: u128) -> Option<Self> {
		let millis = u64::try_from(millis).ok().filter(|m| *m > 0)?;
		Self::from_unix_millis(millis).ok()
	}

	/// Parses the number DDMMYYYY back into a checked date.
	pub fn from_ddmmyyyy(value: u32) -> Result<Self, DateError> {
		let day = value / 1_000_000;
		let month = (value / 10_000) % 100;
		let year = value % 10_000;
		let day = u8::try_from(day).map_err(|_| DateError::InvalidDay)?;
		// `month < 100` and `year < 10_000` by construction of the modulo above.
		Self::new(day, month as u8, year as u16)
	}
}

fn days_in_month(month: u8, year: u16) -> u8 {
	match month {
		1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
		4 | 6 | 9 | 11 => 30,
		2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
		2 => 28,
		_ => 0,
	}
}

/// Why a PMR-ID could not be built or parsed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PmrIdError {
	/// The date part is not a real date.
	Date(DateError),
	/// The same-day sequence number is above [`PmrId::MAX_SEQUENCE`].
	SequenceTooLarge,
	/// The number is too large to hold a Patient-ID.
	PatientIdOverflow,
}

impl From<DateError> for PmrIdError {
	fn from(e: DateError) -> Self {
		Self::Date(e)
	}
}

/// PMR-ID: the identifier of one patient medical record (one visit).
///
/// The primary design writes a PMR-ID as the Patient-ID with the visit date appended as
/// DDMMYYYY: patient 85437 seen on 26 Jan 2021 gets `8543726012021`. That is ambiguous as soon
/// as a patient has two visits on one day, so PMR Chain adds a same-day sequence number:
///
/// - `sequence` 0 is the first record of the day; its [`PmrId::paper_digits`] are exactly the
///   paper's number, so existing paper-era identifiers keep working;
/// - the numeric form used as the NFT item ID is `paper_digits × 1000 + sequence`
///   ([`PmrId::item_id`]), i.e. three extra decimal digits, so up to 1000 records per patient
///   per day; it converts back losslessly with [`PmrId::from_item_id`];
/// - the text form is the paper's digits, followed by `-` and the sequence only when the
///   sequence is not 0 (`8543726012021`, `8543726012021-1`, ...).
#[derive(
	Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, MaxEncodedLen, TypeInfo, Serialize, Debug,
)]
pub struct PmrId {
	/// The patient the record belongs to.
	pub patient: PatientId,
	/// The date of the visit.
	pub visit_date: VisitDate,
	/// The record's position among this patient's records of that day, from 0.
	pub sequence: u16,
}

/// The numeric form of a [`PmrId`], used as the NFT item ID of a record.
pub type PmrItemId = u128;

impl PmrId {
	/// The largest same-day sequence number the numeric form can hold.
	pub const MAX_SEQUENCE: u16 = 999;

	/// A checked PMR-ID.
	pub fn new(patient: PatientId, visit_date: VisitDate, sequence: u16) -> Result<Self, PmrIdError> {
		if sequence > Self::MAX_SEQUENCE {
			return Err(PmrIdError::SequenceTooLarge);
		}
		Ok(Self { patient, visit_date, sequence })
	}

	/// The paper's number: Patient-ID followed by DDMMYYYY (ignores the sequence).
	pub fn paper_digits(&self) -> u128 {
		u128::from(self.patient.0) * 100_000_000 + u128::from(self.visit_date.ddmmyyyy())
	}

	/// Parses the paper's number as the first record (sequence 0) of that day.
	pub fn from_paper_digits(digits: u128) -> Result<Self, PmrIdError> {
		let patient =
			u64::try_from(digits / 100_000_000).map_err(|_| PmrIdError::PatientIdOverflow)?;
		let date = VisitDate::from_ddmmyyyy((digits % 100_000_000) as u32)?;
		Self::new(PatientId(patient), date, 0)
	}

	/// The numeric NFT item ID: `paper_digits × 1000 + sequence`. Never overflows: the largest
	/// Patient-ID gives about 1.8 × 10^30, far below `u128::MAX` (3.4 × 10^38).
	pub fn item_id(&self) -> PmrItemId {
		self.paper_digits() * 1000 + u128::from(self.sequence)
	}

	/// The inverse of [`PmrId::item_id`].
	pub fn from_item_id(item: PmrItemId) -> Result<Self, PmrIdError> {
		let sequence = (item % 1000) as u16;
		let first = Self::from_paper_digits(item / 1000)?;
		Self::new(first.patient, first.visit_date, sequence)
	}
}

impl fmt::Display for PmrId {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		// DDMMYYYY keeps its leading zero (e.g. 05 March): pad the date to eight digits.
		write!(f, "{}{:08}", self.patient.0, self.visit_date.ddmmyyyy())?;
		if self.sequence != 0 {
			write!(f, "-{}", self.sequence)?;
		}
		Ok(())
	}
}

// Decoding re-checks the invariants `new` enforces, so a malformed extrinsic argument is
// rejected by the codec instead of producing a date that does not exist.
impl Decode for VisitDate {
	fn decode<I: codec::Input>(input: &mut I) -> Result<Self, codec::Error> {
		let year = u16::decode(input)?;
		let month = u8::decode(input)?;
		let day = u8::decode(input)?;
		Self::new(day, month, year).map_err(|_| "VisitDate: not a calendar date".into())
	}
}

impl DecodeWithMemTracking for VisitDate {}

impl Decode for PmrId {
	fn decode<I: codec::Input>(input: &mut I) -> Result<Self, codec::Error> {
		let patient = PatientId::decode(input)?;
		let visit_date = VisitDate::decode(input)?;
		let sequence = u16::decode(input)?;
		Self::new(patient, visit_date, sequence).map_err(|_| "PmrId: sequence too large".into())
	}
}

impl DecodeWithMemTracking for PmrId {}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_refused_keys_are_those_whose_shared_secret_everyone_knows() {
		use x25519_dalek::{x25519, X25519_BASEPOINT_BYTES};
		let secret = [0x42; 32];
		for key in SMALL_ORDER_KEYS {
			// The key and its encoding with the top bit set (X25519 ignores that bit).
			for top_bit in [0, 0x80] {
				let mut key = key;
				key[31] |= top_bit;
				assert!(!is_usable_encryption_key(&key), "{key:02x?} must be refused");
				assert_eq!(x25519(secret, key), [0; 32], "{key:02x?} is of small order");
			}
		}
		// Real public keys are accepted and give a secret only their holder can compute.
		for seed in 0..=255u8 {
			let public = x25519([seed; 32], X25519_BASEPOINT_BYTES);
			assert!(is_usable_encryption_key(&public));
			assert_ne!(x25519(secret, public), [0; 32]);
		}
	}

	fn date(d: u8, m: u8, y: u16) -> VisitDate {
		VisitDate::new(d, m, y).expect("valid test date")
	}

	#[test]
	fn unix_timestamps_map_to_utc_dates() {
		assert_eq!(VisitDate::from_unix_millis(0), Ok(date(1, 1, 1970)));
		// 2021-01-26T00:00:00Z and the last millisecond of that day.
		assert_eq!(VisitDate::from_unix_millis(1_611_619_200_000), Ok(date(26, 1, 2021)));
		assert_eq!(VisitDate::from_unix_millis(1_611_705_599_999), Ok(date(26, 1, 2021)));
		// A leap day and the turn of a century that is a leap year.
		assert_eq!(VisitDate::from_unix_millis(951_782_400_000), Ok(date(29, 2, 2000)));
		assert_eq!(VisitDate::from_unix_millis(4_107_542_400_000), Ok(date(1, 3, 2100)));
		// Past year 9999 the date cannot print as DDMMYYYY.
		assert_eq!(VisitDate::from_unix_millis(253_402_300_800_000), Err(DateError::InvalidYear));
	}

	#[test]
	fn paper_example_round_trips() {
		// Anjum et al. 2021, §3.2: patient 85437, visit on 26 Jan 2021 → 8543726012021.
		let id = PmrId::new(PatientId(85437), date(26, 1, 2021), 0).unwrap();
		assert_eq!(id.paper_digits(), 8_543_726_012_021);
		assert_eq!(id.to_string(), "8543726012021");
		assert_eq!(PmrId::from_paper_digits(8_543_726_012_021), Ok(id));
		assert_eq!(PmrId::from_item_id(id.item_id()), Ok(id));
	}

	#[test]
	fn same_day_visits_get_distinct_ids() {
		let first = PmrId::new(PatientId(85437), date(26, 1, 2021), 0).unwrap();
		let second = PmrId::new(PatientId(85437), date(26, 1, 2021), 1).unwrap();
		assert_ne!(first.item_id(), second.item_id());
		assert_eq!(first.paper_digits(), second.paper_digits());
		assert_eq!(second.to_string(), "8543726012021-1");
		assert_eq!(PmrId::from_item_id(second.item_id()), Ok(second));
	}

	#[test]
	fn leading_zero_day_keeps_eight_date_digits() {
		let id = PmrId::new(PatientId(7), date(5, 3, 2024), 0).unwrap();
		assert_eq!(id.to_string(), "705032024");
		assert_eq!(id.paper_digits(), 705_032_024);
		assert_eq!(PmrId::from_paper_digits(705_032_024), Ok(id));
	}

	#[test]
	fn largest_ids_do_not_overflow() {
		let id = PmrId::new(PatientId(u64::MAX), date(31, 12, 9999), PmrId::MAX_SEQUENCE).unwrap();
		assert_eq!(PmrId::from_item_id(id.item_id()), Ok(id));
	}

	#[test]
	fn sequence_above_limit_is_rejected() {
		assert_eq!(
			PmrId::new(PatientId(1), date(1, 1, 2024), PmrId::MAX_SEQUENCE + 1),
			Err(PmrIdError::SequenceTooLarge)
		);
	}

	#[test]
	fn impossible_dates_are_rejected() {
		assert_eq!(VisitDate::new(29, 2, 2023), Err(DateError::InvalidDay));
		assert!(VisitDate::new(29, 2, 2024).is_ok());
		assert_eq!(VisitDate::new(29, 2, 1900), Err(DateError::InvalidDay));
		assert!(VisitDate::new(29, 2, 2000).is_ok());
		assert_eq!(VisitDate::new(31, 4, 2024), Err(DateError::InvalidDay));
		assert_eq!(VisitDate::new(0, 1, 2024), Err(DateError::InvalidDay));
		assert_eq!(VisitDate::new(1, 13, 2024), Err(DateError::InvalidMonth));
		assert_eq!(VisitDate::new(1, 1, 0), Err(DateError::InvalidYear));
		assert_eq!(
			PmrId::from_paper_digits(8_543_732_012_021),
			Err(PmrIdError::Date(DateError::InvalidDay))
		);
	}

	#[test]
	fn anchored_content_and_its_manifest_scale_round_trip() {
		let cid = |s: &str| Cid::try_from(s.as_bytes().to_vec()).expect("fits");
		let content = EncryptedContent {
			cid: cid("bafy-content"),
			plaintext_hash: [1; 32],
			ciphertext_hash: [2; 32],
			manifest: Some(ManifestRef {
				cid: cid("bafy-manifest"),
				hash: [3; 32],
				custodian_set: CustodianSetVersion(4),
			}),
		};
		let bytes = content.encode();
		assert!(bytes.len() <= EncryptedContent::max_encoded_len());
		assert_eq!(EncryptedContent::decode(&mut &bytes[..]).ok(), Some(content));
		assert_eq!(CustodianSetVersion::default().checked_next(), Some(CustodianSetVersion(1)));
	}

	#[test]
	fn patient_id_overflow_is_an_error() {
		assert_eq!(PmrId::from_paper_digits(u128::MAX), Err(PmrIdError::PatientIdOverflow));
	}

	#[test]
	fn ids_scale_round_trip() {
		let id = PmrId::new(PatientId(85437), date(26, 1, 2021), 2).unwrap();
		let bytes = id.encode();
		assert_eq!(bytes.len(), PmrId::max_encoded_len());
		assert_eq!(PmrId::decode(&mut &bytes[..]).ok(), Some(id));
		// a structurally valid encoding of an impossible date is refused
		let bad = (PatientId(1), 2024u16, 2u8, 30u8, 0u16).encode();
		assert!(PmrId::decode(&mut &bad[..]).is_err());
		let bad_seq = (PatientId(1), 2024u16, 2u8, 1u8, 1000u16).encode();
		assert!(PmrId::decode(&mut &bad_seq[..]).is_err());
		assert_eq!(HospitalId(1).checked_next(), Some(HospitalId(2)));
		assert_eq!(HospitalId(u32::MAX).checked_next(), None);
	}
}
