//! The CLI contract for TPM 2.0: `evidence --platform mock-tpm`, `inspect`/`verify` of TPM
//! evidence envelopes and of raw TPMS_ATTEST files with `--tpm-signature`, `--tpm-ak` and
//! `--tpm-pcrs`, `--trust` of an AK, and — with the device backend and swtpm — `evidence
//! --platform tpm --tpm-tcti` and `tpm ak`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use std::path::PathBuf;
use std::process::Output;

/// The swtpm quotes of the corpus, or `None` announced on the terminal.
fn corpus(test: &str) -> Option<PathBuf> {
    corpus_sub(test, "tpm/swtpm")
}

fn nonce(dir: &std::path::Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file))
        .unwrap()
        .trim()
        .to_owned()
}

#[test]
fn mock_tpm_evidence_verifies_only_with_allow_mock() {
    let scratch = Scratch::new("mock-tpm");
    let evidence = scratch.path("evidence.json");
    let out = attester(&[
        "evidence",
        "--platform",
        "mock-tpm",
        "--challenge",
        CHALLENGE,
        "-o",
        s(&evidence),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = attester(&[
        "verify",
        s(&evidence),
        "--challenge",
        CHALLENGE,
        "--allow-mock",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let verdict = stdout_json(&out);
    assert_eq!(verdict["verified"], true);
    assert_eq!(verdict["platform"], "tpm");
    assert_eq!(verdict["claims"]["quote"]["quote"]["extra_data"], CHALLENGE);
    assert_eq!(verdict["claims"]["pcrs_checked"], true);

    let out = attester(&["verify", s(&evidence), "--challenge", CHALLENGE]);
    assert_one_line_error(&out, 1);
    assert!(stderr(&out).contains("AK not trusted"), "{}", stderr(&out));

    let wrong = CHALLENGE.replace("00", "01");
    let out = attester(&[
        "verify",
        s(&evidence),
        "--challenge",
        &wrong,
        "--allow-mock",
    ]);
    assert_one_line_error(&out, 1);

    let out = attester(&["inspect", s(&evidence), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let decoded = stdout_json(&out);
    assert_eq!(decoded["platform"], "tpm");
    assert_eq!(
        decoded["evidence"]["decoded"]["ak"]["attributes"]
            .as_array()
            .unwrap()
            .len(),
        6
    );

    let cbor = scratch.path("evidence.cbor");
    let out = attester(&[
        "evidence",
        "--platform",
        "mock-tpm",
        "--challenge",
        CHALLENGE,
        "--format",
        "cbor",
        "-o",
        s(&cbor),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = attester(&["verify", s(&cbor), "--challenge", CHALLENGE, "--allow-mock"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn raw_swtpm_quotes_verify_with_trusted_ak_files() {
    let Some(dir) = corpus("raw_swtpm_quotes_verify_with_trusted_ak_files") else {
        return;
    };
    for (quote, ak, nonce_file) in [
        ("quote-ecc-n64", "ak-ecc", "nonce64.hex"),
        ("quote-ecc-n32", "ak-ecc", "nonce32.hex"),
        ("quote-rsa-n64", "ak-rsa", "nonce64.hex"),
    ] {
        let challenge = nonce(&dir, nonce_file);
        let attest = dir.join(format!("{quote}.attest"));
        let sig = dir.join(format!("{quote}.sig"));
        for (ak_file, trust, pcrs) in [
            (
                format!("{ak}.pem"),
                format!("{ak}.pem"),
                format!("{quote}.pcrs"),
            ),
            (
                format!("{ak}.tpm2b_public"),
                format!("{ak}.tpm2b_public"),
                "pcrs-sha256-0-7.yaml".to_owned(),
            ),
        ] {
            let out = attester(&[
                "verify",
                s(&attest),
                "--challenge",
                &challenge,
                "--tpm-signature",
                s(&sig),
                "--tpm-ak",
                s(&dir.join(&ak_file)),
                "--tpm-pcrs",
                s(&dir.join(&pcrs)),
                "--trust",
                s(&dir.join(&trust)),
                "--json",
            ]);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{quote} {ak_file}: {}",
                stderr(&out)
            );
            let verdict = stdout_json(&out);
            assert_eq!(verdict["verified"], true);
            assert_eq!(verdict["claims"]["pcrs_checked"], true);
            assert!(
                verdict["passed"]
                    .as_array()
                    .unwrap()
                    .contains(&"format.pcr-digest".into())
            );
        }
        // The AK given but not trusted.
        let out = attester(&[
            "verify",
            s(&attest),
            "--challenge",
            &challenge,
            "--tpm-signature",
            s(&sig),
            "--tpm-ak",
            s(&dir.join(format!("{ak}.pem"))),
        ]);
        assert_one_line_error(&out, 1);
        assert!(stderr(&out).contains("AK not trusted"), "{}", stderr(&out));
    }
}

#[test]
fn raw_quote_failures_name_the_check() {
    let Some(dir) = corpus("raw_quote_failures_name_the_check") else {
        return;
    };
    let scratch = Scratch::new("tpm-raw-failures");
    let challenge = nonce(&dir, "nonce64.hex");
    let base = |attest: &str, pcrs: &str| -> Output {
        attester(&[
            "verify",
            attest,
            "--challenge",
            &challenge,
            "--tpm-signature",
            s(&dir.join("quote-ecc-n64.sig")),
            "--tpm-ak",
            s(&dir.join("ak-ecc.tpm2b_public")),
            "--tpm-pcrs",
            pcrs,
            "--trust",
            s(&dir.join("ak-ecc.pem")),
            "--json",
        ])
    };
    let pcrs = dir.join("quote-ecc-n64.pcrs");
    // A flipped byte in the quote: the signature.
    let mut attest = std::fs::read(dir.join("quote-ecc-n64.attest")).unwrap();
    attest[100] ^= 0x01;
    let flipped = scratch.write("flipped.attest", &attest);
    let out = base(s(&flipped), s(&pcrs));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["failed"]["check"], "signature");
    // Wrong PCR values (JSON form): the PCR digest.
    let json = r#"{"sha256": {"0": "00000000000000000000000000000000000000000000000000000000000000ff",
        "1": "0000000000000000000000000000000000000000000000000000000000000000",
        "2": "0000000000000000000000000000000000000000000000000000000000000000",
        "3": "0000000000000000000000000000000000000000000000000000000000000000",
        "4": "0000000000000000000000000000000000000000000000000000000000000000",
        "5": "0000000000000000000000000000000000000000000000000000000000000000",
        "6": "0000000000000000000000000000000000000000000000000000000000000000",
        "7": "0000000000000000000000000000000000000000000000000000000000000000"}}"#;
    let wrong = scratch.write("pcrs.json", json.as_bytes());
    let attest = dir.join("quote-ecc-n64.attest");
    let out = base(s(&attest), s(&wrong));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["failed"]["check"], "format.pcr-digest");
    // A raw quote without its signature: usage, exit 2.
    let out = attester(&["verify", s(&attest), "--challenge", &challenge]);
    assert_one_line_error(&out, 2);
    assert!(stderr(&out).contains("--tpm-signature"), "{}", stderr(&out));
    // Inspect: the raw TPMS_ATTEST alone, and with its signature and AK.
    let out = attester(&["inspect", s(&attest), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["decoded"]["extra_data"], challenge);
    let out = attester(&[
        "inspect",
        s(&attest),
        "--tpm-signature",
        s(&dir.join("quote-ecc-n64.sig")),
        "--tpm-ak",
        s(&dir.join("ak-ecc.pem")),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["decoded"]["signature"]["scheme"], "ecdsa");
}

#[cfg(feature = "tpm-device")]
#[path = "../../attester-tpm/tests/support/swtpm.rs"]
mod swtpm;

#[cfg(feature = "tpm-device")]
#[test]
fn swtpm_evidence_verifies_with_the_exported_ak() {
    let Some(tpm) = swtpm::Swtpm::start("swtpm_evidence_verifies_with_the_exported_ak") else {
        return;
    };
    let scratch = Scratch::new("tpm-device");
    let ak = scratch.path("ak.pem");
    let tcti = tpm.tcti();
    let out = attester(&["tpm", "ak", "--tpm-tcti", &tcti, "-o", s(&ak)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(&ak)
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    let evidence = scratch.path("evidence.json");
    let out = attester(&[
        "evidence",
        "--platform",
        "tpm",
        "--tpm-tcti",
        &tcti,
        "--challenge",
        CHALLENGE,
        "-o",
        s(&evidence),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = attester(&[
        "verify",
        s(&evidence),
        "--challenge",
        CHALLENGE,
        "--trust",
        s(&ak),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = attester(&["verify", s(&evidence), "--challenge", CHALLENGE]);
    assert_one_line_error(&out, 1);
    assert!(stderr(&out).contains("AK not trusted"), "{}", stderr(&out));
}
