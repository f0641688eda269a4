//! Criterion benchmark of decoding alone (`CcaToken::decode` and a read of every claim) on
//! corpus tokens (`ATTESTER_VECTORS`). It needs neither `verify` nor aws-lc, so it builds
//! with `--no-default-features --features rustcrypto`, a release build small enough to profile
//! the decoder with callgrind (see `BENCHMARKS.md`). `benches/token.rs` measures verification too, and
//! `bench/` compares with `ccatoken`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use attester_cca::CcaToken;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::io::Write as _;
use std::path::PathBuf;

fn corpus() -> Option<PathBuf> {
    let dir = match std::env::var_os("ATTESTER_VECTORS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"),
    };
    dir.is_dir().then(|| dir.join("cca"))
}

/// Reads every claim (every software component's too) and folds their lengths, so that no
/// read is optimised away; the same reads as `benches/token.rs` and `bench/benches/cca.rs`.
fn read_every_claim(token: &CcaToken<'_>) -> usize {
    let p = token.platform().claims();
    let r = token.realm().claims();
    let mut sum = p.profile().len() + p.challenge().len() + p.implementation_id().len();
    sum += p.instance_id().len() + p.config().len() + usize::from(p.lifecycle());
    sum += p.verification_service().map_or(0, str::len) + p.hash_algorithm().len();
    for c in p.sw_components() {
        sum += c.component_type().map_or(0, str::len) + c.measurement_value().len();
        sum += c.version().map_or(0, str::len) + c.signer_id().len();
        sum += c.hash_algorithm().map_or(0, str::len);
    }
    sum += r.challenge().len() + r.profile().map_or(0, str::len);
    sum += r.instance_id().map_or(0, <[u8]>::len) + r.personalization_value().len();
    sum += r.hash_algorithm().len() + r.public_key().sec1_point().len();
    sum += r.initial_measurement().len() + r.public_key_hash_algorithm().len();
    sum += r
        .extensible_measurements()
        .iter()
        .map(|m| m.len())
        .sum::<usize>();
    sum + usize::try_from(r.mec_policy().unwrap_or(0)).unwrap_or(0)
}

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
