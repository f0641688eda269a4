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
    if item.media_type == media_types::SNP_CERTS {
        match attester_snp::CertTable::parse(&item.bytes) {
            Ok(table) => {
                let entries: Vec<Value> = table.entries().iter().map(describe_cert_entry).collect();
                out.insert("entries".into(), json!(entries));
            }
            Err(e) => {
                out.insert("error".into(), json!(e.to_string()));
            }
        }
    }
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
        Platform::Snp => decode_snp(bytes),
        Platform::Tdx => crate::tdx::decode(bytes),
        Platform::Tpm => crate::tpm::decode(bytes),
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

fn describe_cert_entry(entry: &attester_snp::CertEntry<'_>) -> Value {
    use attester_snp::CertKind;
    let kind = match entry.kind {
        CertKind::Ark => "ARK".to_owned(),
        CertKind::Ask => "ASK".to_owned(),
        CertKind::Vcek => "VCEK".to_owned(),
        CertKind::Vlek => "VLEK".to_owned(),
        CertKind::Crl => "CRL".to_owned(),
        CertKind::Other(guid) => format!("other {}", hex::encode(guid)),
    };
    let mut out = Map::new();
    out.insert("kind".into(), json!(kind));
    out.insert("size".into(), json!(entry.bytes.len()));
    if !matches!(entry.kind, CertKind::Crl | CertKind::Other(_)) {
        match Certificate::from_der(entry.bytes) {
            Ok(cert) => {
                out.insert("subject".into(), json!(cert.subject()));
            }
            Err(e) => {
                out.insert("error".into(), json!(e.to_string()));
            }
        }
    }
    Value::Object(out)
}

/// Every field of an SEV-SNP report, named as in the firmware ABI.
pub(crate) fn decode_snp(bytes: &[u8]) -> Result<Value> {
    let r = attester_snp::Report::parse(bytes)?;
    let layout = r.tcb_layout();
    let tcb = |t: attester_snp::TcbVersion| {
        let mut out = Map::new();
        out.insert("raw".into(), json!(format!("{:#018x}", t.raw())));
        if let Some(layout) = layout {
            let d = t.decode(layout);
            if let Some(fmc) = d.fmc {
                out.insert("fmc".into(), json!(fmc));
            }
            out.insert("bootloader".into(), json!(d.bootloader));
            out.insert("tee".into(), json!(d.tee));
            out.insert("snp".into(), json!(d.snp));
            out.insert("microcode".into(), json!(d.microcode));
        }
        Value::Object(out)
    };
    let policy = r.policy();
    let key_info = r.key_info();
    Ok(json!({
        "version": r.version(),
        "guest_svn": r.guest_svn(),
        "policy": {
            "raw": format!("{:#x}", policy.0),
            "abi_major": policy.abi_major(),
            "abi_minor": policy.abi_minor(),
            "smt": policy.smt_allowed(),
            "migrate_ma": policy.migrate_ma_allowed(),
            "debug": policy.debug_allowed(),
            "single_socket": policy.single_socket_required(),
            "cxl_allow": policy.cxl_allowed(),
            "mem_aes_256_xts": policy.mem_aes_256_xts_required(),
            "rapl_dis": policy.rapl_disabled_required(),
            "ciphertext_hiding": policy.ciphertext_hiding_required(),
            "page_swap_disable": policy.page_swap_disabled(),
        },
        "family_id": hex::encode(r.family_id()),
        "image_id": hex::encode(r.image_id()),
        "vmpl": r.vmpl(),
        "signature_algo": r.signature_algo(),
        "current_tcb": tcb(r.current_tcb()),
        "platform_info": format!("{:#x}", r.platform_info().0),
        "key_info": {
            "raw": format!("{:#x}", key_info.0),
            "author_key_en": key_info.author_key_en(),
            "mask_chip_key": key_info.mask_chip_key(),
            "signing_key": key_info.signing_key().as_str(),
        },
        "report_data": hex::encode(r.report_data()),
        "measurement": hex::encode(r.measurement()),
        "host_data": hex::encode(r.host_data()),
        "id_key_digest": hex::encode(r.id_key_digest()),
        "author_key_digest": hex::encode(r.author_key_digest()),
        "report_id": hex::encode(r.report_id()),
        "report_id_ma": hex::encode(r.report_id_ma()),
        "reported_tcb": tcb(r.reported_tcb()),
        "cpuid": r.cpuid().map(|c| json!({
            "family": format!("{:#x}", c.family),
            "model": format!("{:#x}", c.model),
            "stepping": format!("{:#x}", c.stepping),
        })),
        "generation": r.generation().map(|g| g.as_str()),
        "chip_id": hex::encode(r.chip_id()),
        "committed_tcb": tcb(r.committed_tcb()),
        "current_version": r.current_version().to_string(),
        "committed_version": r.committed_version().to_string(),
        "launch_tcb": tcb(r.launch_tcb()),
        "launch_mit_vector": r.launch_mit_vector().map(|v| format!("{v:#x}")),
        "current_mit_vector": r.current_mit_vector().map(|v| format!("{v:#x}")),
        "signature": {
            "r": hex::encode(r.signature_r()),
            "s": hex::encode(r.signature_s()),
        },
    }))
}
