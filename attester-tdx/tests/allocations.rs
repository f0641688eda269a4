//! Parsing a quote and reading its body, signature data, QE report and certification data
//! framing allocates nothing. Alone in its own test binary: the allocator counts every thread.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use attester_tdx::Quote;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use std::alloc::System;
use std::hint::black_box;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn parse_and_read(bytes: &[u8]) -> usize {
    let q = Quote::parse(bytes).unwrap();
    let b = q.body();
    let qe = q.qe_report_cert().unwrap();
    usize::from(q.version())
        + b.mr_td()[0] as usize
        + b.rtmrs()[0][0] as usize
        + b.report_data()[0] as usize
        + b.td_attributes().0 as usize
        + b.xfam() as usize
        + b.tee_tcb_svn()[0] as usize
        + qe.qe_report.isv_svn() as usize
        + qe.qe_auth_data.len()
        + qe.inner.pck_chain_pem().unwrap().len()
        + q.signature()[0] as usize
        + q.trailing().len()
}

#[test]
fn parsing_allocates_nothing() {
    let Some(bytes) = support::corpus_file("parsing_allocates_nothing", "tdx/dcap-qvl/tdx_quote")
    else {
        return;
    };
    let v5 = support::corpus_file(
        "parsing_allocates_nothing",
        "tdx/go-tdx-guest/quote_v5_sample.dat",
    )
    .unwrap();
    for quote in [&bytes, &v5] {
        let region = Region::new(GLOBAL);
        black_box(parse_and_read(black_box(quote)));
        let stats = region.change();
        assert_eq!(stats.allocations, 0, "{stats:?}");
    }
}
