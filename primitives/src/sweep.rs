//! How much storage cleanup an `on_idle` sweep can afford in the weight a block has left.

use sp_weights::Weight;

/// How many items (at most `max`) a sweep whose weight for `n` items is `cost(n)` can visit
/// within `budget`: none when even the sweep's base cost does not fit.
pub fn affordable(budget: Weight, cost: impl Fn(u32) -> Weight, max: u32) -> u32 {
	let base = cost(0);
	if budget.any_lt(base) {
		return 0;
	}
	let per_item = cost(1).saturating_sub(base);
	let spare = budget.saturating_sub(base);
	let by_time = spare.ref_time().checked_div(per_item.ref_time()).unwrap_or(u64::MAX);
	let by_proof = spare.proof_size().checked_div(per_item.proof_size()).unwrap_or(u64::MAX);
	by_time.min(by_proof).min(u64::from(max)) as u32
}

#[cfg(test)]
mod tests {
	use super::*;

	fn cost(n: u32) -> Weight {
		Weight::from_parts(100 + 10 * u64::from(n), 1_000 + 50 * u64::from(n))
	}

	#[test]
	fn the_base_cost_must_fit() {
		assert_eq!(affordable(Weight::from_parts(99, 10_000), cost, 32), 0);
		assert_eq!(affordable(Weight::from_parts(100, 1_000), cost, 32), 0);
	}

	#[test]
	fn the_scarcer_resource_and_the_cap_bound_the_count() {
		// 5 items by time, 2 by proof size.
		assert_eq!(affordable(Weight::from_parts(150, 1_100), cost, 32), 2);
		// 5 by time, plenty by proof.
		assert_eq!(affordable(Weight::from_parts(150, 100_000), cost, 32), 5);
		// Plenty of both: the cap.
		assert_eq!(affordable(Weight::MAX, cost, 32), 32);
	}

	#[test]
	fn a_free_item_is_capped() {
		assert_eq!(affordable(Weight::from_parts(100, 1_000), |_| Weight::from_parts(100, 1_000), 7), 7);
	}
}
