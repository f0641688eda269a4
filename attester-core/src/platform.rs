//! The kinds of evidence the workspace produces and verifies.

use crate::error::{Error, Result};
use std::fmt;

/// The platform whose format a piece of evidence is in.
///
/// A mock backend that emits a real platform's format (`mock-snp`) produces evidence of that
/// platform: only its signing root tells it apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Platform {
    /// AMD SEV-SNP attestation report.
    Snp,
    /// Intel TDX quote.
    Tdx,
    /// Arm CCA attestation token.
    Cca,
    /// TPM 2.0 quote.
    Tpm,
    /// The mock EAT (NOT SECURE; test keys only).
    Mock,
}

impl Platform {
    /// Every platform, in a fixed order.
    pub const ALL: [Platform; 5] = [Self::Snp, Self::Tdx, Self::Cca, Self::Tpm, Self::Mock];

    /// The stable lower-case name used in the CLI and in evidence.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Snp => "snp",
            Self::Tdx => "tdx",
            Self::Cca => "cca",
            Self::Tpm => "tpm",
            Self::Mock => "mock",
        }
    }

    /// Parses a name written by [`Platform::as_str`].
    pub fn from_name(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == name)
            .ok_or_else(|| Error::malformed("platform name", format!("unknown platform `{name}`")))
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
