//! Hostile DICOM input: a valid file meta group (from a real CT file) followed by random
//! bytes. dicom-rs reserves whatever length an element declares, so before the bounds scan
//! (`anonymize::dicom_scan`) a 2.4 KB file like this could make it allocate up to 4 GiB. This
//! test binary counts every allocation and checks the peak stays small for hundreds of such
//! files, each refused with a typed error.

mod common;

use pmr_vault::{anonymize::dicom::anonymize, VaultError};
use std::{
	alloc::{GlobalAlloc, Layout, System},
	sync::atomic::{AtomicUsize, Ordering},
};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator and only counts.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
	unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
		let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
		PEAK.fetch_max(now, Ordering::Relaxed);
		unsafe { System.alloc(layout) }
	}
	unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
		CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
		unsafe { System.dealloc(ptr, layout) }
	}
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A small deterministic generator (xorshift), so failures reproduce.
fn random_bytes(seed: u64, n: usize) -> Vec<u8> {
	let mut x = seed | 1;
	(0..n)
		.map(|_| {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			x as u8
		})
		.collect()
}

#[test]
fn a_valid_file_meta_followed_by_random_bytes_fails_small() {
	let ct = common::dicom_sample("CT_small.dcm").expect("scripts/fetch-test-data.sh fetched CT_small.dcm");
	// (0002,0000) FileMetaInformationGroupLength: its UL value says where the meta group ends.
	assert_eq!(&ct[132..136], &[0x02, 0x00, 0x00, 0x00]);
	let group_length = u32::from_le_bytes([ct[140], ct[141], ct[142], ct[143]]) as usize;
	let meta = &ct[..144 + group_length];
	let baseline = CURRENT.load(Ordering::Relaxed);
	PEAK.store(baseline, Ordering::Relaxed);
	for seed in 0..300u64 {
		let mut file = meta.to_vec();
		file.extend_from_slice(&random_bytes(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15), 2400 - meta.len().min(2400)));
		let result = anonymize(&file, "1", &[0; 32]);
		assert!(matches!(result, Err(VaultError::Dicom(_))), "seed {seed}: {result:?}");
	}
	let peak = PEAK.load(Ordering::Relaxed) - baseline;
	assert!(peak < 8 << 20, "peak allocation {peak} bytes for 2.4 KB inputs");
}
