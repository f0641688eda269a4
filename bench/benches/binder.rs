//! The expat binder `Hash(SPKI_DER || exporter)`: ours (`Binding::tls_exporter`, which also
//! checks the exporter length and that the SPKI is one DER SubjectPublicKeyInfo, and
//! `attester_core::binder`) against what a caller would write by hand: `sha2` over a
//! concatenated `Vec`, and aws-lc-rs `digest` over the same `Vec`. The hand-written ones check
//! nothing.

// A bench whose fixture is broken must abort loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::hint::black_box;

use attester_bench::{EXPORTER, tls_spki_p256};
use attester_core::crypto::digest_parts;
use attester_core::{BinderHash, Binding, binder};
use aws_lc_rs::digest as lc;
use criterion::{Criterion, criterion_group, criterion_main};

fn sha2_concat<D: sha2::Digest>(spki: &[u8], exporter: &[u8]) -> Vec<u8> {
    let mut input = Vec::with_capacity(spki.len() + exporter.len());
    input.extend_from_slice(spki);
    input.extend_from_slice(exporter);
    D::digest(&input).to_vec()
}

fn aws_lc_concat(alg: &'static lc::Algorithm, spki: &[u8], exporter: &[u8]) -> Vec<u8> {
    let mut input = Vec::with_capacity(spki.len() + exporter.len());
    input.extend_from_slice(spki);
    input.extend_from_slice(exporter);
    lc::digest(alg, &input).as_ref().to_vec()
}

fn benches(c: &mut Criterion) {
    let spki = tls_spki_p256().unwrap();
    let cases: [(&str, BinderHash, &'static lc::Algorithm); 2] = [
        ("sha256", BinderHash::Sha256, &lc::SHA256),
        ("sha384", BinderHash::Sha384, &lc::SHA384),
    ];
    for (name, hash, lc_alg) in cases {
        // All four must compute the same binder, or the comparison is void.
        let ours = binder(&EXPORTER, &spki, hash).unwrap();
        let by_sha2 = match hash {
            BinderHash::Sha256 => sha2_concat::<sha2::Sha256>(&spki, &EXPORTER),
            BinderHash::Sha384 => sha2_concat::<sha2::Sha384>(&spki, &EXPORTER),
        };
        assert_eq!(ours.as_bytes(), by_sha2);
        assert_eq!(ours.as_bytes(), aws_lc_concat(lc_alg, &spki, &EXPORTER));
        let binding = Binding::tls_exporter(&EXPORTER, &spki, hash).unwrap();
        assert_eq!(binding.challenge().as_bytes(), ours.as_bytes());

        let mut g = c.benchmark_group(format!("binder/{name}"));
        g.bench_function("ours-Binding::tls_exporter", |b| {
            b.iter(|| Binding::tls_exporter(black_box(&EXPORTER), black_box(&spki), hash))
        });
        g.bench_function("ours-binder", |b| {
            b.iter(|| binder(black_box(&EXPORTER), black_box(&spki), hash))
        });
        // The hashing alone, without the checks: where the time of `binder` goes.
        g.bench_function("ours-digest_parts-only", |b| {
            b.iter(|| digest_parts(hash.hash_alg(), &[black_box(&spki), black_box(&EXPORTER)]))
        });
        match hash {
            BinderHash::Sha256 => g.bench_function("sha2-concat-vec", |b| {
                b.iter(|| sha2_concat::<sha2::Sha256>(black_box(&spki), black_box(&EXPORTER)))
            }),
            BinderHash::Sha384 => g.bench_function("sha2-concat-vec", |b| {
                b.iter(|| sha2_concat::<sha2::Sha384>(black_box(&spki), black_box(&EXPORTER)))
            }),
        };
        g.bench_function("aws-lc-rs-digest-concat-vec", |b| {
            b.iter(|| aws_lc_concat(lc_alg, black_box(&spki), black_box(&EXPORTER)))
        });
        g.finish();
    }
}

criterion_group!(binder_benches, benches);
criterion_main!(binder_benches);
