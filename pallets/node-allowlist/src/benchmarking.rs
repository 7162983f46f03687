//! Benchmarks of the three calls in their worst case: a node of a verified hospital (one more
//! read than a consortium node), the list full but for one slot, enforcement on (removal
//! checks it).

use super::*;
use crate::Pallet as NodeAllowlist;
use frame_benchmarking::v2::*;
use frame_support::{pallet_prelude::*, traits::EnsureOrigin};

/// The `i`-th benchmark node's peer ID.
fn peer(i: u32) -> NodePeerId {
	let mut key = [7u8; 32];
	for (k, b) in key.iter_mut().zip(i.to_le_bytes()) {
		*k = b;
	}
	NodePeerId::from_ed25519_public_key(key)
}

/// Lists consortium nodes until `len` nodes are listed.
fn fill<T: Config>(len: u32) -> Result<(), BenchmarkError> {
	let mut i = 1_000;
	while Nodes::<T>::count() < len {
		NodeAllowlist::<T>::do_add_node(peer(i), None)?;
		i += 1;
	}
	Ok(())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_node() -> Result<(), BenchmarkError> {
		let hospital = T::BenchmarkHelper::verified_hospital();
		fill::<T>(T::MaxNodes::get().saturating_sub(1))?;
		let origin =
			T::RegulatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, peer(0), Some(hospital));

		ensure!(Nodes::<T>::contains_key(peer(0)), "not listed");
		Ok(())
	}

	#[benchmark]
	fn remove_node() -> Result<(), BenchmarkError> {
		fill::<T>(T::MaxNodes::get())?;
		NodeAllowlist::<T>::do_set_enforced(true)?;
		let origin =
			T::RegulatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, peer(1_000));

		ensure!(!Nodes::<T>::contains_key(peer(1_000)), "not removed");
		Ok(())
	}

	#[benchmark]
	fn set_enforced() -> Result<(), BenchmarkError> {
		fill::<T>(1)?;
		let origin =
			T::RegulatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, true);

		ensure!(Enforced::<T>::get(), "not enforced");
		Ok(())
	}

	impl_benchmark_test_suite!(NodeAllowlist, crate::mock::new_test_ext(), crate::mock::Test);
}
