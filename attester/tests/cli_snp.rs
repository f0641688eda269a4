//! The CLI contract for SEV-SNP roots: `--trust` with an ARK certificate (PEM or DER) pins it
//! as a root of its product, so mock-snp evidence verifies without `--allow-mock`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use base64::Engine;
use common::*;

fn pem(label: &str, der: &[u8]) -> Vec<u8> {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out.into_bytes()
}

#[test]
fn trusted_ark_verifies_mock_snp_without_allow_mock() {
    let dir = Scratch::new("snp-trust");
    let evidence = dir.path("snp.cbor");
    let run = attester(&[
        "evidence",
        "--platform",
        "mock-snp",
        "--challenge",
        CHALLENGE,
        "--format",
        "cbor",
        "-o",
        s(&evidence),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));

    let mock = attester_mock::snp::MockSnp::from_default_seed().unwrap();
    let ark_der = dir.write("ark.der", mock.ark_certificate_der());
    let ark_pem = dir.write("ark.pem", &pem("CERTIFICATE", mock.ark_certificate_der()));
    for ark in [&ark_der, &ark_pem] {
        let ok = attester(&[
            "verify",
            s(&evidence),
            "--challenge",
            CHALLENGE,
            "--trust",
            s(ark),
            "--json",
        ]);
        assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
        let verdict: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
        assert_eq!(verdict["verified"], true);
        assert_eq!(verdict["platform"], "snp");
    }

    // The ASK is not a root: trusting it pins nothing for SEV-SNP.
    let ask = dir.write("ask.der", mock.ask_certificate_der());
    let refused = attester(&[
        "verify",
        s(&evidence),
        "--challenge",
        CHALLENGE,
        "--trust",
        s(&ask),
    ]);
    assert_one_line_error(&refused, 1);
    assert!(stderr(&refused).contains("trust"), "{}", stderr(&refused));

    // Another seed's ARK is not the signer's root.
    let other = attester_mock::snp::MockSnp::from_seed([7; 32]).unwrap();
    let other_ark = dir.write("other-ark.der", other.ark_certificate_der());
    let refused = attester(&[
        "verify",
        s(&evidence),
        "--challenge",
        CHALLENGE,
        "--trust",
        s(&other_ark),
    ]);
    assert_one_line_error(&refused, 1);
}
