//! [`CheckPermissioned`]: the transaction extension that makes PMR Chain permissioned.
//!
//! A signed transaction is valid only if its signer is
//! 1. an operator of the chain ([`Config::Operators`]: validators and governance),
//! 2. a regulator ([`Config::Regulators`]),
//! 3. an account another pallet admits, for the calls of its role ([`Config::OtherParticipants`];
//!    in the PMR runtime: a patient's guardian for consent calls, an IoMT device for anchoring
//!    its batches),
//! 4. a registered participant, for the calls of its role ([`Config::RoleCalls`],
//!    [`crate::ParticipantRole`]): a member (admin, desk or key custodian) of a hospital that
//!    is not revoked, a doctor (active or not), an active lab, or a patient — or
//! 5. anyone, for the calls in [`Config::NewcomerCalls`] (in the PMR runtime: only
//!    `Registry::apply_for_registration`, so a hospital can apply).
//!
//! Everything else is rejected in the transaction pool with
//! `InvalidTransaction::Custom(NOT_A_PARTICIPANT)`, before it can reach a block or pay a fee.
//! Unsigned transactions and inherents are not affected.
//!
//! A signed call that the runtime's base call filter (`frame_system::Config::BaseCallFilter`)
//! forbids — in the PMR runtime every direct `pallet-nfts` call, so a patient's attempt to
//! transfer a soulbound record — is rejected in the pool too (`InvalidTransaction::Call`),
//! whoever signs it: in a block it could only fail with `CallFiltered`, after paying a fee.
//!
//! Registered participants (4.) are admitted per role, for the pallets or calls the runtime
//! gives that role (in the PMR runtime: the PMR pallets for patients, doctors and labs, plus
//! `Balances` and `Session` for hospital admins, who fund device accounts and run validators;
//! the registry alone for a doctor who is not active; key answers alone for a custodian node's
//! account). Each call then checks the caller's role itself and refuses every other role with a
//! typed error.

use crate::{Config, Pallet, WeightInfo};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::marker::PhantomData;
use frame_support::{
	pallet_prelude::TransactionSource,
	traits::{Contains, ContainsPair, OriginTrait},
	DefaultNoBound,
};
use scale_info::TypeInfo;
use sp_runtime::{
	impl_tx_ext_default,
	traits::{DispatchInfoOf, TransactionExtension},
	transaction_validity::InvalidTransaction,
	Weight,
};

/// The `InvalidTransaction::Custom` code of a transaction from an account that takes no part
/// in the consortium.
pub const NOT_A_PARTICIPANT: u8 = 70;

/// Rejects signed transactions from accounts outside the consortium (see the module docs).
#[derive(Encode, Decode, DecodeWithMemTracking, DefaultNoBound, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckPermissioned<T>(PhantomData<T>);

impl<T: Config + Send + Sync> CheckPermissioned<T> {
	/// The extension (it carries no data).
	pub fn new() -> Self {
		Self(PhantomData)
	}

	/// Whether `who` may submit `call`.
	pub fn is_allowed(who: &T::AccountId, call: &<T as frame_system::Config>::RuntimeCall) -> bool {
		T::NewcomerCalls::contains(call) ||
			T::Operators::contains(who) ||
			T::Regulators::contains(who) ||
			T::OtherParticipants::contains(who, call) ||
			Pallet::<T>::may_submit(who, call)
	}
}

impl<T> core::fmt::Debug for CheckPermissioned<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckPermissioned")
	}
}

impl<T: Config + Send + Sync> TransactionExtension<<T as frame_system::Config>::RuntimeCall>
	for CheckPermissioned<T>
{
	const IDENTIFIER: &'static str = "CheckPermissioned";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, _: &<T as frame_system::Config>::RuntimeCall) -> Weight {
		T::WeightInfo::check_permissioned()
	}

	fn validate(
		&self,
		origin: <T as frame_system::Config>::RuntimeOrigin,
		call: &<T as frame_system::Config>::RuntimeCall,
		_info: &DispatchInfoOf<<T as frame_system::Config>::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Encode,
		_source: TransactionSource,
	) -> sp_runtime::traits::ValidateResult<Self::Val, <T as frame_system::Config>::RuntimeCall> {
		if let Some(who) = origin.as_signer() {
			if !<T as frame_system::Config>::BaseCallFilter::contains(call) {
				return Err(InvalidTransaction::Call.into());
			}
			if !Self::is_allowed(who, call) {
				return Err(InvalidTransaction::Custom(NOT_A_PARTICIPANT).into());
			}
		}
		Ok((Default::default(), (), origin))
	}

	impl_tx_ext_default!(<T as frame_system::Config>::RuntimeCall; prepare);
}
