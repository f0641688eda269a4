//! The decoding error of CCA tokens: one variant per way a token can be malformed, so callers
//! and tests can tell a duplicate claim from a wrong size without matching on strings.

use attester_core::{Error, ErrorKind};
use std::fmt;

/// Which part of the token an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// The top-level collection (tag 399 or 907).
    Collection,
    /// The platform token (COSE_Sign1 and claims).
    Platform,
    /// The realm token (COSE_Sign1 and claims).
    Realm,
    /// One software component of the platform token.
    SoftwareComponent,
    /// The realm attestation key claim (44237).
    Rak,
}

impl Part {
    /// A stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Collection => "collection",
            Self::Platform => "platform token",
            Self::Realm => "realm token",
            Self::SoftwareComponent => "software component",
            Self::Rak => "realm attestation key",
        }
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a CCA token could not be decoded. Every variant is [`ErrorKind::Malformed`] except
/// [`TokenError::UnsupportedCurve`], which is [`ErrorKind::Unsupported`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The bytes are not well-formed CBOR where CBOR was expected (includes truncation).
    #[error("{part}: not well-formed CBOR at byte {offset}")]
    Cbor {
        /// Where.
        part: Part,
        /// The decoder's position when it failed.
        offset: usize,
    },
    /// The top-level tag is neither 399 nor 907, or a COSE_Sign1 is not tagged 18.
    #[error("{part}: unexpected tag {tag}")]
    UnknownTag {
        /// Where.
        part: Part,
        /// The tag found (0 when a tag was required but absent).
        tag: u64,
    },
    /// A value of the wrong CBOR type (a text claim holding bytes, an indefinite-length map).
    #[error("{part}: key {key} is not {expected}")]
    WrongType {
        /// Where.
        part: Part,
        /// The claim or entry key (0 for the container itself).
        key: i64,
        /// What was expected.
        expected: &'static str,
    },
    /// A byte string of a length the specification does not allow.
    #[error("{part}: key {key} is {len} bytes, expected {expected}")]
    WrongSize {
        /// Where.
        part: Part,
        /// The claim key.
        key: i64,
        /// The length found.
        len: usize,
        /// The lengths allowed.
        expected: &'static str,
    },
    /// A value outside its allowed range (a lifecycle state, a content format, a COSE key type).
    #[error("{part}: key {key}: {reason}")]
    BadValue {
        /// Where.
        part: Part,
        /// The claim key.
        key: i64,
        /// What is wrong.
        reason: &'static str,
    },
    /// A map key that appears twice.
    #[error("{part}: duplicate key {key}")]
    DuplicateKey {
        /// Where.
        part: Part,
        /// The repeated key.
        key: i64,
    },
    /// A mandatory claim or entry that is absent.
    #[error("{part}: mandatory key {key} is missing")]
    Missing {
        /// Where.
        part: Part,
        /// The missing key.
        key: i64,
    },
    /// Bytes after the end of an item that must span its whole container.
    #[error("{part}: {count} trailing bytes")]
    Trailing {
        /// Where.
        part: Part,
        /// How many bytes follow.
        count: usize,
    },
    /// More map entries than any CCA token has (a bound that keeps duplicate detection cheap).
    #[error("{part}: more than {limit} map entries")]
    TooManyEntries {
        /// Where.
        part: Part,
        /// The bound.
        limit: usize,
    },
    /// A RAK on a curve this crate cannot verify with (P-521).
    #[error("{part}: key on an unsupported curve ({reason})")]
    UnsupportedCurve {
        /// Where.
        part: Part,
        /// Which curve.
        reason: &'static str,
    },
}

impl TokenError {
    /// The class of the error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::UnsupportedCurve { .. } => ErrorKind::Unsupported,
            _ => ErrorKind::Malformed,
        }
    }

    /// The part of the token the error is about.
    pub fn part(&self) -> Part {
        match self {
            Self::Cbor { part, .. }
            | Self::UnknownTag { part, .. }
            | Self::WrongType { part, .. }
            | Self::WrongSize { part, .. }
            | Self::BadValue { part, .. }
            | Self::DuplicateKey { part, .. }
            | Self::Missing { part, .. }
            | Self::Trailing { part, .. }
            | Self::TooManyEntries { part, .. }
            | Self::UnsupportedCurve { part, .. } => *part,
        }
    }
}

impl From<TokenError> for Error {
    fn from(e: TokenError) -> Self {
        match e.kind() {
            ErrorKind::Unsupported => Error::Unsupported(e.to_string().into()),
            _ => Error::malformed("CCA token", e.to_string()),
        }
    }
}
