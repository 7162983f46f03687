//! Test helpers shared by PMR Chain's pallets (see the README): the stub registry of their
//! mock runtimes ([`registry`]), the stub index of anchored content addresses ([`content`]),
//! the stub audit trail of erasures ([`audit`]), and the random-call-sequence runner of their
//! `tests/fuzz.rs` ([`fuzz`]).

pub mod audit;
pub use audit::StubAudit;

pub mod registry;
pub use registry::StubRegistry;

pub mod content;
pub use content::StubContent;

pub mod fuzz;
