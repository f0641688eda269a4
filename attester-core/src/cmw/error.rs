//! Why a CMW, or the evidence envelope inside one, was rejected.

use crate::error::ErrorKind;

/// An error decoding a CMW, encoding one as JSON, or mapping one to [`crate::Evidence`].
///
/// Every decode error is [`ErrorKind::Malformed`]; the variants say exactly what is wrong so
/// that tests and callers can tell the cases apart without matching on text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CmwError {
    /// The input is empty (or, for JSON, only whitespace).
    #[error("empty input")]
    Empty,
    /// The first byte starts none of the forms of the draft's demultiplexing rule.
    #[error("first byte {0:#04x} starts no CMW form")]
    UnknownFirstByte(u8),
    /// The input ends inside an item.
    #[error("input ends inside an item")]
    Truncated,
    /// Bytes that are not well-formed CBOR.
    #[error("invalid CBOR: {0}")]
    InvalidCbor(String),
    /// Text that is not well-formed JSON.
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    /// Bytes follow a complete CMW.
    #[error("bytes follow the CMW")]
    TrailingBytes,
    /// Collections are nested deeper than the limit ([`crate::cmw::MAX_DEPTH`]).
    #[error("collections nested deeper than {0} levels")]
    TooDeep(usize),
    /// A record array does not have 2 or 3 elements.
    #[error("a record has {0} elements; it must have 2 or 3")]
    WrongArity(u64),
    /// A collection has no entry besides `__cmwc_t`.
    #[error("a collection has no entry besides __cmwc_t")]
    EmptyCollection,
    /// A label occurs twice in one collection.
    #[error("label {0} occurs twice in one collection")]
    DuplicateLabel(String),
    /// `__cmwc_t` was used as an entry label when building a collection.
    #[error("label __cmwc_t is reserved for the collection type")]
    ReservedLabel,
    /// An item of the wrong type.
    #[error("{at}: expected {expected}, found {found}")]
    UnexpectedType {
        /// Where in the CMW the item is.
        at: &'static str,
        /// What the draft allows there.
        expected: &'static str,
        /// What was found.
        found: &'static str,
    },
    /// An indefinite-length CBOR byte or text string; a record value must be one contiguous
    /// slice of the input so that it can be borrowed.
    #[error("{0} is an indefinite-length string")]
    IndefiniteString(&'static str),
    /// An integer label outside the range of `i64`.
    #[error("integer label outside the range of i64")]
    LabelOutOfRange,
    /// `ind` is zero, wider than 32 bits, or not an unsigned integer.
    #[error("bad ind: {0}")]
    BadIndicator(&'static str),
    /// A JSON record value that is not base64url without padding (padding, `+` or `/`,
    /// non-zero trailing bits, an impossible length).
    #[error("record value is not unpadded base64url")]
    BadBase64,
    /// A record type string that is not a Content-Type (RFC 9193 ABNF).
    #[error("record type is not a media type: {0}")]
    BadMediaType(&'static str),
    /// A CoAP content format wider than 16 bits.
    #[error("content format {0} does not fit 16 bits")]
    BadContentFormat(u64),
    /// A CBOR tag outside the RFC 9277 content-format range, or one that maps to no content
    /// format.
    #[error("tag {0} is not an RFC 9277 content-format tag")]
    BadTag(u64),
    /// A `__cmwc_t` that is not text, or neither an absolute URI nor a dotted OID.
    #[error("__cmwc_t is neither an absolute URI nor an OID")]
    BadCollectionType,
    /// A value that the JSON serialization cannot carry (a content-format type, an integer
    /// label).
    #[error("cannot be encoded as JSON: {0}")]
    NotJson(&'static str),
    /// The evidence envelope is a record, not a collection.
    #[error("the evidence envelope is a record, not a collection")]
    NotACollection,
    /// The evidence envelope's `__cmwc_t` is absent or not the evidence profile.
    #[error("collection type {found:?} is not the evidence profile")]
    WrongProfile {
        /// The collection type found, if any.
        found: Option<String>,
    },
    /// A required entry of the evidence profile is absent.
    #[error("the evidence envelope has no {0:?} entry")]
    MissingEntry(&'static str),
    /// A label the evidence profile does not define.
    #[error("label {0} is not in the evidence profile")]
    UnknownLabel(String),
    /// An entry of the evidence profile is a collection where a record is required.
    #[error("entry {0} is a collection; the evidence profile requires a record")]
    NotARecord(String),
    /// An entry of the evidence profile typed by a content format; the profile uses media
    /// type strings only.
    #[error("entry {0} is typed by a content format; the evidence profile requires a media type")]
    ContentFormatType(String),
    /// An entry whose `ind` is not the one the evidence profile prescribes.
    #[error("entry {label} has ind {found:?}; the evidence profile requires {expected:?}")]
    WrongIndicator {
        /// The entry's label.
        label: String,
        /// The `ind` the profile prescribes.
        expected: Option<u32>,
        /// The `ind` found.
        found: Option<u32>,
    },
    /// Numbered entries (`endorsement-N`, `event-log-N`) do not count up from 0.
    #[error("{prefix}{index} is missing")]
    IndexGap {
        /// The label prefix.
        prefix: &'static str,
        /// The first missing index.
        index: usize,
    },
    /// The binding entry's media type is not a binding record type.
    #[error("binding entry has media type {0:?}")]
    BindingMediaType(String),
    /// The binding record is malformed.
    #[error("binding record: {0}")]
    Binding(#[from] BindingError),
}

impl CmwError {
    /// The class of this error: [`ErrorKind::Unsupported`] for a value that JSON cannot carry,
    /// [`ErrorKind::Malformed`] for everything else.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::NotJson(_) => ErrorKind::Unsupported,
            _ => ErrorKind::Malformed,
        }
    }
}

/// What is wrong with a binding record (`application/vnd.attester.binding+json|+cbor`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BindingError {
    /// Not well-formed JSON or CBOR.
    #[error("not well-formed: {0}")]
    Syntax(String),
    /// The record ends inside an item.
    #[error("truncated")]
    Truncated,
    /// Bytes follow the map.
    #[error("bytes follow the map")]
    TrailingBytes,
    /// The top-level item is not a map (JSON object).
    #[error("not a map")]
    NotAMap,
    /// A key that is not a text string.
    #[error("a key is not text")]
    KeyNotText,
    /// A key the schema does not define.
    #[error("unknown key {0:?}")]
    UnknownKey(String),
    /// A key that occurs twice.
    #[error("key {0:?} occurs twice")]
    DuplicateKey(&'static str),
    /// A required key is absent.
    #[error("key {0:?} is missing")]
    MissingKey(&'static str),
    /// A value of the wrong type (text where bytes are required, or the reverse).
    #[error("key {0:?} has a value of the wrong type")]
    WrongType(&'static str),
    /// `hash` or `label` in a record whose mode is `raw`.
    #[error("key {0:?} is only allowed with mode tls-exporter")]
    NotForRaw(&'static str),
    /// The JSON challenge is not lower-case hex of whole bytes.
    #[error("challenge is not lower-case hex")]
    ChallengeHex,
    /// The challenge is not 8..=64 bytes.
    #[error("challenge is {0} bytes; 8..=64 are accepted")]
    ChallengeLength(usize),
    /// A platform name that [`crate::Platform::from_name`] does not know.
    #[error("unknown platform {0:?}")]
    UnknownPlatform(String),
    /// A mode other than `raw` and `tls-exporter`.
    #[error("unknown mode {0:?}")]
    UnknownMode(String),
    /// A hash other than `sha256` and `sha384`.
    #[error("unknown hash {0:?}")]
    UnknownHash(String),
    /// A fill rule that [`crate::FillRule::from_name`] does not know.
    #[error("unknown fill rule {0:?}")]
    UnknownFill(String),
}
