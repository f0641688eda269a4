//! The CLI contract of DESIGN.md, run against the built `attester` binary on the mock.
// Helpers outside `#[test]` functions build fixtures; a failure there should fail loudly too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// The P-256 SPKI of docs/binding.md's first vector.
const SPKI_HEX: &str = "3059301306072a8648ce3d020106082a8648ce3d030107034200046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";
const EXPORTER: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

fn mock_evidence(dir: &Scratch, format: &str) -> PathBuf {
    let out = dir.path(&format!("evidence.{format}"));
    let run = attester(&[
        "evidence",
        "--platform",
        "mock",
        "--challenge",
        CHALLENGE,
        "--format",
        format,
        "-o",
        s(&out),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(stderr(&run).contains("NOT SECURE"), "mock use is announced");
    out
}

#[test]
fn evidence_then_verify_in_both_encodings() {
    let dir = Scratch::new("roundtrip");
    for format in ["json", "cbor"] {
        let file = mock_evidence(&dir, format);
        let ok = attester(&["verify", s(&file), "--challenge", CHALLENGE, "--allow-mock"]);
        assert_eq!(ok.status.code(), Some(0), "{format}: {}", stderr(&ok));
        assert!(stdout(&ok).contains("ok   signature"));
        assert!(stdout(&ok).contains("ok   binding"));

        let json = attester(&[
            "verify",
            s(&file),
            "--challenge",
            CHALLENGE,
            "--allow-mock",
            "--json",
        ]);
        let verdict: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(verdict["verified"], true);
        assert_eq!(verdict["platform"], "mock");
        assert_eq!(verdict["claims"]["eat"]["nonce"], CHALLENGE);
    }
}

#[test]
fn mock_evidence_fails_without_allow_mock() {
    let dir = Scratch::new("nomock");
    let file = mock_evidence(&dir, "cbor");
    let out = attester(&["verify", s(&file), "--challenge", CHALLENGE, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("trust check failed"),
        "{}",
        stderr(&out)
    );
    let verdict: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdict["verified"], false);
    assert_eq!(verdict["failed"]["check"], "trust");
}

#[test]
fn wrong_challenge_fails_binding() {
    let dir = Scratch::new("binding");
    let file = mock_evidence(&dir, "json");
    let other = "ff112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    let out = attester(&["verify", s(&file), "--challenge", other, "--allow-mock"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("binding check failed"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn verification_time_before_the_chain_fails_validity() {
    let dir = Scratch::new("validity");
    let file = mock_evidence(&dir, "json");
    let out = attester(&[
        "verify",
        s(&file),
        "--challenge",
        CHALLENGE,
        "--allow-mock",
        "--at",
        "2020-01-01T00:00:00Z",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("validity check failed"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn tls_exporter_binding_round_trip() {
    let dir = Scratch::new("expat");
    let spki = dir.write("key.der", &hex::decode(SPKI_HEX).unwrap());
    let file = dir.path("evidence.json");
    let run = attester(&[
        "evidence",
        "--platform",
        "mock",
        "--exporter",
        EXPORTER,
        "--spki",
        s(&spki),
        "-o",
        s(&file),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let inspect = attester(&["inspect", s(&file), "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&inspect.stdout).unwrap();
    assert_eq!(value["binding"]["mode"], "tls-exporter");
    assert_eq!(
        value["binding"]["challenge"],
        "f3243ca7920f9e1e93c5cc6ab34a52d89283dfb9e33a47adf4f9f6db257fa3ed"
    );

    let ok = attester(&[
        "verify",
        s(&file),
        "--exporter",
        EXPORTER,
        "--spki",
        s(&spki),
        "--allow-mock",
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let wrong_hash = attester(&[
        "verify",
        s(&file),
        "--exporter",
        EXPORTER,
        "--spki",
        s(&spki),
        "--hash",
        "sha384",
        "--allow-mock",
    ]);
    assert_eq!(wrong_hash.status.code(), Some(1));
    assert!(stderr(&wrong_hash).contains("binding"));
}

#[test]
fn policy_file_rules_apply() {
    let dir = Scratch::new("policy");
    let file = mock_evidence(&dir, "json");
    let wrong = dir.write(
        "wrong.json",
        format!(r#"{{"mock": {{"measurement": "{}"}}}}"#, "00".repeat(48)).as_bytes(),
    );
    let out = attester(&[
        "verify",
        s(&file),
        "--challenge",
        CHALLENGE,
        "--allow-mock",
        "--policy",
        s(&wrong),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("policy.measurement"),
        "{}",
        stderr(&out)
    );

    let misspelt = dir.write("misspelt.json", br#"{"alow_debug": true}"#);
    let out = attester(&[
        "verify",
        s(&file),
        "--challenge",
        CHALLENGE,
        "--allow-mock",
        "--policy",
        s(&misspelt),
    ]);
    assert_one_line_error(&out, 2);
}

#[test]
fn inspect_decodes_both_encodings() {
    let dir = Scratch::new("inspect");
    for format in ["json", "cbor"] {
        let file = mock_evidence(&dir, format);
        let out = attester(&["inspect", s(&file), "--json"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(value["platform"], "mock");
        assert_eq!(value["verified"], false);
        assert_eq!(value["evidence"]["decoded"]["claims"]["nonce"], CHALLENGE);
        let human = attester(&["inspect", s(&file)]);
        assert!(stdout(&human).contains("platform: mock"));
    }
}

#[test]
fn auto_with_no_tee_exits_2_and_never_uses_the_mock() {
    for args in [
        vec!["evidence", "--challenge", CHALLENGE],
        vec!["evidence", "--platform", "auto", "--challenge", CHALLENGE],
    ] {
        let out = attester(&args);
        assert_one_line_error(&out, 2);
        assert!(stderr(&out).contains("no TEE detected"), "{}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn detect_lists_probes_and_never_the_mock() {
    let out = attester(&["detect", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(value["probes"].as_array().unwrap().len() >= 3);
    assert!(
        !value["usable"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b.as_str().unwrap().starts_with("mock"))
    );
    let human = attester(&["detect"]);
    assert!(stdout(&human).contains("usable:"));
}

#[test]
fn bad_inputs_exit_2_with_one_line() {
    let dir = Scratch::new("bad");
    let good = std::fs::read(mock_evidence(&dir, "cbor")).unwrap();
    let empty = dir.write("empty", b"");
    let random = dir.write(
        "random",
        &(0..512u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    );
    let truncated = dir.write("truncated", &good[..good.len() / 2]);
    let deep_json = dir.write(
        "deep.json",
        format!("{}{}", "{\"a\":".repeat(1000), "}".repeat(1000)).as_bytes(),
    );
    let mut deep_cbor = Vec::new();
    for _ in 0..1000 {
        deep_cbor.extend_from_slice(&[0xa1, 0x61, b'a']);
    }
    deep_cbor.extend_from_slice(&[0x82, 0x61, b'x', 0x41, 0x00]);
    let deep_cbor = dir.write("deep.cbor", &deep_cbor);

    let odd_hex = "0011223344556677889";
    let long = "00".repeat(65);
    let short = "00".repeat(7);
    for challenge in [odd_hex, long.as_str(), short.as_str(), "zz"] {
        assert_one_line_error(
            &attester(&["evidence", "--platform", "mock", "--challenge", challenge]),
            2,
        );
        assert_one_line_error(
            &attester(&["verify", s(&truncated), "--challenge", challenge]),
            2,
        );
    }
    for file in [
        &empty,
        &random,
        &truncated,
        &deep_json,
        &deep_cbor,
        &dir.path("missing"),
    ] {
        assert_one_line_error(&attester(&["inspect", s(file)]), 2);
        assert_one_line_error(
            &attester(&["verify", s(file), "--challenge", CHALLENGE, "--allow-mock"]),
            2,
        );
    }
    assert_one_line_error(
        &attester(&["evidence", "--platform", "sgx", "--challenge", CHALLENGE]),
        2,
    );
    assert_one_line_error(
        &attester(&[
            "verify",
            s(&truncated),
            "--challenge",
            CHALLENGE,
            "--at",
            "yesterday",
        ]),
        2,
    );
    // Usage errors (clap) also exit 2.
    assert_eq!(attester(&["verify"]).status.code(), Some(2));
    assert_eq!(
        attester(&["evidence", "--platform", "mock"]).status.code(),
        Some(2)
    );
}

#[test]
fn the_tpm_backend_is_built_in_only_with_its_feature() {
    let out = attester(&["evidence", "--platform", "tpm", "--challenge", CHALLENGE]);
    if !cfg!(feature = "tpm-device") {
        assert_one_line_error(&out, 2);
        assert!(stderr(&out).contains("tpm-device"), "{}", stderr(&out));
    } else if !Path::new("/dev/tpmrm0").exists() && std::env::var_os("ATTESTER_TPM_TCTI").is_none()
    {
        // Built in, with no TPM device node: unsupported here (exit 2), naming the node,
        // before libtss2 is asked (its own report of that case names neither).
        assert_one_line_error(&out, 2);
        assert!(
            stderr(&out).contains("unsupported: no TPM at /dev/tpmrm0"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn snp_without_a_guest_interface_is_unsupported() {
    // No SEV-SNP guest here: the backend is built in but has nothing to talk to.
    if Path::new("/sys/kernel/config/tsm/report").exists() {
        return;
    }
    let out = attester(&["evidence", "--platform", "snp", "--challenge", CHALLENGE]);
    assert_one_line_error(&out, 2);
    assert!(stderr(&out).contains("configfs-tsm"), "{}", stderr(&out));
}

/// The SEV-SNP corpus (`ATTESTER_VECTORS`, default `../shared/vectors` beside the checkout), or
/// `None`, announced on the terminal, when there is none.
fn snp_corpus(test: &str) -> Option<(PathBuf, serde_json::Value)> {
    use std::io::Write as _;
    let dir = match std::env::var_os("ATTESTER_VECTORS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"),
    };
    let snp = dir.join("snp");
    if !snp.is_dir() {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED corpus test {test}: no corpus (set ATTESTER_VECTORS); 1 test skipped"
        );
        return None;
    }
    let expected = std::fs::read(snp.join("expected.json")).unwrap();
    Some((snp, serde_json::from_slice(&expected).unwrap()))
}

/// Two days after the start of the key's validity (`YYYY-MM-DD` in expected.json).
fn inside_validity(vector: &serde_json::Value) -> String {
    let start = vector["vek_validity"][0].as_str().unwrap();
    let format = time::format_description::parse("[year]-[month]-[day]").unwrap();
    let date = time::Date::parse(start, &format).unwrap() + time::Duration::days(2);
    format!("{date}T00:00:00Z")
}

#[test]
fn snp_corpus_reports_verify_through_the_cli() {
    let Some((snp, expected)) = snp_corpus("snp_corpus_reports_verify_through_the_cli") else {
        return;
    };
    for (name, v) in expected["vectors"].as_object().unwrap() {
        let report = snp.join(v["report"].as_str().unwrap());
        let vek = snp.join(v["vek"].as_str().unwrap());
        let at = inside_validity(v);
        let challenge = v["report_data_hex"].as_str().unwrap();
        let args = |extra: &[&str]| {
            let mut args = vec![
                "verify",
                s(&report),
                "--challenge",
                challenge,
                "--endorsement",
                s(&vek),
                "--at",
                &at,
                "--json",
            ];
            args.extend_from_slice(extra);
            args.into_iter().map(str::to_owned).collect::<Vec<_>>()
        };
        let run = |extra: &[&str]| {
            let owned = args(extra);
            let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
            attester(&refs)
        };
        let debug = v["policy"] == "0xb0000";
        let out = run(&["--allow-debug"]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let verdict: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(verdict["verified"], true);
        assert_eq!(verdict["platform"], "snp");
        assert_eq!(verdict["claims"]["product"], v["product"], "{name}");
        assert_eq!(
            verdict["claims"]["report"]["report_data"],
            v["report_data_hex"]
        );
        let out = run(&[]);
        if debug {
            assert_eq!(out.status.code(), Some(1), "{name}");
            assert!(stderr(&out).contains("policy.debug"), "{}", stderr(&out));
        } else {
            assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        }
        // Another challenge: the signed REPORT_DATA decides.
        let mut other = challenge.to_owned();
        other.replace_range(
            0..2,
            if challenge.starts_with("ff") {
                "00"
            } else {
                "ff"
            },
        );
        let out = attester(&[
            "verify",
            s(&report),
            "--challenge",
            &other,
            "--endorsement",
            s(&vek),
            "--at",
            &at,
            "--allow-debug",
        ]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(stderr(&out).contains("binding"), "{}", stderr(&out));
        // No key: a failed check, not unparseable input.
        let out = attester(&["verify", s(&report), "--challenge", challenge, "--at", &at]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        // inspect decodes every field.
        let out = attester(&["inspect", s(&report), "--json"]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(value["platform"], "snp");
        assert_eq!(value["decoded"]["version"], v["version"]);
        assert_eq!(value["decoded"]["current_version"], v["current_version"]);
        assert_eq!(value["verified"], false);
    }
}

#[test]
fn snp_expired_vlek_fails_validity_without_a_fixed_time() {
    let Some((snp, expected)) = snp_corpus("snp_expired_vlek_fails_validity_without_a_fixed_time")
    else {
        return;
    };
    let v = &expected["vectors"]["milan_v3_vlek_aws_trustee"];
    let out = attester(&[
        "verify",
        s(&snp.join(v["report"].as_str().unwrap())),
        "--challenge",
        v["report_data_hex"].as_str().unwrap(),
        "--endorsement",
        s(&snp.join(v["vek"].as_str().unwrap())),
    ]);
    assert_one_line_error(&out, 1);
    assert!(stderr(&out).contains("validity"), "{}", stderr(&out));
    // A truncated report is not SNP evidence at all.
    let dir = Scratch::new("snp-truncated");
    let report = std::fs::read(snp.join(v["report"].as_str().unwrap())).unwrap();
    let cut = dir.write("cut.bin", &report[..1183]);
    assert_one_line_error(&attester(&["verify", s(&cut), "--challenge", CHALLENGE]), 2);
    let mut bad = report.clone();
    bad[0x4C] = 1;
    let bad = dir.write("mbz.bin", &bad);
    assert_one_line_error(&attester(&["inspect", s(&bad)]), 2);
}

#[test]
fn mock_snp_evidence_verifies_only_with_allow_mock() {
    let dir = Scratch::new("mock-snp");
    for format in ["json", "cbor"] {
        let out = dir.path(&format!("snp.{format}"));
        let run = attester(&[
            "evidence",
            "--platform",
            "mock-snp",
            "--challenge",
            CHALLENGE,
            "--format",
            format,
            "-o",
            s(&out),
        ]);
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
        assert!(stderr(&run).contains("NOT SECURE"));
        let ok = attester(&[
            "verify",
            s(&out),
            "--challenge",
            CHALLENGE,
            "--allow-mock",
            "--json",
        ]);
        assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
        let verdict: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
        assert_eq!(verdict["platform"], "snp");
        assert_eq!(verdict["claims"]["product_name"], "Milan-B0");
        let refused = attester(&["verify", s(&out), "--challenge", CHALLENGE]);
        assert_one_line_error(&refused, 1);
        assert!(stderr(&refused).contains("trust"), "{}", stderr(&refused));
        let inspected = attester(&["inspect", s(&out), "--json"]);
        assert_eq!(inspected.status.code(), Some(0));
        let value: serde_json::Value = serde_json::from_slice(&inspected.stdout).unwrap();
        assert_eq!(value["evidence"]["decoded"]["version"], 3);
        assert_eq!(value["endorsements"][0]["entries"][0]["kind"], "VCEK");
    }
    // A policy that pins another measurement refuses it.
    let policy = dir.write(
        "policy.json",
        format!(r#"{{"snp": {{"measurement": "{}"}}}}"#, "00".repeat(48)).as_bytes(),
    );
    let out = attester(&[
        "verify",
        s(&dir.path("snp.json")),
        "--challenge",
        CHALLENGE,
        "--allow-mock",
        "--policy",
        s(&policy),
    ]);
    assert_one_line_error(&out, 1);
    assert!(
        stderr(&out).contains("policy.measurement"),
        "{}",
        stderr(&out)
    );
}

/// A reader that went away (`attester … | head -1`) is neither a panic nor a change of exit
/// status: stdout here is a pipe whose read end is closed before the process starts, so every
/// write fails with EPIPE.
#[test]
fn a_closed_stdout_is_not_a_panic_and_keeps_the_exit_status() {
    let dir = Scratch::new("closed-stdout");
    let file = mock_evidence(&dir, "cbor");
    let file = file.to_str().unwrap();
    let run = |args: &[&str]| {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        std::process::Command::new(env!("CARGO_BIN_EXE_attester"))
            .args(args)
            .env_remove("RUST_BACKTRACE")
            .stdout(writer)
            .output()
            .unwrap()
    };
    let inspected = run(&["inspect", file]);
    assert_eq!(inspected.status.code(), Some(0), "{}", stderr(&inspected));
    assert!(
        !stderr(&inspected).contains("panicked"),
        "{}",
        stderr(&inspected)
    );
    assert!(stderr(&inspected).is_empty(), "{}", stderr(&inspected));

    let verified = run(&["verify", file, "--challenge", CHALLENGE, "--allow-mock"]);
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
    // Without --allow-mock the verdict is still a failure, printed or not.
    let refused = run(&["verify", file, "--challenge", CHALLENGE]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(
        !stderr(&refused).contains("panicked"),
        "{}",
        stderr(&refused)
    );
}
