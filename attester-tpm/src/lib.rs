//! TPM 2.0 for `attester`.
//!
//! - [`eventlog`]: the TCG PC Client firmware event log (crypto-agile and legacy SHA-1),
//!   parsed zero-copy and strictly, replayed into PCR banks, with the boot facts extracted.
//! - [`ima`]: the Linux IMA runtime measurement list (ASCII and binary), replayed into PCR 10.
//!
//! Both are pure Rust, do no I/O and are always built.

pub mod eventlog;
pub mod ima;
