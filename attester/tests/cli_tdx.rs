//! The CLI contract for Intel TDX: raw quotes (binary and hex text), TDREPORTs and TDX evidence
//! envelopes in `inspect` and `verify`, `--collateral`, and `evidence --platform mock-tdx`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use std::path::PathBuf;

fn corpus(test: &str) -> Option<PathBuf> {
    corpus_sub(test, "tdx")
}

/// The quote's REPORTDATA as hex: the challenge it was made for.
fn report_data(bytes: &[u8]) -> String {
    hex::encode(
        attester_tdx::Quote::parse(bytes)
            .unwrap()
            .body()
            .report_data(),
    )
}

#[test]
fn mock_tdx_evidence_verifies_only_with_allow_mock() {
    let dir = Scratch::new("tdx-mock");
    for format in ["json", "cbor"] {
        let file = dir.path(&format!("evidence.{format}"));
        let out = attester(&[
            "evidence",
            "--platform",
            "mock-tdx",
            "--challenge",
            CHALLENGE,
            "--format",
            format,
            "-o",
            s(&file),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let out = attester(&[
            "verify",
            s(&file),
            "--challenge",
            CHALLENGE,
            "--allow-mock",
            "--json",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let verdict = stdout_json(&out);
        assert_eq!(verdict["platform"], "tdx");
        assert_eq!(verdict["claims"]["quote"]["version"], 4);
        let out = attester(&["verify", s(&file), "--challenge", CHALLENGE]);
        assert_one_line_error(&out, 1);
        assert!(stderr(&out).contains("trust"), "{}", stderr(&out));
        let out = attester(&["inspect", s(&file), "--json"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stdout_json(&out)["evidence"]["decoded"]["kind"], "quote");
    }
}

#[test]
fn raw_quotes_verify_binary_and_hex() {
    let Some(dir) = corpus("raw_quotes_verify_binary_and_hex") else {
        return;
    };
    let binary = std::fs::read(dir.join("dcap-qvl/tdx_quote")).unwrap();
    let out = attester(&[
        "verify",
        s(&dir.join("dcap-qvl/tdx_quote")),
        "--challenge",
        &report_data(&binary),
        "--at",
        "2025-06-19T11:00:00Z",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["claims"]["fmspc"], "b0c06f000000");
    let text = std::fs::read_to_string(dir.join("dcap-qvl/tdx-quote.hex")).unwrap();
    let decoded = hex::decode(text.trim().trim_start_matches("0x")).unwrap();
    let out = attester(&[
        "verify",
        s(&dir.join("dcap-qvl/tdx-quote.hex")),
        "--challenge",
        &report_data(&decoded),
        "--at",
        "2025-01-01T00:00:00Z",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Another challenge: exit 1, binding.
    let out = attester(&[
        "verify",
        s(&dir.join("dcap-qvl/tdx_quote")),
        "--challenge",
        CHALLENGE,
        "--at",
        "2025-06-19T11:00:00Z",
    ]);
    assert_one_line_error(&out, 1);
    assert!(stderr(&out).contains("binding"));
    // A truncated quote: exit 2.
    let scratch = Scratch::new("tdx-truncated");
    let cut = scratch.write("cut.dat", &binary[..900]);
    let out = attester(&["verify", s(&cut), "--challenge", CHALLENGE]);
    assert_one_line_error(&out, 2);
}

#[test]
fn collateral_gives_the_tcb_status() {
    let Some(dir) = corpus("collateral_gives_the_tcb_status") else {
        return;
    };
    let quote = dir.join("dcap-qvl/tdx_quote");
    let bytes = std::fs::read(&quote).unwrap();
    let out = attester(&[
        "verify",
        s(&quote),
        "--challenge",
        &report_data(&bytes),
        "--at",
        "2025-06-19T11:00:00Z",
        "--collateral",
        s(&dir.join("dcap-qvl/tdx_quote_collateral.json")),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let verdict = stdout_json(&out);
    assert_eq!(verdict["claims"]["tcb"]["status"], "UpToDate");
    assert_eq!(verdict["claims"]["tcb"]["module"], "TDX_01");
    let outdated = dir.join("dcap-qvl/tdx_quote_outdated");
    let bytes = std::fs::read(&outdated).unwrap();
    let out = attester(&[
        "verify",
        s(&outdated),
        "--challenge",
        &report_data(&bytes),
        "--at",
        "2026-02-18T12:00:00Z",
        "--collateral",
        s(&dir.join("dcap-qvl/tdx_quote_outdated_collateral.json")),
    ]);
    assert_one_line_error(&out, 1);
    assert!(stderr(&out).contains("tcb-level"), "{}", stderr(&out));
}

#[test]
fn tdreports_inspect_but_never_verify() {
    let Some(dir) = corpus("tdreports_inspect_but_never_verify") else {
        return;
    };
    let report = dir.join("intel-dcap/tdreport_for_test.dat");
    let out = attester(&["inspect", s(&report), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let value = stdout_json(&out);
    assert_eq!(value["platform"], "tdx");
    assert_eq!(value["decoded"]["kind"], "tdreport");
    assert_eq!(value["decoded"]["hashes_ok"], true);
    let out = attester(&["verify", s(&report), "--challenge", CHALLENGE]);
    assert_one_line_error(&out, 1);
    let out = attester(&[
        "inspect",
        s(&dir.join("go-tdx-guest/quote_v5_sample.dat")),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let value = stdout_json(&out);
    assert_eq!(value["decoded"]["version"], 5);
    assert_eq!(value["decoded"]["body_type"], "TD1.5");
}

#[test]
fn policy_rules_apply_to_tdx() {
    let dir = Scratch::new("tdx-policy");
    let file = dir.path("evidence.json");
    let out = attester(&[
        "evidence",
        "--platform",
        "mock-tdx",
        "--challenge",
        CHALLENGE,
        "-o",
        s(&file),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let policy = dir.write(
        "policy.json",
        format!(r#"{{"tdx": {{"mr_td": "{}"}}}}"#, "00".repeat(48)).as_bytes(),
    );
    let out = attester(&[
        "verify",
        s(&file),
        "--challenge",
        CHALLENGE,
        "--allow-mock",
        "--policy",
        s(&policy),
    ]);
    assert_one_line_error(&out, 1);
    assert!(stderr(&out).contains("policy.mr-td"), "{}", stderr(&out));
    let policy = dir.write("ok.json", br#"{"tdx": {"td_attributes": {"value": "0", "mask": "0x1"}, "reject_trailing_bytes": true}}"#);
    let out = attester(&[
        "verify",
        s(&file),
        "--challenge",
        CHALLENGE,
        "--allow-mock",
        "--policy",
        s(&policy),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn tdx_without_a_guest_interface_is_unsupported() {
    if std::path::Path::new("/sys/kernel/config/tsm/report").exists() {
        return;
    }
    let out = attester(&["evidence", "--platform", "tdx", "--challenge", CHALLENGE]);
    assert_one_line_error(&out, 2);
    assert!(stderr(&out).contains("configfs-tsm"), "{}", stderr(&out));
}
