//! The errors of the event-log and IMA parsers: one variant per way a log can be malformed, each
//! with the byte offset (or line) of the record at fault, so a caller can point at it.
//!
//! Named `eventlog::error` so that it stays apart from the crate's quote and device errors.

use attester_core::{Error, ErrorKind};

/// Why a TCG event log could not be parsed. Every variant is [`ErrorKind::Malformed`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EventLogError {
    /// The log has no bytes.
    #[error("the event log is empty")]
    Empty,
    /// A record runs past the end of the log (this includes trailing bytes too short to be a
    /// record).
    #[error("record at byte {offset}: {what} needs {needed} bytes, {left} left")]
    Truncated {
        /// Where the record starts.
        offset: usize,
        /// The part that does not fit.
        what: &'static str,
        /// Bytes that part needs.
        needed: u64,
        /// Bytes left in the log from where that part starts.
        left: usize,
    },
    /// The `Spec ID Event03` header is malformed.
    #[error("Spec ID event: {reason}")]
    SpecId {
        /// What is wrong.
        reason: &'static str,
    },
    /// A digest of an algorithm that the Spec ID event does not list.
    #[error(
        "record at byte {offset}: digest algorithm 0x{algorithm:04x} is not in the Spec ID event"
    )]
    UnknownAlgorithm {
        /// Where the record starts.
        offset: usize,
        /// The TPM_ALG_ID found.
        algorithm: u16,
    },
    /// A record whose digest list is not one digest per algorithm of the Spec ID event.
    #[error(
        "record at byte {offset}: {count} digests, the Spec ID event lists {expected} algorithms"
    )]
    DigestCount {
        /// Where the record starts.
        offset: usize,
        /// The count found.
        count: u32,
        /// The number of algorithms of the log.
        expected: usize,
    },
    /// The same algorithm twice in one record's digest list.
    #[error("record at byte {offset}: algorithm 0x{algorithm:04x} appears twice")]
    DuplicateAlgorithm {
        /// Where the record starts.
        offset: usize,
        /// The repeated TPM_ALG_ID.
        algorithm: u16,
    },
    /// A PCR index outside 0..=23 (PC Client TPMs have 24 PCRs).
    #[error("record at byte {offset}: PCR index {pcr} is not 0..=23")]
    PcrIndex {
        /// Where the record starts.
        offset: usize,
        /// The index found.
        pcr: u32,
    },
    /// A `StartupLocality` event that is malformed, repeated, or after PCR0 was extended.
    #[error("record at byte {offset}: StartupLocality event: {reason}")]
    StartupLocality {
        /// Where the record starts.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
}

impl EventLogError {
    /// The class of the error.
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::Malformed
    }
}

impl From<EventLogError> for Error {
    fn from(e: EventLogError) -> Self {
        Error::malformed("TPM event log", e.to_string())
    }
}

/// Why an IMA measurement list could not be parsed. Every variant is [`ErrorKind::Malformed`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImaError {
    /// An ASCII line that does not have the fields of its template.
    #[error("line {line}: {reason}")]
    Line {
        /// The 1-based line number.
        line: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// A binary record that runs past the end of the list or has a bad length.
    #[error("record at byte {offset}: {reason}")]
    Record {
        /// Where the record starts.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// A template hash that is not the SHA-1 of the entry's template data.
    #[error("entry {entry}: the template hash does not match the template data")]
    TemplateHash {
        /// The 0-based entry number.
        entry: usize,
    },
}

impl ImaError {
    /// The class of the error.
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::Malformed
    }
}

impl From<ImaError> for Error {
    fn from(e: ImaError) -> Self {
        Error::malformed("IMA measurement list", e.to_string())
    }
}
