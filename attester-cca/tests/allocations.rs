//! Decoding a token and reading every claim allocates at most once, for the software
//! components, and not at all when there are none (the budget is two allocations). Alone in its own test binary: the allocator counts every thread, so no other
//! test may run beside it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use attester_cca::CcaToken;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use std::alloc::System;
use std::hint::black_box;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Decodes and touches every claim, folding them into a number so nothing is optimised away.
fn decode_and_read(bytes: &[u8]) -> usize {
    let token = CcaToken::decode(bytes).unwrap();
    let p = token.platform().claims();
    let r = token.realm().claims();
    let mut sum = p.profile().len()
        + p.challenge().len()
        + p.implementation_id().len()
        + p.instance_id().len()
        + p.config().len()
        + usize::from(p.lifecycle())
        + p.verification_service().map_or(0, str::len)
        + p.hash_algorithm().len();
    for c in p.sw_components() {
        sum += c.component_type().map_or(0, str::len)
            + c.measurement_value().len()
            + c.version().map_or(0, str::len)
            + c.signer_id().len()
            + c.hash_algorithm().map_or(0, str::len);
    }
    sum += r.challenge().len()
        + r.profile().map_or(0, str::len)
        + r.instance_id().map_or(0, <[u8]>::len)
        + r.personalization_value().len()
        + r.hash_algorithm().len()
        + r.public_key().sec1_point().len()
        + r.public_key().claim_bytes().len()
        + r.initial_measurement().len()
        + r.extensible_measurements()
            .iter()
            .map(|m| m.len())
            .sum::<usize>()
        + r.public_key_hash_algorithm().len()
        + usize::try_from(r.mec_policy().unwrap_or(0)).unwrap_or(0);
    sum
}

#[test]
fn decoding_and_reading_every_claim_allocates_at_most_once() {
    let test = "decoding_and_reading_every_claim_allocates_at_most_once";
    let Some(tokens) = support::cca_tokens(test) else {
        return;
    };
    for (name, bytes, _) in &tokens {
        // Warm up anything lazily initialised on first use.
        black_box(decode_and_read(bytes));
        let region = Region::new(GLOBAL);
        black_box(decode_and_read(black_box(bytes)));
        let stats = region.change();
        let components = CcaToken::decode(bytes)
            .unwrap()
            .platform()
            .claims()
            .sw_components()
            .len();
        assert_eq!(
            stats.allocations + stats.reallocations,
            usize::from(components > 0),
            "{name}: {stats:?}"
        );
        // Sized for the components exactly: the capacity bound never cuts a valid token short.
        assert_eq!(
            stats.bytes_allocated,
            components * std::mem::size_of::<attester_cca::SwComponent<'_>>(),
            "{name}: {stats:?}"
        );
    }
}
