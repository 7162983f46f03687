//! Creating a record and minting its soulbound NFT to the patient.

use crate::*;
use frame_support::{pallet_prelude::*, traits::tokens::nonfungibles_v2::Mutate};
use pmr_primitives::{
	AccessGround, AccessPolicy, AccessTarget, HospitalId, PatientId, PmrId, PmrIdError, Purpose,
	RecordCategory, RegistryInspect, VisitDate,
};

impl<T: Config> Pallet<T> {
	/// Creates the record; returns the ground its access check granted access on.
	pub(crate) fn do_create_record(
		who: T::AccountId,
		patient: PatientId,
		hospital: HospitalId,
		visit_date: VisitDate,
		category: RecordCategory,
		content: EncryptedContent,
		course_end: Option<VisitDate>,
	) -> Result<AccessGround, DispatchError> {
		let doctor =
			T::Registry::active_doctor_of(&who, hospital).ok_or(Error::<T>::NotDoctorOfHospital)?;
		let owner = T::Registry::patient_account(patient).ok_or(Error::<T>::UnknownPatient)?;
		Self::ensure_valid_content(&content)?;
		if let Some(today) = Self::today() {
			ensure!(visit_date <= today, Error::<T>::VisitInFuture);
		}
		if let Some(end) = course_end {
			ensure!(
				category == RecordCategory::Prescription && end >= visit_date,
				Error::<T>::InvalidCourseEnd
			);
		}
		let ground = T::Access::can_access(
			&who,
			patient,
			AccessTarget::Category(category),
			Purpose::Treatment,
		)
		.map_err(|_| Error::<T>::NoConsent)?;

		let sequence = NextSequence::<T>::get(patient, visit_date);
		let pmr_id = PmrId::new(patient, visit_date, sequence).map_err(|e| match e {
			PmrIdError::SequenceTooLarge => Error::<T>::TooManyRecordsThatDay,
			_ => Error::<T>::InvalidPmrId,
		})?;
		let item = pmr_id.item_id();
		ensure!(!Records::<T>::contains_key(item), Error::<T>::InvalidPmrId);
		Self::claim_content(item, 0, &content)?;
		NextSequence::<T>::insert(patient, visit_date, sequence.saturating_add(1));

		let collection = Self::collection()?;
		T::Nfts::mint_into(&collection, &item, &owner, &T::SoulboundItemConfig::get(), true)?;

		let now = Self::now();
		Records::<T>::insert(
			item,
			RecordInfo {
				patient,
				category,
				hospital,
				doctor,
				visit_date,
				sequence,
				course_end,
				versions: 1,
				created_at: now,
				erased: None,
			},
		);
		let ciphertext_hash = content.ciphertext_hash;
		Versions::<T>::insert(
			item,
			0,
			VersionInfo {
				cid: Some(content.cid),
				plaintext_hash: content.plaintext_hash,
				ciphertext_hash,
				manifest: content.manifest,
				author: doctor,
				author_account: who.clone(),
				amends: None,
				reason: None,
				at: now,
			},
		);
		PatientRecords::<T>::insert(patient, item, ());
		Self::deposit_event(Event::RecordCreated {
			pmr_id,
			item,
			category,
			by: who,
			ciphertext_hash,
		});
		Ok(ground)
	}
}
