//! A mock runtime for the node-allowlist pallet's tests, with a stub for hospital statuses.

use crate as pallet_node_allowlist;
use crate::*;
use core::cell::RefCell;
use frame_support::{derive_impl, traits::ConstU32};
use frame_system::EnsureRoot;
use pmr_primitives::{HospitalId, HospitalStanding, HospitalStatus};
use sp_runtime::BuildStorage;
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		NodeAllowlist: pallet_node_allowlist,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// A verified hospital.
pub const H1: HospitalId = HospitalId(1);
/// A hospital waiting for verification.
pub const PENDING: HospitalId = HospitalId(2);
/// The list's size in the mock.
pub const MAX_NODES: u32 = 4;

thread_local! {
	static STATUS: RefCell<BTreeMap<HospitalId, HospitalStatus>> = RefCell::new(BTreeMap::new());
}

/// Sets a hospital's status in the stub registry.
pub fn set_status(hospital: HospitalId, status: HospitalStatus) {
	STATUS.with(|s| s.borrow_mut().insert(hospital, status));
}

/// Hospital statuses as set by [`set_status`].
pub struct StubHospitals;
impl HospitalStanding for StubHospitals {
	fn hospital_status(hospital: HospitalId) -> Option<HospitalStatus> {
		STATUS.with(|s| s.borrow().get(&hospital).copied())
	}
}

impl pallet_node_allowlist::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RegulatorOrigin = EnsureRoot<u64>;
	type Hospitals = StubHospitals;
	type MaxNodes = ConstU32<MAX_NODES>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// A verified hospital for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper for MockBenchmarkHelper {
	fn verified_hospital() -> HospitalId {
		set_status(HospitalId(1_000), HospitalStatus::Verified);
		HospitalId(1_000)
	}
}

/// The peer ID of the node whose Ed25519 node key's public key is `[n; 32]`.
pub fn peer(n: u8) -> NodePeerId {
	NodePeerId::from_ed25519_public_key([n; 32])
}

/// Peer-ID text as given (valid or not).
pub fn text(s: &str) -> NodePeerId {
	NodePeerId::from_text(s).expect("within the bound")
}

/// One founding node ([`peer`]`(1)`), enforcement off; [`H1`] verified, [`PENDING`] pending.
pub fn new_test_ext() -> sp_io::TestExternalities {
	STATUS.with(|s| s.borrow_mut().clear());
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		node_allowlist: pallet_node_allowlist::GenesisConfig {
			nodes: vec![peer(1).as_str().expect("text").into()],
			enforced: false,
			_config: Default::default(),
		},
	}
	.build_storage()
	.expect("genesis builds");
	set_status(H1, HospitalStatus::Verified);
	set_status(PENDING, HospitalStatus::Pending);
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` in [`new_test_ext`] and checks the invariants after it.
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		NodeAllowlist::do_try_state().expect("invariants hold");
	});
}

/// The events this pallet emitted, oldest first.
pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::NodeAllowlist(e) => Some(e),
			_ => None,
		})
		.collect()
}
