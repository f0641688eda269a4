//! `attester inspect`: any evidence file decoded to JSON, without verifying it.

use crate::input::{Input, recognise};
use attester_core::cmw::{Cmw, Label, RecordType};
use attester_core::cose::Sign1;
use attester_core::x509::Certificate;
use attester_core::{BindingMode, Evidence, Item, Platform, Result, cmw, media_types};
use serde_json::{Map, Value, json};

/// Decodes `bytes` (a CMW or raw evidence) to JSON. Nothing is verified: the output says so.
pub fn inspect(bytes: &[u8]) -> Result<Value> {
    match recognise(bytes)? {
        Input::Evidence(evidence) => Ok(describe_evidence(&evidence)),
        Input::ForeignCmw(bytes) => Ok(json!({
            "format": "cmw",
            "profile": null,
            "cmw": describe_cmw(&cmw::decode(&bytes)?),
        })),
        Input::Raw {
            platform,
            media_type,
            bytes,
        } => Ok(json!({
            "format": "raw",
            "platform": platform.as_str(),
            "media_type": media_type,
            "size": bytes.len(),
            "decoded": decode_body(platform, &bytes),
            "verified": false,
        })),
    }
}

fn describe_evidence(evidence: &Evidence) -> Value {
    json!({
        "format": "cmw",
        "profile": cmw::EVIDENCE_PROFILE,
        "platform": evidence.platform.as_str(),
        "binding": describe_binding(evidence),
        "evidence": {
            "media_type": evidence.body.media_type,
            "size": evidence.body.bytes.len(),
            "decoded": decode_body(evidence.platform, &evidence.body.bytes),
        },
        "endorsements": evidence.endorsements.iter().map(describe_item).collect::<Vec<_>>(),
        "event_logs": evidence.event_logs.iter().map(describe_item).collect::<Vec<_>>(),
        "verified": false,
    })
}

fn describe_binding(evidence: &Evidence) -> Value {
    let mut binding = Map::new();
    binding.insert("challenge".into(), json!(evidence.challenge.to_hex()));
    binding.insert("fill".into(), json!(evidence.fill.name()));
    match &evidence.binding {
        BindingMode::Raw => {
            binding.insert("mode".into(), json!("raw"));
        }
        BindingMode::TlsExporter { hash, label } => {
            binding.insert("mode".into(), json!("tls-exporter"));
            binding.insert("hash".into(), json!(hash.as_str()));
            binding.insert("label".into(), json!(label));
        }
    }
    Value::Object(binding)
}

/// A CMW of another profile: its structure, types and sizes (values are not shown).
fn describe_cmw(message: &Cmw<'_>) -> Value {
    match message {
        Cmw::Record(record) => {
            let mut out = Map::new();
            match &record.media_type {
                RecordType::MediaType(media_type) => {
                    out.insert("media_type".into(), json!(media_type))
                }
                RecordType::ContentFormat(cf) => out.insert("content_format".into(), json!(cf)),
            };
            out.insert("size".into(), json!(record.value.len()));
            if let Some(ind) = record.ind {
                out.insert("ind".into(), json!(ind.bits()));
            }
            Value::Object(out)
        }
        Cmw::Collection(collection) => {
            let entries: Vec<Value> = collection
                .entries
                .iter()
                .map(|(label, inner)| {
                    let label = match label {
                        Label::Int(i) => json!(i),
                        Label::Text(t) => json!(t),
                    };
                    json!({ "label": label, "cmw": describe_cmw(inner) })
                })
                .collect();
            json!({ "collection_type": collection.ctype, "entries": entries })
        }
    }
}

fn describe_item(item: &Item) -> Value {
    let mut out = Map::new();
    out.insert("media_type".into(), json!(item.media_type));
    out.insert("size".into(), json!(item.bytes.len()));
    if item.media_type == media_types::PKIX_CERT {
        match Certificate::from_der(&item.bytes) {
            Ok(cert) => {
                out.insert("subject".into(), json!(cert.subject()));
                out.insert("issuer".into(), json!(cert.issuer()));
            }
            Err(e) => {
                out.insert("error".into(), json!(e.to_string()));
            }
        }
    }
    Value::Object(out)
}

/// The platform's own decoding of its evidence bytes, or the parse error as a string.
fn decode_body(platform: Platform, bytes: &[u8]) -> Value {
    let decoded = match platform {
        Platform::Mock => decode_mock(bytes),
        Platform::Cca => attester_cca::CcaToken::decode(bytes)
            .map(|token| attester_cca::describe::token_json(&token))
            .map_err(attester_core::Error::from),
        _ => return json!(null),
    };
    decoded.unwrap_or_else(|e| json!({ "error": e.to_string() }))
}

fn decode_mock(bytes: &[u8]) -> Result<Value> {
    let message = Sign1::decode(bytes)?;
    let claims = attester_mock::eat::MockClaims::decode(message.payload)?;
    Ok(json!({
        "cose_alg": message.alg()?,
        "claims": serde_json::to_value(&claims).unwrap_or(Value::Null),
    }))
}
