//! Queries behind the runtime API: filters, history, visibility, medications.

use super::*;
use frame_support::assert_ok;
use pmr_primitives::{Page, PmrItemId, Purpose, RecordCategory::*};

#[test]
fn patient_records_are_filtered_and_paged() {
	test(|| {
		let old = create(PastIllness, date(2, 1, 2020));
		let a = create(PresentIllness, date(26, 1, 2021));
		let b = create(Prescription, date(26, 1, 2021));
		// Every page, sorted into visit order as a client does.
		let ids = |f: RecordFilter, take| {
			let mut records = all_pages(take, |after, take| MedicalRecords::patient_records(P, f, after, take)).concat();
			records.sort_by_key(|(_, r)| (r.visit_date, r.sequence));
			records.into_iter().map(|(i, _)| i).collect::<Vec<_>>()
		};
		assert_eq!(ids(RecordFilter::default(), 10), vec![old, a, b]);
		assert_eq!(ids(RecordFilter::default(), 1), vec![old, a, b]);
		assert_eq!(all_pages(1, |after, take| MedicalRecords::patient_records(P, RecordFilter::default(), after, take)).len(), 3);
		assert_eq!(ids(RecordFilter { category: Some(Prescription), ..Default::default() }, 10), vec![b]);
		assert_eq!(ids(RecordFilter { from: Some(date(1, 1, 2021)), ..Default::default() }, 10), vec![a, b]);
		assert_eq!(ids(RecordFilter { to: Some(date(31, 12, 2020)), ..Default::default() }, 10), vec![old]);
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(PATIENT), old));
		assert_eq!(ids(RecordFilter::default(), 10), vec![a, b]);
		assert_eq!(ids(RecordFilter { include_erased: true, ..Default::default() }, 10), vec![old, a, b]);
		assert_eq!(
			MedicalRecords::patient_records(P2, RecordFilter::default(), None, 10),
			Page { items: vec![], next: None }
		);
	});
}

/// Every item of a paged query, page by page (at most `take` per page).
fn all_pages<I: Clone>(take: u32, page: impl Fn(Option<PmrItemId>, u32) -> Page<I, PmrItemId>) -> Vec<Vec<I>> {
	let mut pages = Vec::new();
	let mut after = None;
	loop {
		let p = page(after, take);
		assert!(p.items.len() <= take as usize);
		pages.push(p.items);
		match p.next {
			Some(next) => after = Some(next),
			None => return pages,
		}
	}
}

fn visible(who: &AccountId, purpose: Purpose) -> Vec<PmrItemId> {
	let mut items: Vec<_> =
		all_pages(10, |after, take| MedicalRecords::visible_records(who, P, purpose, after, take))
			.concat();
	items.sort();
	items
}

#[test]
fn visible_records_agree_with_the_consent_check() {
	test(|| {
		let lab = create(LabDiagnostics, date(26, 1, 2021));
		let rx = create(Prescription, date(26, 1, 2021));
		assert!(visible(&DOCTOR, Purpose::Treatment).is_empty());
		consent(&DOCTOR, P, Some(LabDiagnostics));
		assert_eq!(visible(&DOCTOR, Purpose::Treatment), vec![lab]);
		let mut both = vec![lab, rx];
		both.sort();
		assert_eq!(visible(&HOME_DOCTOR, Purpose::Treatment), both);
		assert!(visible(&HOME_DOCTOR, Purpose::Research).is_empty());
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(PATIENT), lab));
		assert_eq!(visible(&HOME_DOCTOR, Purpose::Treatment), vec![rx]);
	});
}

#[test]
fn record_queries_are_paged_and_every_page_reads_a_bounded_number_of_records() {
	test(|| {
		let mut created: Vec<PmrItemId> =
			(0..5u8).map(|day| create(Prescription, date(1 + day, 1, 2021))).collect();
		created.sort();
		// Two per page: three pages, every record exactly once.
		let pages = all_pages(2, |after, take| MedicalRecords::visible_records(&HOME_DOCTOR, P, Purpose::Treatment, after, take));
		assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), vec![2, 2, 1]);
		let mut seen = pages.concat();
		seen.sort();
		assert_eq!(seen, created);
		let pages = all_pages(2, |after, take| MedicalRecords::active_medications(P, after, take));
		assert_eq!(pages.concat().len(), 5);
		// `take` is capped: a page never reads more than MAX_PAGE_SCAN records.
		let page = MedicalRecords::active_medications(P, None, u32::MAX);
		assert_eq!((page.items.len(), page.next), (5, None));
	});
}

#[test]
fn active_medications_follow_the_clock() {
	test(|| {
		let course = |end| {
			assert_ok!(MedicalRecords::create_record(
				RuntimeOrigin::signed(HOME_DOCTOR),
				P,
				H1,
				date(20, 1, 2021),
				Prescription,
				fresh_content(1),
				end,
				None,
			));
		};
		course(Some(date(25, 1, 2021)));
		course(Some(date(26, 1, 2021)));
		course(None);
		create(PresentIllness, date(20, 1, 2021));
		let running = MedicalRecords::active_medications(P, None, 10).items;
		assert_eq!(running.len(), 2, "the course that ended yesterday is not active");
		assert!(running.iter().all(|(_, r)| r.category == Prescription));
		// A day later only the open-ended prescription runs.
		set_now(JAN_26_2021_NOON + 86_400_000);
		assert_eq!(MedicalRecords::active_medications(P, None, 10).items.len(), 1);
		// A doctor sees them only with consent for prescriptions.
		assert!(MedicalRecords::medications_visible_to(&DOCTOR, P, None, 10).items.is_empty());
		consent(&DOCTOR, P, Some(Prescription));
		assert_eq!(MedicalRecords::medications_visible_to(&DOCTOR, P, None, 10).items.len(), 1);
	});
}

#[test]
fn a_sealed_version_is_what_the_chain_anchored_until_erasure() {
	use pmr_primitives::{AccessTarget, SealedContent};
	test(|| {
		let item = create(PresentIllness, date(26, 1, 2021));
		assert_ok!(MedicalRecords::amend_record(
			RuntimeOrigin::signed(HOME_DOCTOR),
			item,
			content_with_manifest(2),
			note(),
			None,
		));
		let sealed = |version| MedicalRecords::sealed_version(item, version);
		let access = AccessTarget::Record { item, category: PresentIllness };
		assert_eq!(sealed(0), Some(SealedContent { patient: P, access, content: Some(content(1)) }));
		assert_eq!(
			sealed(1),
			Some(SealedContent { patient: P, access, content: Some(content_with_manifest(2)) })
		);
		assert_eq!(sealed(2), None, "no such version");
		assert_eq!(MedicalRecords::sealed_version(item + 1, 0), None, "no such record");

		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(PATIENT), item));
		assert_eq!(sealed(1), Some(SealedContent { patient: P, access, content: None }));
	});
}
