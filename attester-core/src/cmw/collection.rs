//! The Collection CMW: labelled CMWs under an optional collection type.

use super::Cmw;
use super::error::CmwError;
use std::borrow::Cow;
use std::fmt;

/// The reserved key that carries a collection's type.
pub const COLLECTION_TYPE_KEY: &str = "__cmwc_t";

/// Collections up to this size are checked for duplicate labels pair by pair; larger ones are
/// sorted first so that a hostile map with many entries costs O(n log n), not O(n²).
const PAIRWISE_LIMIT: usize = 16;

/// A collection label: text, or (CBOR only) an integer.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label<'a> {
    /// An integer label; the draft allows them in CBOR collections only.
    Int(i64),
    /// A text label.
    Text(Cow<'a, str>),
}

impl Label<'_> {
    /// The text, when the label is text.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Self::Text(text) => Some(text),
            Self::Int(_) => None,
        }
    }

    /// The same label, owning its text.
    pub fn into_owned(self) -> Label<'static> {
        match self {
            Self::Int(n) => Label::Int(n),
            Self::Text(text) => Label::Text(Cow::Owned(text.into_owned())),
        }
    }
}

impl<'a> From<&'a str> for Label<'a> {
    fn from(text: &'a str) -> Self {
        Self::Text(Cow::Borrowed(text))
    }
}

impl From<String> for Label<'_> {
    fn from(text: String) -> Self {
        Self::Text(Cow::Owned(text))
    }
}

impl From<i64> for Label<'_> {
    fn from(n: i64) -> Self {
        Self::Int(n)
    }
}

/// Text labels are shown quoted so that `"1"` and `1` are told apart in messages.
impl fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Int(n) => n.fmt(f),
            Self::Text(text) => write!(f, "{text:?}"),
        }
    }
}

/// A Collection CMW: `{ ? "__cmwc_t": uri / oid, + label => cmw }`.
///
/// Entries keep their order: the encoders write `__cmwc_t` first, then the entries in this
/// order, which makes encoding deterministic.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Collection<'a> {
    /// The collection type (`__cmwc_t`): an absolute URI or a dotted OID.
    pub ctype: Option<Cow<'a, str>>,
    /// The labelled entries; at least one, labels unique.
    pub entries: Vec<(Label<'a>, Cmw<'a>)>,
}

impl<'a> Collection<'a> {
    /// An empty, untyped collection (add at least one entry before encoding it).
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty collection of type `ctype`.
    pub fn with_type(ctype: impl Into<Cow<'a, str>>) -> Self {
        Self {
            ctype: Some(ctype.into()),
            entries: Vec::new(),
        }
    }

    /// Appends an entry; an error if the label is `__cmwc_t` or already present.
    pub fn push(
        &mut self,
        label: impl Into<Label<'a>>,
        cmw: impl Into<Cmw<'a>>,
    ) -> Result<(), CmwError> {
        let label = label.into();
        if label.as_text() == Some(COLLECTION_TYPE_KEY) {
            return Err(CmwError::ReservedLabel);
        }
        if self.entries.iter().any(|(existing, _)| *existing == label) {
            return Err(CmwError::DuplicateLabel(label.to_string()));
        }
        self.entries.push((label, cmw.into()));
        Ok(())
    }

    /// The entry with text label `label`.
    pub fn get(&self, label: &str) -> Option<&Cmw<'a>> {
        self.entries
            .iter()
            .find(|(l, _)| l.as_text() == Some(label))
            .map(|(_, cmw)| cmw)
    }

    /// The entry with integer label `label`.
    pub fn get_int(&self, label: i64) -> Option<&Cmw<'a>> {
        self.entries
            .iter()
            .find(|(l, _)| *l == Label::Int(label))
            .map(|(_, cmw)| cmw)
    }

    /// The same collection, owning everything.
    pub fn into_owned(self) -> Collection<'static> {
        Collection {
            ctype: self.ctype.map(|t| Cow::Owned(t.into_owned())),
            entries: self
                .entries
                .into_iter()
                .map(|(label, cmw)| (label.into_owned(), cmw.into_owned()))
                .collect(),
        }
    }
}

/// Checks what the decoders must enforce once all entries are read: at least one entry, and
/// no label twice.
pub(crate) fn check_entries(entries: &[(Label<'_>, Cmw<'_>)]) -> Result<(), CmwError> {
    if entries.is_empty() {
        return Err(CmwError::EmptyCollection);
    }
    match first_duplicate(entries) {
        Some(label) => Err(CmwError::DuplicateLabel(label.to_string())),
        None => Ok(()),
    }
}

fn first_duplicate<'e, 'a>(entries: &'e [(Label<'a>, Cmw<'a>)]) -> Option<&'e Label<'a>> {
    if entries.len() <= PAIRWISE_LIMIT {
        return entries.iter().enumerate().find_map(|(i, (label, _))| {
            entries
                .iter()
                .skip(i + 1)
                .any(|(other, _)| other == label)
                .then_some(label)
        });
    }
    let mut labels: Vec<&Label<'a>> = entries.iter().map(|(label, _)| label).collect();
    labels.sort_unstable();
    labels.windows(2).find_map(|pair| match pair {
        [a, b] if a == b => Some(*a),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmw::Record;

    fn rec() -> Cmw<'static> {
        Cmw::Record(Record::new("application/octet-stream", vec![1]))
    }

    #[test]
    fn push_rejects_reserved_and_duplicate_labels() {
        let mut c = Collection::new();
        assert_eq!(
            c.push(COLLECTION_TYPE_KEY, rec()),
            Err(CmwError::ReservedLabel)
        );
        c.push("a", rec()).unwrap();
        c.push(1, rec()).unwrap();
        c.push("1", rec()).unwrap();
        assert_eq!(
            c.push("a", rec()),
            Err(CmwError::DuplicateLabel("\"a\"".to_owned()))
        );
        assert_eq!(
            c.push(1, rec()),
            Err(CmwError::DuplicateLabel("1".to_owned()))
        );
        assert!(c.get("1").is_some());
        assert!(c.get_int(1).is_some());
        assert!(c.get("b").is_none());
    }

    #[test]
    fn duplicates_found_in_small_and_large_collections() {
        for n in [2usize, 16, 17, 300] {
            let mut entries: Vec<(Label<'static>, Cmw<'static>)> =
                (0..n).map(|i| (Label::Int(i as i64), rec())).collect();
            assert_eq!(check_entries(&entries), Ok(()));
            entries.push((Label::Int(n as i64 / 2), rec()));
            assert_eq!(
                check_entries(&entries),
                Err(CmwError::DuplicateLabel((n / 2).to_string()))
            );
        }
        assert_eq!(check_entries(&[]), Err(CmwError::EmptyCollection));
    }
}
