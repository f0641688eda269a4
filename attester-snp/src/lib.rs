//! AMD SEV-SNP for `attester`.
//!
//! - [`Report`]: a zero-copy view of the 1184-byte ATTESTATION_REPORT (versions 2, 3, 4 and 5)
//!   with strict parsing and accessors named after the SEV-SNP firmware ABI (pub. 56860);
//!   typed decoders for POLICY ([`GuestPolicy`]), PLATFORM_INFO ([`PlatformInfo`]), KEY_INFO
//!   ([`KeyInfo`]) and TCB_VERSION in both layouts ([`TcbVersion`], [`Generation`]).
//! - [`CertTable`]: the extended-report certificate table (configfs-tsm `auxblob`).
//! - [`verify`] (feature `verify`): the signature, the VCEK/VLEK chain to the pinned ARK of
//!   the product, validity, the key's TCB and hwID against the report, binding and policy.
//! - [`device`] (feature `device`): the guest backend over configfs-tsm.

mod certs;
#[cfg(feature = "device")]
pub mod device;
mod policy;
mod raw;
mod report;
mod tcb;
#[cfg(feature = "verify")]
pub mod vek;
#[cfg(feature = "verify")]
pub mod verify;

pub use certs::{CertEntry, CertKind, CertTable};
pub use policy::{GuestPolicy, KeyInfo, PlatformInfo, SigningKey};
pub use report::{
    Cpuid, FirmwareVersion, REPORT_LEN, Report, SIGNATURE_ALGO_ECDSA_P384_SHA384, SIGNED_LEN,
    SUPPORTED_VERSIONS,
};
pub use tcb::{Generation, Tcb, TcbLayout, TcbVersion};
