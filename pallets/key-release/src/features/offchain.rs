//! Off-chain share requests: a requester signs a [`ShareRequest`] and sends it straight to
//! each custodian node; the node decides it with [`Pallet::check_share_request`] at its
//! finalized block, answers at once, and records its answer with
//! [`Pallet::record_share_answers`], so the patient's audit trail holds every release and
//! refusal.

use crate::*;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use pmr_primitives::{
	AccessDenied, AccessGround, AccessPolicy, Accessor, KeyAuditEvent, KeyCustody, PatientAudit,
	RegistryInspect, SealedContentInspect, ShareAnswer, ShareDecision, ShareRefusal, ShareRelease,
	ShareRequest, ShareRequestInvalid,
};
use sp_runtime::traits::{Saturating, Zero};

/// A share request as this runtime's accounts and blocks sign it.
pub type ShareRequestOf<T> =
	ShareRequest<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

impl<T: Config> Pallet<T> {
	/// Whether `request` is for this chain, signed by its requester, and answerable at block
	/// `at_block` as far as its age goes (from its own block for `RequestLifetime` blocks).
	pub(crate) fn check_signed(
		request: &ShareRequestOf<T>,
		signature: &T::RequestSignature,
		at_block: BlockNumberFor<T>,
	) -> Result<(), ShareRequestInvalid> {
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		if genesis.as_ref() != &request.genesis[..] {
			return Err(ShareRequestInvalid::WrongChain);
		}
		if request.at > at_block {
			return Err(ShareRequestInvalid::NotYetValid);
		}
		if at_block > request.at.saturating_add(T::RequestLifetime::get()) {
			return Err(ShareRequestInvalid::Stale);
		}
		if !request.is_signed_by(signature) {
			return Err(ShareRequestInvalid::BadSignature);
		}
		Ok(())
	}

	/// The last block at which something allowed on `ground` and asked for at `asked_at` may
	/// be answered: the earlier of the request lifetime's end and the ground's last block.
	pub(crate) fn answerable_until(
		asked_at: BlockNumberFor<T>,
		ground: AccessGround,
	) -> BlockNumberFor<T> {
		let lifetime_end = asked_at.saturating_add(T::RequestLifetime::get());
		match T::Audit::ground_expires_at(ground) {
			// `expires_at` is the first block in which the ground no longer applies.
			Some(expires_at) => lifetime_end.min(expires_at.saturating_sub(1u32.into())),
			None => lifetime_end,
		}
	}

	/// The decision on a signed share request at this block. See
	/// [`runtime_api::ShareRequestApi::check_share_request`].
	pub fn check_share_request(
		request: &ShareRequestOf<T>,
		signature: &T::RequestSignature,
	) -> ShareDecision<BlockNumberFor<T>> {
		match Self::decide_share_request(request, signature) {
			Ok(release) => ShareDecision::Release(release),
			Err(Ok(refusal)) => ShareDecision::Refuse(refusal),
			Err(Err(invalid)) => ShareDecision::Invalid(invalid),
		}
	}

	/// `Err(Ok(_))` is a refusal to record, `Err(Err(_))` a request not to decide at all.
	fn decide_share_request(
		request: &ShareRequestOf<T>,
		signature: &T::RequestSignature,
	) -> Result<ShareRelease<BlockNumberFor<T>>, Result<ShareRefusal, ShareRequestInvalid>> {
		let now = Self::now();
		Self::check_signed(request, signature, now).map_err(Err)?;
		let who = &request.requester;
		let sealed = T::Sealed::sealed(request.target).ok_or(Err(ShareRequestInvalid::UnknownContent))?;
		let patient = sealed.patient;
		let decision = match request.purpose {
			Some(purpose) => {
				Accessor::of::<T::AccountId, T::Registry>(who)
					.ok_or(Err(ShareRequestInvalid::NotDoctorOrLab))?;
				if T::Custody::staff_encryption_key(who) != Some(request.reader_key) {
					return Err(Err(ShareRequestInvalid::WrongReaderKey));
				}
				T::Access::can_access(who, patient, sealed.access, purpose)
			},
			None => {
				if !T::Audit::is_patient_side(who, patient) {
					return Err(Err(ShareRequestInvalid::NotPatientOrGuardian));
				}
				if T::Registry::patient_encryption_key(patient) != Some(request.reader_key) {
					return Err(Err(ShareRequestInvalid::WrongReaderKey));
				}
				if sealed.content.is_some() {
					Ok(AccessGround::PatientSide)
				} else {
					Err(AccessDenied::NoSuchRecord)
				}
			},
		};
		let ground = decision.map_err(|reason| Ok(ShareRefusal::Denied(reason)))?;
		let content = sealed.content.ok_or(Ok(ShareRefusal::Denied(AccessDenied::NoSuchRecord)))?;
		if content.manifest.is_none() {
			return Err(Err(ShareRequestInvalid::NotSealed));
		}
		let valid_until = Self::answerable_until(request.at, ground);
		if now > valid_until {
			return Err(Ok(ShareRefusal::RequestExpired));
		}
		Ok(ShareRelease { patient, content, ground, valid_until })
	}

	pub(crate) fn do_record_share_answers(
		who: T::AccountId,
		answers: BoundedVec<AnswerOf<T>, T::MaxAnswerBatch>,
	) -> DispatchResult {
		let custodian = T::Custody::custodian_of(&who).ok_or(Error::<T>::NotCustodian)?;
		let now = Self::now();
		ensure!(answers.iter().all(|a| a.decided_at <= now), Error::<T>::DecidedInTheFuture);
		for answered in answers {
			let request = &answered.request;
			let digest = request.digest();
			let not_recorded = |invalid| {
				Self::deposit_event(Event::ShareAnswerNotRecorded { custodian, request: digest, invalid })
			};
			if let Err(invalid) = Self::check_signed(request, &answered.signature, answered.decided_at) {
				not_recorded(Some(invalid));
				continue;
			}
			let Some(sealed) = T::Sealed::sealed(request.target) else {
				not_recorded(Some(ShareRequestInvalid::UnknownContent));
				continue;
			};
			let patient = sealed.patient;
			// A refusal of a doctor or lab counts against the same rate limit as any refused
			// access, and a release as one of its accesses (the first and latest per day stay
			// in the ring), so no one can flush the patient's trail by asking again and again.
			let accessor = Accessor::of::<T::AccountId, T::Registry>(&request.requester);
			if let (ShareAnswer::Refused(_), Some(accessor)) = (answered.answer, accessor) {
				if !T::Audit::note_refusal(patient, accessor) {
					not_recorded(None);
					continue;
				}
			}
			let event = KeyAuditEvent::ShareAnswered {
				custodian,
				target: request.target,
				purpose: request.purpose,
				request: digest,
				answer: answered.answer,
			};
			let audit_index = match (answered.answer, accessor) {
				(ShareAnswer::Released, Some(accessor)) =>
					T::Audit::log_key_access(patient, accessor, &request.requester, event),
				_ => T::Audit::log_key_event(patient, &request.requester, event),
			};
			Self::deposit_event(Event::ShareAnswerRecorded {
				patient,
				custodian,
				requester: request.requester.clone(),
				target: request.target,
				request: digest,
				answer: answered.answer,
				audit_index,
			});
		}
		Ok(())
	}
}
