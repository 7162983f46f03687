//! `order_lab_work` and `cancel_lab_order`.

use super::*;
use frame_support::{assert_noop, assert_ok};

#[test]
fn a_treating_doctor_orders_under_a_record() {
	test(|| {
		add_record(7, P);
		let o = order(HOME_DOCTOR, P, L1, Some(7));
		assert_eq!(
			last_event(),
			Event::LabWorkOrdered { order: o, patient: P, lab: L1, modality: Modality::Ct }
		);
		let info = LabOrders::<Test>::get(o).expect("stored");
		assert_eq!((info.record, info.status, info.reason_hash), (Some(7), OrderStatus::Open, [9; 32]));
		assert_eq!(Labs::open_orders(L1, None, 10).items.len(), 1);
		assert!(Labs::open_orders(L2, None, 10).items.is_empty());
	});
}

#[test]
fn a_doctor_needs_consent_and_a_matching_live_record() {
	test(|| {
		let try_order = |who, record| {
			Labs::order_lab_work(RuntimeOrigin::signed(who), P, L1, Modality::Mr, record, [0; 32])
		};
		assert_noop!(try_order(DOCTOR, None), Error::<Test>::NoConsent);
		consent(DOCTOR, P);
		assert_ok!(try_order(DOCTOR, None));
		add_record(8, P2);
		assert_noop!(try_order(DOCTOR, Some(8)), Error::<Test>::RecordMismatch);
		assert_noop!(try_order(DOCTOR, Some(404)), Error::<Test>::RecordMismatch);
	});
}

#[test]
fn wrong_roles_and_bad_targets_are_rejected() {
	test(|| {
		for who in [LAB, PATIENT, DESK, DEVICE, OUTSIDER] {
			assert_noop!(
				Labs::order_lab_work(RuntimeOrigin::signed(who), P, L1, Modality::Ct, None, [0; 32]),
				Error::<Test>::NotDoctor
			);
		}
		assert_noop!(
			Labs::order_lab_work(
				RuntimeOrigin::signed(HOME_DOCTOR),
				PatientId(9),
				L1,
				Modality::Ct,
				None,
				[0; 32]
			),
			Error::<Test>::UnknownPatient
		);
		deactivate(LAB);
		assert_noop!(
			Labs::order_lab_work(RuntimeOrigin::signed(HOME_DOCTOR), P, L1, Modality::Ct, None, [0; 32]),
			Error::<Test>::LabNotActive
		);
	});
}

#[test]
fn only_the_ordering_doctor_cancels_an_open_order() {
	test(|| {
		let o = order(HOME_DOCTOR, P, L1, None);
		for who in [DOCTOR, LAB, PATIENT, OUTSIDER] {
			assert_noop!(
				Labs::cancel_lab_order(RuntimeOrigin::signed(who), o),
				Error::<Test>::NotOrderingDoctor
			);
		}
		assert_ok!(Labs::cancel_lab_order(RuntimeOrigin::signed(HOME_DOCTOR), o));
		assert_eq!(last_event(), Event::LabOrderCancelled { order: o });
		assert!(Labs::open_orders(L1, None, 10).items.is_empty());
		assert_noop!(
			Labs::cancel_lab_order(RuntimeOrigin::signed(HOME_DOCTOR), o),
			Error::<Test>::OrderNotOpen
		);
		assert_noop!(
			Labs::cancel_lab_order(RuntimeOrigin::signed(HOME_DOCTOR), LabOrderId(9)),
			Error::<Test>::UnknownOrder
		);
	});
}

#[test]
fn an_order_on_standing_access_is_refunded_the_access_checks_worst_case() {
	use frame_support::dispatch::GetDispatchInfo;
	use sp_runtime::traits::Dispatchable;
	test(|| {
		let order = || {
			RuntimeCall::Labs(crate::Call::order_lab_work {
				patient: P,
				lab: L1,
				modality: Modality::Mr,
				record: None,
				reason_hash: [0; 32],
			})
		};
		let own = <() as crate::WeightInfo>::order_lab_work();
		let check = <StubAccess as pmr_primitives::AccessPolicy<u64>>::can_access_weight();
		assert!(check.ref_time() > 0);
		assert_eq!(order().get_dispatch_info().call_weight, own + check);

		// The registering hospital's doctor: the check is refunded.
		let post = order().dispatch(RuntimeOrigin::signed(HOME_DOCTOR)).expect("ordered");
		assert_eq!(post.actual_weight, Some(own));
		// A doctor on a grant pays it.
		consent(DOCTOR, P);
		let post = order().dispatch(RuntimeOrigin::signed(DOCTOR)).expect("ordered");
		assert_eq!(post.actual_weight, Some(own + check));
	});
}
