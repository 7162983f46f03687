//! Random call sequences against a mock runtime, with `try_state` after every call, and a
//! count of what the sequences reached.

use core::fmt::Debug;
use proptest::{
	prelude::*,
	sample::select,
	test_runner::{Config, TestRunner},
};
use sp_runtime::{DispatchError, TryRuntimeError};
use std::{cell::RefCell, collections::BTreeMap};

/// The longest sequence a fuzzer draws.
pub const MAX_STEPS: usize = 63;

/// The number of sequences a fuzzer runs by default (in every test run, so in CI).
pub const DEFAULT_CASES: u32 = 256;

/// The number of sequences a fuzzer runs: `$PMR_FUZZ_CASES`, or [`DEFAULT_CASES`].
pub fn cases() -> u32 {
	std::env::var("PMR_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(DEFAULT_CASES)
}

/// Proptest's settings with [`cases`] sequences.
fn config() -> Config {
	Config { cases: cases(), ..Config::default() }
}

/// An index into a pool of `accounts` callers: three times in four one of `likely` (the
/// accounts a call is meant for), otherwise anybody, so that calls are accepted as well as
/// refused.
pub fn who_among(likely: &'static [usize], accounts: usize) -> impl Strategy<Value = usize> {
	prop_oneof![3 => select(likely), 1 => 0..accounts]
}

/// How a step names an object of the pallet (a grant, a request, an order): most often one of
/// the four latest a sequence created, so that calls meet each other's objects; sometimes one
/// that does not exist.
pub fn pick() -> impl Strategy<Value = u8> {
	0..5u8
}

/// The ID a [`pick`] names, given the pallet's next free ID: one of the four latest, or (for
/// 4) the next free one, which does not exist yet.
pub fn recent(next: u64, pick: u8) -> u64 {
	match pick {
		0..=3 => next.saturating_sub(1 + u64::from(pick)),
		_ => next,
	}
}

/// Whether a failed call failed as a pallet should: with a pallet error or `BadOrigin`.
pub fn is_typed(error: &DispatchError) -> bool {
	matches!(error, DispatchError::Module(_) | DispatchError::BadOrigin)
}

/// What the steps of one kind came to over a fuzz run.
#[derive(Clone, Debug, Default)]
pub struct Outcomes {
	/// How many succeeded.
	pub succeeded: u64,
	/// How many failed, by error.
	pub failed: BTreeMap<String, u64>,
}

impl Outcomes {
	/// How many failed.
	pub fn failures(&self) -> u64 {
		self.failed.values().sum()
	}
}

/// The outcomes of each kind of step (a step's variant name).
pub type Coverage = BTreeMap<String, Outcomes>;

thread_local! {
	static COVERAGE: RefCell<Coverage> = const { RefCell::new(BTreeMap::new()) };
}

/// A dispatch error's name: the pallet error's, or the variant's.
fn error_name(error: &DispatchError) -> String {
	match error {
		DispatchError::Module(e) => e.message.unwrap_or("Module").to_owned(),
		other => format!("{other:?}"),
	}
}

/// A step's kind: its `Debug` form up to the first space, brace or parenthesis.
fn kind_of(step: &impl Debug) -> String {
	let text = format!("{step:?}");
	let end = text.find([' ', '{', '(']).unwrap_or(text.len());
	text[..end].to_owned()
}

/// The outcome of a call that returns post-dispatch info (a refund), as a step's result.
pub fn plain(result: frame_support::dispatch::DispatchResultWithPostInfo) -> Result<(), DispatchError> {
	result.map(|_| ()).map_err(|e| e.error)
}

/// Applies the steps every sequence starts from (a pallet's seeded world), which must all
/// succeed; they are not counted in the coverage. Call it inside the mock's externalities,
/// before [`run_sequence`].
pub fn apply_seed<S: Debug>(seed: &[S], mut apply: impl FnMut(&S) -> Result<(), DispatchError>) {
	for step in seed {
		assert_eq!(apply(step), Ok(()), "seed step {step:?}");
	}
}

/// Applies `steps` one by one, each in a storage layer as dispatch does (a failed call
/// changes nothing), and panics, naming the step, when a call fails with an untyped error
/// or `try_state` finds a broken invariant afterwards. Counts each step's outcome for
/// [`check`]. Call it inside the mock's externalities.
pub fn run_sequence<S: Debug>(
	steps: &[S],
	mut apply: impl FnMut(&S) -> Result<(), DispatchError>,
	try_state: impl Fn() -> Result<(), TryRuntimeError>,
) {
	for (n, step) in steps.iter().enumerate() {
		let result = frame_support::storage::with_storage_layer(|| apply(step));
		COVERAGE.with(|c| {
			let mut coverage = c.borrow_mut();
			let outcomes = coverage.entry(kind_of(step)).or_default();
			match &result {
				Ok(()) => outcomes.succeeded += 1,
				Err(e) => *outcomes.failed.entry(error_name(e)).or_default() += 1,
			}
		});
		if let Err(e) = result {
			assert!(is_typed(&e), "step {n} {step:?} failed with an untyped error: {e:?}");
		}
		if let Err(e) = try_state() {
			panic!("step {n} {step:?} broke an invariant: {e:?}");
		}
	}
}

/// Runs a fuzzer: [`cases`] sequences of 1 to [`MAX_STEPS`] steps drawn from `step`, each
/// applied by `run` (which calls [`run_sequence`] in the mock's externalities), with
/// proptest's shrinking and its regression file beside `source_file` (pass `file!()`). Then
/// prints how often each kind of step succeeded and failed (by error), and, in a run of at
/// least [`DEFAULT_CASES`] sequences, panics when a kind named in `reach` never succeeded: the
/// sequences never built the state that call needs, so the fuzzer did not test it. (The
/// fuzzers are tuned so that the rarest call succeeds about 20 times in the default run.)
pub fn check<S: Debug + Clone>(
	source_file: &'static str,
	step: impl Strategy<Value = S>,
	run: impl Fn(&[S]),
	reach: &[&str],
) -> Coverage {
	COVERAGE.with(|c| c.borrow_mut().clear());
	let mut runner = TestRunner::new(Config { source_file: Some(source_file), ..config() });
	let sequences = proptest::collection::vec(step, 1..=MAX_STEPS);
	if let Err(e) = runner.run(&sequences, |steps| {
		run(&steps);
		Ok(())
	}) {
		panic!("{e}");
	}
	let coverage = COVERAGE.with(|c| c.take());
	let total: u64 = coverage.values().map(|o| o.succeeded + o.failures()).sum();
	println!("{} sequences, {total} steps: succeeded / failed (by error)", cases());
	for (kind, o) in &coverage {
		println!("  {kind:<20} {:>9} / {:<9} {:?}", o.succeeded, o.failures(), o.failed);
	}
	if cases() < DEFAULT_CASES {
		return coverage;
	}
	for kind in reach {
		let ok = coverage.get(*kind).map_or(0, |o| o.succeeded);
		assert!(ok > 0, "no {kind} step succeeded in {} sequences: the fuzzer does not reach it", cases());
	}
	coverage
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

	#[derive(Clone, Debug)]
	enum Step {
		Works,
		Fails { code: u8 },
	}

	fn step_of(works: bool) -> Step {
		if works { Step::Works } else { Step::Fails { code: 1 } }
	}

	fn apply(step: &Step) -> Result<(), DispatchError> {
		match step {
			Step::Works => Ok(()),
			Step::Fails { code } => Err(DispatchError::Module(sp_runtime::ModuleError {
				index: *code,
				error: [0; 4],
				message: Some("Refused"),
			})),
		}
	}

	#[test]
	fn check_counts_each_kind_of_step() {
		let coverage = check(
			file!(),
			any::<bool>().prop_map(step_of),
			|steps| TestExternalities::default().execute_with(|| run_sequence(steps, apply, || Ok(()))),
			&["Works"],
		);
		let (works, fails) = (&coverage["Works"], &coverage["Fails"]);
		assert_eq!((works.failures(), fails.succeeded), (0, 0));
		assert!(works.succeeded > 0);
		assert_eq!(fails.failed.keys().collect::<Vec<_>>(), ["Refused"]);
	}

	#[test]
	#[should_panic(expected = "no Works step succeeded")]
	fn check_fails_when_a_kind_is_never_reached() {
		check(
			file!(),
			Just(false).prop_map(step_of),
			|steps| TestExternalities::default().execute_with(|| run_sequence(steps, apply, || Ok(()))),
			&["Works"],
		);
	}

	#[test]
	#[should_panic(expected = "step 0 7 broke an invariant")]
	fn a_broken_invariant_names_its_step() {
		TestExternalities::default().execute_with(|| {
			run_sequence(&[7u8], |_| Ok(()), || Err("broken".into()));
		});
	}
}
