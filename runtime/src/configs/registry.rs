//! The regulator body and the registry.
//!
//! Regulators are the members of `RegulatorBody` (a `pallet-membership` instance managed by
//! root, i.e. by governance); a regulator acts with a signed transaction, and root can act as
//! a regulator too. The same members form the regulator council (`Council`, a
//! `pallet-collective` instance the membership keeps in step), which decides by motion what
//! one regulator must not decide alone ([`CouncilOrigin`]: two thirds of the council):
//! appointing or removing a patient's guardian without the patient, and ordering the erasure
//! of a patient's record, lab report or IoMT batch. The registry's permissioned-transaction
//! extension lets operators
//! ([`ChainOperators`]), regulators, registered participants, patients' guardians and active
//! IoMT devices transact; newcomers may only apply for a hospital's registration.

use crate::{
	configs::{consensus::is_validator_account, RuntimeBlockWeights},
	AccountId, Balance, Balances, BlockNumber, Council, RegulatorBody, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, DAYS, UNIT,
};
use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU32, Contains, ContainsPair, EitherOfDiverse},
	weights::Weight,
};
use sp_runtime::Perbill;
use frame_system::{EnsureRoot, EnsureSignedBy};
use pallet_registry::ParticipantRole;

/// The regulator body's membership.
pub type RegulatorMembershipInstance = pallet_membership::Instance1;

impl pallet_membership::Config<RegulatorMembershipInstance> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = EnsureRoot<AccountId>;
	type RemoveOrigin = EnsureRoot<AccountId>;
	type SwapOrigin = EnsureRoot<AccountId>;
	type ResetOrigin = EnsureRoot<AccountId>;
	type PrimeOrigin = EnsureRoot<AccountId>;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = ConstU32<32>;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

/// The regulator council's collective.
pub type RegulatorCouncilInstance = pallet_collective::Instance1;

parameter_types! {
	/// A council motion stays open for a week.
	pub const CouncilMotionDuration: BlockNumber = 7 * DAYS;
	/// A proposed account recovery waits a week before the council may confirm it: time for
	/// the holder and the patient's guardians to see the announcement and object.
	pub const RecoveryDelay: BlockNumber = 7 * DAYS;
	/// A motion's call may use at most half a block.
	pub MaxCouncilProposalWeight: Weight = Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

/// The regulator council: the regulator body's members (kept in step by `RegulatorBody`; its
/// own `set_members` is root's only), voting on motions. Nobody else can propose or vote, and
/// a motion costs no deposit (every member is a vetted regulator).
impl pallet_collective::Config<RegulatorCouncilInstance> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = ConstU32<32>;
	type MaxMembers = ConstU32<32>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCouncilProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	type Consideration = ();
}

/// The regulators acting as a body: a motion passed by two thirds of the regulator council
/// (or root). What no single regulator may do alone: appoint or remove a patient's guardian
/// without the patient, order an erasure of a patient's record, lab report or IoMT batch, and
/// confirm the recovery of a lost account.
pub type CouncilOrigin = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, RegulatorCouncilInstance, 2, 3>,
>;

/// A regulator: a member of the regulator body with a signed transaction, or root. Every
/// pallet's `RegulatorOrigin` is this one.
pub type RegulatorOrigin =
	EitherOfDiverse<EnsureRoot<AccountId>, EnsureSignedBy<RegulatorBody, AccountId>>;

/// Accounts that operate the chain and may always transact: the governance key (sudo) and
/// the validators.
pub struct ChainOperators;
impl Contains<AccountId> for ChainOperators {
	fn contains(who: &AccountId) -> bool {
		pallet_sudo::Key::<Runtime>::get().as_ref() == Some(who) || is_validator_account(who)
	}
}

/// The calls an account outside the consortium may submit: a hospital's application.
pub struct NewcomerCalls;
impl Contains<RuntimeCall> for NewcomerCalls {
	fn contains(call: &RuntimeCall) -> bool {
		matches!(call, RuntimeCall::Registry(pallet_registry::Call::apply_for_registration { .. }))
	}
}

/// Accounts admitted for the calls of their role only: a patient's guardian may use the consent
/// pallet (grant, revoke, answer requests, resign), hand the patient's essential key share over
/// and ask for the keys of the patient's own content (an export on the patient's behalf); an
/// active IoMT device may anchor its batches. Nothing else: a guardian cannot, say, transfer
/// funds on the permissioned chain.
pub struct ScopedParticipants;
impl ContainsPair<AccountId, RuntimeCall> for ScopedParticipants {
	fn contains(who: &AccountId, call: &RuntimeCall) -> bool {
		match call {
			RuntimeCall::Consent(_) |
			RuntimeCall::KeyRelease(
				pallet_key_release::Call::release_essential_share { .. } |
				pallet_key_release::Call::request_own_key { .. },
			) =>
				pallet_consent::GuardianAccounts::<Runtime>::contains(who),
			RuntimeCall::LabReports(pallet_lab_reports::Call::anchor_iomt_batch { .. }) =>
				pallet_lab_reports::DeviceAccounts::<Runtime>::contains(who),
			_ => false,
		}
	}
}

/// The calls each registered role may submit (the registry's `CheckPermissioned` asks before a
/// transaction enters the pool; every call checks the caller's role again itself):
/// - patients, doctors, active labs and hospital desks: the PMR pallets (registry, consent, key
///   release, medical records, lab reports) and nothing else: no `Balances`, no
///   `System::remark`, which would let any participant write arbitrary (personal) data to the
///   ledger or move funds the consortium gave it for fees;
/// - hospital admins: the PMR pallets, `Balances` (they fund their labs', devices' and
///   custodian nodes' fee accounts) and `Session` (a validator hospital's admin sets its
///   node's session keys);
/// - a doctor who is not active (licence unconfirmed or revoked, no verified hospital): the
///   registry only (accepting an affiliation, registering an encryption key);
/// - a hospital's custodian-node account: answering and closing key requests, and recording
///   the answers its node gave off chain, only.
pub struct RoleCalls;
impl ContainsPair<ParticipantRole, RuntimeCall> for RoleCalls {
	fn contains(role: &ParticipantRole, call: &RuntimeCall) -> bool {
		use pallet_key_release::Call as Key;
		let pmr = matches!(
			call,
			RuntimeCall::Registry(_) |
				RuntimeCall::Consent(_) |
				RuntimeCall::KeyRelease(_) |
				RuntimeCall::MedicalRecords(_) |
				RuntimeCall::LabReports(_)
		);
		match role {
			ParticipantRole::Patient |
			ParticipantRole::Doctor |
			ParticipantRole::Lab |
			ParticipantRole::HospitalDesk => pmr,
			ParticipantRole::HospitalAdmin =>
				pmr || matches!(call, RuntimeCall::Balances(_) | RuntimeCall::Session(_)),
			ParticipantRole::InactiveDoctor => matches!(call, RuntimeCall::Registry(_)),
			ParticipantRole::KeyCustodian => matches!(
				call,
				RuntimeCall::KeyRelease(
					Key::release_share { .. } |
						Key::refuse_share { .. } |
						Key::close_key_request { .. } |
						Key::record_share_answers { .. }
				)
			),
		}
	}
}

parameter_types! {
	/// Held from a hospital's applicant until a regulator verifies or revokes it.
	pub const ApplicationDeposit: Balance = 10 * UNIT;
}

/// Key custodians: at most 16 hospitals hold custodian shares of each data key (so a key
/// request collects at most 16 answers).
pub type MaxCustodians = ConstU32<16>;

impl pallet_registry::Config for Runtime {
	type RegulatorOrigin = RegulatorOrigin;
	type Regulators = RegulatorBody;
	type OnPatientAccountChanged = crate::MedicalRecords;
	type RecoveryOrigin = CouncilOrigin;
	type RecoveryHooks = crate::Consent;
	type RecoveryDelay = RecoveryDelay;
	type Operators = ChainOperators;
	type OtherParticipants = ScopedParticipants;
	type NewcomerCalls = NewcomerCalls;
	type RoleCalls = RoleCalls;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ApplicationDeposit = ApplicationDeposit;
	type LicenceConfirmationRequired = ConstBool<true>;
	type MaxTextLen = ConstU32<128>;
	type MaxSpecializations = ConstU32<16>;
	type MaxMembersPerHospital = ConstU32<64>;
	type MaxStaffPerHospital = ConstU32<1024>;
	type MaxHospitalsPerDoctor = ConstU32<8>;
	type MaxCustodians = MaxCustodians;
	type WeightInfo = pallet_registry::weights::SubstrateWeight<Runtime>;
}
