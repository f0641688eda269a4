//! The evidence profile: [`Evidence`] as a CMW collection, and back.
//!
//! ```text
//! { "__cmwc_t": EVIDENCE_PROFILE,
//!   "evidence":      [body media type, body, 4],
//!   "binding":       ["application/vnd.attester.binding+json" or "+cbor", binding record],
//!   "endorsement-0": [media type, bytes, 2], "endorsement-1": …,
//!   "event-log-0":   [media type, bytes],    "event-log-1": … }
//! ```
//!
//! Event logs carry no `ind`: a measurement log is none of the draft's conceptual messages on
//! its own; it is evidence-adjacent input that the verifier replays against the evidence.
//! The binding record carries none either: it describes the evidence rather than being one.

use super::binding_record;
use super::collection::{COLLECTION_TYPE_KEY, Collection, Label};
use super::error::CmwError;
use super::json::{push_record, push_string};
use super::record::{Indicator, Record, RecordType};
use super::{Cmw, Encoding, decode};
use crate::error::Result;
use crate::evidence::{Evidence, Item};
use crate::media_types::{BINDING_CBOR, BINDING_JSON};
use std::borrow::Cow;

/// The `__cmwc_t` of an evidence envelope.
pub const EVIDENCE_PROFILE: &str = "tag:github.com,2026:attester-rs/attester/evidence/v1";
/// The label of the platform's evidence.
pub const EVIDENCE_LABEL: &str = "evidence";
/// The label of the binding record.
pub const BINDING_LABEL: &str = "binding";
/// The prefix of endorsement labels, numbered from 0 (`endorsement-0`, `endorsement-1`, …).
pub const ENDORSEMENT_PREFIX: &str = "endorsement-";
/// The prefix of event-log labels, numbered from 0 (`event-log-0`, …).
pub const EVENT_LOG_PREFIX: &str = "event-log-";

/// One record of the envelope, before it is serialized.
struct Entry<'e> {
    label: Cow<'static, str>,
    media_type: &'e str,
    value: Cow<'e, [u8]>,
    ind: Option<Indicator>,
}

impl Evidence {
    /// The evidence envelope in `encoding`: a CMW collection of the evidence profile, its
    /// binding record in the same serialization.
    ///
    /// Media types are written as they are; [`Evidence::from_cmw`] checks them, so an item
    /// with a type that is not a valid Content-Type produces an envelope that is refused.
    pub fn to_cmw(&self, encoding: Encoding) -> Vec<u8> {
        let entries = self.entries(encoding);
        match encoding {
            Encoding::Json => {
                let mut out = String::from("{");
                push_string(&mut out, COLLECTION_TYPE_KEY);
                out.push(':');
                push_string(&mut out, EVIDENCE_PROFILE);
                for entry in &entries {
                    out.push(',');
                    push_string(&mut out, &entry.label);
                    out.push(':');
                    push_record(&mut out, entry.media_type, &entry.value, entry.ind);
                }
                out.push('}');
                out.into_bytes()
            }
            Encoding::Cbor => Cmw::Collection(collection(entries)).to_cbor(),
        }
    }

    /// The evidence envelope as a [`Cmw`] value, borrowing the items, for embedding in a larger
    /// collection; `binding` chooses the binding record's serialization.
    pub fn to_cmw_value(&self, binding: Encoding) -> Cmw<'_> {
        Cmw::Collection(collection(self.entries(binding)))
    }

    /// Decodes an evidence envelope in either serialization.
    pub fn from_cmw(bytes: &[u8]) -> Result<Self> {
        let cmw = decode(bytes)?;
        Self::from_cmw_value(&cmw)
    }

    /// Maps a decoded CMW of the evidence profile onto [`Evidence`]: the profile URI, the
    /// `evidence` and `binding` entries are required, and any other label is an error.
    pub fn from_cmw_value(cmw: &Cmw<'_>) -> Result<Self> {
        Ok(from_value(cmw)?)
    }

    fn entries(&self, binding: Encoding) -> Vec<Entry<'_>> {
        let (binding_type, binding_record) = match binding {
            Encoding::Json => (BINDING_JSON, binding_record::to_json(self)),
            Encoding::Cbor => (BINDING_CBOR, binding_record::to_cbor(self)),
        };
        let mut entries = Vec::with_capacity(2 + self.endorsements.len() + self.event_logs.len());
        entries.push(Entry {
            label: Cow::Borrowed(EVIDENCE_LABEL),
            media_type: &self.body.media_type,
            value: Cow::Borrowed(&self.body.bytes),
            ind: Some(Indicator::EVIDENCE),
        });
        entries.push(Entry {
            label: Cow::Borrowed(BINDING_LABEL),
            media_type: binding_type,
            value: Cow::Owned(binding_record),
            ind: None,
        });
        for (i, item) in self.endorsements.iter().enumerate() {
            entries.push(Entry {
                label: Cow::Owned(format!("{ENDORSEMENT_PREFIX}{i}")),
                media_type: &item.media_type,
                value: Cow::Borrowed(&item.bytes),
                ind: Some(Indicator::ENDORSEMENTS),
            });
        }
        for (i, item) in self.event_logs.iter().enumerate() {
            entries.push(Entry {
                label: Cow::Owned(format!("{EVENT_LOG_PREFIX}{i}")),
                media_type: &item.media_type,
                value: Cow::Borrowed(&item.bytes),
                ind: None,
            });
        }
        entries
    }
}

fn collection(entries: Vec<Entry<'_>>) -> Collection<'_> {
    Collection {
        ctype: Some(Cow::Borrowed(EVIDENCE_PROFILE)),
        entries: entries
            .into_iter()
            .map(|entry| {
                let record = Record {
                    media_type: RecordType::MediaType(Cow::Borrowed(entry.media_type)),
                    value: entry.value,
                    ind: entry.ind,
                };
                (Label::Text(entry.label), Cmw::Record(record))
            })
            .collect(),
    }
}

#[derive(Clone, Copy)]
enum Slot {
    Evidence,
    Binding,
    Endorsement(usize),
    EventLog(usize),
}

impl Slot {
    fn of(label: &str) -> Option<Self> {
        match label {
            EVIDENCE_LABEL => Some(Self::Evidence),
            BINDING_LABEL => Some(Self::Binding),
            _ => {
                if let Some(n) = label.strip_prefix(ENDORSEMENT_PREFIX) {
                    index(n).map(Self::Endorsement)
                } else {
                    index(label.strip_prefix(EVENT_LOG_PREFIX)?).map(Self::EventLog)
                }
            }
        }
    }

    fn ind(self) -> Option<Indicator> {
        match self {
            Self::Evidence => Some(Indicator::EVIDENCE),
            Self::Endorsement(_) => Some(Indicator::ENDORSEMENTS),
            Self::Binding | Self::EventLog(_) => None,
        }
    }
}

/// A decimal index without leading zeros, so that each entry has one label.
fn index(digits: &str) -> Option<usize> {
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if canonical { digits.parse().ok() } else { None }
}

fn from_value(cmw: &Cmw<'_>) -> Result<Evidence, CmwError> {
    let Cmw::Collection(envelope) = cmw else {
        return Err(CmwError::NotACollection);
    };
    if envelope.ctype.as_deref() != Some(EVIDENCE_PROFILE) {
        return Err(CmwError::WrongProfile {
            found: envelope.ctype.as_deref().map(str::to_owned),
        });
    }
    let mut body = None;
    let mut binding = None;
    let mut endorsements = Vec::new();
    let mut event_logs = Vec::new();
    for (label, entry) in &envelope.entries {
        let slot = label
            .as_text()
            .and_then(Slot::of)
            .ok_or_else(|| CmwError::UnknownLabel(label.to_string()))?;
        let Cmw::Record(record) = entry else {
            return Err(CmwError::NotARecord(label.to_string()));
        };
        let RecordType::MediaType(media_type) = &record.media_type else {
            return Err(CmwError::ContentFormatType(label.to_string()));
        };
        if record.ind != slot.ind() {
            return Err(CmwError::WrongIndicator {
                label: label.to_string(),
                expected: slot.ind().map(Indicator::bits),
                found: record.ind.map(Indicator::bits),
            });
        }
        let item = || Item::new(media_type.to_string(), record.value.to_vec());
        match slot {
            Slot::Evidence => set_once(&mut body, label, item())?,
            Slot::Binding => set_once(&mut binding, label, (media_type, &record.value))?,
            Slot::Endorsement(i) => endorsements.push((i, item())),
            Slot::EventLog(i) => event_logs.push((i, item())),
        }
    }
    let body = body.ok_or(CmwError::MissingEntry(EVIDENCE_LABEL))?;
    let (binding_type, binding_value) = binding.ok_or(CmwError::MissingEntry(BINDING_LABEL))?;
    // The record's own media type says how to read it, so an envelope converted between
    // serializations by a generic CMW tool still decodes.
    let fields = match binding_type.as_ref() {
        BINDING_JSON => binding_record::from_json(binding_value)?,
        BINDING_CBOR => binding_record::from_cbor(binding_value)?,
        other => return Err(CmwError::BindingMediaType(other.to_owned())),
    };
    Ok(Evidence {
        platform: fields.platform,
        challenge: fields.challenge,
        binding: fields.mode,
        fill: fields.fill,
        body,
        endorsements: in_order(endorsements, ENDORSEMENT_PREFIX)?,
        event_logs: in_order(event_logs, EVENT_LOG_PREFIX)?,
    })
}

/// Guards against a hand-built collection holding a label twice (a decoded one cannot).
fn set_once<T>(slot: &mut Option<T>, label: &Label<'_>, value: T) -> Result<(), CmwError> {
    if slot.is_some() {
        return Err(CmwError::DuplicateLabel(label.to_string()));
    }
    *slot = Some(value);
    Ok(())
}

/// The items sorted by index, which must run 0, 1, 2, … without gaps or repeats.
fn in_order(mut items: Vec<(usize, Item)>, prefix: &'static str) -> Result<Vec<Item>, CmwError> {
    items.sort_by_key(|(i, _)| *i);
    for (expected, (i, _)) in items.iter().enumerate() {
        if *i < expected {
            return Err(CmwError::DuplicateLabel(format!("\"{prefix}{i}\"")));
        }
        if *i > expected {
            return Err(CmwError::IndexGap {
                prefix,
                index: expected,
            });
        }
    }
    Ok(items.into_iter().map(|(_, item)| item).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_have_one_spelling() {
        assert!(matches!(
            Slot::of("endorsement-0"),
            Some(Slot::Endorsement(0))
        ));
        assert!(matches!(
            Slot::of("endorsement-12"),
            Some(Slot::Endorsement(12))
        ));
        assert!(matches!(Slot::of("event-log-3"), Some(Slot::EventLog(3))));
        for bad in [
            "endorsement-",
            "endorsement-01",
            "endorsement-+1",
            "endorsement-1a",
            "event-log-00",
            "Evidence",
            "endorsement-99999999999999999999999",
        ] {
            assert!(Slot::of(bad).is_none(), "{bad}");
        }
    }
}
