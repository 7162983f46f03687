//! Criterion benchmarks of the vault (results in docs/performance.md):
//! - `split_combine`: split a data key (1,3,5) and recombine it (target ≤ 50 µs);
//! - `encrypt_hash/64MiB`: encrypt + hash throughput on one core (target ≥ 500 MB/s);
//! - `ingest_vs_add`: end-to-end ingest (anonymize → encrypt → split → pin) of a DICOM file vs a
//!   raw `ipfs add` of the same bytes on the same node (target ratio ≥ 0.5). Needs the local
//!   IPFS node and the DICOM samples; skipped with a message otherwise.

// criterion_group! generates an undocumented function.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use pmr_vault::{
	crypto::{self, DataKey},
	envelope::generate_keypair,
	ipfs::Ipfs,
	pipeline::{self, Recipients, RecordKind},
	sharing,
};
use std::{cell::Cell, hint::black_box, time::Duration};

fn split_combine(c: &mut Criterion) {
	let key = DataKey::generate();
	c.bench_function("split_combine/t3_n5", |b| {
		b.iter(|| {
			let split = sharing::split(black_box(&key), 3, 5).expect("split");
			let commitments: Vec<_> =
				split.custodians.iter().map(|s| (s.index, s.commitment())).collect();
			let k = sharing::combine(&split.essential, &split.custodians[..3], &commitments, 3)
				.expect("combine");
			black_box(k)
		})
	});
}

fn encrypt_hash(c: &mut Criterion) {
	let size = 64 << 20;
	let plain: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
	let key = DataKey::generate();
	let mut group = c.benchmark_group("encrypt_hash");
	group.throughput(Throughput::Bytes(size as u64));
	group.sample_size(10);
	group.bench_with_input(BenchmarkId::from_parameter("64MiB"), &plain, |b, plain| {
		let mut out = Vec::with_capacity(size + size / 1024 + 64);
		b.iter(|| {
			out.clear();
			black_box(crypto::encrypt(&key, &plain[..], &mut out).expect("encrypt"))
		})
	});
	group.finish();
}

fn ingest_vs_add(c: &mut Criterion) {
	let rt = tokio::runtime::Runtime::new().expect("tokio");
	let ipfs = Ipfs::from_env().expect("address");
	let dir = std::env::var("PMR_DICOM_SAMPLES").unwrap_or_default();
	let sample = std::fs::read(std::path::Path::new(&dir).join("CT_small.dcm"));
	let (Ok(file), true) = (sample, rt.block_on(ipfs.is_up())) else {
		eprintln!("ingest_vs_add skipped: needs scripts/ipfs-dev-node.sh and scripts/fetch-test-data.sh");
		return;
	};
	let (_, patient_pk) = generate_keypair();
	let recipients = Recipients {
		patient_key: patient_pk,
		custodian_keys: (0..5).map(|_| generate_keypair().1).collect(),
		threshold: 3,
	};
	let mut group = c.benchmark_group("ingest_vs_add");
	group.throughput(Throughput::Bytes(file.len() as u64));
	group.sample_size(20);
	group.measurement_time(Duration::from_secs(10));
	// Each iteration adds new content (a counter in the last bytes), as every ingest does. All
	// of it is unpinned afterwards: thousands of pins would slow the dev node's `pin/ls` down
	// for the test suite that shares it.
	let counter = Cell::new(0u64);
	let added = std::cell::RefCell::new(Vec::<String>::new());
	group.bench_function("raw_ipfs_add", |b| {
		b.iter(|| {
			counter.set(counter.get() + 1);
			let mut bytes = file.clone();
			let n = bytes.len();
			bytes[n - 8..].copy_from_slice(&counter.get().to_le_bytes());
			let cid = rt.block_on(ipfs.add_pinned(std::io::Cursor::new(bytes))).expect("ipfs add");
			added.borrow_mut().push(cid);
		})
	});
	group.bench_function("ingest_dicom", |b| {
		b.iter(|| {
			let r = rt
				.block_on(pipeline::ingest(
					&ipfs,
					RecordKind::Dicom,
					&file,
					"85437",
					&recipients,
					&[1; 32],
				))
				.expect("ingest");
			added.borrow_mut().extend([r.ciphertext_cid, r.manifest_cid]);
		})
	});
	group.finish();
	let unpinned = added
		.borrow()
		.iter()
		.filter(|cid| rt.block_on(ipfs.unpin(cid)).is_ok())
		.count();
	eprintln!("ingest_vs_add: unpinned {unpinned} of {} added object(s)", added.borrow().len());
}

criterion_group!(benches, split_combine, encrypt_hash, ingest_vs_add);
criterion_main!(benches);
