//! The CBOR serialization: a borrowed decoder over minicbor, and a deterministic encoder.
//!
//! Decoding never builds a generic CBOR tree: it walks the input once with a
//! [`minicbor::Decoder`] and borrows every record value and text string from it, so decoding a
//! record allocates nothing and a collection allocates only its entry vector.
//!
//! Accepted beyond the canonical form: indefinite-length arrays and maps (the draft's
//! demultiplexing rule names 0x9f and 0xbf), integers and lengths in longer-than-needed
//! encodings, `__cmwc_t` anywhere in its map, and Tag CMWs. Refused: indefinite-length byte
//! and text strings, because a value split into chunks cannot be borrowed as one slice.
//!
//! Encoding writes the canonical form: RFC 8949 §4.2.1 preferred serialization, definite
//! lengths, `__cmwc_t` first, and records as arrays.

use super::collection::{COLLECTION_TYPE_KEY, Collection, Label, check_entries};
use super::error::CmwError;
use super::record::{Indicator, Record, RecordType};
use super::syntax::{check_collection_type, check_media_type};
use super::tag::tag_to_cf;
use super::{Cmw, MAX_DEPTH};
use minicbor::Decoder;
use minicbor::data::Type;
use std::borrow::Cow;

/// Entry vectors start at most this large, whatever a map header claims, so that a forged
/// length cannot make the decoder reserve memory the input cannot fill.
const INITIAL_ENTRIES: usize = 8;

/// Decodes a CBOR CMW (record, Tag CMW or collection) that spans all of `bytes`.
///
/// Record values, media types, labels and the collection type are borrowed from `bytes`.
pub fn decode_cbor(bytes: &[u8]) -> Result<Cmw<'_>, CmwError> {
    if bytes.is_empty() {
        return Err(CmwError::Empty);
    }
    let mut d = Decoder::new(bytes);
    let cmw = item(&mut d, 0)?;
    if d.position() != bytes.len() {
        return Err(CmwError::TrailingBytes);
    }
    Ok(cmw)
}

/// One CMW inside `enclosing` collections; the depth is checked before descending so that
/// hostile nesting is refused without using stack.
fn item<'b>(d: &mut Decoder<'b>, enclosing: usize) -> Result<Cmw<'b>, CmwError> {
    match d.datatype().map_err(from_minicbor)? {
        Type::Array | Type::ArrayIndef => record(d).map(Cmw::Record),
        Type::Map | Type::MapIndef => {
            if enclosing >= MAX_DEPTH {
                return Err(CmwError::TooDeep(MAX_DEPTH));
            }
            collection(d, enclosing + 1).map(Cmw::Collection)
        }
        Type::Tag => tagged(d).map(Cmw::Record),
        other => Err(CmwError::UnexpectedType {
            at: "CMW",
            expected: "an array, a map or a tag",
            found: type_name(other),
        }),
    }
}

fn record<'b>(d: &mut Decoder<'b>) -> Result<Record<'b>, CmwError> {
    let declared = d.array().map_err(from_minicbor)?;
    if let Some(n) = declared {
        if !(2..=3).contains(&n) {
            return Err(CmwError::WrongArity(n));
        }
    }
    let mut items = Items::new(declared);
    if !items.next(d)? {
        return Err(CmwError::WrongArity(0));
    }
    let media_type = record_type(d)?;
    if !items.next(d)? {
        return Err(CmwError::WrongArity(1));
    }
    let value = byte_string(d, "record value")?;
    let ind = if items.next(d)? {
        let ind = indicator(d)?;
        if items.next(d)? {
            // Only an indefinite array gets here; count what is left for the message.
            return Err(CmwError::WrongArity(items.count_rest(d)?));
        }
        Some(ind)
    } else {
        None
    };
    Ok(Record {
        media_type,
        value: Cow::Borrowed(value),
        ind,
    })
}

fn record_type<'b>(d: &mut Decoder<'b>) -> Result<RecordType<'b>, CmwError> {
    match d.datatype().map_err(from_minicbor)? {
        Type::String => {
            let text = d.str().map_err(from_minicbor)?;
            check_media_type(text)?;
            Ok(RecordType::MediaType(Cow::Borrowed(text)))
        }
        Type::StringIndef => Err(CmwError::IndefiniteString("record type")),
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => {
            let cf = d.u64().map_err(from_minicbor)?;
            u16::try_from(cf)
                .map(RecordType::ContentFormat)
                .map_err(|_| CmwError::BadContentFormat(cf))
        }
        other => Err(CmwError::UnexpectedType {
            at: "record type",
            expected: "a text string or an unsigned integer",
            found: type_name(other),
        }),
    }
}

fn indicator(d: &mut Decoder<'_>) -> Result<Indicator, CmwError> {
    match d.datatype().map_err(from_minicbor)? {
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => {
            let bits = d.u64().map_err(from_minicbor)?;
            let bits =
                u32::try_from(bits).map_err(|_| CmwError::BadIndicator("wider than 32 bits"))?;
            Indicator::new(bits).ok_or(CmwError::BadIndicator("zero"))
        }
        _ => Err(CmwError::BadIndicator("not an unsigned integer")),
    }
}

fn byte_string<'b>(d: &mut Decoder<'b>, at: &'static str) -> Result<&'b [u8], CmwError> {
    match d.datatype().map_err(from_minicbor)? {
        Type::Bytes => d.bytes().map_err(from_minicbor),
        Type::BytesIndef => Err(CmwError::IndefiniteString(at)),
        other => Err(CmwError::UnexpectedType {
            at,
            expected: "a byte string",
            found: type_name(other),
        }),
    }
}

/// A Tag CMW: `#6.TN(cf)(bytes)` becomes a record typed by `cf`.
fn tagged<'b>(d: &mut Decoder<'b>) -> Result<Record<'b>, CmwError> {
    let tag = d.tag().map_err(from_minicbor)?.as_u64();
    let cf = tag_to_cf(tag).ok_or(CmwError::BadTag(tag))?;
    let value = byte_string(d, "tag content")?;
    Ok(Record {
        media_type: RecordType::ContentFormat(cf),
        value: Cow::Borrowed(value),
        ind: None,
    })
}

fn collection<'b>(d: &mut Decoder<'b>, level: usize) -> Result<Collection<'b>, CmwError> {
    let declared = d.map().map_err(from_minicbor)?;
    let capacity = declared.map_or(INITIAL_ENTRIES, |n| {
        usize::try_from(n).map_or(INITIAL_ENTRIES, |n| n.min(INITIAL_ENTRIES))
    });
    let mut entries = Vec::with_capacity(capacity);
    let mut ctype = None;
    let mut pairs = Items::new(declared);
    while pairs.next(d)? {
        let label = match d.datatype().map_err(from_minicbor)? {
            Type::String => {
                let text = d.str().map_err(from_minicbor)?;
                if text == COLLECTION_TYPE_KEY {
                    if ctype.is_some() {
                        return Err(CmwError::DuplicateLabel(format!("{text:?}")));
                    }
                    ctype = Some(collection_type(d)?);
                    continue;
                }
                Label::Text(Cow::Borrowed(text))
            }
            Type::StringIndef => return Err(CmwError::IndefiniteString("collection label")),
            Type::U8
            | Type::U16
            | Type::U32
            | Type::U64
            | Type::I8
            | Type::I16
            | Type::I32
            | Type::I64
            | Type::Int => {
                let n = d.int().map_err(from_minicbor)?;
                Label::Int(i64::try_from(n).map_err(|_| CmwError::LabelOutOfRange)?)
            }
            other => {
                return Err(CmwError::UnexpectedType {
                    at: "collection label",
                    expected: "a text string or an integer",
                    found: type_name(other),
                });
            }
        };
        let cmw = item(d, level)?;
        entries.push((label, cmw));
    }
    check_entries(&entries)?;
    Ok(Collection { ctype, entries })
}

fn collection_type<'b>(d: &mut Decoder<'b>) -> Result<Cow<'b, str>, CmwError> {
    if d.datatype().map_err(from_minicbor)? != Type::String {
        return Err(CmwError::BadCollectionType);
    }
    let text = d.str().map_err(from_minicbor)?;
    check_collection_type(text)?;
    Ok(Cow::Borrowed(text))
}

/// Walks the items of a definite or indefinite array or map (for a map, one step per pair),
/// consuming the break of an indefinite one when it is reached.
pub(crate) struct Items {
    declared: Option<u64>,
    seen: u64,
}

impl Items {
    pub(crate) fn new(declared: Option<u64>) -> Self {
        Self { declared, seen: 0 }
    }

    /// Whether another item follows; must not be called again once it returned `false`.
    pub(crate) fn next(&mut self, d: &mut Decoder<'_>) -> Result<bool, CmwError> {
        match self.declared {
            Some(n) if self.seen < n => {}
            Some(_) => return Ok(false),
            None => {
                if d.datatype().map_err(from_minicbor)? == Type::Break {
                    d.set_position(d.position() + 1);
                    return Ok(false);
                }
            }
        }
        self.seen += 1;
        Ok(true)
    }

    /// Skips the current item and every later one; returns how many items there were in all.
    fn count_rest(&mut self, d: &mut Decoder<'_>) -> Result<u64, CmwError> {
        loop {
            d.skip().map_err(from_minicbor)?;
            if !self.next(d)? {
                return Ok(self.seen);
            }
        }
    }
}

pub(crate) fn from_minicbor(e: minicbor::decode::Error) -> CmwError {
    if e.is_end_of_input() {
        CmwError::Truncated
    } else {
        CmwError::InvalidCbor(e.to_string())
    }
}

pub(crate) fn type_name(t: Type) -> &'static str {
    match t {
        Type::Bool => "a boolean",
        Type::Null => "null",
        Type::Undefined => "undefined",
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => "an unsigned integer",
        Type::I8 | Type::I16 | Type::I32 | Type::I64 | Type::Int => "a negative integer",
        Type::F16 | Type::F32 | Type::F64 => "a float",
        Type::Simple => "a simple value",
        Type::Bytes | Type::BytesIndef => "a byte string",
        Type::String | Type::StringIndef => "a text string",
        Type::Array | Type::ArrayIndef => "an array",
        Type::Map | Type::MapIndef => "a map",
        Type::Tag => "a tag",
        Type::Break => "a break",
        Type::Unknown(_) => "a reserved initial byte",
    }
}

// The encoder writes CBOR heads itself: minicbor's `Encoder` returns a `Result` even when the
// sink is a `Vec`, which would put an unreachable error arm into the infallible `to_cbor`.

const MAJOR_UNSIGNED: u8 = 0;
const MAJOR_NEGATIVE: u8 = 1;
const MAJOR_BYTES: u8 = 2;
const MAJOR_TEXT: u8 = 3;
const MAJOR_ARRAY: u8 = 4;
const MAJOR_MAP: u8 = 5;

/// A head in preferred serialization: the argument in the fewest bytes (RFC 8949 §4.2.1).
pub(crate) fn push_head(out: &mut Vec<u8>, major: u8, arg: u64) {
    let major = major << 5;
    if let Some(small) = u8::try_from(arg).ok().filter(|&a| a < 24) {
        out.push(major | small);
    } else if let Ok(a) = u8::try_from(arg) {
        out.extend_from_slice(&[major | 24, a]);
    } else if let Ok(a) = u16::try_from(arg) {
        out.push(major | 25);
        out.extend_from_slice(&a.to_be_bytes());
    } else if let Ok(a) = u32::try_from(arg) {
        out.push(major | 26);
        out.extend_from_slice(&a.to_be_bytes());
    } else {
        out.push(major | 27);
        out.extend_from_slice(&arg.to_be_bytes());
    }
}

/// Lengths are `usize`, which is at most 64 bits wide on every target Rust supports.
fn len_arg(len: usize) -> u64 {
    len as u64
}

pub(crate) fn push_text(out: &mut Vec<u8>, text: &str) {
    push_head(out, MAJOR_TEXT, len_arg(text.len()));
    out.extend_from_slice(text.as_bytes());
}

pub(crate) fn push_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    push_head(out, MAJOR_BYTES, len_arg(bytes.len()));
    out.extend_from_slice(bytes);
}

pub(crate) fn push_map_header(out: &mut Vec<u8>, pairs: usize) {
    push_head(out, MAJOR_MAP, len_arg(pairs));
}

fn push_int(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        // CBOR writes -1 - n; for negative n that is |n| - 1, which cannot underflow.
        push_head(out, MAJOR_NEGATIVE, n.unsigned_abs() - 1);
    } else {
        push_head(out, MAJOR_UNSIGNED, n.unsigned_abs());
    }
}

pub(crate) fn push_record(out: &mut Vec<u8>, record: &Record<'_>) {
    push_head(out, MAJOR_ARRAY, if record.ind.is_some() { 3 } else { 2 });
    match &record.media_type {
        RecordType::MediaType(text) => push_text(out, text),
        RecordType::ContentFormat(cf) => push_head(out, MAJOR_UNSIGNED, u64::from(*cf)),
    }
    push_bytes(out, &record.value);
    if let Some(ind) = record.ind {
        push_head(out, MAJOR_UNSIGNED, u64::from(ind.bits()));
    }
}

/// Encodes `cmw`, recursing once per collection level.
pub(crate) fn push_cmw(out: &mut Vec<u8>, cmw: &Cmw<'_>) {
    match cmw {
        Cmw::Record(record) => push_record(out, record),
        Cmw::Collection(collection) => {
            push_map_header(
                out,
                collection.entries.len() + usize::from(collection.ctype.is_some()),
            );
            if let Some(ctype) = &collection.ctype {
                push_text(out, COLLECTION_TYPE_KEY);
                push_text(out, ctype);
            }
            for (label, entry) in &collection.entries {
                match label {
                    Label::Int(n) => push_int(out, *n),
                    Label::Text(text) => push_text(out, text),
                }
                push_cmw(out, entry);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(major: u8, arg: u64) -> Vec<u8> {
        let mut out = Vec::new();
        push_head(&mut out, major, arg);
        out
    }

    #[test]
    fn heads_are_preferred() {
        assert_eq!(head(0, 0), [0x00]);
        assert_eq!(head(0, 23), [0x17]);
        assert_eq!(head(0, 24), [0x18, 24]);
        assert_eq!(head(0, 255), [0x18, 0xff]);
        assert_eq!(head(0, 256), [0x19, 0x01, 0x00]);
        assert_eq!(head(2, 65_535), [0x59, 0xff, 0xff]);
        assert_eq!(head(2, 65_536), [0x5a, 0, 1, 0, 0]);
        assert_eq!(head(5, u64::from(u32::MAX)), [0xba, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(head(4, 1 << 32), [0x9b, 0, 0, 0, 1, 0, 0, 0, 0]);
    }

    #[test]
    fn ints_are_preferred() {
        let enc = |n| {
            let mut out = Vec::new();
            push_int(&mut out, n);
            out
        };
        assert_eq!(enc(-1), [0x20]);
        assert_eq!(enc(-24), [0x37]);
        assert_eq!(enc(-25), [0x38, 24]);
        assert_eq!(
            enc(i64::MIN),
            [0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        );
        assert_eq!(
            enc(i64::MAX),
            [0x1b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        );
    }
}
