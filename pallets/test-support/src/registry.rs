//! The stub registry of the mock runtimes: a table of hospitals, staff and patients that each
//! mock fills in (usually in its `new_test_ext`), answering [`RegistryInspect`] from it.
//!
//! It follows the registry pallet's rules where a pallet under test can tell the difference:
//! a hospital's admins are also its members; a doctor or lab counts while its account is not
//! switched off ([`deactivate`], for a suspension or an offboarding); a patient's Patient-ID
//! stays when the account is replaced ([`move_patient`]). Tests run on one thread each, and
//! so does each mock's table: [`reset`] empties it.

use codec::{Decode, Encode};
use core::{cell::RefCell, marker::PhantomData};
use pmr_primitives::{
	DoctorId, EncryptionPublicKey, HospitalId, HospitalStatus, LabId, PatientId, RegistryInspect,
};
use std::collections::{BTreeMap, BTreeSet};

/// An account, SCALE-encoded, so one table serves every mock's `AccountId`.
type Account = Vec<u8>;

#[derive(Default)]
struct Table {
	hospitals: BTreeMap<HospitalId, HospitalStatus>,
	admins: BTreeSet<(Account, HospitalId)>,
	desks: BTreeSet<(Account, HospitalId)>,
	doctors: BTreeMap<Account, (DoctorId, HospitalId)>,
	labs: BTreeMap<Account, (LabId, HospitalId)>,
	patients: BTreeMap<PatientId, Patient>,
	off: BTreeSet<Account>,
}

struct Patient {
	account: Account,
	key: EncryptionPublicKey,
	hospital: HospitalId,
}

thread_local! {
	static TABLE: RefCell<Table> = RefCell::new(Table::default());
}

fn read<R>(f: impl FnOnce(&Table) -> R) -> R {
	TABLE.with(|t| f(&t.borrow()))
}

fn write(f: impl FnOnce(&mut Table)) {
	TABLE.with(|t| f(&mut t.borrow_mut()))
}

/// Empties the table: no hospitals, staff or patients.
pub fn reset() {
	write(|t| *t = Table::default());
}

/// Adds `hospital` with `status`, or changes its status.
pub fn set_hospital(hospital: HospitalId, status: HospitalStatus) {
	write(|t| {
		t.hospitals.insert(hospital, status);
	});
}

/// Makes `who` an admin (and so a member) of `hospital`.
pub fn add_admin<A: Encode>(who: &A, hospital: HospitalId) {
	write(|t| {
		t.admins.insert((who.encode(), hospital));
	});
}

/// Makes `who` a desk (a member who is not an admin) of `hospital`.
pub fn add_desk<A: Encode>(who: &A, hospital: HospitalId) {
	write(|t| {
		t.desks.insert((who.encode(), hospital));
	});
}

/// Makes `who` the doctor `id` of `hospital`.
pub fn add_doctor<A: Encode>(who: &A, id: DoctorId, hospital: HospitalId) {
	write(|t| {
		t.doctors.insert(who.encode(), (id, hospital));
	});
}

/// Makes `who` the lab `id` of `hospital`.
pub fn add_lab<A: Encode>(who: &A, id: LabId, hospital: HospitalId) {
	write(|t| {
		t.labs.insert(who.encode(), (id, hospital));
	});
}

/// Registers `who` as the patient `id` at `hospital`, with encryption key `key`.
pub fn add_patient<A: Encode>(who: &A, id: PatientId, hospital: HospitalId, key: EncryptionPublicKey) {
	write(|t| {
		t.patients.insert(id, Patient { account: who.encode(), key, hospital });
	});
}

/// Moves the patient `id` to the account `new` (a key rotation); the Patient-ID stays.
pub fn move_patient<A: Encode>(id: PatientId, new: &A) {
	write(|t| {
		if let Some(patient) = t.patients.get_mut(&id) {
			patient.account = new.encode();
		}
	});
}

/// Switches a doctor's or lab's account off (a suspension, a revoked licence, an offboarding).
pub fn deactivate<A: Encode>(who: &A) {
	write(|t| {
		t.off.insert(who.encode());
	});
}

/// Switches an account back on.
pub fn reactivate<A: Encode>(who: &A) {
	write(|t| {
		t.off.remove(&who.encode());
	});
}

/// Whether `who` is switched on (never [`deactivate`]d, or [`reactivate`]d since): for the
/// mock's other stubs that model the registry's standing of an account (a custodian's).
pub fn is_on<A: Encode>(who: &A) -> bool {
	read(|t| t.on(&who.encode()))
}

/// The registry of a mock runtime with `AccountId` accounts: `type Registry =
/// StubRegistry<AccountId>`.
pub struct StubRegistry<AccountId>(PhantomData<AccountId>);

impl Table {
	fn on(&self, who: &Account) -> bool {
		!self.off.contains(who)
	}

	fn doctor(&self, who: &Account) -> Option<(DoctorId, HospitalId)> {
		self.doctors.get(who).copied().filter(|_| self.on(who))
	}

	fn lab(&self, who: &Account) -> Option<(LabId, HospitalId)> {
		self.labs.get(who).copied().filter(|_| self.on(who))
	}
}

impl<AccountId: Encode + Decode> RegistryInspect<AccountId> for StubRegistry<AccountId> {
	fn hospital_status(hospital: HospitalId) -> Option<HospitalStatus> {
		read(|t| t.hospitals.get(&hospital).copied())
	}
	fn is_hospital_admin(who: &AccountId, hospital: HospitalId) -> bool {
		read(|t| t.admins.contains(&(who.encode(), hospital)))
	}
	fn is_hospital_member(who: &AccountId, hospital: HospitalId) -> bool {
		let key = (who.encode(), hospital);
		read(|t| t.admins.contains(&key) || t.desks.contains(&key))
	}
	fn active_doctor_of(who: &AccountId, hospital: HospitalId) -> Option<DoctorId> {
		read(|t| t.doctor(&who.encode()).filter(|(_, at)| *at == hospital).map(|(id, _)| id))
	}
	fn active_doctor(who: &AccountId) -> Option<DoctorId> {
		read(|t| t.doctor(&who.encode()).map(|(id, _)| id))
	}
	fn active_lab_of(who: &AccountId, hospital: HospitalId) -> Option<LabId> {
		read(|t| t.lab(&who.encode()).filter(|(_, at)| *at == hospital).map(|(id, _)| id))
	}
	fn active_lab(who: &AccountId) -> Option<LabId> {
		read(|t| t.lab(&who.encode()).map(|(id, _)| id))
	}
	fn doctor_is_active(doctor: DoctorId) -> bool {
		read(|t| t.doctors.iter().any(|(who, (id, _))| *id == doctor && t.on(who)))
	}
	fn lab_is_active(lab: LabId) -> bool {
		read(|t| t.labs.iter().any(|(who, (id, _))| *id == lab && t.on(who)))
	}
	fn patient_of(who: &AccountId) -> Option<PatientId> {
		let who = who.encode();
		read(|t| t.patients.iter().find(|(_, p)| p.account == who).map(|(id, _)| *id))
	}
	fn patient_account(patient: PatientId) -> Option<AccountId> {
		read(|t| {
			let account = &t.patients.get(&patient)?.account;
			AccountId::decode(&mut &account[..]).ok()
		})
	}
	fn patient_encryption_key(patient: PatientId) -> Option<EncryptionPublicKey> {
		read(|t| t.patients.get(&patient).map(|p| p.key))
	}
	fn registering_hospital(patient: PatientId) -> Option<HospitalId> {
		read(|t| t.patients.get(&patient).map(|p| p.hospital))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	type Registry = StubRegistry<u64>;

	#[test]
	fn answers_from_the_table() {
		reset();
		set_hospital(HospitalId(1), HospitalStatus::Verified);
		add_admin(&1u64, HospitalId(1));
		add_desk(&2u64, HospitalId(1));
		add_doctor(&10u64, DoctorId(10), HospitalId(1));
		add_lab(&20u64, LabId(1), HospitalId(1));
		add_patient(&30u64, PatientId(1), HospitalId(1), [7; 32]);

		assert_eq!(Registry::hospital_status(HospitalId(1)), Some(HospitalStatus::Verified));
		assert_eq!(Registry::hospital_status(HospitalId(2)), None);
		assert!(Registry::is_hospital_admin(&1, HospitalId(1)));
		assert!(!Registry::is_hospital_admin(&2, HospitalId(1)));
		assert!(Registry::is_hospital_member(&1, HospitalId(1)));
		assert!(Registry::is_hospital_member(&2, HospitalId(1)));
		assert_eq!(Registry::active_doctor_of(&10, HospitalId(1)), Some(DoctorId(10)));
		assert_eq!(Registry::active_doctor_of(&10, HospitalId(2)), None);
		assert_eq!(Registry::active_lab(&20), Some(LabId(1)));
		assert_eq!(Registry::active_lab(&10), None);
		assert_eq!(Registry::patient_of(&30), Some(PatientId(1)));
		assert_eq!(Registry::patient_account(PatientId(1)), Some(30));
		assert_eq!(Registry::patient_encryption_key(PatientId(1)), Some([7; 32]));
		assert_eq!(Registry::registering_hospital(PatientId(1)), Some(HospitalId(1)));
	}

	#[test]
	fn switched_off_staff_do_not_count_and_a_moved_patient_keeps_the_id() {
		reset();
		add_doctor(&10u64, DoctorId(10), HospitalId(1));
		add_lab(&20u64, LabId(1), HospitalId(1));
		add_patient(&30u64, PatientId(1), HospitalId(1), [7; 32]);
		deactivate(&10u64);
		deactivate(&20u64);
		assert_eq!(Registry::active_doctor(&10), None);
		assert!(!Registry::doctor_is_active(DoctorId(10)));
		assert!(!Registry::lab_is_active(LabId(1)));
		reactivate(&10u64);
		assert_eq!(Registry::active_doctor(&10), Some(DoctorId(10)));
		assert!(Registry::doctor_is_active(DoctorId(10)));

		move_patient(PatientId(1), &31u64);
		assert_eq!(Registry::patient_of(&30), None);
		assert_eq!(Registry::patient_of(&31), Some(PatientId(1)));
		assert_eq!(Registry::patient_account(PatientId(1)), Some(31));
	}
}
