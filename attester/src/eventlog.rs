//! `attester eventlog`: a TCG PC Client firmware event log replayed into its PCR banks, with
//! the boot facts read from it, as JSON and as text.
//!
//! The log is unauthenticated: the values printed are what the PCRs must hold if the log is
//! true, to be compared with PCRs from a verified quote.

use attester_core::Error;
use attester_tpm::eventlog::{
    BootApplication, BootFacts, Event, EventLog, KernelSource, LogFormat, Pcrs, replay,
};
use serde_json::{Map, Value, json};
use std::fmt::Write as _;

/// The replay and the boot facts of the log in `bytes`, as JSON; a log that does not parse
/// is [`attester_core::ErrorKind::Malformed`].
pub fn describe(bytes: &[u8]) -> Result<Value, Error> {
    let log = EventLog::parse(bytes)?;
    let pcrs = replay(&log);
    let facts = BootFacts::extract(&log);
    Ok(json!({
        "format": format(&log),
        "events": log.events().len(),
        "startup_locality": log.startup_locality(),
        "pcrs": pcrs_json(&pcrs),
        "banks_not_replayed": pcrs.skipped().iter().map(ToString::to_string).collect::<Vec<_>>(),
        "boot": facts_json(&facts),
    }))
}

fn format(log: &EventLog<'_>) -> Value {
    match log.format() {
        LogFormat::CryptoAgile(spec) => {
            let (major, minor, errata) = spec.spec_version();
            let algorithms: Vec<String> = spec.algorithms().map(|(a, _)| a.to_string()).collect();
            json!({
                "kind": "crypto-agile",
                "spec_version": format!("{major}.{minor} errata {errata}"),
                "platform_class": spec.platform_class(),
                "uintn_size": spec.uintn_size(),
                "algorithms": algorithms,
            })
        }
        LogFormat::LegacySha1 => json!({ "kind": "legacy-sha1", "algorithms": ["sha1"] }),
    }
}

fn pcrs_json(pcrs: &Pcrs) -> Value {
    let mut banks = Map::new();
    for bank in pcrs.banks() {
        let values: Map<String, Value> = bank
            .iter()
            .map(|(index, value)| (index.to_string(), Value::String(value.to_hex())))
            .collect();
        banks.insert(bank.algorithm().to_string(), Value::Object(values));
    }
    Value::Object(banks)
}

fn digests_json(event: &Event<'_>) -> Value {
    let digests: Map<String, Value> = event
        .digests()
        .iter()
        .map(|(alg, digest)| (alg.to_string(), Value::String(hex::encode(digest))))
        .collect();
    Value::Object(digests)
}

fn application_json(app: &BootApplication<'_>) -> Value {
    json!({
        "pcr": app.event.pcr(),
        "path": app.path,
        "digests": digests_json(&app.event),
    })
}

fn facts_json(facts: &BootFacts<'_>) -> Value {
    let variables: Map<String, Value> = facts
        .policy_variables
        .iter()
        .map(|v| {
            (
                v.name.to_owned(),
                json!({ "present": v.data_len > 0, "size": v.data_len }),
            )
        })
        .collect();
    let kernel = facts.kernel.as_ref().map(|k| {
        let source = match k.source {
            KernelSource::GrubIpl => "grub-ipl",
            KernelSource::EfiApplication => "efi-application",
        };
        json!({
            "pcr": k.event.pcr(),
            "source": source,
            "path": k.path,
            "digests": digests_json(&k.event),
        })
    });
    let pcrs_of = |error: bool| -> Vec<u32> {
        facts
            .separators
            .iter()
            .filter(|s| s.error == error)
            .map(|s| s.pcr)
            .collect()
    };
    json!({
        "secure_boot": facts.secure_boot,
        "secure_boot_variables": variables,
        "boot_loader": facts.boot_loader().map(application_json),
        "kernel": kernel,
        "kernel_cmdline": facts.kernel_cmdline,
        "boot_applications": facts.boot_applications.iter().map(application_json).collect::<Vec<_>>(),
        "separators": pcrs_of(false),
        "error_separators": pcrs_of(true),
        "efi_actions": facts.efi_actions,
        "anomalies": facts.anomalies,
    })
}

/// The text form of [`describe`]'s JSON.
pub fn render_text(value: &Value) -> String {
    let mut out = String::new();
    let format = &value["format"];
    let version = match format["spec_version"].as_str() {
        Some(version) => format!(" (spec {version})"),
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "format: {}{version}, {} events",
        text(&format["kind"]),
        value["events"]
    );
    if let Some(locality) = value["startup_locality"].as_u64() {
        let _ = writeln!(out, "startup locality: {locality}");
    }
    if let Some(banks) = value["pcrs"].as_object() {
        for (bank, values) in banks {
            let _ = writeln!(out, "{bank}:");
            // JSON object keys sort as text ("14" before "2"): print by PCR number.
            let mut rows: Vec<(u32, String)> = values
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(index, digest)| Some((index.parse().ok()?, text(digest))))
                .collect();
            rows.sort();
            for (index, digest) in rows {
                let _ = writeln!(out, "  PCR{index:<2} {digest}");
            }
        }
    }
    let boot = &value["boot"];
    let secure_boot = match boot["secure_boot"].as_bool() {
        Some(true) => "enabled",
        Some(false) => "disabled",
        None => "unknown",
    };
    let _ = writeln!(out, "secure boot: {secure_boot}");
    if let Some(vars) = boot["secure_boot_variables"].as_object() {
        let present: Vec<&str> = vars
            .iter()
            .filter(|(_, v)| v["present"].as_bool() == Some(true))
            .map(|(name, _)| name.as_str())
            .collect();
        let _ = writeln!(out, "secure boot variables present: {}", present.join(" "));
    }
    for (label, key) in [("boot loader", "boot_loader"), ("kernel", "kernel")] {
        let item = &boot[key];
        if item.is_null() {
            continue;
        }
        let sha256 = item
            .pointer("/digests/sha256")
            .map(text)
            .unwrap_or_default();
        let digest = if sha256.is_empty() {
            item.pointer("/digests/sha1").map(text).unwrap_or_default()
        } else {
            sha256
        };
        match item["path"].as_str() {
            Some(path) => writeln!(out, "{label}: {path} {digest}"),
            None => writeln!(out, "{label}: {digest}"),
        }
        .unwrap_or_default();
    }
    if let Some(cmdline) = boot["kernel_cmdline"].as_str() {
        let _ = writeln!(out, "kernel command line: {cmdline}");
    }
    let _ = writeln!(out, "separators: {}", boot["separators"]);
    for anomaly in boot["anomalies"].as_array().into_iter().flatten() {
        let _ = writeln!(out, "anomaly: {}", text(anomaly));
    }
    out
}

fn text(value: &Value) -> String {
    value.as_str().map(str::to_owned).unwrap_or_default()
}
