//! The CLI contract for Arm CCA: raw tokens and CCA evidence envelopes in `inspect` and
//! `verify`, the three platform key forms of `--trust`, and `evidence --platform mock-cca`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use std::path::PathBuf;

/// The CCA folder of the corpus, or `None` announced on the terminal.
fn corpus(test: &str) -> Option<PathBuf> {
    corpus_sub(test, "cca")
}

const TRUSTEE_CHALLENGE: &str = "57e979ae2618de0c1ab73144c440d741cf9236dc9d52ed190053382a4d190252f9f0370403c35dcb155fb4362d73c66d5b0494bf939315d3dc52b8cdc8b85a96";

#[test]
fn raw_tokens_verify_with_each_key_form() {
    let Some(dir) = corpus("raw_tokens_verify_with_each_key_form") else {
        return;
    };
    let token = dir.join("trustee/cca-example-token.cbor");
    for key in [
        "trustee/cpak-pub.json",
        "trustee/tastore.json",
        "veraison-ccatoken/cca_platform.pub",
    ] {
        let out = attester(&[
            "verify",
            s(&token),
            "--challenge",
            TRUSTEE_CHALLENGE,
            "--trust",
            s(&dir.join(key)),
            "--json",
        ]);
        assert_eq!(out.status.code(), Some(0), "{key}: {}", stderr(&out));
        let verdict = stdout_json(&out);
        assert_eq!(verdict["verified"], true);
        assert_eq!(verdict["platform"], "cca");
        assert_eq!(verdict["claims"]["realm"]["challenge"], TRUSTEE_CHALLENGE);
    }
    // No key: a failed trust check, exit 1.
    let out = attester(&[
        "verify",
        s(&token),
        "--challenge",
        TRUSTEE_CHALLENGE,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["failed"]["check"], "trust");
    // Another challenge: binding.
    let out = attester(&[
        "verify",
        s(&token),
        "--challenge",
        CHALLENGE,
        "--trust",
        s(&dir.join("trustee/cpak-pub.json")),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["failed"]["check"], "binding");
}

#[test]
fn bug_33_and_a_bad_key_exit_1() {
    let Some(dir) = corpus("bug_33_and_a_bad_key_exit_1") else {
        return;
    };
    let expected: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("expected-values.json")).unwrap()).unwrap();
    let bug = "rust-ccatoken/bug-33-repro.cbor";
    let challenge = expected[bug]["realm_challenge"].as_str().unwrap();
    let out = attester(&[
        "verify",
        s(&dir.join(bug)),
        "--challenge",
        challenge,
        "--trust",
        s(&dir.join("rust-ccatoken/ta-tfa.json")),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let verdict = stdout_json(&out);
    assert_eq!(verdict["failed"]["check"], "binding");
    assert_eq!(verdict["passed"], serde_json::json!([]));
    assert!(stderr(&out).contains("binding"), "{}", stderr(&out));

    let token = "rust-ccatoken/cca-token-02.cbor";
    let challenge = expected[token]["realm_challenge"].as_str().unwrap();
    let ok = attester(&[
        "verify",
        s(&dir.join(token)),
        "--challenge",
        challenge,
        "--trust",
        s(&dir.join("rust-ccatoken/ta-02-ok.json")),
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let bad = attester(&[
        "verify",
        s(&dir.join(token)),
        "--challenge",
        challenge,
        "--trust",
        s(&dir.join("rust-ccatoken/ta-02-bad.json")),
    ]);
    assert_eq!(bad.status.code(), Some(1), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("trust"), "{}", stderr(&bad));
}

#[test]
fn inspect_decodes_raw_tokens_of_both_tags() {
    let Some(dir) = corpus("inspect_decodes_raw_tokens_of_both_tags") else {
        return;
    };
    for (file, tag) in [
        ("trustee/cca-example-token.cbor", 399),
        ("tf-m-tools/cca_example_token.cbor", 907),
    ] {
        let out = attester(&["inspect", s(&dir.join(file)), "--json"]);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stderr(&out));
        let value = stdout_json(&out);
        assert_eq!(value["format"], "raw");
        assert_eq!(value["platform"], "cca");
        assert_eq!(value["verified"], false);
        assert_eq!(value["decoded"]["collection_tag"], tag);
        assert_eq!(value["decoded"]["platform"]["lifecycle_state"], "secured");
    }
}

#[test]
fn mock_cca_evidence_needs_allow_mock() {
    let dir = std::env::temp_dir().join(format!("attester-cli-cca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for format in ["json", "cbor"] {
        let file = dir.join(format!("evidence.{format}"));
        let out = attester(&[
            "evidence",
            "--platform",
            "mock-cca",
            "--challenge",
            CHALLENGE,
            "--format",
            format,
            "-o",
            s(&file),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stderr(&out).contains("NOT SECURE"));
        let ok = attester(&[
            "verify",
            s(&file),
            "--challenge",
            CHALLENGE,
            "--allow-mock",
            "--json",
        ]);
        assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
        let verdict = stdout_json(&ok);
        assert_eq!(verdict["platform"], "cca");
        assert!(
            verdict["passed"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!("policy.lifecycle"))
        );
        let refused = attester(&["verify", s(&file), "--challenge", CHALLENGE, "--json"]);
        assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
        assert_eq!(stdout_json(&refused)["failed"]["check"], "trust");
        // A policy with another RIM.
        let policy = dir.join("policy.json");
        std::fs::write(&policy, br#"{"cca": {"rim": "00"}}"#).unwrap();
        let rim = attester(&[
            "verify",
            s(&file),
            "--challenge",
            CHALLENGE,
            "--allow-mock",
            "--policy",
            s(&policy),
            "--json",
        ]);
        assert_eq!(rim.status.code(), Some(1), "{}", stderr(&rim));
        assert_eq!(stdout_json(&rim)["failed"]["check"], "policy.rim");
        let inspect = attester(&["inspect", s(&file), "--json"]);
        assert_eq!(inspect.status.code(), Some(0));
        assert_eq!(
            stdout_json(&inspect)["evidence"]["decoded"]["realm"]["public_key_encoding"],
            "cose-key"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cca_without_a_realm_fails_cleanly() {
    // On a machine that is not a realm, the device backend fails with one line, never a
    // panic, and never falls back to the mock.
    let out = attester(&["evidence", "--platform", "cca", "--challenge", CHALLENGE]);
    assert_ne!(out.status.code(), Some(0));
    assert!(!stderr(&out).contains("NOT SECURE"), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
}
