//! Criterion benchmark of decoding alone (`CcaToken::decode` and a read of every claim) on
//! corpus tokens (`ATTESTER_VECTORS`). It needs neither `verify` nor aws-lc, so it builds
//! with `--no-default-features --features rustcrypto`, a release build small enough to profile
//! the decoder with callgrind (see `BENCHMARKS.md`). `benches/token.rs` measures verification, and
//! `bench/` compares with `ccatoken`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use attester_cca::CcaToken;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::io::Write as _;

mod common;
use common::{corpus, read_every_claim};

fn benches(c: &mut Criterion) {
    let Some(dir) = corpus() else {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED cca decode bench: no corpus (set ATTESTER_VECTORS)"
        );
        return;
    };
    let cases = [
        ("cca-token-01", "rust-ccatoken/cca-token-01.cbor"),
        ("trustee", "trustee/cca-example-token.cbor"),
        ("tf-m-tools-907", "tf-m-tools/cca_example_token.cbor"),
    ];
    for (label, file) in cases {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        c.bench_function(&format!("decode/{label}"), |b| {
            b.iter(|| {
                let token = CcaToken::decode(black_box(&bytes)).unwrap();
                black_box(read_every_claim(&token))
            })
        });
    }
}

criterion_group!(decode, benches);
criterion_main!(decode);
