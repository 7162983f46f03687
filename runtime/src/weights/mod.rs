//! Weight constants of the runtime itself, measured on this network's hardware (the pallets'
//! call weights live in each pallet's `weights.rs`).

pub mod paritydb_weights;

pub use paritydb_weights::ParityDbWeight;
