//! AMD SEV-SNP on a corpus report (Milan, version 3, with its VCEK): ours (`attester_snp`)
//! against the `sev` crate 8 (virtee/sev, pure-Rust `crypto_nossl` verify path) in the same
//! run: parsing and reading five fields (with the allocations of one parse), verifying a report
//! with a key whose chain is already verified (with a bare aws-lc-rs P-384 verify of the same
//! signature as the floor), and verification from cold.
//!
//! The corpus is read at run time from `ATTESTER_VECTORS` (default `../../shared/vectors`
//! beside the workspace); without it the bench prints a note and measures nothing.

// A bench whose fixture is broken must abort loudly, and it prints the allocation counts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stdout,
    missing_docs
)]

use std::alloc::System;
use std::hint::black_box;

use attester_core::Challenge;
use attester_core::crypto::{AwsLc, Provider, RustCrypto};
use attester_core::x509::Certificate;
use attester_snp::Report;
use attester_snp::verify::{self, AmdRoots, Options, Policy, VerifiedKey};
use aws_lc_rs::signature::{ECDSA_P384_SHA384_FIXED, UnparsedPublicKey};
use criterion::{Criterion, criterion_group};
use sev::certs::snp::{Certificate as SevCertificate, Chain as SevChain, Verifiable};
use sev::firmware::guest::AttestationReport;
use sev::parser::ByteParser;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use time::macros::datetime;

/// Counts every allocation of the bench process, so that one parse can be measured. The
/// counters are a few atomic additions per allocation, paid by ours and the peer alike.
#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const PEER: &str = "sev-8";
const REPORT: &str = "snp/reports/milan_v3_mstav/report.bin";
const VCEK: &str = "snp/reports/milan_v3_mstav/vcek.pem";
const ARK: &str = "snp/certs/milan/ark.pem";
const ASK: &str = "snp/certs/milan/ask.pem";

use attester_bench::corpus_file;

/// The corpus inputs, each checked to be accepted by ours and by the peer.
struct Corpus {
    report: Vec<u8>,
    vcek_pem: Vec<u8>,
    ark_pem: Vec<u8>,
    ask_pem: Vec<u8>,
}

/// Allocations (and reallocations) made by `f`, and the bytes they asked for; what `f`
/// returns is dropped after counting.
fn allocations<T>(f: impl FnOnce() -> T) -> (usize, usize) {
    let region = Region::new(GLOBAL);
    let out = black_box(f());
    let stats = region.change();
    drop(out);
    (
        stats.allocations + stats.reallocations,
        stats.bytes_allocated,
    )
}

/// Ours: parse the view and read version, policy, REPORT_DATA, MEASUREMENT and REPORTED_TCB
/// (borrowed from the input where they are byte arrays).
fn ours_fields(
    report: &[u8],
) -> (
    u32,
    attester_snp::GuestPolicy,
    &[u8; 64],
    &[u8; 48],
    attester_snp::TcbVersion,
) {
    let r = Report::parse(report).unwrap();
    (
        r.version(),
        r.policy(),
        r.report_data(),
        r.measurement(),
        r.reported_tcb(),
    )
}

/// The peer: decode the owned report and read the same five fields (dropping the report).
fn peer_fields(
    report: &[u8],
) -> (
    u32,
    sev::firmware::guest::GuestPolicy,
    [u8; 64],
    [u8; 48],
    sev::firmware::host::TcbVersion,
) {
    let r = AttestationReport::from_bytes(report).unwrap();
    (
        r.version,
        r.policy,
        r.report_data,
        r.measurement,
        r.reported_tcb,
    )
}

/// The peer from cold: the three certificates from PEM, the chain ARK → ASK → VCEK, the report
/// decoded, and its signature with the VCEK.
fn peer_cold(c: &Corpus) {
    let chain = SevChain::from_pem(&c.ark_pem, &c.ask_pem, &c.vcek_pem).unwrap();
    let report = AttestationReport::from_bytes(&c.report).unwrap();
    (&chain, &report).verify().unwrap();
}

/// The peer from cold with the ARK and ASK already parsed (as ours has them built in): the
/// VCEK from PEM, the report decoded, ARK → ASK → VCEK and the report signature.
fn peer_cold_ca_parsed(ca: &sev::certs::snp::ca::Chain, c: &Corpus) {
    let vcek = SevCertificate::from_pem(&c.vcek_pem).unwrap();
    let report = AttestationReport::from_bytes(&c.report).unwrap();
    let ask = ca.verify().unwrap();
    (ask, &vcek).verify().unwrap();
    (&vcek, &report).verify().unwrap();
}

fn benches(c: &mut Criterion) {
    let (Some(report), Some(vcek_pem), Some(ark_pem), Some(ask_pem)) = (
        corpus_file(REPORT),
        corpus_file(VCEK),
        corpus_file(ARK),
        corpus_file(ASK),
    ) else {
        println!(
            "NOTE: snp benches skipped: no SEV-SNP corpus (set ATTESTER_VECTORS to the vectors \
             folder holding {REPORT})"
        );
        return;
    };
    let corpus = Corpus {
        report,
        vcek_pem,
        ark_pem,
        ask_pem,
    };
    let report = &corpus.report;

    // (a) parse + five fields: both sides must read the same values.
    let (version, policy, data, measurement, tcb) = ours_fields(report);
    let peer = peer_fields(report);
    assert_eq!(
        (version, data, measurement),
        (peer.0, &peer.2, &peer.3),
        "same fields"
    );
    assert_eq!(policy.0, u64::from(peer.1), "same policy");
    let t = tcb.0;
    assert_eq!(
        (t[0], t[1], t[6], t[7]),
        (peer.4.bootloader, peer.4.tee, peer.4.snp, peer.4.microcode),
        "same REPORTED_TCB (Milan layout)"
    );
    println!("report version {version}: both read the same five fields");
    let ours_alloc = allocations(|| ours_fields(report));
    let peer_alloc = allocations(|| peer_fields(report));
    println!("allocations per parse + five fields (count, bytes requested):");
    println!(
        "  {:<40} {:>4} allocations {:>7} bytes",
        "ours Report::parse", ours_alloc.0, ours_alloc.1
    );
    println!(
        "  {:<40} {:>4} allocations {:>7} bytes",
        "sev-8 AttestationReport::from_bytes", peer_alloc.0, peer_alloc.1
    );

    let mut g = c.benchmark_group("snp/parse+5 fields");
    g.bench_function("ours", |b| b.iter(|| ours_fields(black_box(report))));
    g.bench_function(PEER, |b| b.iter(|| peer_fields(black_box(report))));
    g.finish();

    // (b) a report checked against a key whose chain is already verified.
    let vcek = Certificate::from_pem(&corpus.vcek_pem).unwrap();
    let at = datetime!(2026-06-01 00:00 UTC);
    assert!(
        vcek.not_before() <= at && at <= vcek.not_after(),
        "VCEK valid at {at}"
    );
    let roots = AmdRoots::builtin().unwrap();
    let parsed = Report::parse(report).unwrap();
    let challenge = Challenge::new(parsed.report_data()).unwrap();
    let generation = parsed.generation();
    let policy = Policy::default();
    let sev_vcek = SevCertificate::from_pem(&corpus.vcek_pem).unwrap();
    let sev_report = AttestationReport::from_bytes(report).unwrap();
    (&sev_vcek, &sev_report).verify().unwrap();
    let signature = parsed.signature_fixed();
    let bare_key = UnparsedPublicKey::new(&ECDSA_P384_SHA384_FIXED, sev_vcek.public_key_sec1());
    bare_key.verify(parsed.signed_bytes(), &signature).unwrap();

    let providers: [&dyn Provider; 2] = [&AwsLc, &RustCrypto];
    let mut g = c.benchmark_group("snp/verify cached key");
    for provider in providers {
        let key = VerifiedKey::verify(&vcek, &[], generation, roots, at, provider).unwrap();
        g.bench_function(format!("ours ({})", provider.name()), |b| {
            b.iter(|| {
                let r = Report::parse(black_box(report)).unwrap();
                key.verify_signature(&r, provider).unwrap();
                key.check_report_platform(&r).unwrap();
            })
        });
    }
    g.bench_function("aws-lc-rs bare P-384", |b| {
        b.iter(|| {
            UnparsedPublicKey::new(&ECDSA_P384_SHA384_FIXED, sev_vcek.public_key_sec1())
                .verify(black_box(parsed.signed_bytes()), &signature)
                .unwrap()
        })
    });
    g.bench_function(PEER, |b| {
        b.iter(|| {
            (black_box(&sev_vcek), black_box(&sev_report))
                .verify()
                .unwrap()
        })
    });
    g.finish();

    // (c) from cold: key certificate(s) and report from bytes, chain, report.
    peer_cold(&corpus);
    let mut g = c.benchmark_group("snp/verify cold");
    for provider in providers {
        g.bench_function(format!("ours ({})", provider.name()), |b| {
            b.iter(|| {
                let cert = Certificate::from_pem(black_box(&corpus.vcek_pem)).unwrap();
                let mut options = Options::new(roots, at, &policy);
                options.provider = provider;
                verify::verify(
                    black_box(report),
                    std::slice::from_ref(&cert),
                    &challenge,
                    &options,
                )
                .unwrap()
            })
        });
    }
    g.bench_function(PEER, |b| b.iter(|| peer_cold(black_box(&corpus))));
    let ca = sev::certs::snp::ca::Chain::from_pem(&corpus.ark_pem, &corpus.ask_pem).unwrap();
    peer_cold_ca_parsed(&ca, &corpus);
    g.bench_function(format!("{PEER} (ARK, ASK pre-parsed)"), |b| {
        b.iter(|| peer_cold_ca_parsed(&ca, black_box(&corpus)))
    });
    g.finish();
}

criterion_group!(snp_benches, benches);

fn main() {
    snp_benches();
    Criterion::default().configure_from_args().final_summary();
}
