//! `book_appointment`, `complete_appointment`, `cancel_appointment`.

use super::*;
use frame_support::{assert_noop, assert_ok};
use pmr_primitives::{AccessTarget, AppointmentId, PatientId, RecordCategory::*, RequestId};

/// 27 Jan 2021, 09:00 UTC.
const TOMORROW_9AM: u64 = 1_611_738_000_000;

fn book(by: &AccountId, doctor: &AccountId, hospital: pmr_primitives::HospitalId) -> AppointmentId {
	let id = NextAppointmentId::<Test>::get();
	assert_ok!(MedicalRecords::book_appointment(
		RuntimeOrigin::signed(by.clone()),
		P,
		hospital,
		doctor.clone(),
		TOMORROW_9AM,
		Some(cid("bafy-notes")),
		None
	));
	id
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
				at: TOMORROW_9AM,
				consent_request: None
			}
		);
		let mine = MedicalRecords::patient_appointments(P);
		let theirs = MedicalRecords::doctor_appointments(doctor_id(&HOME_DOCTOR));
		assert_eq!(mine, theirs);
		assert_eq!(mine[0].1.status, AppointmentStatus::Scheduled);
		assert_eq!(mine[0].1.booked_by, DESK);
		assert!(MedicalRecords::patient_appointments(P2).is_empty());
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
			TOMORROW_9AM,
			None,
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
				TOMORROW_9AM + 1,
				None,
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
					TOMORROW_9AM,
					None,
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
				TOMORROW_9AM,
				None,
				None
			),
			Error::<Test>::DoctorNotAtHospital
		);
	});
}

#[test]
fn bad_bookings_are_rejected() {
	test(|| {
		let try_book = |patient, at, notes| {
			MedicalRecords::book_appointment(
				RuntimeOrigin::signed(DESK),
				patient,
				H1,
				HOME_DOCTOR,
				at,
				notes,
				None,
			)
		};
		assert_noop!(try_book(PatientId(7), TOMORROW_9AM, None), Error::<Test>::UnknownPatient);
		assert_noop!(try_book(P, JAN_26_2021_NOON, None), Error::<Test>::AppointmentInPast);
		assert_noop!(try_book(P, TOMORROW_9AM, Some(cid(""))), Error::<Test>::EmptyCid);
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
