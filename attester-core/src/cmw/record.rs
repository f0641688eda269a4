//! The Record CMW: a typed value, and the conceptual-message indicator.

use std::borrow::Cow;
use std::fmt;
use std::ops::BitOr;

/// The `ind` bitmap: which RATS conceptual messages a record's value carries.
///
/// Non-zero and at most 32 bits wide, as the draft requires; the constructor enforces both,
/// so a value of this type is always valid on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Indicator(u32);

impl Indicator {
    /// Bit 0: reference values.
    pub const REFERENCE_VALUES: Self = Self(1);
    /// Bit 1: endorsements.
    pub const ENDORSEMENTS: Self = Self(2);
    /// Bit 2: evidence.
    pub const EVIDENCE: Self = Self(4);
    /// Bit 3: attestation results.
    pub const ATTESTATION_RESULTS: Self = Self(8);
    /// Bit 4: appraisal policy.
    pub const APPRAISAL_POLICY: Self = Self(16);

    /// The indicator with these bits; `None` for zero, which the draft forbids (an absent
    /// indicator is written by omitting `ind`).
    ///
    /// Bits the draft has not registered are kept: the draft allows any value up to
    /// 2^32 - 1 so that later registrations remain decodable.
    pub const fn new(bits: u32) -> Option<Self> {
        if bits == 0 { None } else { Some(Self(bits)) }
    }

    /// The bitmap as written on the wire.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Whether every bit of `other` is set in `self`.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
}

impl BitOr for Indicator {
    type Output = Self;

    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

impl fmt::Display for Indicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The `type` of a record: a media type string, or (CBOR only) a CoAP content format.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RecordType<'a> {
    /// A Content-Type string such as `application/eat+cwt; eat_profile="…"`.
    MediaType(Cow<'a, str>),
    /// A CoAP Content-Format number (RFC 7252 §12.3); the JSON serialization cannot carry it.
    ContentFormat(u16),
}

impl RecordType<'_> {
    /// The media type string, when the type is one.
    pub fn media_type(&self) -> Option<&str> {
        match self {
            Self::MediaType(text) => Some(text),
            Self::ContentFormat(_) => None,
        }
    }

    /// The same type, owning its text.
    pub fn into_owned(self) -> RecordType<'static> {
        match self {
            Self::MediaType(text) => RecordType::MediaType(Cow::Owned(text.into_owned())),
            Self::ContentFormat(cf) => RecordType::ContentFormat(cf),
        }
    }
}

impl<'a> From<&'a str> for RecordType<'a> {
    fn from(text: &'a str) -> Self {
        Self::MediaType(Cow::Borrowed(text))
    }
}

impl From<String> for RecordType<'_> {
    fn from(text: String) -> Self {
        Self::MediaType(Cow::Owned(text))
    }
}

impl<'a> From<Cow<'a, str>> for RecordType<'a> {
    fn from(text: Cow<'a, str>) -> Self {
        Self::MediaType(text)
    }
}

impl From<u16> for RecordType<'_> {
    fn from(cf: u16) -> Self {
        Self::ContentFormat(cf)
    }
}

impl fmt::Display for RecordType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MediaType(text) => f.write_str(text),
            Self::ContentFormat(cf) => write!(f, "content-format {cf}"),
        }
    }
}

/// A Record CMW: `[type, value, ? ind]`.
///
/// A CBOR Tag CMW (`#6.TN(cf)(bytes)`) decodes to a record with a
/// [`RecordType::ContentFormat`] type and no `ind`; it is the same conceptual message and is
/// encoded back in the record form.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Record<'a> {
    /// What the value is.
    pub media_type: RecordType<'a>,
    /// The conceptual message, exactly as its producer serialized it. Decoding CBOR borrows it
    /// from the input.
    pub value: Cow<'a, [u8]>,
    /// Which conceptual messages the value carries, when the type alone does not say.
    pub ind: Option<Indicator>,
}

impl<'a> Record<'a> {
    /// A record without an indicator.
    pub fn new(media_type: impl Into<RecordType<'a>>, value: impl Into<Cow<'a, [u8]>>) -> Self {
        Self {
            media_type: media_type.into(),
            value: value.into(),
            ind: None,
        }
    }

    /// The same record with `ind` set.
    #[must_use]
    pub fn with_ind(self, ind: Indicator) -> Self {
        Self {
            ind: Some(ind),
            ..self
        }
    }

    /// The same record, owning its type and value.
    pub fn into_owned(self) -> Record<'static> {
        Record {
            media_type: self.media_type.into_owned(),
            value: Cow::Owned(self.value.into_owned()),
            ind: self.ind,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indicator_rejects_zero_and_combines() {
        assert_eq!(Indicator::new(0), None);
        assert_eq!(Indicator::new(4), Some(Indicator::EVIDENCE));
        let both = Indicator::REFERENCE_VALUES | Indicator::ENDORSEMENTS;
        assert_eq!(both.bits(), 3);
        assert!(both.contains(Indicator::ENDORSEMENTS));
        assert!(!both.contains(Indicator::EVIDENCE));
        assert_eq!(
            Indicator::new(u32::MAX).map(Indicator::bits),
            Some(u32::MAX)
        );
    }

    #[test]
    fn registered_bits_are_the_drafts() {
        let bits = [
            Indicator::REFERENCE_VALUES,
            Indicator::ENDORSEMENTS,
            Indicator::EVIDENCE,
            Indicator::ATTESTATION_RESULTS,
            Indicator::APPRAISAL_POLICY,
        ]
        .map(Indicator::bits);
        assert_eq!(bits, [1, 2, 4, 8, 16]);
    }
}
