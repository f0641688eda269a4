//! Parse errors of the TPM structures.

use attester_core::{Error, ErrorKind};

/// Why bytes are not a valid TPM structure. Offsets count from the start of the structure.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TpmError {
    /// The input ends inside a field.
    #[error("{what}: truncated at offset {offset} (needs {need} more bytes)")]
    Truncated {
        /// The field being read.
        what: &'static str,
        /// Where it starts.
        offset: usize,
        /// How many bytes are missing.
        need: usize,
    },
    /// A `TPM2B` or count larger than the structure allows.
    #[error("{what}: {len} exceeds the maximum {max}")]
    TooLong {
        /// The field.
        what: &'static str,
        /// The length or count found.
        len: usize,
        /// The largest allowed.
        max: usize,
    },
    /// Bytes after the end of the structure.
    #[error("{what}: {len} bytes after the end")]
    TrailingBytes {
        /// The structure.
        what: &'static str,
        /// How many bytes follow it.
        len: usize,
    },
    /// `magic` is not TPM_GENERATED_VALUE (0xff544347).
    #[error("TPMS_ATTEST magic is {0:#010x}, not TPM_GENERATED_VALUE")]
    BadMagic(u32),
    /// The TPMS_ATTEST is not a quote (`type` is not TPM_ST_ATTEST_QUOTE).
    #[error("TPMS_ATTEST type is {0:#06x}, not TPM_ST_ATTEST_QUOTE (0x8018)")]
    NotAQuote(u16),
    /// An algorithm, scheme, curve or key type this crate does not handle.
    #[error("{what} {value:#06x} is not supported")]
    Unsupported {
        /// What the value names.
        what: &'static str,
        /// The value.
        value: u16,
    },
    /// A field whose value is inconsistent with the rest of the structure.
    #[error("{what}: {reason}")]
    Invalid {
        /// The field.
        what: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
}

impl TpmError {
    /// The core's class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Unsupported { .. } => ErrorKind::Unsupported,
            _ => ErrorKind::Malformed,
        }
    }
}

impl From<TpmError> for Error {
    fn from(e: TpmError) -> Self {
        match e {
            TpmError::Unsupported { .. } => Error::Unsupported(e.to_string().into()),
            other => Error::malformed("TPM structure", other.to_string()),
        }
    }
}
