//! Quote latency through the device backend on a private swtpm: p50 and p95 over 100 attests
//! (TPM2_Quote of every allocated bank, with the PCR reads around it), printed with the swtpm
//! version. A measurement, not a check: ignored by default; run it with
//! `cargo test -p attester-tpm --features device --release --test swtpm_latency -- --ignored --nocapture`.
#![cfg(feature = "device")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stdout
)]

#[path = "support/swtpm.rs"]
mod swtpm;

use std::hint::black_box;
use std::time::{Duration, Instant};

use attester_core::{Attester, Challenge};
use attester_tpm::device::{Config, TpmAttester};

#[test]
#[ignore = "a measurement; run with --ignored --nocapture"]
fn swtpm_quote_latency() {
    let Some(tpm) = swtpm::Swtpm::start("swtpm_quote_latency") else {
        return;
    };
    let challenge = Challenge::new(&[0x5a; 32]).unwrap();
    for pcrs in [(0..8).collect::<Vec<u32>>(), (0..24).collect()] {
        let config = Config {
            event_log: None,
            pcrs: pcrs.clone(),
            ..Config::with_tcti(tpm.tcti())
        };
        let mut backend = TpmAttester::open(&config).unwrap();
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
            "swtpm PCRs {}..={} of every bank: attest p50 {:.2} ms p95 {:.2} ms over 100 ({})",
            pcrs[0],
            pcrs[pcrs.len() - 1],
            times[49].as_secs_f64() * 1e3,
            times[94].as_secs_f64() * 1e3,
            swtpm::version().unwrap_or_default()
        );
    }
}
