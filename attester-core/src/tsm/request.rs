//! What a caller asks of configfs-tsm, and what it gets back.

use super::{ARM_CCA_GUEST, INBLOB_MAX, SEV_GUEST, TDX_GUEST};
use crate::error::{Error, Result};
use std::ops::RangeInclusive;

/// The inblob lengths a provider accepts.
///
/// The kernel enforces these only when the report is generated (an `EINVAL` from the
/// `outblob` read), so the client checks them itself before touching the filesystem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InblobLen {
    /// Exactly this many bytes.
    Exact(usize),
    /// Any length in the range.
    Range(RangeInclusive<usize>),
}

impl InblobLen {
    /// `sev_guest`: REPORT_DATA, exactly 64 bytes.
    pub const SEV_GUEST: Self = Self::Exact(64);
    /// `tdx_guest`: REPORTDATA, exactly 64 bytes.
    pub const TDX_GUEST: Self = Self::Exact(64);
    /// `arm_cca_guest`: the realm challenge, 32..=64 bytes, zero-padded to 64 by the kernel.
    pub const ARM_CCA_GUEST: Self = Self::Range(32..=64);

    /// The rule of a provider this crate knows.
    pub fn for_provider(provider: &str) -> Option<Self> {
        match provider {
            SEV_GUEST => Some(Self::SEV_GUEST),
            TDX_GUEST => Some(Self::TDX_GUEST),
            ARM_CCA_GUEST => Some(Self::ARM_CCA_GUEST),
            _ => None,
        }
    }

    /// The shortest and longest accepted lengths.
    pub fn bounds(&self) -> (usize, usize) {
        match self {
            Self::Exact(len) => (*len, *len),
            Self::Range(range) => (*range.start(), *range.end()),
        }
    }

    /// `Ok` when `len` is accepted, by this rule and by the kernel (1..=64 bytes); otherwise
    /// a [`ChallengeTooShort`](crate::ErrorKind::ChallengeTooShort) or
    /// [`ChallengeTooLong`](crate::ErrorKind::ChallengeTooLong) error.
    pub fn check(&self, len: usize) -> Result<()> {
        let (min, max) = self.bounds();
        if !(min..=max).contains(&len) {
            return Err(Error::ChallengeLength {
                len,
                min,
                max,
                what: "the provider's inblob",
            });
        }
        // A zero-length write is EFAULT and more than 64 bytes EFBIG, whatever a custom rule
        // says.
        if !(1..=INBLOB_MAX).contains(&len) {
            return Err(Error::ChallengeLength {
                len,
                min: 1,
                max: INBLOB_MAX,
                what: "the configfs-tsm inblob",
            });
        }
        Ok(())
    }
}

/// One report request.
///
/// Built with [`ReportRequest::new`] and the option methods; the fields are public to read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReportRequest<'a> {
    /// The provider the caller's format needs (`sev_guest`, `tdx_guest`, `arm_cca_guest`); a
    /// different one is refused as [`Unsupported`](crate::ErrorKind::Unsupported).
    pub expected_provider: &'a str,
    /// The bytes to bind into the report.
    pub inblob: &'a [u8],
    /// The inblob lengths `expected_provider` accepts.
    pub inblob_len: InblobLen,
    /// The privilege level (SNP VMPL) to write, if any; checked against `privlevel_floor`.
    pub privlevel: Option<u32>,
    /// A service provider to write (`svsm` for an SEV-SNP SVSM), if any.
    pub service_provider: Option<&'a str>,
    /// Whether to read `auxblob`.
    pub want_auxblob: bool,
    /// Whether to read `manifestblob` (needs a service provider, Linux 6.10 or later).
    pub want_manifest: bool,
}

impl<'a> ReportRequest<'a> {
    /// A request of `inblob` from `expected_provider`, with no options.
    pub fn new(expected_provider: &'a str, inblob: &'a [u8], inblob_len: InblobLen) -> Self {
        Self {
            expected_provider,
            inblob,
            inblob_len,
            privlevel: None,
            service_provider: None,
            want_auxblob: false,
            want_manifest: false,
        }
    }

    /// Also write `privlevel`.
    #[must_use]
    pub fn with_privlevel(mut self, level: u32) -> Self {
        self.privlevel = Some(level);
        self
    }

    /// Also write `service_provider`.
    #[must_use]
    pub fn with_service_provider(mut self, name: &'a str) -> Self {
        self.service_provider = Some(name);
        self
    }

    /// Also read `auxblob`.
    #[must_use]
    pub fn with_auxblob(mut self) -> Self {
        self.want_auxblob = true;
        self
    }

    /// Also read `manifestblob`.
    #[must_use]
    pub fn with_manifest(mut self) -> Self {
        self.want_manifest = true;
        self
    }

    /// How many writes this request makes, each of which advances `generation` once.
    pub(crate) fn write_count(&self) -> u64 {
        1 + u64::from(self.privlevel.is_some()) + u64::from(self.service_provider.is_some())
    }
}

/// What configfs-tsm produced for one request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TsmReport {
    /// The provider that produced it.
    pub provider: String,
    /// `generation` of the report entry after the reads.
    pub generation: u64,
    /// The report, quote or token, exactly as the kernel returned it.
    pub outblob: Vec<u8>,
    /// `auxblob`, when asked for and not empty.
    pub auxblob: Option<Vec<u8>>,
    /// `manifestblob`, when asked for and not empty.
    pub manifestblob: Option<Vec<u8>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn provider_rules() {
        assert_eq!(
            InblobLen::for_provider(SEV_GUEST),
            Some(InblobLen::Exact(64))
        );
        assert_eq!(
            InblobLen::for_provider(TDX_GUEST),
            Some(InblobLen::Exact(64))
        );
        assert_eq!(
            InblobLen::for_provider(ARM_CCA_GUEST),
            Some(InblobLen::Range(32..=64))
        );
        assert_eq!(InblobLen::for_provider("sev_guest\n"), None);
    }

    #[test]
    fn lengths() {
        let kind = |rule: &InblobLen, len| rule.check(len).map_err(|e| e.kind());
        assert_eq!(kind(&InblobLen::SEV_GUEST, 64), Ok(()));
        assert_eq!(
            kind(&InblobLen::SEV_GUEST, 63),
            Err(ErrorKind::ChallengeTooShort)
        );
        assert_eq!(
            kind(&InblobLen::SEV_GUEST, 65),
            Err(ErrorKind::ChallengeTooLong)
        );
        assert_eq!(kind(&InblobLen::ARM_CCA_GUEST, 32), Ok(()));
        assert_eq!(
            kind(&InblobLen::ARM_CCA_GUEST, 31),
            Err(ErrorKind::ChallengeTooShort)
        );
        // A custom rule wider than the kernel is narrowed to 1..=64.
        let wide = InblobLen::Range(0..=100);
        assert_eq!(kind(&wide, 0), Err(ErrorKind::ChallengeTooShort));
        assert_eq!(kind(&wide, 65), Err(ErrorKind::ChallengeTooLong));
        assert_eq!(kind(&wide, 1), Ok(()));
    }

    #[test]
    fn write_count_follows_the_options() {
        let inblob = [0u8; 64];
        let base = ReportRequest::new(SEV_GUEST, &inblob, InblobLen::SEV_GUEST);
        assert_eq!(base.write_count(), 1);
        assert_eq!(base.clone().with_privlevel(0).write_count(), 2);
        let all = base.with_privlevel(1).with_service_provider("svsm");
        assert_eq!(all.write_count(), 3);
        assert!(!all.want_auxblob && !all.want_manifest);
        let reads = all.with_auxblob().with_manifest();
        assert!(reads.want_auxblob && reads.want_manifest);
    }
}
