//! # PMR Chain node
//!
//! The node library behind the `pmr-node` binary: command-line interface, chain
//! specifications, the standalone Proof-of-Authority service (Aura + GRANDPA over ParityDB) or,
//! with the `parachain` feature, the Cumulus parachain service ([`service`]),
//! the JSON-RPC extensions, the ingest worker's view of the chain ([`ingest`]), signed
//! transactions ([`signing`]), and the patient's and reader's key-release tools
//! ([`key_tools`], and the patient's key rotation, [`key_rotation`]). It is a library so integration
//! tests and tools can build transactions with the same code the node uses.

pub mod benchmarking;
pub mod chain_spec;
pub mod cli;
pub mod command;
pub mod ingest;
pub mod key_rotation;
pub mod key_tools;
pub mod network_allowlist;
#[cfg(feature = "parachain")]
pub mod relay_chain;
pub mod rpc;
pub mod service;
pub mod signing;
pub mod upload;
