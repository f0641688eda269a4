//! The one error type of the core, and the kinds every backend maps its causes onto.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;

/// A boxed cause from a backend (an `io::Error`, a firmware status, a library error).
pub type Source = Box<dyn StdError + Send + Sync + 'static>;

/// The result type of every fallible function in the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in the few classes a caller acts on (retry, fix the input, give up).
///
/// Backends map errno values and firmware statuses onto these in one table each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The device or firmware is busy or throttling; retrying later may succeed.
    Busy,
    /// The challenge is longer than the platform's field.
    ChallengeTooLong,
    /// The challenge is shorter than the platform (or the core) accepts.
    ChallengeTooShort,
    /// The device answered with an error that is not one of the other kinds.
    Device,
    /// Input bytes are not a valid instance of their format.
    Malformed,
    /// The caller may not use the device.
    PermissionDenied,
    /// The platform, feature or operation is not available here.
    Unsupported,
    /// Evidence parsed but a verification check failed.
    Verification,
}

impl ErrorKind {
    /// A stable lower-case name, used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Busy => "busy",
            Self::ChallengeTooLong => "challenge-too-long",
            Self::ChallengeTooShort => "challenge-too-short",
            Self::Device => "device",
            Self::Malformed => "malformed",
            Self::PermissionDenied => "permission-denied",
            Self::Unsupported => "unsupported",
            Self::Verification => "verification",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The verification check that failed.
///
/// Verifiers run their checks in a fixed order (format, signature, chain, validity, trust,
/// binding, policy) and stop at the first failure, so one failure names one check.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Check {
    /// The evidence or an endorsement is well-formed but unusable (wrong key type, missing item).
    Format(Cow<'static, str>),
    /// The signature over the evidence does not verify with its signing key.
    Signature,
    /// A certificate in the chain is not signed by its issuer, or the chain is incomplete.
    Chain,
    /// A certificate is not valid at the verification time.
    Validity,
    /// The chain does not end at a trusted root or key.
    Trust,
    /// The challenge field does not hold the expected challenge.
    Binding,
    /// An appraisal policy rule, named (`debug`, `min-tcb.snp`, `measurement`, …).
    Policy(Cow<'static, str>),
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Format(name) => write!(f, "format.{name}"),
            Self::Signature => f.write_str("signature"),
            Self::Chain => f.write_str("chain"),
            Self::Validity => f.write_str("validity"),
            Self::Trust => f.write_str("trust"),
            Self::Binding => f.write_str("binding"),
            Self::Policy(name) => write!(f, "policy.{name}"),
        }
    }
}

/// A failed verification check and why, never with key material.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{check} check failed: {reason}")]
pub struct CheckFailed {
    /// Which check failed.
    pub check: Check,
    /// A human-readable reason.
    pub reason: String,
}

impl CheckFailed {
    /// A failure of `check` for `reason`.
    pub fn new(check: Check, reason: impl Into<String>) -> Self {
        Self {
            check,
            reason: reason.into(),
        }
    }
}

/// Every error the core returns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A challenge or field length outside what is accepted.
    #[error("challenge is {len} bytes; {what} accepts {min}..={max} bytes")]
    ChallengeLength {
        /// The length given.
        len: usize,
        /// The smallest accepted length.
        min: usize,
        /// The largest accepted length.
        max: usize,
        /// What imposes the limit (a field name or "a challenge").
        what: &'static str,
    },
    /// Bytes that are not a valid instance of their format.
    #[error("malformed {what}: {reason}")]
    Malformed {
        /// The format or item being parsed.
        what: &'static str,
        /// What is wrong with it.
        reason: Cow<'static, str>,
    },
    /// A verification check failed.
    #[error(transparent)]
    Verification(#[from] CheckFailed),
    /// A platform, feature or operation that is not available.
    #[error("unsupported: {0}")]
    Unsupported(Cow<'static, str>),
    /// A signature check or signing operation failed in the crypto seam.
    #[error(transparent)]
    Crypto(#[from] crate::crypto::CryptoError),
    /// A device, kernel interface or firmware error.
    #[error("{context}")]
    Device {
        /// The kind the backend's mapping table assigned to the cause.
        kind: ErrorKind,
        /// What was being done.
        context: Cow<'static, str>,
        /// The backend's cause.
        #[source]
        source: Option<Source>,
    },
    /// A RATS CMW (or the evidence envelope in one) that could not be decoded.
    #[error(transparent)]
    Cmw(#[from] crate::cmw::CmwError),
}

impl Error {
    /// The class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::ChallengeLength { len, max, .. } if len > max => ErrorKind::ChallengeTooLong,
            Self::ChallengeLength { .. } => ErrorKind::ChallengeTooShort,
            Self::Malformed { .. } => ErrorKind::Malformed,
            Self::Verification(_) => ErrorKind::Verification,
            Self::Unsupported(_) => ErrorKind::Unsupported,
            Self::Crypto(err) => err.kind(),
            Self::Device { kind, .. } => *kind,
            Self::Cmw(e) => e.kind(),
        }
    }

    /// A malformed-input error.
    pub fn malformed(what: &'static str, reason: impl Into<Cow<'static, str>>) -> Self {
        Self::Malformed {
            what,
            reason: reason.into(),
        }
    }

    /// A device error of `kind` with its cause.
    pub fn device(
        kind: ErrorKind,
        context: impl Into<Cow<'static, str>>,
        source: impl Into<Source>,
    ) -> Self {
        Self::Device {
            kind,
            context: context.into(),
            source: Some(source.into()),
        }
    }

    /// A failed verification check.
    pub fn check(check: Check, reason: impl Into<String>) -> Self {
        Self::Verification(CheckFailed::new(check, reason))
    }

    /// The failed check, when this is a verification error.
    pub fn check_failed(&self) -> Option<&CheckFailed> {
        match self {
            Self::Verification(failed) => Some(failed),
            _ => None,
        }
    }
}
