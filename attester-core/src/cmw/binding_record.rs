//! The binding record of the evidence profile: which platform, which challenge, how the
//! challenge was derived and how it fills the platform's field.
//!
//! JSON (`application/vnd.attester.binding+json`):
//! `{"platform":…,"challenge":"<lower-case hex>","mode":"raw"|"tls-exporter",
//! ["hash":"sha256"|"sha384","label":…,] "fill":…}`; CBOR
//! (`application/vnd.attester.binding+cbor`): the same map with text keys and the challenge
//! as a byte string. `hash` and `label` are present exactly when the mode is `tls-exporter`.
//! Decoding is strict: unknown, duplicate or missing keys, values of the wrong type,
//! non-canonical names and challenges outside 8..=64 bytes are errors.

use super::cbor::{Items, from_minicbor, push_bytes, push_map_header, push_text};
use super::error::{BindingError, CmwError};
use super::json::{Json, parse, push_string};
use crate::binding::{BinderHash, BindingMode};
use crate::capabilities::FillRule;
use crate::challenge::{Challenge, MAX_CHALLENGE_LEN, MIN_CHALLENGE_LEN};
use crate::evidence::Evidence;
use crate::platform::Platform;
use minicbor::Decoder;
use minicbor::data::Type;

const CHALLENGE: &str = "challenge";
const MODE_RAW: &str = "raw";
const MODE_TLS_EXPORTER: &str = "tls-exporter";

/// The decoded content of a binding record.
pub(crate) struct BindingFields {
    pub(crate) platform: Platform,
    pub(crate) challenge: Challenge,
    pub(crate) mode: BindingMode,
    pub(crate) fill: FillRule,
}

/// The text-valued keys; `challenge` is the one key whose value is bytes.
#[derive(Clone, Copy)]
enum TextKey {
    Platform,
    Mode,
    Hash,
    Label,
    Fill,
}

impl TextKey {
    fn name(self) -> &'static str {
        match self {
            Self::Platform => "platform",
            Self::Mode => "mode",
            Self::Hash => "hash",
            Self::Label => "label",
            Self::Fill => "fill",
        }
    }
}

enum Key {
    Challenge,
    Text(TextKey),
}

impl Key {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            CHALLENGE => Self::Challenge,
            "platform" => Self::Text(TextKey::Platform),
            "mode" => Self::Text(TextKey::Mode),
            "hash" => Self::Text(TextKey::Hash),
            "label" => Self::Text(TextKey::Label),
            "fill" => Self::Text(TextKey::Fill),
            _ => return None,
        })
    }
}

enum Value<'e> {
    Text(&'e str),
    Bytes(&'e [u8]),
}

/// The fields in their canonical order; `fill` is passed in because its name is computed.
fn fields<'e>(evidence: &'e Evidence, fill: &'e str) -> Vec<(&'static str, Value<'e>)> {
    let mut fields = vec![
        (
            TextKey::Platform.name(),
            Value::Text(evidence.platform.as_str()),
        ),
        (CHALLENGE, Value::Bytes(evidence.challenge.as_bytes())),
    ];
    match &evidence.binding {
        BindingMode::Raw => fields.push((TextKey::Mode.name(), Value::Text(MODE_RAW))),
        BindingMode::TlsExporter { hash, label } => fields.extend([
            (TextKey::Mode.name(), Value::Text(MODE_TLS_EXPORTER)),
            (TextKey::Hash.name(), Value::Text(hash.as_str())),
            (TextKey::Label.name(), Value::Text(label.as_str())),
        ]),
    }
    fields.push((TextKey::Fill.name(), Value::Text(fill)));
    fields
}

/// The JSON binding record of `evidence`.
pub(crate) fn to_json(evidence: &Evidence) -> Vec<u8> {
    let fill = evidence.fill.name();
    let mut out = String::from("{");
    for (i, (key, value)) in fields(evidence, &fill).into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(&mut out, key);
        out.push(':');
        match value {
            Value::Text(text) => push_string(&mut out, text),
            Value::Bytes(bytes) => push_string(&mut out, &hex::encode(bytes)),
        }
    }
    out.push('}');
    out.into_bytes()
}

/// The CBOR binding record of `evidence`.
pub(crate) fn to_cbor(evidence: &Evidence) -> Vec<u8> {
    let fill = evidence.fill.name();
    let fields = fields(evidence, &fill);
    let mut out = Vec::new();
    push_map_header(&mut out, fields.len());
    for (key, value) in fields {
        push_text(&mut out, key);
        match value {
            Value::Text(text) => push_text(&mut out, text),
            Value::Bytes(bytes) => push_bytes(&mut out, bytes),
        }
    }
    out
}

#[derive(Default)]
struct Raw {
    challenge: Option<Vec<u8>>,
    platform: Option<String>,
    mode: Option<String>,
    hash: Option<String>,
    label: Option<String>,
    fill: Option<String>,
}

impl Raw {
    fn set_challenge(&mut self, bytes: Vec<u8>) -> Result<(), BindingError> {
        if self.challenge.is_some() {
            return Err(BindingError::DuplicateKey(CHALLENGE));
        }
        self.challenge = Some(bytes);
        Ok(())
    }

    fn set_text(&mut self, key: TextKey, text: String) -> Result<(), BindingError> {
        let slot = match key {
            TextKey::Platform => &mut self.platform,
            TextKey::Mode => &mut self.mode,
            TextKey::Hash => &mut self.hash,
            TextKey::Label => &mut self.label,
            TextKey::Fill => &mut self.fill,
        };
        if slot.is_some() {
            return Err(BindingError::DuplicateKey(key.name()));
        }
        *slot = Some(text);
        Ok(())
    }

    fn finish(self) -> Result<BindingFields, BindingError> {
        let platform = self
            .platform
            .ok_or(BindingError::MissingKey(TextKey::Platform.name()))?;
        let platform =
            Platform::from_name(&platform).map_err(|_| BindingError::UnknownPlatform(platform))?;
        let bytes = self.challenge.ok_or(BindingError::MissingKey(CHALLENGE))?;
        if !(MIN_CHALLENGE_LEN..=MAX_CHALLENGE_LEN).contains(&bytes.len()) {
            return Err(BindingError::ChallengeLength(bytes.len()));
        }
        let challenge =
            Challenge::new(&bytes).map_err(|_| BindingError::ChallengeLength(bytes.len()))?;
        let mode = self
            .mode
            .ok_or(BindingError::MissingKey(TextKey::Mode.name()))?;
        let mode = match mode.as_str() {
            MODE_RAW => {
                if self.hash.is_some() {
                    return Err(BindingError::NotForRaw(TextKey::Hash.name()));
                }
                if self.label.is_some() {
                    return Err(BindingError::NotForRaw(TextKey::Label.name()));
                }
                BindingMode::Raw
            }
            MODE_TLS_EXPORTER => {
                let hash = self
                    .hash
                    .ok_or(BindingError::MissingKey(TextKey::Hash.name()))?;
                let hash =
                    BinderHash::from_name(&hash).map_err(|_| BindingError::UnknownHash(hash))?;
                let label = self
                    .label
                    .ok_or(BindingError::MissingKey(TextKey::Label.name()))?;
                BindingMode::TlsExporter { hash, label }
            }
            _ => return Err(BindingError::UnknownMode(mode)),
        };
        let fill = self
            .fill
            .ok_or(BindingError::MissingKey(TextKey::Fill.name()))?;
        // `from_name` parses the length leniently (`zero-pad-064`, `zero-pad-+64`); only the
        // name it would write back is accepted, so that a record has one spelling.
        let fill = match FillRule::from_name(&fill) {
            Ok(rule) if rule.name() == fill => rule,
            _ => return Err(BindingError::UnknownFill(fill)),
        };
        Ok(BindingFields {
            platform,
            challenge,
            mode,
            fill,
        })
    }
}

/// Parses a JSON binding record.
pub(crate) fn from_json(bytes: &[u8]) -> Result<BindingFields, BindingError> {
    let Json::Obj(members) = parse(bytes).map_err(from_cmw_error)? else {
        return Err(BindingError::NotAMap);
    };
    let mut raw = Raw::default();
    for (name, value) in members {
        let Some(key) = Key::from_name(&name) else {
            return Err(BindingError::UnknownKey(name));
        };
        match (key, value) {
            (Key::Challenge, Json::Str(hex)) => raw.set_challenge(lower_hex(&hex)?)?,
            (Key::Text(key), Json::Str(text)) => raw.set_text(key, text)?,
            (Key::Challenge, _) => return Err(BindingError::WrongType(CHALLENGE)),
            (Key::Text(key), _) => return Err(BindingError::WrongType(key.name())),
        }
    }
    raw.finish()
}

/// Parses a CBOR binding record.
pub(crate) fn from_cbor(bytes: &[u8]) -> Result<BindingFields, BindingError> {
    let mut d = Decoder::new(bytes);
    let declared = match datatype(&d)? {
        Type::Map | Type::MapIndef => d.map().map_err(from_minicbor_error)?,
        _ => return Err(BindingError::NotAMap),
    };
    let mut raw = Raw::default();
    let mut pairs = Items::new(declared);
    while pairs.next(&mut d).map_err(from_cmw_error)? {
        if datatype(&d)? != Type::String {
            return Err(BindingError::KeyNotText);
        }
        let name = d.str().map_err(from_minicbor_error)?;
        let Some(key) = Key::from_name(name) else {
            return Err(BindingError::UnknownKey(name.to_owned()));
        };
        match key {
            Key::Challenge => {
                if datatype(&d)? != Type::Bytes {
                    return Err(BindingError::WrongType(CHALLENGE));
                }
                raw.set_challenge(d.bytes().map_err(from_minicbor_error)?.to_vec())?;
            }
            Key::Text(key) => {
                if datatype(&d)? != Type::String {
                    return Err(BindingError::WrongType(key.name()));
                }
                raw.set_text(key, d.str().map_err(from_minicbor_error)?.to_owned())?;
            }
        }
    }
    if d.position() != bytes.len() {
        return Err(BindingError::TrailingBytes);
    }
    raw.finish()
}

/// Lower-case hex only, so that a challenge has one spelling.
fn lower_hex(text: &str) -> Result<Vec<u8>, BindingError> {
    if !text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(BindingError::ChallengeHex);
    }
    hex::decode(text).map_err(|_| BindingError::ChallengeHex)
}

fn datatype(d: &Decoder<'_>) -> Result<Type, BindingError> {
    d.datatype().map_err(from_minicbor_error)
}

fn from_minicbor_error(e: minicbor::decode::Error) -> BindingError {
    from_cmw_error(from_minicbor(e))
}

fn from_cmw_error(e: CmwError) -> BindingError {
    match e {
        CmwError::Truncated => BindingError::Truncated,
        CmwError::TrailingBytes => BindingError::TrailingBytes,
        other => BindingError::Syntax(other.to_string()),
    }
}
