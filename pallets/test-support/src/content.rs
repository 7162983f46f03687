//! A stand-in for the medical-records pallet's index of anchored content addresses
//! ([`pmr_primitives::ContentAddresses`]), for mock runtimes that anchor content without that
//! pallet. It keeps its entries in the test's storage, so a failed call rolls them back and
//! every test starts with none.

use codec::{Decode, Encode};
use frame_support::storage::unhashed;
use pmr_primitives::{Cid, ContentAddressTaken, ContentAddresses, SealedTarget};

const PREFIX: &[u8] = b"pmr-test-support/content/";

fn key(cid: &[u8]) -> Vec<u8> {
	let mut key = PREFIX.to_vec();
	key.extend(cid.encode());
	key
}

/// Content addresses anchored at most once, as the runtime's index keeps them.
pub struct StubContent;

impl ContentAddresses for StubContent {
	fn claim(anchor: SealedTarget, cids: &[&Cid]) -> Result<(), ContentAddressTaken> {
		for (i, cid) in cids.iter().enumerate() {
			if cids[..i].contains(cid) || unhashed::exists(&key(cid)) {
				return Err(ContentAddressTaken);
			}
		}
		for cid in cids {
			unhashed::put_raw(&key(cid), &anchor.encode());
		}
		Ok(())
	}

	fn anchor_of(cid: &[u8]) -> Option<SealedTarget> {
		unhashed::get_raw(&key(cid)).and_then(|raw| SealedTarget::decode(&mut &raw[..]).ok())
	}
}
