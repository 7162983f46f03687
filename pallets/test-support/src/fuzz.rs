//! Random call sequences against a mock runtime, with `try_state` after every call.

use core::fmt::Debug;
use proptest::{prelude::*, sample::select, test_runner::Config};
use sp_runtime::{DispatchError, TryRuntimeError};

/// The number of sequences a fuzzer runs: `$PMR_FUZZ_CASES`, or 64.
pub fn cases() -> u32 {
	std::env::var("PMR_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64)
}

/// Proptest's settings with [`cases`] sequences.
pub fn config() -> Config {
	Config { cases: cases(), ..Config::default() }
}

/// An index into a pool of `accounts` callers: three times in four one of `likely` (the
/// accounts a call is meant for), otherwise anybody, so that calls are accepted as well as
/// refused.
pub fn who_among(likely: &'static [usize], accounts: usize) -> impl Strategy<Value = usize> {
	prop_oneof![3 => select(likely), 1 => 0..accounts]
}

/// Whether a failed call failed as a pallet should: with a pallet error or `BadOrigin`.
pub fn is_typed(error: &DispatchError) -> bool {
	matches!(error, DispatchError::Module(_) | DispatchError::BadOrigin)
}

/// Applies `steps` one by one, each in a storage layer as dispatch does (a failed call
/// changes nothing), and panics, naming the step, when a call fails with an untyped error
/// or `try_state` finds a broken invariant afterwards. Call it inside the mock's
/// externalities.
pub fn run_sequence<S: Debug>(
	steps: &[S],
	mut apply: impl FnMut(&S) -> Result<(), DispatchError>,
	try_state: impl Fn() -> Result<(), TryRuntimeError>,
) {
	for (n, step) in steps.iter().enumerate() {
		let result = frame_support::storage::with_storage_layer(|| apply(step));
		if let Err(e) = result {
			assert!(is_typed(&e), "step {n} {step:?} failed with an untyped error: {e:?}");
		}
		if let Err(e) = try_state() {
			panic!("step {n} {step:?} broke an invariant: {e:?}");
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_io::TestExternalities;

	#[test]
	fn a_typed_failure_passes_and_changes_nothing() {
		TestExternalities::default().execute_with(|| {
			run_sequence(
				&[1u8, 2],
				|step| {
					sp_io::storage::set(b"touched", &[*step]);
					Err(DispatchError::BadOrigin)
				},
				|| Ok(()),
			);
			assert_eq!(sp_io::storage::get(b"touched"), None, "the layer was rolled back");
		});
	}

	#[test]
	#[should_panic(expected = "step 1 2 failed with an untyped error")]
	fn an_untyped_failure_names_its_step() {
		TestExternalities::default().execute_with(|| {
			run_sequence(
				&[1u8, 2],
				|step| if *step == 2 { Err(DispatchError::Other("boom")) } else { Ok(()) },
				|| Ok(()),
			);
		});
	}

	#[test]
	#[should_panic(expected = "step 0 7 broke an invariant")]
	fn a_broken_invariant_names_its_step() {
		TestExternalities::default().execute_with(|| {
			run_sequence(&[7u8], |_| Ok(()), || Err("broken".into()));
		});
	}
}
