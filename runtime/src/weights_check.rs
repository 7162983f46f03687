//! Every call of the PMR pallets is weighed by a benchmark, and every `weights.rs` was generated
//! from the pallet's current benchmarks by `scripts/benchmark-weights.sh` on a production node.
//!
//! For each pallet this reads the pallet's `lib.rs` (the `#[pallet::weight(..)]` of each call)
//! and its `weights.rs` (the `WeightInfo` trait and the header) as text, and compares them with
//! what the runtime knows: the pallet's calls (`GetCallName`) and benchmarks
//! (`frame_benchmarking::Benchmarking`). It fails when
//! - a call has no weight from `WeightInfo`, or names a function that is not a benchmark;
//! - the `WeightInfo` functions differ from the benchmarks, by name or by their components (a
//!   benchmark was added, removed or changed after the weights were generated);
//! - a `weights.rs` was not generated on a production-profile node;
//! - a call's weight adds a database term by hand (benchmark what it stands for instead).
//!
//! The runtime's database weights (`weights/paritydb_weights.rs`) must come from
//! `scripts/benchmark-db-weights.sh` on a production-profile node too.

use crate::Runtime;
use frame_benchmarking::{Benchmarking, BenchmarkMetadata};
use frame_support::traits::GetCallName;
use std::collections::{BTreeMap, BTreeSet};

/// One PMR pallet: its name, calls, benchmarks and sources.
struct PalletSources<'a> {
	name: &'static str,
	calls: &'a [&'a str],
	benchmarks: Vec<BenchmarkMetadata>,
	lib_rs: &'a str,
	weights_rs: &'a str,
}

macro_rules! pallet_sources {
	($name:literal, $pallet:ident, $dir:literal) => {
		PalletSources {
			name: $name,
			calls: $pallet::Call::<Runtime>::get_call_names(),
			benchmarks: <$pallet::Pallet<Runtime> as Benchmarking>::benchmarks(false),
			lib_rs: include_str!(concat!("../../pallets/", $dir, "/src/lib.rs")),
			weights_rs: include_str!(concat!("../../pallets/", $dir, "/src/weights.rs")),
		}
	};
}

fn pallets() -> Vec<PalletSources<'static>> {
	vec![
		pallet_sources!("pallet_registry", pallet_registry, "registry"),
		pallet_sources!("pallet_consent", pallet_consent, "consent"),
		pallet_sources!("pallet_key_release", pallet_key_release, "key-release"),
		pallet_sources!("pallet_medical_records", pallet_medical_records, "medical-records"),
		pallet_sources!("pallet_lab_reports", pallet_lab_reports, "lab-reports"),
		pallet_sources!("pallet_node_allowlist", pallet_node_allowlist, "node-allowlist"),
		pallet_sources!("pallet_validator_set", pallet_validator_set, "validator-set"),
	]
}

/// The text between `open` (which ends with an opening bracket) and its matching close.
fn bracketed(text: &str, open: usize) -> &str {
	let bytes = text.as_bytes();
	let (o, c) = match bytes[open] {
		b'(' => (b'(', b')'),
		b'{' => (b'{', b'}'),
		other => panic!("no bracket at {open}: {}", other as char),
	};
	let mut depth = 0usize;
	for (i, &b) in bytes.iter().enumerate().skip(open) {
		if b == o {
			depth += 1;
		} else if b == c {
			depth -= 1;
			if depth == 0 {
				return &text[open + 1..i];
			}
		}
	}
	panic!("unbalanced brackets from {open}");
}

/// The identifiers that follow `marker` in `text` (e.g. the `x` of every `WeightInfo::x`).
fn idents_after<'a>(text: &'a str, marker: &str) -> Vec<&'a str> {
	text.match_indices(marker)
		.map(|(at, _)| {
			let rest = &text[at + marker.len()..];
			let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
			&rest[..end]
		})
		.collect()
}

/// Each call's `#[pallet::weight(..)]` expression, by the name of the `pub fn` that follows it.
fn call_weights(lib_rs: &str) -> BTreeMap<&str, &str> {
	let attr = "#[pallet::weight(";
	lib_rs
		.match_indices(attr)
		.map(|(at, _)| {
			let expr = bracketed(lib_rs, at + attr.len() - 1);
			let after = &lib_rs[at + attr.len() + expr.len()..];
			let name = idents_after(after, "pub fn ").into_iter().next().expect("a call after its weight");
			(name, expr)
		})
		.collect()
}

/// The `WeightInfo` trait's functions with their parameter names.
fn weight_functions(weights_rs: &str) -> BTreeMap<String, Vec<String>> {
	let at = weights_rs.find("pub trait WeightInfo {").expect("a WeightInfo trait");
	let body = bracketed(weights_rs, at + "pub trait WeightInfo ".len());
	body.split(';')
		.filter_map(|decl| {
			let decl = decl.trim();
			let name = idents_after(decl, "fn ").into_iter().next()?;
			let params = bracketed(decl, decl.find('(')?);
			let params = params
				.split(',')
				.filter_map(|p| p.split(':').next().map(str::trim).filter(|p| !p.is_empty()))
				.map(|p| p.trim_start_matches('_').to_string())
				.collect();
			Some((name.to_string(), params))
		})
		.collect()
}

/// What is wrong with one pallet's weights (nothing, when empty).
fn problems(p: &PalletSources) -> Vec<String> {
	let mut problems = Vec::new();
	let benchmarks: BTreeMap<String, Vec<String>> = p
		.benchmarks
		.iter()
		.map(|b| {
			let name = String::from_utf8(b.name.clone()).expect("benchmark names are UTF-8");
			(name, b.components.iter().map(|(c, _, _)| c.to_string()).collect())
		})
		.collect();
	let weights = weight_functions(p.weights_rs);
	let call_weights = call_weights(p.lib_rs);

	for call in p.calls.iter().copied() {
		let Some(expr) = call_weights.get(call) else {
			problems.push(format!("{}::{call}: no #[pallet::weight] found in lib.rs", p.name));
			continue;
		};
		let used = idents_after(expr, "WeightInfo::");
		if used.is_empty() {
			problems.push(format!("{}::{call}: its weight uses no WeightInfo function", p.name));
		}
		for f in used {
			if !benchmarks.contains_key(f) {
				problems.push(format!("{}::{call}: weighed by `{f}`, which is no benchmark", p.name));
			}
		}
		if expr.contains("DbWeight") {
			problems.push(format!(
				"{}::{call}: its weight adds a database term by hand; benchmark it instead",
				p.name
			));
		}
	}

	let names = |m: &BTreeMap<String, Vec<String>>| m.keys().cloned().collect::<BTreeSet<_>>();
	for missing in names(&benchmarks).difference(&names(&weights)) {
		problems.push(format!("{}: benchmark `{missing}` has no weight in weights.rs (regenerate it)", p.name));
	}
	for stale in names(&weights).difference(&names(&benchmarks)) {
		problems.push(format!("{}: weights.rs has `{stale}`, which is no benchmark (regenerate it)", p.name));
	}
	for (name, components) in &benchmarks {
		if let Some(params) = weights.get(name) {
			if params != components {
				problems.push(format!(
					"{}: `{name}` takes {params:?} in weights.rs but the benchmark has components {components:?} (regenerate it)",
					p.name
				));
			}
		}
	}
	if !p.weights_rs.contains("(production profile)") {
		problems.push(format!(
			"{}: weights.rs was not generated on a production-profile node (scripts/benchmark-weights.sh)",
			p.name
		));
	}
	problems
}

#[test]
fn every_call_is_weighed_by_a_current_production_benchmark() {
	let problems: Vec<String> = pallets().iter().flat_map(problems).collect();
	assert!(problems.is_empty(), "weights out of date:\n  {}", problems.join("\n  "));
}

#[test]
fn the_database_weights_were_measured_on_a_production_node() {
	let source = include_str!("weights/paritydb_weights.rs");
	assert!(source.contains("Generated by `scripts/benchmark-db-weights.sh`"), "hand-written database weights");
	assert!(source.contains("(production profile)"), "database weights measured on a non-production node");
}

#[test]
fn the_check_sees_each_kind_of_stale_weight() {
	let validator_set = || pallets().pop().expect("the validator-set pallet is last");
	let sources = validator_set();
	assert_eq!(sources.name, "pallet_validator_set");
	let found = |p: PalletSources| problems(&p).join("\n");

	let calls = ["add_validator", "remove_validator", "set_minimum"];
	assert!(found(PalletSources { calls: &calls, ..validator_set() }).contains("set_minimum: no #[pallet::weight]"));

	let stale = sources.weights_rs.replacen("fn remove_validator() -> Weight;", "", 1);
	assert!(found(PalletSources { weights_rs: &stale, ..validator_set() })
		.contains("benchmark `remove_validator` has no weight"));

	let component = sources.weights_rs.replacen("fn remove_validator() -> Weight;", "fn remove_validator(n: u32, ) -> Weight;", 1);
	assert!(found(PalletSources { weights_rs: &component, ..validator_set() })
		.contains("`remove_validator` takes [\"n\"]"));

	let dev = sources.weights_rs.replace("(production profile)", "(debug profile)");
	assert!(found(PalletSources { weights_rs: &dev, ..validator_set() }).contains("not generated on a production-profile node"));

	let by_hand = sources.lib_rs.replacen(
		"#[pallet::weight(T::WeightInfo::remove_validator())]",
		"#[pallet::weight(T::WeightInfo::remove_validator().saturating_add(T::DbWeight::get().reads(1)))]",
		1,
	);
	assert_ne!(by_hand, sources.lib_rs, "the test edits remove_validator's weight");
	assert!(found(PalletSources { lib_rs: &by_hand, ..validator_set() })
		.contains("remove_validator: its weight adds a database term by hand"));
}
