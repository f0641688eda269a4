//! TPM 2.0 quotes: ours (`attester_tpm`) against the published Rust parsers of TPMS_ATTEST in
//! the same run — tss-esapi 7.x `Attest::unmarshall` (tpm2-tss `Tss2_MU` in C underneath, then
//! conversion to Rust types) and `tpm2-protocol` 1.2 `TpmsAttest::unmarshal` (pure Rust,
//! owned) — on the swtpm quote of the corpus, with the allocations of one parse; the quote
//! verification (ECDSA P-256 and RSA-2048 AKs, PCR digest) under both providers; and, when
//! swtpm is installed, the latency of TPM2_Quote through the device backend (p50/p95 over 100
//! quotes, with the swtpm version), printed before the timings.
//!
//! The corpus is read at run time from `ATTESTER_VECTORS` (default `../../shared/vectors`
//! beside the workspace); without it the bench prints a note and measures nothing.

// A bench whose fixture is broken must abort loudly, and it prints what it measured.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stdout,
    missing_docs
)]

#[path = "../../attester-tpm/tests/support/swtpm.rs"]
mod swtpm;

use std::alloc::System;
use std::hint::black_box;
use std::time::{Duration, Instant};

use attester_core::crypto::{AwsLc, Provider, RustCrypto};
use attester_core::x509::{TrustAnchors, pem_blocks};
use attester_core::{Attester, Challenge};
use attester_tpm::verify::{Ak, Options, verify_quote};
use attester_tpm::{Attest, PcrValues};
use criterion::Criterion;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use tpm2_protocol::TpmUnmarshal as _;
use tss_esapi::traits::UnMarshall as _;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

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

/// Ours: parse and read every field, folded so that nothing is optimized away.
fn ours_parse(bytes: &[u8]) -> u64 {
    let quote = Attest::parse(bytes).unwrap();
    let clock = quote.clock_info();
    let mut sum = quote.extra_data().len() as u64
        + quote.qualified_signer().len() as u64
        + quote.pcr_digest().len() as u64
        + clock.clock
        + quote.firmware_version();
    for (bank, index) in quote.pcr_select().pcrs() {
        sum += u64::from(bank.id()) + u64::from(index);
    }
    sum
}

struct Quote {
    name: &'static str,
    attest: Vec<u8>,
    sig: Vec<u8>,
    ak: Vec<u8>,
    ak_spki: Vec<u8>,
    pcrs: PcrValues,
    nonce: Vec<u8>,
}

fn quotes() -> Option<Vec<Quote>> {
    let nonce = hex::decode(
        String::from_utf8(corpus_file("tpm/swtpm/nonce64.hex")?)
            .unwrap()
            .trim(),
    )
    .unwrap();
    let mut out = Vec::new();
    for (name, ak) in [("ecc-p256", "ak-ecc"), ("rsa-2048", "ak-rsa")] {
        let quote = if name == "ecc-p256" {
            "quote-ecc-n64"
        } else {
            "quote-rsa-n64"
        };
        let pem = corpus_file(&format!("tpm/swtpm/{ak}.pem"))?;
        out.push(Quote {
            name,
            attest: corpus_file(&format!("tpm/swtpm/{quote}.attest"))?,
            sig: corpus_file(&format!("tpm/swtpm/{quote}.sig"))?,
            ak: corpus_file(&format!("tpm/swtpm/{ak}.tpm2b_public"))?,
            ak_spki: pem_blocks(&pem).unwrap().remove(0).der,
            pcrs: PcrValues::parse(&corpus_file(&format!("tpm/swtpm/{quote}.pcrs"))?).unwrap(),
            nonce: nonce.clone(),
        });
    }
    Some(out)
}

fn tpm_benches() {
    let Some(quotes) = quotes() else {
        println!("tpm bench: no corpus (set ATTESTER_VECTORS); nothing measured");
        return;
    };
    let attest = &quotes[0].attest;
    // The peers must read the same quote.
    let peer_tss = tss_esapi::structures::Attest::unmarshall(attest).unwrap();
    assert_eq!(peer_tss.extra_data().value(), quotes[0].nonce.as_slice());
    let (peer_proto, rest) = tpm2_protocol::data::TpmsAttest::unmarshal(attest).unwrap();
    assert!(rest.is_empty());
    assert_eq!(&*peer_proto.extra_data, quotes[0].nonce.as_slice());
    println!(
        "allocations of one TPMS_ATTEST parse ({} bytes): ours {:?}, tss-esapi {:?}, tpm2-protocol {:?}",
        attest.len(),
        allocations(|| ours_parse(attest)),
        allocations(|| tss_esapi::structures::Attest::unmarshall(attest).unwrap()),
        allocations(|| tpm2_protocol::data::TpmsAttest::unmarshal(attest)
            .unwrap()
            .0),
    );

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("tpm/parse-quote");
    group.bench_function("ours", |b| b.iter(|| ours_parse(black_box(attest))));
    group.bench_function("tss-esapi-7.7", |b| {
        b.iter(|| tss_esapi::structures::Attest::unmarshall(black_box(attest)).unwrap())
    });
    group.bench_function("tpm2-protocol-1.2", |b| {
        b.iter(|| {
            tpm2_protocol::data::TpmsAttest::unmarshal(black_box(attest))
                .unwrap()
                .0
        })
    });
    group.finish();

    let mut group = c.benchmark_group("tpm/verify-quote");
    for quote in &quotes {
        let mut anchors = TrustAnchors::new();
        anchors.add_spki(&quote.ak_spki).unwrap();
        for provider in [&AwsLc as &dyn Provider, &RustCrypto] {
            let options = Options {
                anchors: &anchors,
                at: time::OffsetDateTime::now_utc(),
                provider,
            };
            let run = || {
                verify_quote(
                    &quote.attest,
                    &quote.sig,
                    Ak::parse(&quote.ak).unwrap(),
                    &quote.pcrs,
                    &[],
                    &quote.nonce,
                    &options,
                )
                .unwrap()
            };
            run();
            group.bench_function(format!("{}/{}", quote.name, provider.name()), |b| {
                b.iter(run)
            });
        }
    }
    group.finish();
}

/// TPM2_Quote latency through the device backend on a private swtpm.
fn swtpm_latency() {
    let Some(tpm) = swtpm::Swtpm::start("tpm bench: swtpm quote latency") else {
        return;
    };
    let config = attester_tpm::device::Config {
        event_log: None,
        ..attester_tpm::device::Config::with_tcti(tpm.tcti())
    };
    let mut backend = attester_tpm::device::TpmAttester::open(&config).unwrap();
    let challenge = Challenge::new(&[0x5a; 32]).unwrap();
    for pcrs in [
        vec![0u32, 1, 2, 3, 4, 5, 6, 7],
        (0..24).collect::<Vec<u32>>(),
    ] {
        drop(backend);
        let config = attester_tpm::device::Config {
            pcrs: pcrs.clone(),
            ..config.clone()
        };
        backend = attester_tpm::device::TpmAttester::open(&config).unwrap();
        backend.attest(&challenge).unwrap();
        let mut times: Vec<Duration> = (0..100)
            .map(|_| {
                let start = Instant::now();
                black_box(backend.attest(&challenge).unwrap());
                start.elapsed()
            })
            .collect();
        times.sort();
        println!(
            "swtpm attest (TPM2_Quote, every bank, PCRs {}..={}, ECDSA P-256 AK, PCR reads before and after) over 100: p50 {:.2} ms, p95 {:.2} ms ({})",
            pcrs[0],
            pcrs[pcrs.len() - 1],
            times[49].as_secs_f64() * 1e3,
            times[94].as_secs_f64() * 1e3,
            swtpm::version().unwrap_or_default()
        );
    }
}

fn main() {
    swtpm_latency();
    tpm_benches();
    Criterion::default().configure_from_args().final_summary();
}
