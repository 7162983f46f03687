//! Benchmarks of both calls in their worst case: the set full but for one slot (admission
//! scans it twice), or full (removal scans it and shifts it).

use super::*;
use crate::Pallet as ValidatorSet;
use frame_benchmarking::v2::*;
use frame_support::{pallet_prelude::*, traits::EnsureOrigin};

/// Fills the set with founding validators up to `len` and lowers the minimum to 1.
fn fill<T: Config>(len: u32) -> Result<(), BenchmarkError> {
	let mut set = Validators::<T>::get();
	let mut i = 0;
	while (set.len() as u32) < len {
		let account: T::AccountId = account("founding", i, 0);
		i += 1;
		if !set.iter().any(|v| v.account == account) {
			set.try_push(Validator { account, hospital: None }).map_err(|_| "set full")?;
		}
	}
	Validators::<T>::put(set);
	MinValidators::<T>::put(1);
	Ok(())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_validator() -> Result<(), BenchmarkError> {
		let (hospital, who) = T::BenchmarkHelper::eligible_validator(0);
		fill::<T>(T::MaxValidators::get().saturating_sub(1))?;
		let origin =
			T::RegulatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, hospital, who.clone());

		ensure!(ValidatorSet::<T>::is_validator(&who), "not admitted");
		Ok(())
	}

	#[benchmark]
	fn remove_validator() -> Result<(), BenchmarkError> {
		let (hospital, who) = T::BenchmarkHelper::eligible_validator(0);
		fill::<T>(T::MaxValidators::get().saturating_sub(1))?;
		ValidatorSet::<T>::do_add_validator(hospital, who.clone())?;
		let origin =
			T::RegulatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		ensure!(!ValidatorSet::<T>::is_validator(&who), "not removed");
		Ok(())
	}

	impl_benchmark_test_suite!(ValidatorSet, crate::mock::new_test_ext(), crate::mock::Test);
}
