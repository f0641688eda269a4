//! The attester facade.
