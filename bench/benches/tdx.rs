//! Intel TDX on a corpus quote (dcap-qvl's `tdx_quote`, v4, with its collateral): ours
//! (`attester_tdx`) against `dcap-qvl` 0.7 in the same run: parsing the quote and reading its
//! body fields (with the allocations of one parse), full verification with collateral from cold
//! (quote, QE report, PCK chain, TCB Info, QE Identity, CRLs) under each provider, and
//! verification with the PCK chain and the collateral cached, with a bare aws-lc-rs P-256
//! verify as the floor.
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
use attester_tdx::collateral::Collateral;
use attester_tdx::verify::{self, IntelRoots, Options, VerifiedPck};
use attester_tdx::{Policy, Quote};
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey};
use criterion::{Criterion, criterion_group};
use dcap_qvl::QuoteCollateralV3;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use time::macros::datetime;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const PEER: &str = "dcap-qvl-0.7";
const QUOTE: &str = "tdx/dcap-qvl/tdx_quote";
const COLLATERAL: &str = "tdx/dcap-qvl/tdx_quote_collateral.json";

use attester_bench::corpus_file;

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

/// Ours: parse the view (header, body, signature data, QE report, certification framing) and
/// read MRTD, RTMR0, REPORTDATA, TD_ATTRIBUTES and the QE's ISVSVN.
fn ours_fields(quote: &[u8]) -> (&[u8; 48], &[u8; 48], &[u8; 64], u64, u16) {
    let q = Quote::parse(quote).unwrap();
    let qe = q.qe_report_cert().unwrap().qe_report;
    let b = q.body();
    (
        b.mr_td(),
        &b.rtmrs()[0],
        b.report_data(),
        b.td_attributes().0,
        qe.isv_svn(),
    )
}

/// The peer: decode the owned quote and read the same fields.
fn peer_fields(quote: &[u8]) -> ([u8; 48], [u8; 48], [u8; 64], u64, u16) {
    let q = dcap_qvl::quote::Quote::parse(quote).unwrap();
    let td = q.report.as_td10().unwrap();
    let qe_svn = match &q.auth_data {
        dcap_qvl::quote::AuthData::V4(a) => {
            let r = &a.qe_report_data.qe_report;
            u16::from_le_bytes([r[258], r[259]])
        }
        _ => 0,
    };
    (
        td.mr_td,
        td.rt_mr0,
        td.report_data,
        u64::from_le_bytes(td.td_attributes),
        qe_svn,
    )
}

fn ours_cold(
    quote: &[u8],
    collateral_json: &[u8],
    challenge: &Challenge,
    roots: &IntelRoots,
    provider: &dyn Provider,
) -> attester_tdx::verify::Appraisal {
    let at = datetime!(2025-06-19 11:00 UTC);
    let mut collateral = Collateral::new();
    collateral.add_file(collateral_json).unwrap();
    let verified = collateral.verify(roots, at, provider).unwrap();
    let policy = Policy::default();
    let mut options = Options::new(roots, at, &policy);
    options.provider = provider;
    options.collateral = Some(&verified);
    verify::verify(quote, challenge, &options).unwrap()
}

fn benches(c: &mut Criterion) {
    let (Some(quote), Some(collateral_json)) = (corpus_file(QUOTE), corpus_file(COLLATERAL)) else {
        println!("NOTE: tdx benches skipped: no TDX corpus (set ATTESTER_VECTORS)");
        return;
    };
    let quote = &quote;
    let now_secs = 1_750_330_800; // 2025-06-19T11:00:00Z
    let peer_collateral: QuoteCollateralV3 = serde_json::from_slice(&collateral_json).unwrap();

    // (a) parse + fields: both sides read the same values.
    let ours = ours_fields(quote);
    let peer = peer_fields(quote);
    assert_eq!(
        (ours.0, ours.1, ours.2, ours.3, ours.4),
        (&peer.0, &peer.1, &peer.2, peer.3, peer.4)
    );
    let ours_alloc = allocations(|| ours_fields(quote));
    let peer_alloc = allocations(|| peer_fields(quote));
    println!("allocations per parse + fields (count, bytes requested):");
    println!(
        "  {:<40} {:>4} allocations {:>7} bytes",
        "ours Quote::parse", ours_alloc.0, ours_alloc.1
    );
    println!(
        "  {:<40} {:>4} allocations {:>7} bytes",
        "dcap-qvl Quote::parse", peer_alloc.0, peer_alloc.1
    );
    let mut g = c.benchmark_group("tdx/parse+fields");
    g.bench_function("ours", |b| b.iter(|| ours_fields(black_box(quote))));
    g.bench_function(PEER, |b| b.iter(|| peer_fields(black_box(quote))));
    g.finish();

    // (b) full verification with collateral, from cold.
    let roots = IntelRoots::builtin().unwrap();
    let parsed = Quote::parse(quote).unwrap();
    let challenge = Challenge::new(parsed.body().report_data()).unwrap();
    let appraisal = ours_cold(quote, &collateral_json, &challenge, roots, &AwsLc);
    let peer_report = dcap_qvl::verify::ring::verify(quote, &peer_collateral, now_secs).unwrap();
    assert_eq!(
        appraisal.tcb.as_ref().unwrap().status.as_str(),
        peer_report.status
    );
    println!(
        "TCB status: ours {}, {PEER} {}",
        appraisal.tcb.unwrap().status.as_str(),
        peer_report.status
    );
    let ours_alloc = allocations(|| ours_cold(quote, &collateral_json, &challenge, roots, &AwsLc));
    let peer_alloc =
        allocations(|| dcap_qvl::verify::ring::verify(quote, &peer_collateral, now_secs).unwrap());
    println!(
        "allocations per cold verification: ours {} ({} bytes), {PEER} {} ({} bytes)",
        ours_alloc.0, ours_alloc.1, peer_alloc.0, peer_alloc.1
    );
    let providers: [&dyn Provider; 2] = [&AwsLc, &RustCrypto];
    let mut g = c.benchmark_group("tdx/verify+collateral cold");
    for provider in providers {
        g.bench_function(format!("ours ({})", provider.name()), |b| {
            b.iter(|| {
                ours_cold(
                    black_box(quote),
                    black_box(&collateral_json),
                    &challenge,
                    roots,
                    provider,
                )
            })
        });
    }
    g.bench_function(format!("{PEER} (ring)"), |b| {
        b.iter(|| {
            dcap_qvl::verify::ring::verify(black_box(quote), &peer_collateral, now_secs).unwrap()
        })
    });
    g.bench_function(format!("{PEER} (rustcrypto)"), |b| {
        b.iter(|| {
            dcap_qvl::verify::rustcrypto::verify(black_box(quote), &peer_collateral, now_secs)
                .unwrap()
        })
    });
    g.finish();

    // (c) PCK chain and collateral cached: the quote and QE report signatures, the QE binding,
    // the binding, the TCB matching and the policy.
    let at = datetime!(2025-06-19 11:00 UTC);
    let policy = Policy::default();
    let (_, pem) = verify::qe_certification(&parsed).unwrap();
    let mut g = c.benchmark_group("tdx/verify cached chain+collateral");
    for provider in providers {
        let pck = VerifiedPck::verify(pem, roots, at, provider).unwrap();
        let mut collateral = Collateral::new();
        collateral.add_file(&collateral_json).unwrap();
        let verified = collateral.verify(roots, at, provider).unwrap();
        let mut options = Options::new(roots, at, &policy);
        options.provider = provider;
        options.collateral = Some(&verified);
        verify::verify_with_pck(quote, &pck, &challenge, &options).unwrap();
        g.bench_function(format!("ours ({})", provider.name()), |b| {
            b.iter(|| {
                verify::verify_with_pck(black_box(quote), &pck, &challenge, &options).unwrap()
            })
        });
    }
    let mut point = vec![4u8];
    point.extend_from_slice(parsed.attestation_key());
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &point)
        .verify(parsed.signed_bytes(), parsed.signature())
        .unwrap();
    g.bench_function("aws-lc-rs bare P-256", |b| {
        b.iter(|| {
            UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &point)
                .verify(black_box(parsed.signed_bytes()), parsed.signature())
                .unwrap()
        })
    });
    let ring_key =
        ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_FIXED, &point);
    ring_key
        .verify(parsed.signed_bytes(), parsed.signature())
        .unwrap();
    g.bench_function("ring bare P-256", |b| {
        b.iter(|| {
            ring::signature::UnparsedPublicKey::new(
                &ring::signature::ECDSA_P256_SHA256_FIXED,
                &point,
            )
            .verify(black_box(parsed.signed_bytes()), parsed.signature())
            .unwrap()
        })
    });
    g.finish();
}

criterion_group!(tdx_benches, benches);

fn main() {
    tdx_benches();
    Criterion::default().configure_from_args().final_summary();
}
