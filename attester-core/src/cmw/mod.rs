//! RATS Conceptual Message Wrappers (draft-ietf-rats-msg-wrap), JSON and CBOR, and the
//! mapping of [`crate::Evidence`] onto a CMW collection.
//!
//! A [`Cmw`] is a [`Record`] (`[type, value, ? ind]`) or a [`Collection`] of labelled CMWs.
//! [`decode`] tells the serializations apart by the first byte, as the draft's demultiplexing
//! rule does; [`decode_json`] and [`decode_cbor`] take one serialization only.
//! [`Cmw::to_json`] and [`Cmw::to_cbor`] write the canonical form, so that decoding then
//! encoding canonical input gives back the same bytes. `docs/evidence-format.md` describes the
//! evidence profile and the limits.
//!
//! Decoding CBOR borrows record values from the input; decoding JSON owns them (they are
//! base64 there).

mod binding_record;
mod cbor;
mod collection;
mod error;
mod evidence;
mod json;
mod record;
mod syntax;
mod tag;

pub use cbor::decode_cbor;
pub use collection::{COLLECTION_TYPE_KEY, Collection, Label};
pub use error::{BindingError, CmwError};
pub use evidence::{
    BINDING_LABEL, ENDORSEMENT_PREFIX, EVENT_LOG_PREFIX, EVIDENCE_LABEL, EVIDENCE_PROFILE,
};
pub use json::decode_json;
pub use record::{Indicator, Record, RecordType};
pub use syntax::check_media_type;
pub use tag::{CF_TAG_MAX, CF_TAG_MAX_CF, CF_TAG_MIN, cf_to_tag, tag_to_cf};

/// The most collection levels a decoded CMW may have: a record inside 16 nested collections
/// is accepted, a 17th level is [`CmwError::TooDeep`]. The limit keeps decoding within a
/// small, fixed amount of stack.
pub const MAX_DEPTH: usize = 16;

/// The two serializations of a CMW.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// JSON (`application/cmw+json`).
    Json,
    /// CBOR (`application/cmw+cbor`).
    Cbor,
}

/// A Conceptual Message Wrapper: a record or a collection.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Cmw<'a> {
    /// One typed conceptual message.
    Record(Record<'a>),
    /// Labelled CMWs.
    Collection(Collection<'a>),
}

impl<'a> Cmw<'a> {
    /// The compact JSON serialization; an error if the CMW holds a content-format type or an
    /// integer label, which JSON cannot carry.
    pub fn to_json(&self) -> Result<String, CmwError> {
        let mut out = String::new();
        json::push_cmw(&mut out, self)?;
        Ok(out)
    }

    /// The CBOR serialization: preferred serialization, definite lengths, `__cmwc_t` first,
    /// records as arrays (a decoded Tag CMW is written as the equivalent record).
    pub fn to_cbor(&self) -> Vec<u8> {
        let mut out = Vec::new();
        cbor::push_cmw(&mut out, self);
        out
    }

    /// The record, if this is one.
    pub fn as_record(&self) -> Option<&Record<'a>> {
        match self {
            Self::Record(record) => Some(record),
            Self::Collection(_) => None,
        }
    }

    /// The collection, if this is one.
    pub fn as_collection(&self) -> Option<&Collection<'a>> {
        match self {
            Self::Collection(collection) => Some(collection),
            Self::Record(_) => None,
        }
    }

    /// The same CMW, owning everything.
    pub fn into_owned(self) -> Cmw<'static> {
        match self {
            Self::Record(record) => Cmw::Record(record.into_owned()),
            Self::Collection(collection) => Cmw::Collection(collection.into_owned()),
        }
    }
}

impl<'a> From<Record<'a>> for Cmw<'a> {
    fn from(record: Record<'a>) -> Self {
        Self::Record(record)
    }
}

impl<'a> From<Collection<'a>> for Cmw<'a> {
    fn from(collection: Collection<'a>) -> Self {
        Self::Collection(collection)
    }
}

/// The serialization of `bytes` by the draft's first-byte rule: 0x82, 0x83, 0x9f (record),
/// 0xda (Tag CMW), 0xa0..=0xbb, 0xbf (collection) are CBOR; `[` and `{`, after optional JSON
/// whitespace, are JSON. Anything else is [`CmwError::UnknownFirstByte`] with the first byte
/// that is not JSON whitespace.
pub fn encoding_of(bytes: &[u8]) -> Result<Encoding, CmwError> {
    match bytes.first() {
        None => Err(CmwError::Empty),
        Some(0x82 | 0x83 | 0x9f | 0xda | 0xa0..=0xbb | 0xbf) => Ok(Encoding::Cbor),
        Some(_) => match bytes.iter().find(|&&b| !json::is_json_whitespace(b)) {
            Some(b'[' | b'{') => Ok(Encoding::Json),
            Some(&b) => Err(CmwError::UnknownFirstByte(b)),
            None => Err(CmwError::Empty),
        },
    }
}

/// Decodes a CMW in either serialization, chosen by [`encoding_of`].
pub fn decode(bytes: &[u8]) -> Result<Cmw<'_>, CmwError> {
    match encoding_of(bytes)? {
        Encoding::Json => decode_json(bytes),
        Encoding::Cbor => decode_cbor(bytes),
    }
}
