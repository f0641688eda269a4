//! Criterion benchmark of CCA verification on corpus tokens (`ATTESTER_VECTORS`): decoding and
//! full verification next to the two bare ECDSA verifications it contains, in the same run.
//! Decoding alone is `benches/decode.rs`; peer crates are measured in `bench/`, not here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use attester_cca::CcaToken;
use attester_cca::trust::PlatformKeys;
use attester_cca::verify::{self, CcaPolicy};
use attester_core::crypto::{self, Curve, HashAlg, PublicKey, Signature, SignatureAlg};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::io::Write as _;

// Each bench uses part of what the CCA benches share.
#[allow(dead_code)]
mod common;
use common::corpus;

fn benches(c: &mut Criterion) {
    let Some(dir) = corpus() else {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED cca benches: no corpus (set ATTESTER_VECTORS)"
        );
        return;
    };
    let cases = [
        (
            "cca-token-01 (399, 1222 B)",
            "rust-ccatoken/cca-token-01.cbor",
        ),
        ("trustee (399, 2234 B)", "trustee/cca-example-token.cbor"),
        (
            "tf-m-tools example (907, 2174 B)",
            "tf-m-tools/cca_example_token.cbor",
        ),
    ];
    // The same key, as the same point, for the full and the bare verifications.
    let cpak = std::fs::read(dir.join("trustee/cpak-pub.json")).unwrap();
    let mut keys = PlatformKeys::new();
    keys.add_file(&cpak).unwrap();
    let cpak = attester_cca::trust::PlatformKey::from_jwk(&serde_json::from_slice(&cpak).unwrap())
        .unwrap();
    let es384 = SignatureAlg::Ecdsa {
        curve: Curve::P384,
        hash: HashAlg::Sha384,
    };
    for (label, file) in cases {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let token = CcaToken::decode(&bytes).unwrap();
        let challenge = token.realm().claims().challenge().to_vec();
        c.bench_function(&format!("full verification / {label}"), |b| {
            b.iter(|| {
                let token = CcaToken::decode(black_box(&bytes)).unwrap();
                verify::verify_token(&token, &challenge, &keys, &CcaPolicy::default()).unwrap()
            })
        });
        let platform_tbs = token.platform().signed().message().to_be_signed();
        let realm_tbs = token.realm().signed().message().to_be_signed();
        let rak = token.realm().claims().public_key();
        c.bench_function(&format!("two bare ECDSA P-384 verifies / {label}"), |b| {
            b.iter(|| {
                let provider = crypto::default_provider();
                provider
                    .verify(
                        es384,
                        cpak.public_key(),
                        black_box(&platform_tbs),
                        Signature::EcdsaFixed(token.platform().signed().message().signature),
                    )
                    .unwrap();
                provider
                    .verify(
                        es384,
                        PublicKey::EcPoint {
                            curve: Curve::P384,
                            sec1: rak.sec1_point(),
                        },
                        black_box(&realm_tbs),
                        Signature::EcdsaFixed(token.realm().signed().message().signature),
                    )
                    .unwrap();
            })
        });
    }
}

criterion_group!(cca, benches);
criterion_main!(cca);
