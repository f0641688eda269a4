//! `attester inspect`: any evidence file decoded to JSON, without verifying it.

use crate::input::{Input, recognise};
use attester_core::cose::Sign1;
use attester_core::x509::Certificate;
use attester_core::{BindingMode, Evidence, Item, Platform, Result, cmw, media_types};
use serde_json::{Value, json};

/// Decodes `bytes` (a CMW or raw evidence) to JSON. Nothing is verified: the output says so.
pub fn inspect(bytes: &[u8]) -> Result<Value> {
    match recognise(bytes)? {
        Input::Evidence(evidence) => Ok(describe_evidence(&evidence)),
        Input::ForeignCmw(bytes) => Ok(json!({
            "format": "cmw",
            "profile": null,
            "cmw": cmw::to_json_value(&cmw::decode(&bytes)?),
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
    let mut binding = json!({
        "challenge": evidence.challenge.to_hex(),
        "fill": evidence.fill.name(),
    });
    match &evidence.binding {
        BindingMode::Raw => binding["mode"] = json!("raw"),
        BindingMode::TlsExporter { hash, label } => {
            binding["mode"] = json!("tls-exporter");
            binding["hash"] = json!(hash.as_str());
            binding["label"] = json!(label);
        }
    }
    binding
}

fn describe_item(item: &Item) -> Value {
    let mut out = json!({ "media_type": item.media_type, "size": item.bytes.len() });
    if item.media_type == media_types::PKIX_CERT {
        match Certificate::from_der(&item.bytes) {
            Ok(cert) => {
                out["subject"] = json!(cert.subject());
                out["issuer"] = json!(cert.issuer());
            }
            Err(e) => out["error"] = json!(e.to_string()),
        }
    }
    out
}

/// The platform's own decoding of its evidence bytes, or the parse error as a string.
fn decode_body(platform: Platform, bytes: &[u8]) -> Value {
    let decoded = match platform {
        Platform::Mock => decode_mock(bytes),
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
