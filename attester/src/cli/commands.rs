//! The subcommands.

#![allow(clippy::print_stderr)]

use super::args::{
    ChallengeArgs, DemoArgs, DetectArgs, EventlogArgs, EvidenceArgs, FormatArg, HashArg,
    InspectArgs, TpmArgs, TpmCommand, TpmQuoteArgs, VerifyArgs,
};
use super::files;
use super::{EXIT_FAILED, EXIT_OK};
use anyhow::{Context, Result, bail};
use attester::backends::{self, BackendName};
use attester::verify::{Verdict, VerifyOptions};
use attester::{demo as demo_run, detect as detect_run, input, inspect as inspect_run};
use attester_core::cmw::Encoding;
use attester_core::x509::TrustAnchors;
use attester_core::{BinderHash, Binding, Challenge, Item, media_types};
use serde_json::Value;
use std::io::Write as _;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub fn detect(args: &DetectArgs) -> Result<u8> {
    let report = detect_run::detect();
    if args.json {
        let usable: Vec<&str> = report.usable().map(BackendName::as_str).collect();
        let value = serde_json::json!({ "probes": report.probes, "usable": usable });
        say!("{value}");
        return Ok(EXIT_OK);
    }
    for probe in &report.probes {
        let state = match (probe.present, probe.backend_compiled_in) {
            (false, _) => "absent",
            (true, true) => "present",
            (true, false) => "present (backend not built in)",
        };
        say!(
            "{:<5} {:<32} {state}",
            probe.backend.as_str(),
            probe.interface
        );
    }
    let usable: Vec<&str> = report.usable().map(BackendName::as_str).collect();
    if usable.is_empty() {
        say!("usable: none (the mock is never chosen automatically: --platform mock)");
    } else {
        say!("usable: {}", usable.join(", "));
    }
    Ok(EXIT_OK)
}

fn binding(args: &ChallengeArgs) -> Result<Binding> {
    if let Some(hex) = &args.challenge {
        return Ok(Binding::raw(Challenge::from_hex(hex)?));
    }
    let (Some(exporter), Some(spki)) = (&args.exporter, &args.spki) else {
        bail!("give --challenge, or --exporter with --spki");
    };
    let exporter = hex::decode(exporter.trim()).context("--exporter is not hex")?;
    let spki = files::spki(spki)?;
    let hash = match args.hash {
        HashArg::Sha256 => BinderHash::Sha256,
        HashArg::Sha384 => BinderHash::Sha384,
    };
    Ok(Binding::tls_exporter(&exporter, &spki, hash)?)
}

pub fn evidence(args: &EvidenceArgs) -> Result<u8> {
    let name: BackendName = args.platform.parse()?;
    let binding = binding(&args.challenge)?;
    let mut attester = match (name, &args.tpm_tcti) {
        (BackendName::Tpm, Some(tcti)) => attester::tpm::open_device(Some(tcti))?,
        (_, Some(_)) => bail!("--tpm-tcti applies to --platform tpm only"),
        _ => backends::open(name)?,
    };
    if name.is_mock() {
        eprintln!(
            "attester: warning: {name} evidence is signed with public test keys (NOT SECURE)"
        );
    }
    let evidence = attester.attest_binding(&binding)?;
    let encoding = match args.format {
        FormatArg::Json => Encoding::Json,
        FormatArg::Cbor => Encoding::Cbor,
    };
    let wire = evidence.to_cmw(encoding);
    match &args.output {
        Some(path) => std::fs::write(path, &wire)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&wire)?;
            if matches!(encoding, Encoding::Json) {
                out.write_all(b"\n")?;
            }
        }
    }
    Ok(EXIT_OK)
}

pub fn inspect(args: &InspectArgs) -> Result<u8> {
    let bytes = tpm_completed(files::read(&args.file)?, &args.tpm)?;
    let value = inspect_run::inspect(&bytes)
        .with_context(|| format!("cannot decode {}", args.file.display()))?;
    if args.json {
        say!("{value}");
    } else {
        print_tree("", &value);
    }
    Ok(EXIT_OK)
}

/// Human output: one `path: value` line per leaf.
fn print_tree(path: &str, value: &Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                print_tree(&child_path, child);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, child) in items.iter().enumerate() {
                print_tree(&format!("{path}[{i}]"), child);
            }
        }
        Value::String(s) => say!("{path}: {s}"),
        other => say!("{path}: {other}"),
    }
}

pub fn verify(args: &VerifyArgs) -> Result<u8> {
    let expected = binding(&args.challenge)?;
    let bytes = files::read(&args.file)?;
    let recognised = input::recognise(&bytes)
        .with_context(|| format!("cannot decode {}", args.file.display()))?;
    let recognised = attester::tpm::complete_raw(recognised, &tpm_loose(&args.tpm)?)?;
    let mut endorsements = Vec::new();
    for path in &args.endorsement {
        for der in files::certificates(path)? {
            endorsements.push(Item::new(media_types::PKIX_CERT, der));
        }
    }
    let evidence = input::into_evidence(recognised, &expected, endorsements)?;
    let mut anchors = TrustAnchors::new();
    let mut cca_keys = attester_cca::trust::PlatformKeys::new();
    let mut snp_arks = Vec::new();
    for path in &args.trust {
        files::add_trust(&mut anchors, &mut cca_keys, &mut snp_arks, path)?;
    }
    let mut tdx_collateral = Vec::new();
    for path in &args.collateral {
        tdx_collateral.push(files::read(path)?);
    }
    let policy = files::policy(args.policy.as_deref(), args.allow_debug)?;
    let at = match &args.at {
        Some(text) => OffsetDateTime::parse(text, &Rfc3339)
            .with_context(|| format!("--at {text} is not an RFC 3339 time"))?,
        None => OffsetDateTime::now_utc(),
    };
    let options = VerifyOptions {
        expected,
        anchors,
        cca_keys,
        tdx_collateral,
        snp_arks,
        allow_mock: args.allow_mock,
        at,
        policy,
    };
    let verdict = attester::verify::verify(&evidence, &options)?;
    print_verdict(&verdict, args.json);
    Ok(if verdict.verified() {
        EXIT_OK
    } else {
        EXIT_FAILED
    })
}

fn print_verdict(verdict: &Verdict, json: bool) {
    if json {
        say!("{}", verdict.to_json());
    } else {
        for check in &verdict.passed {
            say!("ok   {check}");
        }
        if verdict.verified() {
            say!("verified: {} evidence", verdict.platform);
        }
    }
    if let Some(failed) = &verdict.failed {
        eprintln!("attester: verification failed: {failed}");
    }
}

/// The loose files of a raw TPMS_ATTEST, read.
fn tpm_loose(args: &TpmQuoteArgs) -> Result<attester::tpm::LooseQuote> {
    let read = |path: &Option<std::path::PathBuf>| path.as_deref().map(files::read).transpose();
    Ok(attester::tpm::LooseQuote {
        signature: read(&args.tpm_signature)?,
        ak: read(&args.tpm_ak)?,
        pcrs: read(&args.tpm_pcrs)?,
    })
}

/// For `inspect`: a raw TPMS_ATTEST given with its signature and AK is shown as the whole
/// quote; alone, as the TPMS_ATTEST.
fn tpm_completed(bytes: Vec<u8>, args: &TpmQuoteArgs) -> Result<Vec<u8>> {
    if args.tpm_signature.is_none() && args.tpm_ak.is_none() {
        return Ok(bytes);
    }
    let recognised = input::recognise(&bytes)?;
    match attester::tpm::complete_raw(recognised, &tpm_loose(args)?)? {
        input::Input::Raw { bytes, .. } => Ok(bytes),
        _ => bail!("--tpm-signature and --tpm-ak apply to a raw TPMS_ATTEST only"),
    }
}

pub fn tpm(args: &TpmArgs) -> Result<u8> {
    match &args.command {
        TpmCommand::Ak(ak) => {
            let pem = attester::tpm::export_ak_pem(ak.tpm_tcti.as_deref())?;
            std::fs::write(&ak.output, pem)
                .with_context(|| format!("cannot write {}", ak.output.display()))?;
            Ok(EXIT_OK)
        }
    }
}

pub fn demo(args: &DemoArgs) -> Result<u8> {
    let platform: BackendName = args.platform.parse()?;
    say!("attester demo: attested TLS on loopback with {platform}");
    if platform.is_mock() {
        say!("(NOT SECURE: {platform} signs with public test keys)");
    }
    let outcome = demo_run::run(platform, |step| {
        say!(
            "[{:>9.3} ms] {:<16} {}",
            step.elapsed.as_secs_f64() * 1e3,
            step.name,
            step.detail
        );
    })?;
    if outcome.verified() {
        say!(
            "verdict: VERIFIED ({} rounds from the server and one from the client, each bound to its context)",
            outcome.rounds.len()
        );
        Ok(EXIT_OK)
    } else {
        say!("verdict: FAILED");
        Ok(EXIT_FAILED)
    }
}

pub fn eventlog(args: &EventlogArgs) -> Result<u8> {
    let bytes = files::read(&args.file)?;
    let value = attester::eventlog::describe(&bytes)
        .with_context(|| format!("cannot parse {}", args.file.display()))?;
    if args.json {
        say!("{value}");
    } else {
        say_raw!("{}", attester::eventlog::render_text(&value));
    }
    Ok(EXIT_OK)
}
