//! The registry's calls, one file per feature (as in `pallet-nfts`).

mod accounts;
mod custodians;
mod hospital;
mod patient;
mod regulator;
mod staff;
