//! `create_record`: PMR-IDs, minting the soulbound NFT to the patient, who may create.

use super::*;
use frame_support::{assert_noop, assert_ok, traits::tokens::nonfungibles_v2::Inspect};
use pmr_primitives::{PatientId, RecordCategory::*};

#[test]
fn a_record_is_minted_to_the_patient_under_its_pmr_id() {
	test(|| {
		let item = create(PresentIllness, date(26, 1, 2021));
		// The paper's example: patient 85437 seen on 26 Jan 2021 is PMR 8543726012021.
		let pmr = PmrId::from_item_id(item).expect("a PMR-ID");
		assert_eq!(pmr.paper_digits(), 8_543_726_012_021);
		assert_eq!(pmr.sequence, 0);
		let collection = RecordsCollection::<Test>::get().expect("created at genesis");
		assert_eq!(nft_owner(item), Some(PATIENT));
		assert_eq!(<Nfts as Inspect<AccountId>>::collection_owner(&collection), Some(COLLECTION_OWNER));
		assert!(!<Nfts as Inspect<AccountId>>::can_transfer(&collection, &item));
		let record = Records::<Test>::get(item).expect("stored");
		assert_eq!((record.patient, record.hospital, record.doctor), (P, H1, doctor_id(&HOME_DOCTOR)));
		let v0 = Versions::<Test>::get(item, 0).expect("original version");
		assert_eq!(v0.cid, Some(content(1).cid));
		assert_eq!((v0.amends, v0.manifest), (None, None));
		assert_eq!(
			last_event(),
			Event::RecordCreated {
				pmr_id: pmr,
				item,
				category: PresentIllness,
				by: HOME_DOCTOR,
				ciphertext_hash: content(1).ciphertext_hash,
			}
		);
	});
}

#[test]
fn a_record_anchored_with_its_manifest_stores_the_manifest_ref() {
	test(|| {
		let day = date(26, 1, 2021);
		assert_ok!(MedicalRecords::create_record(
			RuntimeOrigin::signed(HOME_DOCTOR),
			P,
			H1,
			day,
			PresentIllness,
			content_with_manifest(5),
			None,
			None,
		));
		let item = PmrId::new(P, day, 0).expect("valid").item_id();
		let v0 = Versions::<Test>::get(item, 0).expect("original version");
		let stored = v0.manifest.expect("anchored with the record");
		assert_eq!(stored, manifest("bafy-manifest-5", 3));
		assert_eq!(stored.hash, sp_io::hashing::blake2_256(b"bafy-manifest-5"));
		assert_eq!(stored.custodian_set, pmr_primitives::CustodianSetVersion(3));
		assert_eq!((v0.cid, v0.ciphertext_hash), (Some(content(5).cid), content(5).ciphertext_hash));
		// The worker finds its job by the ciphertext hash in the event.
		assert!(matches!(
			last_event(),
			Event::RecordCreated { ciphertext_hash, .. } if ciphertext_hash == content(5).ciphertext_hash
		));
		// The manifest is set: it cannot be attached again.
		assert_noop!(
			MedicalRecords::attach_manifest(
				RuntimeOrigin::signed(HOME_DOCTOR),
				item,
				0,
				manifest("bafy-other", 3)
			),
			Error::<Test>::ManifestAlreadySet
		);
	});
}

#[test]
fn a_manifest_cid_that_is_no_binary_cid_is_rejected() {
	test(|| {
		let mut bad = content_with_manifest(5);
		bad.manifest = Some(ManifestRef { cid: free_text(""), ..manifest("m", 3) });
		assert_noop!(
			MedicalRecords::create_record(
				RuntimeOrigin::signed(HOME_DOCTOR),
				P,
				H1,
				date(26, 1, 2021),
				PresentIllness,
				bad,
				None,
				None,
			),
			Error::<Test>::InvalidCid
		);
	});
}

#[test]
fn several_visits_on_one_day_get_sequence_numbers() {
	test(|| {
		let day = date(26, 1, 2021);
		let first = create(PresentIllness, day);
		let second = create(ProvisionalDiagnosis, day);
		let other_day = create(PresentIllness, date(25, 1, 2021));
		let seq = |item| PmrId::from_item_id(item).expect("PMR-ID").sequence;
		assert_eq!((seq(first), seq(second), seq(other_day)), (0, 1, 0));
		assert_ne!(first, second);
		assert_eq!(
			PmrId::from_item_id(second).expect("PMR-ID").paper_digits(),
			8_543_726_012_021,
			"same visit digits, told apart by the sequence"
		);
	});
}

#[test]
fn a_doctor_with_consent_creates_and_one_without_cannot() {
	test(|| {
		assert_noop!(
			MedicalRecords::create_record(
				RuntimeOrigin::signed(DOCTOR),
				P,
				H2,
				date(26, 1, 2021),
				LabDiagnostics,
				content(1),
				None,
				None,
			),
			Error::<Test>::NoConsent
		);
		consent(&DOCTOR, P, Some(LabDiagnostics));
		create_by(&DOCTOR, H2, LabDiagnostics, date(26, 1, 2021));
		// The consent covers lab diagnostics only.
		assert_noop!(
			MedicalRecords::create_record(
				RuntimeOrigin::signed(DOCTOR),
				P,
				H2,
				date(26, 1, 2021),
				Prescription,
				content(1),
				None,
				None,
			),
			Error::<Test>::NoConsent
		);
	});
}

#[test]
fn only_active_doctors_of_the_named_hospital_create() {
	test(|| {
		deactivate(&OTHER_DOCTOR);
		for (who, hospital) in [
			(PATIENT, H1),
			(LAB, H2),
			(OUTSIDER, H1),
			(REGULATOR, H1),
			(OTHER_DOCTOR, H2),
			(DOCTOR, H1),
		] {
			assert_noop!(
				MedicalRecords::create_record(
					RuntimeOrigin::signed(who),
					P,
					hospital,
					date(26, 1, 2021),
					PresentIllness,
					content(1),
					None,
					None,
				),
				Error::<Test>::NotDoctorOfHospital
			);
		}
	});
}

#[test]
fn bad_input_is_rejected_with_a_typed_error() {
	test(|| {
		let try_create = |patient, day, category, content, course_end| {
			MedicalRecords::create_record(
				RuntimeOrigin::signed(HOME_DOCTOR),
				patient,
				H1,
				day,
				category,
				content,
				course_end,
				None,
			)
		};
		assert_noop!(
			try_create(PatientId(7), date(26, 1, 2021), PresentIllness, content(1), None),
			Error::<Test>::UnknownPatient
		);
		assert_noop!(
			try_create(P, date(27, 1, 2021), PresentIllness, content(1), None),
			Error::<Test>::VisitInFuture
		);
		let empty = EncryptedContent { cid: free_text("John Smith, born 1970"), ..content(1) };
		assert_noop!(
			try_create(P, date(26, 1, 2021), PresentIllness, empty, None),
			Error::<Test>::InvalidCid
		);
		assert_noop!(
			try_create(P, date(26, 1, 2021), PresentIllness, content(1), Some(date(1, 2, 2021))),
			Error::<Test>::InvalidCourseEnd
		);
		assert_noop!(
			try_create(P, date(26, 1, 2021), Prescription, content(1), Some(date(25, 1, 2021))),
			Error::<Test>::InvalidCourseEnd
		);
		assert_ok!(try_create(P, date(26, 1, 2021), Prescription, content(1), Some(date(26, 1, 2021))));
	});
}

#[test]
fn a_day_holds_at_most_a_thousand_records() {
	test(|| {
		let day = date(26, 1, 2021);
		NextSequence::<Test>::insert(P, day, PmrId::MAX_SEQUENCE + 1);
		assert_noop!(
			MedicalRecords::create_record(
				RuntimeOrigin::signed(HOME_DOCTOR),
				P,
				H1,
				day,
				PresentIllness,
				content(1),
				None,
				None,
			),
			Error::<Test>::TooManyRecordsThatDay
		);
	});
}

#[test]
fn the_nft_cannot_be_moved_by_its_owner() {
	test(|| {
		let item = create(PresentIllness, date(26, 1, 2021));
		let collection = RecordsCollection::<Test>::get().expect("collection");
		assert_noop!(
			Nfts::transfer(RuntimeOrigin::signed(PATIENT), collection, item, OUTSIDER),
			pallet_nfts::Error::<Test>::ItemsNonTransferable
		);
		// The collection owner is a keyless account, and the runtime filters every `Nfts`
		// call from signed transactions (see the runtime's tests).
		assert_eq!(nft_owner(item), Some(PATIENT));
	});
}

#[test]
fn a_creation_on_standing_access_is_refunded_the_access_checks_worst_case() {
	use frame_support::dispatch::GetDispatchInfo;
	use sp_runtime::traits::Dispatchable;
	test(|| {
		let create = |hospital, category| {
			RuntimeCall::MedicalRecords(crate::Call::create_record {
				patient: P,
				hospital,
				visit_date: date(26, 1, 2021),
				category,
				content: fresh_content(1),
				course_end: None,
				prepared_for: None,
			})
		};
		let own = <() as crate::WeightInfo>::create_record();
		let check = <StubAccess as pmr_primitives::AccessPolicy<AccountId>>::can_access_weight();
		assert!(check.ref_time() > 0);

		// The registering hospital's doctor: charged the worst case, refunded the check.
		let call = create(H1, PresentIllness);
		assert_eq!(call.get_dispatch_info().call_weight, own + check);
		let post = call.dispatch(RuntimeOrigin::signed(HOME_DOCTOR)).expect("created");
		assert_eq!(post.actual_weight, Some(own));

		// A doctor on a grant pays the check.
		consent(&DOCTOR, P, Some(LabDiagnostics));
		let post = create(H2, LabDiagnostics).dispatch(RuntimeOrigin::signed(DOCTOR)).expect("created");
		assert_eq!(post.actual_weight, Some(own + check));

		// A refused creation pays the worst case.
		let refused = create(H2, Prescription).dispatch(RuntimeOrigin::signed(DOCTOR));
		assert_eq!(refused.map_err(|e| (e.error, e.post_info.actual_weight)), Err((Error::<Test>::NoConsent.into(), None)));
	});
}
