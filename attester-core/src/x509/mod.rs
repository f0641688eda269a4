//! X.509 for every verifier: parsing, signature algorithms, and chain checks to pinned roots.
//!
//! - [`Certificate`]: one parsed certificate that keeps its original DER; signatures are always
//!   checked over the original `tbsCertificate` bytes, never over a re-encoding.
//! - [`parse_pem_chain`], [`Certificate::from_pem`]: PEM input, as vendors ship it (Intel's PCK
//!   chains end in a NUL byte).
//! - [`verify_issued_by`], [`check_validity`], [`verify_chain`] with [`TrustAnchors`]: the checks
//!   SNP (VCEK → ASK → ARK, RSA-PSS), TDX (PCK → CA → Intel root, P-256), TPM (AK certificates)
//!   and the mock (P-384) share. Failures are [`CheckFailed`](crate::CheckFailed) naming
//!   [`Check::Chain`](crate::Check::Chain), [`Check::Validity`](crate::Check::Validity) or
//!   [`Check::Trust`](crate::Check::Trust).
//! - [`Crl`]: certificate revocation lists, signatures checked over the original bytes.
//! - [`build`]: a small certificate builder for test PKIs and the mock.

#[cfg(any(feature = "aws-lc", feature = "rustcrypto"))]
pub mod build;
mod cert;
mod chain;
mod crl;
mod name;
mod pem;
mod sigalg;

pub use cert::{BasicConstraints, Certificate, Extension};
pub use chain::{TrustAnchors, check_validity, verify_chain, verify_issued_by};
pub use crl::Crl;
pub use pem::{PemBlock, parse_pem_chain, parse_pem_chain_reusing, pem_blocks};
pub use sigalg::CertSignatureAlg;

/// An ASN.1 object identifier (re-exported from `der` so callers need not depend on it).
///
/// Build constants with `Oid::new_unwrap("1.2.3")`, which is checked at compile time in a
/// `const`.
pub use der::asn1::ObjectIdentifier as Oid;

/// Well-known OIDs of the extensions the chain checks read.
pub mod oid {
    use super::Oid;

    /// `id-ce-basicConstraints` (RFC 5280 4.2.1.9).
    pub const BASIC_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.19");
    /// `id-ce-keyUsage` (RFC 5280 4.2.1.3).
    pub const KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.15");
    /// `id-ce-extKeyUsage` (RFC 5280 4.2.1.12).
    pub const EXT_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37");
    /// `id-ce-subjectAltName` (RFC 5280 4.2.1.6).
    pub const SUBJECT_ALT_NAME: Oid = Oid::new_unwrap("2.5.29.17");
    /// `id-ce-subjectKeyIdentifier` (RFC 5280 4.2.1.2).
    pub const SUBJECT_KEY_IDENTIFIER: Oid = Oid::new_unwrap("2.5.29.14");
    /// `id-ce-authorityKeyIdentifier` (RFC 5280 4.2.1.1).
    pub const AUTHORITY_KEY_IDENTIFIER: Oid = Oid::new_unwrap("2.5.29.35");
    /// `id-ce-certificatePolicies` (RFC 5280 4.2.1.4).
    pub const CERTIFICATE_POLICIES: Oid = Oid::new_unwrap("2.5.29.32");
    /// `id-ce-cRLDistributionPoints` (RFC 5280 4.2.1.13).
    pub const CRL_DISTRIBUTION_POINTS: Oid = Oid::new_unwrap("2.5.29.31");
    /// `id-ce-subjectDirectoryAttributes` (RFC 5280 4.2.1.8); TCG EK and AK certificates carry
    /// the TPM's security assertions here.
    pub const SUBJECT_DIRECTORY_ATTRIBUTES: Oid = Oid::new_unwrap("2.5.29.9");
}
