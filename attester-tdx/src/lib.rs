//! Intel TDX for `attester`.

#![deny(unsafe_code)]
//!
//! - [`Quote`]: a zero-copy view of a DCAP TD quote, version 4 or 5 (TD1.0 and TD1.5 bodies),
//!   with its signature data, QE report and certification data (types 1–7; type 6 wrapping
//!   type 5, the PEM PCK chain). Strict, total, allocation-free parsing.
//! - [`TdReport`]: a zero-copy view of the 1024-byte TDREPORT with its internal hash checks.
//! - [`ccel`]: the CC event log (ACPI `CCEL` table and the crypto-agile log), replayed into
//!   RTMR0–3.
//! - [`verify`] (feature `verify`): the quote signature, the QE report signature with the PCK
//!   leaf, the QE binding of the attestation key, the PCK chain to the pinned Intel SGX Root CA,
//!   validity, the binding to the challenge and the policy; optionally TCB status from offline
//!   collateral ([`collateral`]: TCB Info, QE Identity, CRLs).
//! - [`device`] (feature `device`): the guest backend (configfs-tsm quotes, `/dev/tdx_guest`
//!   TDREPORTs, RTMR extension through sysfs).

pub mod ccel;
#[cfg(feature = "verify")]
pub mod collateral;
#[cfg(feature = "device")]
pub mod device;
#[cfg(feature = "verify")]
pub mod pck;
mod policy;
mod quote;
mod raw;
mod tdreport;
#[cfg(feature = "verify")]
pub mod verify;

pub use policy::{Masked, Policy, check_policy};
pub use quote::{
    ATT_KEY_TYPE_ECDSA_P256, BodyType, CertData, CertDataType, Certification, INTEL_QE_VENDOR_ID,
    QUOTE_MIN_LEN, QeReport, QeReportCertData, Quote, SUPPORTED_VERSIONS, TEE_TYPE_TDX,
    TdAttributes, TdBody,
};
pub use tdreport::{REPORT_TYPE_TDX, TDREPORT_SIZE, TdReport};

/// How the challenge fills REPORTDATA: zero-padded to 64 bytes (`docs/binding.md`).
pub const FILL: attester_core::FillRule = attester_core::FillRule::ZeroPad { field_len: 64 };

/// The TDX capabilities: 8..=64 bytes, zero-padded to the 64-byte REPORTDATA.
pub fn capabilities() -> attester_core::Capabilities {
    attester_core::Capabilities {
        challenge_lengths: 8..=64,
        field: "REPORTDATA",
        fill: FILL,
        extend: None,
    }
}
