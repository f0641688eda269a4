//! `attester`: the facade over every backend, and the `attester` command.
//!
//! - [`detect()`](detect::detect): which TEE this machine offers, without side effects;
//! - [`backends::open`]: a backend by name (`auto` never picks the mock);
//! - [`verify()`](verify::verify): one verification entry point for every platform, with a
//!   [`Policy`](policy::Policy);
//! - [`inspect()`](inspect::inspect): any evidence (CMW or raw) decoded to JSON;
//! - [`demo`]: the end-to-end round trip on the mock;
//! - [`eventlog`]: a TCG firmware event log replayed, with its boot facts.
//! - [`tpm`]: TPM 2.0 quotes (device, mock, raw TPMS_ATTEST files);
//! - [`demo`]: the end-to-end round trip on the mock.

pub mod backends;
pub mod demo;
pub mod detect;
pub mod eventlog;
pub mod input;
pub mod inspect;
pub mod policy;
pub mod snp;
pub mod tdx;
pub mod tls;
pub mod tpm;
pub mod verify;

pub use attester_core as core;
