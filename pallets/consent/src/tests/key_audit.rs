//! The key-release pallet's view of consent (`PatientAudit`): its steps go into the patient's
//! audit trail, refusals share the access log's rate limit, a ground's expiry is the grant's,
//! and the patient's side is the patient and the guardians.

use super::*;
use pmr_primitives::{
	AccessGround, HospitalId, KeyAuditEvent, KeyRequestId, PatientAudit, ShareRefusal,
};

type Account = <Test as frame_system::Config>::AccountId;

#[test]
fn key_release_steps_go_into_the_patients_trail() {
	test(|| {
		let event = KeyAuditEvent::ShareRefused {
			request: KeyRequestId(3),
			custodian: HospitalId(2),
			reason: ShareRefusal::ManifestMismatch,
		};
		let index = <Consent as PatientAudit<Account, u64>>::log_key_event(P, &DOCTOR, event);
		let entry = &Consent::audit_page(P, 0, 1)[0];
		assert_eq!(entry.index, index);
		assert_eq!(entry.actor, Some(DOCTOR));
		assert_eq!(entry.event, AuditEvent::Key(event));
	});
}

#[test]
fn key_refusals_share_the_access_logs_rate_limit() {
	test(|| {
		let note = <Consent as PatientAudit<Account, u64>>::note_refusal;
		assert!(note(P, doc(DOCTOR)));
		assert!(!note(P, doc(DOCTOR)), "logged recently");
		assert!(note(P, doc(OTHER_DOCTOR)), "per accessor");
		go_to(1 + REFUSAL_INTERVAL);
		assert!(note(P, doc(DOCTOR)));
	});
}

#[test]
fn a_grounds_expiry_is_its_grants() {
	test(|| {
		let g = grant(doc(DOCTOR), all(), Purpose::SecondOpinion, 7);
		let expires = <Consent as PatientAudit<Account, u64>>::ground_expires_at;
		assert_eq!(expires(AccessGround::Grant(g)), Some(8));
		assert_eq!(expires(AccessGround::RegisteringHospital(H1)), None);
		assert_eq!(expires(AccessGround::Grant(GrantId(99))), None);
	});
}

#[test]
fn the_patient_side_is_the_patient_and_the_guardians() {
	test(|| {
		let side = <Consent as PatientAudit<Account, u64>>::is_patient_side;
		assert!(side(&PATIENT, P));
		assert!(!side(&GUARDIAN, P));
		assert_ok!(Consent::appoint_guardian(RuntimeOrigin::signed(PATIENT), P, GUARDIAN, None));
		assert!(side(&GUARDIAN, P));
		assert!(!side(&PATIENT, P2) && !side(&DOCTOR, P) && !side(&OUTSIDER, P));
	});
}

#[test]
fn a_flood_of_key_requests_cannot_push_the_patients_history_out_and_every_step_is_archived() {
	test(|| {
		// The patient's history: a grant to another doctor.
		grant(doc(OTHER_DOCTOR), all(), Purpose::SecondOpinion, 50);
		let history = Consent::audit_page(P, 0, 1)[0].clone();
		// A doctor with a grant asks for keys again and again, and the custodians answer each
		// request (the answers are that doctor's accesses too).
		let log = <Consent as PatientAudit<Account, u64>>::log_key_access;
		let mut steps = Vec::new();
		for i in 0..(3 * AUDIT_RING as u64) {
			let request = KeyRequestId(i);
			let asked = KeyAuditEvent::KeyRequested {
				request,
				requester: pmr_primitives::KeyRequester::Staff { accessor: doc(DOCTOR), purpose: Purpose::Treatment },
				target: pmr_primitives::SealedTarget::RecordVersion { item: 7, version: 0 },
				ground: AccessGround::Grant(GrantId(9)),
			};
			let released = KeyAuditEvent::ShareReleased { request, custodian: HospitalId(1) };
			log(P, doc(DOCTOR), &DOCTOR, asked);
			log(P, doc(DOCTOR), &HOME_DOCTOR, released);
			steps.extend([asked, released]);
		}
		// The ring holds the history and two of the doctor's entries for the day.
		let ring = Consent::audit_page(P, 0, AUDIT_RING);
		assert_eq!(AuditLength::<Test>::get(P), 3, "history, the day's first access, its latest");
		assert!(ring.contains(&history), "the patient's history stays");
		assert_eq!(ring[0].event, AuditEvent::Key(*steps.last().unwrap()), "the latest access");
		// Every step was emitted whole, for the nodes' archive.
		let archived: Vec<KeyAuditEvent> = System::events()
			.into_iter()
			.filter_map(|r| match r.event {
				RuntimeEvent::Consent(Event::Audited { entry: AuditEntry { event: AuditEvent::Key(k), .. }, .. }) => Some(k),
				_ => None,
			})
			.collect();
		assert_eq!(archived, steps);
		// On another day the doctor's first access gets an entry of its own again.
		go_to(1 + AUDIT_DAY);
		log(P, doc(DOCTOR), &DOCTOR, steps[0]);
		assert_eq!(AuditLength::<Test>::get(P), 4);
	});
}
