//! The pallet's calls, one file per action.

mod add;
mod remove;
