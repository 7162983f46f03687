//! Lab orders: a doctor who may treat the patient orders, and may cancel while open.

use crate::*;
use frame_support::pallet_prelude::*;
use pmr_primitives::{
	AccessGround, AccessPolicy, AccessTarget, ContentHash, LabId, LabOrderId, PatientId,
	PmrItemId, Purpose, RecordCategory, RecordsInspect, RegistryInspect,
};

impl<T: Config> Pallet<T> {
	/// Opens the order; returns the ground the doctor's access check granted access on.
	pub(crate) fn do_order_lab_work(
		who: T::AccountId,
		patient: PatientId,
		lab: LabId,
		modality: Modality,
		record: Option<PmrItemId>,
		reason_hash: ContentHash,
	) -> Result<AccessGround, DispatchError> {
		let doctor = T::Registry::active_doctor(&who).ok_or(Error::<T>::NotDoctor)?;
		ensure!(T::Registry::patient_account(patient).is_some(), Error::<T>::UnknownPatient);
		ensure!(T::Registry::lab_is_active(lab), Error::<T>::LabNotActive);
		if let Some(item) = record {
			ensure!(
				T::Records::live_record(item).is_some_and(|(owner, _)| owner == patient),
				Error::<T>::RecordMismatch
			);
			ensure!(
				OrdersPerRecord::<T>::get(item) < T::MaxOrdersPerRecord::get(),
				Error::<T>::TooManyOrdersForRecord
			);
		}
		let ground = T::Access::can_access(
			&who,
			patient,
			AccessTarget::Category(RecordCategory::LabDiagnostics),
			Purpose::Treatment,
		)
		.map_err(|_| Error::<T>::NoConsent)?;

		let order = NextOrderId::<T>::get();
		NextOrderId::<T>::put(order.checked_next().ok_or(Error::<T>::IdOverflow)?);
		LabOrders::<T>::insert(
			order,
			LabOrder {
				patient,
				doctor,
				doctor_account: who,
				lab,
				record,
				modality,
				reason_hash,
				ordered_at: Self::now(),
				status: OrderStatus::Open,
			},
		);
		OpenOrders::<T>::insert(lab, order, ());
		if let Some(item) = record {
			OrdersPerRecord::<T>::mutate(item, |n| *n = n.saturating_add(1));
		}
		Self::deposit_event(Event::LabWorkOrdered { order, patient, lab, modality });
		Ok(ground)
	}

	pub(crate) fn do_cancel_lab_order(who: T::AccountId, order: LabOrderId) -> DispatchResult {
		LabOrders::<T>::try_mutate(order, |maybe| {
			let info = maybe.as_mut().ok_or(Error::<T>::UnknownOrder)?;
			ensure!(info.doctor_account == who, Error::<T>::NotOrderingDoctor);
			ensure!(info.status == OrderStatus::Open, Error::<T>::OrderNotOpen);
			info.status = OrderStatus::Cancelled;
			OpenOrders::<T>::remove(info.lab, order);
			Ok::<_, Error<T>>(())
		})?;
		Self::deposit_event(Event::LabOrderCancelled { order });
		Ok(())
	}
}
