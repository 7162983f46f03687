//! # PMR Chain node
//!
//! The node library behind the `pmr-node` binary: command-line interface, chain
//! specifications, the standalone Proof-of-Authority service (Aura + GRANDPA over ParityDB)
//! and the JSON-RPC extensions. It is a library so integration tests and tools can build
//! transactions with the same code the node uses.

pub mod benchmarking;
pub mod chain_spec;
pub mod cli;
pub mod command;
pub mod rpc;
pub mod service;
