//! Parsing a quote and reading every field allocates nothing (the issue's budget is "nothing
//! beyond the PCR selection"; the selection is a borrowed view too). Alone in its own test
//! binary: the allocator counts every thread.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use attester_tpm::{Attest, TpmSignature};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use std::alloc::System;
use std::hint::black_box;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn parse_and_read(attest: &[u8], sig: &[u8]) -> u64 {
    let quote = Attest::parse(attest).unwrap();
    let clock = quote.clock_info();
    let mut sum = quote.extra_data().len() as u64
        + quote.qualified_signer().len() as u64
        + quote.pcr_digest().len() as u64
        + clock.clock
        + quote.firmware_version();
    for (bank, index) in quote.pcr_select().pcrs() {
        sum += u64::from(bank.id()) + u64::from(index);
    }
    sum + TpmSignature::parse(sig).unwrap().hash().id() as u64
}

#[test]
fn quote_parsing_does_not_allocate() {
    let test = "quote_parsing_does_not_allocate";
    let Some(attest) = support::corpus_file(test, "tpm/swtpm/quote-ecc-n64.attest") else {
        return;
    };
    let sig = support::corpus_file(test, "tpm/swtpm/quote-ecc-n64.sig").unwrap();
    black_box(parse_and_read(&attest, &sig));
    let region = Region::new(GLOBAL);
    for _ in 0..100 {
        black_box(parse_and_read(black_box(&attest), black_box(&sig)));
    }
    let stats = region.change();
    assert_eq!(stats.allocations, 0, "{stats:?}");
}
