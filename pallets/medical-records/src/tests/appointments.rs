//! `book_appointment`, `complete_appointment`, `cancel_appointment`.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::{
	AccessTarget, AppointmentId, NoteHash, Page, PatientId, RecordCategory::*, RequestId,
};

/// The hash of an appointment's details (time, place, reason), sealed off chain.
const DETAILS: NoteHash = [9; 32];

fn book(by: &AccountId, doctor: &AccountId, hospital: pmr_primitives::HospitalId) -> AppointmentId {
	let id = NextAppointmentId::<Test>::get();
	assert_ok!(MedicalRecords::book_appointment(
		RuntimeOrigin::signed(by.clone()),
		P,
		hospital,
		doctor.clone(),
		DETAILS,
		None
	));
	id
}

fn patient_appointments(patient: PatientId) -> Vec<(AppointmentId, Appointment<Test>)> {
	MedicalRecords::patient_appointments(patient, None, 100).items
}

#[test]
fn a_desk_books_and_both_sides_see_it() {
	test(|| {
		let a = book(&DESK, &HOME_DOCTOR, H1);
		assert_eq!(
			last_event(),
			Event::AppointmentBooked {
				appointment: a,
				patient: P,
				doctor: doctor_id(&HOME_DOCTOR),
				details: DETAILS,
				consent_request: None
			}
		);
		let mine = patient_appointments(P);
		let theirs = MedicalRecords::doctor_appointments(doctor_id(&HOME_DOCTOR), None, 100).items;
		assert_eq!(mine, theirs);
		assert_eq!(mine[0].1.status, AppointmentStatus::Scheduled);
		assert_eq!(mine[0].1.booked_by, DESK);
		assert!(patient_appointments(P2).is_empty());
	});
}

#[test]
fn a_doctor_books_with_a_time_limited_consent_request() {
	test(|| {
		assert_ok!(MedicalRecords::book_appointment(
			RuntimeOrigin::signed(DOCTOR),
			P,
			H2,
			DOCTOR,
			DETAILS,
			Some((AccessTarget::Category(LabDiagnostics), 100))
		));
		assert!(matches!(
			last_event(),
			Event::AppointmentBooked { consent_request: Some(RequestId(0)), .. }
		));
		assert_eq!(
			filed_requests(),
			vec![(DOCTOR, P, AccessTarget::Category(LabDiagnostics), 100)]
		);
		// Cancelling the appointment withdraws its pending consent request.
		assert_ok!(MedicalRecords::cancel_appointment(RuntimeOrigin::signed(PATIENT), AppointmentId(0)));
		assert_eq!(withdrawn_requests(), vec![RequestId(0)]);
		// The consent pallet's refusal (here: the stub still holds the first request) fails
		// the booking.
		assert_noop!(
			MedicalRecords::book_appointment(
				RuntimeOrigin::signed(DOCTOR),
				P,
				H2,
				DOCTOR,
				[8; 32],
				Some((AccessTarget::AllRecords, 100))
			),
			CONSENT_DUPLICATE_REQUEST
		);
	});
}

#[test]
fn only_the_doctor_or_the_hospitals_desk_books() {
	test(|| {
		for who in [OTHER_DESK, PATIENT, OTHER_DOCTOR, LAB, OUTSIDER] {
			assert_noop!(
				MedicalRecords::book_appointment(
					RuntimeOrigin::signed(who),
					P,
					H1,
					HOME_DOCTOR,
					DETAILS,
					None
				),
				Error::<Test>::NotDoctorOrDesk
			);
		}
		// The doctor must work at the hospital.
		assert_noop!(
			MedicalRecords::book_appointment(
				RuntimeOrigin::signed(DESK),
				P,
				H1,
				DOCTOR,
				DETAILS,
				None
			),
			Error::<Test>::DoctorNotAtHospital
		);
	});
}

#[test]
fn an_unknown_patient_cannot_be_booked() {
	test(|| {
		assert_noop!(
			MedicalRecords::book_appointment(
				RuntimeOrigin::signed(DESK),
				PatientId(7),
				H1,
				HOME_DOCTOR,
				DETAILS,
				None,
			),
			Error::<Test>::UnknownPatient
		);
	});
}

#[test]
fn the_chain_holds_no_appointment_time_only_the_hash_of_its_sealed_details() {
	test(|| {
		let a = book(&DESK, &HOME_DOCTOR, H1);
		// Everything a chain reader learns, destructured exhaustively so that a new field
		// (a time, free text) fails this test until the privacy review in docs/ covers it.
		let Appointment {
			patient,
			doctor,
			doctor_account,
			hospital,
			details,
			booked_by,
			status,
			consent_request,
		} = Appointments::<Test>::get(a).expect("booked");
		assert_eq!((patient, doctor, hospital), (P, doctor_id(&HOME_DOCTOR), H1));
		assert_eq!((doctor_account, booked_by), (HOME_DOCTOR, DESK));
		assert_eq!((details, status, consent_request), (DETAILS, AppointmentStatus::Scheduled, None));
	});
}

#[test]
fn appointments_are_paged() {
	test(|| {
		let booked: Vec<_> = (0..5).map(|_| book(&DESK, &HOME_DOCTOR, H1)).collect();
		let mut seen = Vec::new();
		let mut after = None;
		loop {
			let Page { items, next } = MedicalRecords::patient_appointments(P, after, 2);
			assert!(items.len() <= 2);
			seen.extend(items.into_iter().map(|(id, _)| id));
			match next {
				Some(cursor) => after = Some(cursor),
				None => break,
			}
		}
		seen.sort();
		assert_eq!(seen, booked);
		let doctor = MedicalRecords::doctor_appointments(doctor_id(&HOME_DOCTOR), None, u32::MAX);
		assert_eq!((doctor.items.len(), doctor.next), (5, None));
	});
}

#[test]
fn either_side_closes_once() {
	test(|| {
		let a = book(&DESK, &HOME_DOCTOR, H1);
		for who in [OTHER_PATIENT, DOCTOR, OTHER_DESK, OUTSIDER] {
			assert_noop!(
				MedicalRecords::cancel_appointment(RuntimeOrigin::signed(who), a),
				Error::<Test>::NotAppointmentParty
			);
		}
		assert_ok!(MedicalRecords::cancel_appointment(RuntimeOrigin::signed(PATIENT), a));
		assert_eq!(last_event(), Event::AppointmentCancelled { appointment: a, by: PATIENT });
		assert_noop!(
			MedicalRecords::complete_appointment(RuntimeOrigin::signed(HOME_DOCTOR), a),
			Error::<Test>::AppointmentClosed
		);
		let b = book(&HOME_DOCTOR, &HOME_DOCTOR, H1);
		assert_ok!(MedicalRecords::complete_appointment(RuntimeOrigin::signed(HOME_DOCTOR), b));
		assert_eq!(last_event(), Event::AppointmentCompleted { appointment: b, by: HOME_DOCTOR });
		let c = book(&HOME_DOCTOR, &HOME_DOCTOR, H1);
		assert_ok!(MedicalRecords::complete_appointment(RuntimeOrigin::signed(DESK), c));
		assert_noop!(
			MedicalRecords::cancel_appointment(RuntimeOrigin::signed(DESK), AppointmentId(9)),
			Error::<Test>::UnknownAppointment
		);
	});
}
