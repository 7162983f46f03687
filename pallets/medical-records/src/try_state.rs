//! Storage invariants, checked by `try-runtime` and after every test.

use crate::*;
use frame_support::{
	ensure,
	traits::{
		tokens::nonfungibles_v2::{Inspect, InspectEnumerable},
		Get,
	},
};
use pmr_primitives::{PmrId, RegistryInspect};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks the medical-records pallet's invariants:
	/// - the records collection exists (genesis creates it);
	/// - every NFT item of the records collection has exactly one record entry, and every
	///   record has its NFT, owned by its patient's account (or, while the patient's records
	///   are being reclaimed after an account change, by some account);
	/// - a record's item ID is its PMR-ID (patient, visit date, sequence), below the day's
	///   next sequence number;
	/// - versions `0..versions` exist and no others; version 0 amends nothing and version `k`
	///   amends `k - 1` (so a version chain is a line: no cycles, no forks);
	/// - an erased record keeps no CID (content or manifest) in any version; a live one has a
	///   non-empty content CID in each, and a non-empty CID in each manifest it has;
	/// - every CID of a live version is in [`ContentAnchors`], anchored by that version (so no
	///   CID is anchored twice);
	/// - the patient index and correction requests point at existing records;
	/// - every appointment is below its counter and in both indexes, and the reverse.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let collection = RecordsCollection::<T>::get().ok_or("no records collection")?;
		let mut records = 0usize;
		for (item, record) in Records::<T>::iter() {
			records += 1;
			ensure!(
				T::Nfts::owner(&collection, &item) == T::Registry::patient_account(record.patient) ||
					(Reclaims::<T>::contains_key(record.patient) &&
						T::Nfts::owner(&collection, &item).is_some()),
				"the record's NFT is not owned by its patient (and none is being reclaimed)"
			);
			let pmr = PmrId::new(record.patient, record.visit_date, record.sequence)
				.map_err(|_| "record with an invalid PMR-ID")?;
			ensure!(pmr.item_id() == item, "item ID is not the record's PMR-ID");
			ensure!(
				record.sequence < NextSequence::<T>::get(record.patient, record.visit_date),
				"sequence number not below the day's counter"
			);
			ensure!(
				PatientRecords::<T>::contains_key(record.patient, item),
				"record missing from the patient index"
			);
			ensure!(
				record.versions >= 1 && record.versions <= T::MaxVersions::get(),
				"version count out of range"
			);
			for v in 0..record.versions {
				let version = Versions::<T>::get(item, v).ok_or("missing version")?;
				ensure!(version.amends == v.checked_sub(1), "version does not amend its predecessor");
				if record.erased.is_some() {
					ensure!(
						version.cid.is_none() && version.manifest.is_none(),
						"erased record keeps a CID"
					);
				} else {
					ensure!(
						version.cid.as_ref().is_some_and(|cid| pmr_primitives::cid::is_valid(cid)),
						"live version without a valid content CID"
					);
					ensure!(
						version.manifest.as_ref().is_none_or(|m| pmr_primitives::cid::is_valid(&m.cid)),
						"live version with an invalid manifest CID"
					);
					let own = Some(pmr_primitives::SealedTarget::RecordVersion { item, version: v });
					for cid in version.cid.iter().chain(version.manifest.as_ref().map(|m| &m.cid)) {
						ensure!(
							<Self as pmr_primitives::ContentAddresses>::anchor_of(cid) == own,
							"a live version's CID is not anchored by that version"
						);
					}
				}
			}
			ensure!(
				Versions::<T>::iter_key_prefix(item).count() as u32 == record.versions,
				"versions beyond the record's count"
			);
		}
		let items = T::Nfts::items(&collection).count();
		ensure!(items == records, "NFT items and records differ in number");
		for item in T::Nfts::items(&collection) {
			ensure!(Records::<T>::contains_key(item), "NFT item without a record");
		}
		for (patient, item, ()) in PatientRecords::<T>::iter() {
			ensure!(
				Records::<T>::get(item).is_some_and(|r| r.patient == patient),
				"patient index out of sync"
			);
		}
		for item in Corrections::<T>::iter_keys() {
			ensure!(
				Records::<T>::get(item).is_some_and(|r| r.erased.is_none()),
				"correction request for a missing or erased record"
			);
		}
		let next_appointment = NextAppointmentId::<T>::get();
		for (id, appointment) in Appointments::<T>::iter() {
			ensure!(id < next_appointment, "appointment id not below NextAppointmentId");
			ensure!(
				PatientAppointments::<T>::contains_key(appointment.patient, id) &&
					DoctorAppointments::<T>::contains_key(appointment.doctor, id),
				"appointment missing from an index"
			);
		}
		for (patient, id, ()) in PatientAppointments::<T>::iter() {
			ensure!(
				Appointments::<T>::get(id).is_some_and(|a| a.patient == patient),
				"patient appointment index out of sync"
			);
		}
		for (doctor, id, ()) in DoctorAppointments::<T>::iter() {
			ensure!(
				Appointments::<T>::get(id).is_some_and(|a| a.doctor == doctor),
				"doctor appointment index out of sync"
			);
		}
		Ok(())
	}
}
