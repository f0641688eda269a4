//! TPM 2.0 for `attester`: quotes parsed in pure Rust, verified through attester-core's crypto
//! seam, and produced by a real TPM through tss-esapi (feature `device`).
//!
//! - [`Attest`]: a borrowed view of a quote's TPMS_ATTEST (TPM 2.0 Library Part 2, 10.12.12),
//!   with its [`PcrSelection`] (TPML_PCR_SELECTION, 10.9.7) — no allocation.
//! - [`TpmSignature`]: TPMT_SIGNATURE (11.3.4) with RSASSA, RSAPSS or ECDSA.
//! - [`Public`]: TPMT_PUBLIC / TPM2B_PUBLIC (12.2.4, 12.2.5) of RSA and ECC keys, with
//!   [`ObjectAttributes`] and the key's Name.
//! - [`PcrValues`]: PCR values supplied beside a quote (JSON, tpm2-tools YAML or binary).
//! - [`QuoteBundle`]: the evidence body (`application/vnd.attester.tpm-quote`).
//! - [`marshal`]: the same structures written out, for the mock and for tests.
//! - [`verify`] (feature `verify`): signature, AK attributes, AK trust (pinned or certified
//!   by a trusted root), extraData = challenge, PCR digest.
//! - `device` (feature `device`): a TPM through tss-esapi (TCTI from configuration).
//! - [`eventlog`]: the TCG PC Client firmware event log (crypto-agile and legacy SHA-1),
//!   parsed zero-copy and strictly, replayed into PCR banks, with the boot facts extracted.
//! - [`ima`]: the Linux IMA runtime measurement list (ASCII and binary), replayed into PCR 10.
//!
//! Every integer in these structures is big-endian; every `TPM2B` length is checked against
//! the bytes present and the structure's maximum.

mod algorithm;
mod attest;
mod bundle;
pub mod describe;
mod error;
pub mod eventlog;
pub mod ima;
pub mod marshal;
mod pcr;
mod pcr_values;
mod public;
mod raw;
mod reader;
mod signature;

#[cfg(feature = "verify")]
pub mod verify;

#[cfg(feature = "device")]
pub mod device;

pub use algorithm::{HashAlgId, alg};
pub use attest::{Attest, ClockInfo};
pub use bundle::QuoteBundle;
pub use error::TpmError;
pub use pcr::{PcrBank, PcrSelection};
pub use pcr_values::PcrValues;
pub use public::{AkKey, EccCurveId, KeyParams, ObjectAttributes, Public};
pub use raw::{ST_ATTEST_QUOTE, TPM_GENERATED_VALUE};
pub use signature::{SigScheme, TpmSignature};

use attester_core::{Capabilities, FillRule};

/// Media type of a TPM EK certificate stapled to evidence (DER X.509, as read from NV). Kept
/// apart from `application/pkix-cert`, which for TPM evidence is the AK certificate chain.
pub const EK_CERT_MEDIA_TYPE: &str = "application/vnd.attester.tpm-ek-cert";

/// The largest qualifyingData any TPM takes: `sizeof(TPMT_HA)` with SHA-512 (2 + 64).
pub const MAX_QUALIFYING_DATA: usize = 66;

/// The fill rule of every TPM backend: the challenge is the qualifyingData, exactly.
pub const FILL: FillRule = FillRule::Exact;

/// What a TPM accepts when its largest digest is `max_digest` bytes: challenges of 8 up to
/// `2 + max_digest` bytes (capped at the core's 64), passed exactly as qualifyingData; PCR
/// extension of the 24 PC Client PCRs with SHA-256 digests.
pub fn capabilities(max_digest: usize) -> Capabilities {
    let max = (2 + max_digest).min(attester_core::MAX_CHALLENGE_LEN);
    Capabilities {
        challenge_lengths: attester_core::MIN_CHALLENGE_LEN..=max,
        field: "TPMS_ATTEST.extraData (qualifyingData)",
        fill: FILL,
        extend: Some(attester_core::ExtendSupport {
            registers: (0..24).collect(),
            digest_len: 32,
        }),
    }
}
