//! The JSON serialization.
//!
//! Decoding reads the text with serde_json into a small tree that, unlike
//! `serde_json::Value`, keeps object members in order and keeps duplicate keys (so that they
//! can be refused), then maps the tree onto a [`Cmw`]. Before serde_json runs, one pass over
//! the bytes measures the bracket depth: anything deeper than a valid CMW can be is refused as
//! [`CmwError::TooDeep`] without recursing at all.
//!
//! Encoding is compact and deterministic: no whitespace, `__cmwc_t` first, entries in order,
//! values in base64url without padding, and strings escaped minimally (`\"`, `\\`, the short
//! escapes for control characters that have one, `\u00xx` for the others).

use super::collection::{COLLECTION_TYPE_KEY, Collection, Label, check_entries};
use super::error::CmwError;
use super::record::{Indicator, Record, RecordType};
use super::syntax::{check_collection_type, check_media_type};
use super::{Cmw, MAX_DEPTH};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// Decodes a JSON CMW (record or collection) that spans all of `bytes`, whitespace aside.
///
/// Strings and decoded base64 values are owned, hence the `'static` lifetime.
///
/// The draft's CDDL writes a record value as `[A-Za-z0-9_-]+`; an empty string is accepted
/// here as the empty value so that every CBOR record with a media type has a JSON form.
pub fn decode_json(bytes: &[u8]) -> Result<Cmw<'static>, CmwError> {
    match parse(bytes)? {
        Json::Arr(items) => record(items).map(Cmw::Record),
        Json::Obj(members) => collection(members, 1).map(Cmw::Collection),
        other => Err(CmwError::UnexpectedType {
            at: "CMW",
            expected: "an array or an object",
            found: other.name(),
        }),
    }
}

/// A JSON value, members in order and duplicates kept.
pub(crate) enum Json {
    Str(String),
    UInt(u64),
    /// Anything a CMW never holds, named for messages.
    Other(&'static str),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Self::Str(_) => "a string",
            Self::UInt(_) => "an unsigned integer",
            Self::Other(name) => name,
            Self::Arr(_) => "an array",
            Self::Obj(_) => "an object",
        }
    }
}

/// Parses `bytes` as one JSON text after checking its bracket depth.
pub(crate) fn parse(bytes: &[u8]) -> Result<Json, CmwError> {
    if bytes.iter().all(|&b| is_json_whitespace(b)) {
        return Err(CmwError::Empty);
    }
    // A valid CMW nests at most MAX_DEPTH objects and one record array.
    check_depth(bytes, MAX_DEPTH + 1)?;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let tree = Json::deserialize(&mut de).map_err(|e| {
        if e.is_eof() {
            CmwError::Truncated
        } else {
            CmwError::InvalidJson(e.to_string())
        }
    })?;
    de.end().map_err(|_| CmwError::TrailingBytes)?;
    Ok(tree)
}

/// JSON's insignificant whitespace (RFC 8259 §2).
pub(crate) fn is_json_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Refuses bracket nesting deeper than `limit`, counting only brackets outside strings.
fn check_depth(bytes: &[u8], limit: usize) -> Result<(), CmwError> {
    let mut depth = 0usize;
    let mut rest = bytes;
    while let Some((&b, tail)) = rest.split_first() {
        rest = tail;
        match b {
            // Strings hold nearly all of a CMW's bytes (base64 values): jump over them.
            b'"' => rest = after_string(rest),
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Err(CmwError::TooDeep(MAX_DEPTH));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// The input after the closing quote of a string whose opening quote was just consumed (all
/// of it, if the string is unterminated: the JSON parser reports that).
fn after_string(mut rest: &[u8]) -> &[u8] {
    while let Some(at) = memchr::memchr2(b'"', b'\\', rest) {
        let Some((&special, tail)) = rest.get(at..).and_then(<[u8]>::split_first) else {
            return &[];
        };
        if special == b'"' {
            return tail;
        }
        // A backslash escapes the next byte, whatever it is.
        rest = tail.get(1..).unwrap_or(&[]);
    }
    &[]
}

fn record(items: Vec<Json>) -> Result<Record<'static>, CmwError> {
    let arity = items.len();
    if !(2..=3).contains(&arity) {
        return Err(CmwError::WrongArity(arity as u64));
    }
    let mut items = items.into_iter();
    let media_type = match items.next() {
        Some(Json::Str(text)) => {
            check_media_type(&text)?;
            RecordType::MediaType(Cow::Owned(text))
        }
        other => {
            return Err(CmwError::UnexpectedType {
                at: "record type",
                expected: "a media type string (JSON has no content formats)",
                found: other.as_ref().map_or("nothing", Json::name),
            });
        }
    };
    let value = match items.next() {
        Some(Json::Str(text)) => URL_SAFE_NO_PAD
            .decode(text.as_bytes())
            .map_err(|_| CmwError::BadBase64)?,
        other => {
            return Err(CmwError::UnexpectedType {
                at: "record value",
                expected: "a base64url string",
                found: other.as_ref().map_or("nothing", Json::name),
            });
        }
    };
    let ind = match items.next() {
        None => None,
        Some(Json::UInt(bits)) => {
            let bits =
                u32::try_from(bits).map_err(|_| CmwError::BadIndicator("wider than 32 bits"))?;
            Some(Indicator::new(bits).ok_or(CmwError::BadIndicator("zero"))?)
        }
        Some(_) => return Err(CmwError::BadIndicator("not an unsigned integer")),
    };
    Ok(Record {
        media_type,
        value: Cow::Owned(value),
        ind,
    })
}

fn collection(members: Vec<(String, Json)>, level: usize) -> Result<Collection<'static>, CmwError> {
    let mut ctype = None;
    let mut entries = Vec::with_capacity(members.len());
    for (key, value) in members {
        if key == COLLECTION_TYPE_KEY {
            if ctype.is_some() {
                return Err(CmwError::DuplicateLabel(format!("{key:?}")));
            }
            let Json::Str(text) = value else {
                return Err(CmwError::BadCollectionType);
            };
            check_collection_type(&text)?;
            ctype = Some(Cow::Owned(text));
            continue;
        }
        let cmw = match value {
            Json::Arr(items) => Cmw::Record(record(items)?),
            Json::Obj(inner) => {
                if level >= MAX_DEPTH {
                    return Err(CmwError::TooDeep(MAX_DEPTH));
                }
                Cmw::Collection(collection(inner, level + 1)?)
            }
            other => {
                return Err(CmwError::UnexpectedType {
                    at: "collection entry",
                    expected: "an array or an object",
                    found: other.name(),
                });
            }
        };
        entries.push((Label::Text(Cow::Owned(key)), cmw));
    }
    check_entries(&entries)?;
    Ok(Collection { ctype, entries })
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Json, E> {
        Ok(Json::Other("a boolean"))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Json, E> {
        Ok(u64::try_from(n).map_or(Json::Other("a negative integer"), Json::UInt))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Json, E> {
        Ok(Json::UInt(n))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Json, E> {
        Ok(Json::Other("a number with a fraction or an exponent"))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Json, E> {
        Ok(Json::Str(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Json, E> {
        Ok(Json::Str(s))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Other("null"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Arr(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Vec::new();
        while let Some(member) = map.next_entry::<String, Json>()? {
            members.push(member);
        }
        Ok(Json::Obj(members))
    }
}

/// Appends `text` as a JSON string.
pub(crate) fn push_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends a record `[type, value, ? ind]` whose type is a media type string.
pub(crate) fn push_record(
    out: &mut String,
    media_type: &str,
    value: &[u8],
    ind: Option<Indicator>,
) {
    out.push('[');
    push_string(out, media_type);
    out.push_str(",\"");
    URL_SAFE_NO_PAD.encode_string(value, out);
    out.push('"');
    if let Some(ind) = ind {
        out.push(',');
        out.push_str(&ind.bits().to_string());
    }
    out.push(']');
}

/// Appends `cmw`, recursing once per collection level; fails on what JSON cannot carry.
pub(crate) fn push_cmw(out: &mut String, cmw: &Cmw<'_>) -> Result<(), CmwError> {
    match cmw {
        Cmw::Record(record) => {
            let RecordType::MediaType(media_type) = &record.media_type else {
                return Err(CmwError::NotJson("a record typed by a content format"));
            };
            push_record(out, media_type, &record.value, record.ind);
        }
        Cmw::Collection(collection) => {
            out.push('{');
            let mut first = true;
            if let Some(ctype) = &collection.ctype {
                push_string(out, COLLECTION_TYPE_KEY);
                out.push(':');
                push_string(out, ctype);
                first = false;
            }
            for (label, entry) in &collection.entries {
                let Label::Text(label) = label else {
                    return Err(CmwError::NotJson("an integer label"));
                };
                if !first {
                    out.push(',');
                }
                first = false;
                push_string(out, label);
                out.push(':');
                push_cmw(out, entry)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_string(text: &str) -> String {
        let mut out = String::new();
        push_string(&mut out, text);
        out
    }

    #[test]
    fn strings_escape_minimally_and_parse_back() {
        let text = "a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f}é/\u{7f}";
        let encoded = json_string(text);
        assert_eq!(
            encoded,
            "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001fé/\u{7f}\""
        );
        let back: String = serde_json::from_str(&encoded).unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn depth_scan_ignores_brackets_in_strings() {
        let deep_in_string = format!("\"{}\"", "[".repeat(100));
        assert_eq!(check_depth(deep_in_string.as_bytes(), 2), Ok(()));
        let escaped_quote = format!("\"\\\"{}\"", "{".repeat(100));
        assert_eq!(check_depth(escaped_quote.as_bytes(), 2), Ok(()));
        assert_eq!(check_depth(b"[[[]]]", 3), Ok(()));
        assert_eq!(
            check_depth(b"[[[[]]]]", 3),
            Err(CmwError::TooDeep(MAX_DEPTH))
        );
    }
}

#[cfg(test)]
mod depth_tests {
    use super::*;

    #[test]
    fn brackets_inside_strings_do_not_count() {
        let deep_in_string = format!(r#"["a/b", "{}\"\\", 4]"#, "[".repeat(100));
        assert!(check_depth(deep_in_string.as_bytes(), 1).is_ok());
        // An escaped quote does not end the string; the brackets after it are still inside.
        assert!(check_depth(br#"["x\"[[[", "y"]"#, 1).is_ok());
        // An escaped backslash does end it: the brackets after the closing quote count.
        assert!(check_depth(br#"["x\\", [[1]]]"#, 2).is_err());
        assert!(check_depth(br#"["x\\", [[1]]]"#, 3).is_ok());
    }

    #[test]
    fn unterminated_string_is_left_to_the_parser() {
        assert!(check_depth(br#"["abc\"#, 1).is_ok());
        assert!(check_depth(br#"["abc"#, 1).is_ok());
    }
}
