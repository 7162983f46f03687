//! # PMR Chain primitives
//!
//! The vocabulary every PMR Chain crate shares:
//!
//! - [`ids`]: a named type for every identifier (Hospital-ID, Doctor-ID, Lab-ID, Patient-ID,
//!   PMR-ID, grant IDs, ...), including the PMR-ID encoding of the primary design paper, and
//!   what is anchored about encrypted content (`EncryptedContent`, its key-share manifest
//!   `ManifestRef`) and the custodian set its keys are shared with;
//! - [`traits`]: the small traits pallets use to ask each other questions ("is this account an
//!   active doctor of hospital H?", "may this account read this patient's records now?"), so
//!   no pallet reads another pallet's storage;
//! - [`key_release`]: the vocabulary of consent-gated key release (sealed content, custodian
//!   answers, key-release audit events) and the traits behind it;
//! - [`merkle`]: the blake2-256 Merkle tree IoMT batches are anchored with;
//! - [`page`]: bounded, cursor-paged answers of runtime-API queries.
//!
//! The crate is `no_std` and depends on no FRAME pallet, only on `sp-runtime` (bounded vectors,
//! `DispatchError`), `sp-weights` and `sp-crypto-hashing`, so the runtime, the pallets, the node
//! and off-chain tools can all depend on it.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
pub mod bench;
pub mod cid;
pub mod ids;
pub mod key_release;
pub mod merkle;
pub mod page;
pub mod sweep;
pub mod traits;

pub use ids::*;
pub use key_release::*;
pub use page::{Page, MAX_PAGE_SCAN};
pub use traits::*;
