//! BOOTSTRAP ONLY: replaced by `scripts/benchmark-weights.sh` output before commit.
use frame_support::weights::Weight;
pub trait WeightInfo {
	fn apply_for_registration() -> Weight;
	fn update_hospital_details() -> Weight;
	fn add_member() -> Weight;
	fn remove_member() -> Weight;
	fn verify_hospital() -> Weight;
	fn suspend_hospital() -> Weight;
	fn reinstate_hospital() -> Weight;
	fn revoke_hospital() -> Weight;
	fn onboard_new_doctor() -> Weight;
	fn onboard_existing_doctor() -> Weight;
	fn offboard_doctor() -> Weight;
	fn confirm_doctor_licence() -> Weight;
	fn revoke_doctor_licence() -> Weight;
	fn onboard_lab() -> Weight;
	fn offboard_lab() -> Weight;
	fn register_patient() -> Weight;
	fn update_patient() -> Weight;
	fn check_permissioned() -> Weight;
}
impl WeightInfo for () {
	fn apply_for_registration() -> Weight { Weight::zero() }
	fn update_hospital_details() -> Weight { Weight::zero() }
	fn add_member() -> Weight { Weight::zero() }
	fn remove_member() -> Weight { Weight::zero() }
	fn verify_hospital() -> Weight { Weight::zero() }
	fn suspend_hospital() -> Weight { Weight::zero() }
	fn reinstate_hospital() -> Weight { Weight::zero() }
	fn revoke_hospital() -> Weight { Weight::zero() }
	fn onboard_new_doctor() -> Weight { Weight::zero() }
	fn onboard_existing_doctor() -> Weight { Weight::zero() }
	fn offboard_doctor() -> Weight { Weight::zero() }
	fn confirm_doctor_licence() -> Weight { Weight::zero() }
	fn revoke_doctor_licence() -> Weight { Weight::zero() }
	fn onboard_lab() -> Weight { Weight::zero() }
	fn offboard_lab() -> Weight { Weight::zero() }
	fn register_patient() -> Weight { Weight::zero() }
	fn update_patient() -> Weight { Weight::zero() }
	fn check_permissioned() -> Weight { Weight::zero() }
}
