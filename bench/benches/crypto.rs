//! Signature verification through the crypto seam (`attester_core::crypto::Provider`): the
//! aws-lc-rs provider against the RustCrypto one, for ECDSA P-256/SHA-256 and P-384/SHA-384
//! (fixed `r || s`, SPKI keys) and RSA-PSS-4096/SHA-384, plus aws-lc-rs called directly, which
//! shows what the seam's own checks cost.

// A bench whose fixture is broken must abort loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::hint::black_box;

use attester_bench::{ecdsa_key, filler};
use attester_core::crypto::{
    AwsLc, Curve, HashAlg, Provider, PublicKey, RustCrypto, Signature, SignatureAlg,
};
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self as lc, KeyPair, UnparsedPublicKey, VerificationAlgorithm};
use base64::Engine;
use criterion::{Criterion, criterion_group, criterion_main};

/// A test RSA-4096 key of this repository (PKCS#8 PEM; it protects nothing).
const RSA4096_PEM: &str = include_str!("../../attester-core/tests/data/rsa4096.pk8.pem");

/// The signed message: 1 KiB, about the signed part of a platform report.
const MESSAGE_LEN: usize = 1024;

struct Case {
    name: &'static str,
    alg: SignatureAlg,
    spki: Vec<u8>,
    signature: Vec<u8>,
    /// The same check through aws-lc-rs directly: the algorithm and the key it takes.
    direct: (&'static dyn VerificationAlgorithm, Vec<u8>),
}

fn ecdsa_case(name: &'static str, curve: Curve, message: &[u8]) -> Case {
    let key = ecdsa_key(curve).unwrap();
    let direct_alg: &'static dyn VerificationAlgorithm = match curve {
        Curve::P256 => &lc::ECDSA_P256_SHA256_FIXED,
        Curve::P384 => &lc::ECDSA_P384_SHA384_FIXED,
    };
    Case {
        name,
        alg: SignatureAlg::Ecdsa {
            curve,
            hash: curve.default_hash(),
        },
        spki: key.spki_der().unwrap(),
        signature: key.sign(message).unwrap(),
        direct: (direct_alg, key.public_sec1().to_vec()),
    }
}

fn rsa_pss_case(message: &[u8]) -> Case {
    let b64: String = RSA4096_PEM
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let pkcs8 = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let pair = lc::RsaKeyPair::from_pkcs8(&pkcs8).unwrap();
    assert_eq!(pair.public_modulus_len(), 512, "an RSA-4096 key");
    let mut signature = vec![0; pair.public_modulus_len()];
    pair.sign(
        &lc::RSA_PSS_SHA384,
        &SystemRandom::new(),
        message,
        &mut signature,
    )
    .unwrap();
    Case {
        name: "rsa-pss-4096-sha384",
        alg: SignatureAlg::RsaPss {
            hash: HashAlg::Sha384,
        },
        spki: pair.public_key().as_der().unwrap().as_ref().to_vec(),
        signature,
        direct: (
            &lc::RSA_PSS_2048_8192_SHA384,
            pair.public_key().as_ref().to_vec(),
        ),
    }
}

fn signature(case: &Case) -> Signature<'_> {
    match case.alg {
        SignatureAlg::Ecdsa { .. } => Signature::EcdsaFixed(&case.signature),
        _ => Signature::Rsa(&case.signature),
    }
}

fn benches(c: &mut Criterion) {
    let message = filler(MESSAGE_LEN);
    let cases = [
        ecdsa_case("ecdsa-p256-sha256", Curve::P256, &message),
        ecdsa_case("ecdsa-p384-sha384", Curve::P384, &message),
        rsa_pss_case(&message),
    ];
    let providers: [&dyn Provider; 2] = [&AwsLc, &RustCrypto];

    for case in &cases {
        let key = PublicKey::Spki(&case.spki);
        let sig = signature(case);
        // Every path must accept the signature, or the comparison is void.
        for provider in providers {
            provider.verify(case.alg, key, &message, sig).unwrap();
        }
        let (direct_alg, direct_key) = &case.direct;
        UnparsedPublicKey::new(*direct_alg, direct_key)
            .verify(&message, &case.signature)
            .unwrap();

        let mut g = c.benchmark_group(format!("crypto/{}", case.name));
        for provider in providers {
            g.bench_function(provider.name(), |b| {
                b.iter(|| provider.verify(case.alg, key, black_box(&message), sig))
            });
        }
        g.bench_function("aws-lc-rs-direct", |b| {
            b.iter(|| {
                UnparsedPublicKey::new(*direct_alg, direct_key)
                    .verify(black_box(&message), &case.signature)
            })
        });
        g.finish();
    }
}

criterion_group!(crypto_benches, benches);
criterion_main!(crypto_benches);
