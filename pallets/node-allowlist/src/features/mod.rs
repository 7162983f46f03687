//! The pallet's calls, one file per action.

mod add;
mod enforce;
mod remove;
