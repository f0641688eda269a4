//! The corpus helpers shared by every crate's corpus tests (one copy, in attester-core).

#[path = "../../../attester-core/tests/support/mod.rs"]
mod corpus;

pub use corpus::*;
