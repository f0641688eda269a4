//! The SEV-SNP hot paths on a corpus report (Turin v5): parsing the view and reading five
//! fields, verifying a report with a key whose chain is already verified, and verification
//! from cold (key certificate parse, chain, report). Numbers go to BENCHMARKS.md with the peer
//! crates' from `bench/`, measured in the same run.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stderr,
    missing_docs
)]

use std::hint::black_box;
use std::path::PathBuf;

use attester_core::Challenge;
use attester_core::crypto::Provider;
use attester_core::x509::Certificate;
use attester_snp::Report;
use attester_snp::verify::{self, AmdRoots, Options, Policy, VerifiedKey};
use criterion::{Criterion, criterion_group, criterion_main};
use time::Duration;

fn corpus_file(relative: &str) -> Option<Vec<u8>> {
    let dir = match std::env::var_os("ATTESTER_VECTORS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"),
    };
    std::fs::read(dir.join(relative)).ok()
}

fn providers() -> Vec<&'static dyn Provider> {
    #[allow(unused_mut)]
    let mut all: Vec<&'static dyn Provider> = vec![attester_core::crypto::default_provider()];
    #[cfg(all(feature = "aws-lc", feature = "rustcrypto"))]
    all.push(&attester_core::crypto::RustCrypto);
    all
}

fn benches(c: &mut Criterion) {
    let (Some(report), Some(vcek)) = (
        corpus_file("snp/reports/turin_v5_mstav/report.bin"),
        corpus_file("snp/reports/turin_v5_mstav/vcek.pem"),
    ) else {
        eprintln!("SKIPPED snp benches: no corpus (set ATTESTER_VECTORS)");
        return;
    };
    let vcek = Certificate::from_pem(&vcek).unwrap();
    let at = vcek.not_before() + Duration::days(1);
    let roots = AmdRoots::builtin().unwrap();
    let challenge = Challenge::new(Report::parse(&report).unwrap().report_data()).unwrap();
    let policy = Policy::default();

    c.bench_function("snp/parse+5 fields", |b| {
        b.iter(|| {
            let r = Report::parse(black_box(&report)).unwrap();
            black_box((
                r.version(),
                r.policy(),
                r.report_data(),
                r.measurement(),
                r.reported_tcb(),
            ))
        })
    });
    for provider in providers() {
        let name = provider.name();
        let key =
            VerifiedKey::verify(&vcek, &[], r_generation(&report), roots, at, provider).unwrap();
        c.bench_function(&format!("snp/verify cached key ({name})"), |b| {
            b.iter(|| {
                let r = Report::parse(black_box(&report)).unwrap();
                key.verify_signature(&r, provider).unwrap();
                key.check_report_platform(&r).unwrap();
                verify::check_binding(&r, &challenge).unwrap();
            })
        });
        c.bench_function(&format!("snp/verify cold ({name})"), |b| {
            b.iter(|| {
                let cert = Certificate::from_der(black_box(vcek.der())).unwrap();
                let mut options = Options::new(roots, at, &policy);
                options.provider = provider;
                verify::verify(
                    black_box(&report),
                    std::slice::from_ref(&cert),
                    &challenge,
                    &options,
                )
                .unwrap()
            })
        });
    }
}

fn r_generation(report: &[u8]) -> Option<attester_snp::Generation> {
    Report::parse(report).unwrap().generation()
}

criterion_group!(snp, benches);
criterion_main!(snp);
