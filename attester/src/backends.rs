//! The list of backends: the one place in the workspace that knows every platform name.

use attester_core::{Attester, Error, Platform, Result};
use std::fmt;
use std::str::FromStr;

/// A backend as named on the command line (`--platform NAME`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BackendName {
    /// Detect the one TEE present; never the mock.
    Auto,
    /// AMD SEV-SNP guest.
    Snp,
    /// Intel TDX guest.
    Tdx,
    /// Arm CCA realm.
    Cca,
    /// TPM 2.0.
    Tpm,
    /// NOT SECURE: the mock EAT signed with the seeded test PKI.
    Mock,
    /// NOT SECURE: SNP reports signed by the mock ARK.
    MockSnp,
    /// NOT SECURE: TDX quotes signed by the mock PCK chain.
    MockTdx,
    /// NOT SECURE: CCA tokens signed by the mock CPAK.
    MockCca,
    /// NOT SECURE: TPM quotes from the mock AK.
    MockTpm,
}

impl BackendName {
    /// Every name, in the order the CLI lists them.
    pub const ALL: [BackendName; 10] = [
        Self::Auto,
        Self::Snp,
        Self::Tdx,
        Self::Cca,
        Self::Tpm,
        Self::Mock,
        Self::MockSnp,
        Self::MockTdx,
        Self::MockCca,
        Self::MockTpm,
    ];

    /// The name as written on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Snp => "snp",
            Self::Tdx => "tdx",
            Self::Cca => "cca",
            Self::Tpm => "tpm",
            Self::Mock => "mock",
            Self::MockSnp => "mock-snp",
            Self::MockTdx => "mock-tdx",
            Self::MockCca => "mock-cca",
            Self::MockTpm => "mock-tpm",
        }
    }

    /// Whether this backend signs with test keys.
    pub fn is_mock(self) -> bool {
        matches!(
            self,
            Self::Mock | Self::MockSnp | Self::MockTdx | Self::MockCca | Self::MockTpm
        )
    }

    /// The platform whose evidence format the backend emits (`None` for `auto`).
    pub fn platform(self) -> Option<Platform> {
        match self {
            Self::Auto => None,
            Self::Snp | Self::MockSnp => Some(Platform::Snp),
            Self::Tdx | Self::MockTdx => Some(Platform::Tdx),
            Self::Cca | Self::MockCca => Some(Platform::Cca),
            Self::Tpm | Self::MockTpm => Some(Platform::Tpm),
            Self::Mock => Some(Platform::Mock),
        }
    }

    /// Whether this build contains the backend.
    pub fn compiled_in(self) -> bool {
        matches!(
            self,
            Self::Auto
                | Self::Snp
                | Self::Tdx
                | Self::Cca
                | Self::Mock
                | Self::MockSnp
                | Self::MockTdx
                | Self::MockCca
                | Self::MockTpm
        ) || (self == Self::Tpm && cfg!(feature = "tpm-device"))
    }
}

impl fmt::Display for BackendName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BackendName {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|b| b.as_str() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|b| b.as_str()).collect();
                Error::malformed(
                    "platform name",
                    format!("`{name}` is not one of {}", names.join(", ")),
                )
            })
    }
}

/// Opens the named backend. `auto` runs detection and opens the single TEE found; the mock is
/// only ever opened by name.
pub fn open(name: BackendName) -> Result<Box<dyn Attester + Send>> {
    match name {
        BackendName::Auto => open_detected(),
        BackendName::Mock => Ok(Box::new(attester_mock::MockAttester::new(
            attester_mock::MockPki::from_default_seed()?,
        ))),
        BackendName::Cca => Ok(Box::new(attester_cca::device::open()?)),
        BackendName::MockCca => Ok(Box::new(attester_mock::cca::MockCcaAttester::new(
            attester_mock::cca::MockCca::from_default_seed()?,
        ))),
        BackendName::Snp => Ok(Box::new(attester_snp::device::open()?)),
        BackendName::MockSnp => Ok(Box::new(attester_mock::snp::MockSnpAttester::new(
            attester_mock::snp::MockSnp::from_default_seed()?,
        ))),
        BackendName::Tdx => Ok(Box::new(attester_tdx::device::open()?)),
        BackendName::MockTdx => Ok(Box::new(attester_mock::tdx::MockTdxAttester::new(
            attester_mock::tdx::MockTdx::from_default_seed()?,
        ))),
        BackendName::Tpm => crate::tpm::open_device(None),
        BackendName::MockTpm => crate::tpm::open_mock(),
    }
}

fn open_detected() -> Result<Box<dyn Attester + Send>> {
    let report = crate::detect::detect();
    let present: Vec<BackendName> = report.usable().collect();
    match present.as_slice() {
        [only] => open(*only),
        [] => Err(Error::Unsupported(
            format!(
                "no TEE detected ({}); the mock is never chosen automatically: \
                 ask for it with --platform mock",
                report.summary()
            )
            .into(),
        )),
        several => {
            let names: Vec<&str> = several.iter().map(|b| b.as_str()).collect();
            Err(Error::Unsupported(
                format!(
                    "several TEEs detected ({}): choose one with --platform",
                    names.join(", ")
                )
                .into(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in BackendName::ALL {
            assert_eq!(name.as_str().parse::<BackendName>().unwrap(), name);
        }
        assert!("mock-sgx".parse::<BackendName>().is_err());
    }

    #[test]
    fn auto_never_opens_the_mock() {
        assert!(!BackendName::Auto.is_mock());
        assert!(crate::detect::detect().usable().all(|b| !b.is_mock()));
    }
}
