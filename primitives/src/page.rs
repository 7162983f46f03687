//! Bounded pages for runtime-API queries.
//!
//! A query that would scan an unbounded storage map (a patient's whole record history, every
//! pending break-glass review) answers one page at a time instead: it reads at most
//! [`MAX_PAGE_SCAN`] entries after the caller's cursor, in storage order, and returns the
//! matching ones with the cursor of the next page. A node serving such a query over RPC thus
//! does bounded work per call however large the map grows.

use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// The most storage entries one page of a query reads (and so the most items it returns).
pub const MAX_PAGE_SCAN: u32 = 256;

/// A page of a query's answer.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct Page<Item, Cursor> {
	/// This page's items, in storage order (no particular order: sort them if you need one).
	pub items: Vec<Item>,
	/// Pass this as the query's `after` for the next page; `None` once the answer is complete.
	pub next: Option<Cursor>,
}

impl<Item, Cursor> Page<Item, Cursor> {
	/// Reads `entries` (a storage iterator already positioned after the previous page's cursor)
	/// until `take` items are kept (at least 1, at most [`MAX_PAGE_SCAN`]) or [`MAX_PAGE_SCAN`]
	/// entries are read, keeping what `keep` maps to `Some`. The next page starts after the last
	/// entry read; there is none when the iterator ran out.
	pub fn collect<Entry>(
		entries: impl Iterator<Item = Entry>,
		take: u32,
		cursor_of: impl Fn(&Entry) -> Cursor,
		mut keep: impl FnMut(Entry) -> Option<Item>,
	) -> Self {
		let take = take.clamp(1, MAX_PAGE_SCAN) as usize;
		let mut items = Vec::new();
		let mut read = 0u32;
		let mut last = None;
		for entry in entries {
			if items.len() == take || read == MAX_PAGE_SCAN {
				// There is more: the next page starts after the last entry read.
				return Page { items, next: last };
			}
			read += 1;
			last = Some(cursor_of(&entry));
			if let Some(item) = keep(entry) {
				items.push(item);
			}
		}
		Page { items, next: None }
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn page(entries: &[u32], take: u32) -> Page<u32, u32> {
		Page::collect(entries.iter().copied(), take, |e| *e, |e| (e % 2 == 0).then_some(e))
	}

	#[test]
	fn a_page_stops_at_take_and_names_where_the_next_starts() {
		assert_eq!(page(&[1, 2, 3, 4, 5, 6], 2), Page { items: vec![2, 4], next: Some(4) });
		assert_eq!(page(&[5, 6], 2), Page { items: vec![6], next: None });
		assert_eq!(page(&[], 2), Page { items: vec![], next: None });
	}

	#[test]
	fn a_page_reads_at_most_max_page_scan_entries() {
		let odd: Vec<u32> = (0..1000).map(|i| 2 * i + 1).collect();
		let first = page(&odd, 10);
		assert!(first.items.is_empty());
		assert_eq!(first.next, Some(odd[MAX_PAGE_SCAN as usize - 1]));
	}

	#[test]
	fn take_is_clamped() {
		let even: Vec<u32> = (0..1000).map(|i| 2 * i).collect();
		assert_eq!(page(&even, 0).items, vec![0]);
		assert_eq!(page(&even, u32::MAX).items.len(), MAX_PAGE_SCAN as usize);
	}

	#[test]
	fn pages_cover_every_entry_exactly_once() {
		let entries: Vec<u32> = (0..700).collect();
		let mut seen = Vec::new();
		let mut after: Option<u32> = None;
		loop {
			let rest = entries.iter().copied().filter(|e| after.is_none_or(|a| *e > a));
			let p: Page<u32, u32> = Page::collect(rest, 100, |e| *e, Some);
			seen.extend(p.items);
			match p.next {
				Some(n) => after = Some(n),
				None => break,
			}
		}
		assert_eq!(seen, entries);
	}
}
