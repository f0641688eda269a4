//! TPM event-log replay on the largest firmware log of the corpus (`tpm/eventlogs/`): parse,
//! parse + replay of every bank, the boot facts, against hashing the same bytes once with
//! `sha2` (SHA-256), as MB/s. Replay hashes each event's digests (one extend per bank per
//! event), not the event data, so it can beat hashing the whole log once; the sha2 line is
//! the yardstick the issue asks for.
//!
//! The corpus is read at run time from `ATTESTER_VECTORS` (default `../../shared/vectors`
//! beside the workspace); without it the bench prints a loud note and measures nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    missing_docs
)]

use std::hint::black_box;
use std::path::PathBuf;

use attester_tpm::eventlog::{BootFacts, EventLog, replay};
use criterion::{Criterion, Throughput, criterion_group};
use sha2::Digest as _;

/// The largest log of `tpm/eventlogs/` (name, bytes), or `None` without a corpus.
fn largest_log() -> Option<(String, Vec<u8>)> {
    let dir = attester_bench::corpus_dir().join("tpm/eventlogs");
    let mut logs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .map(|e| e.unwrap().path())
        .collect();
    logs.sort_by_key(|p| std::fs::metadata(p).unwrap().len());
    let path = logs.pop()?;
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    Some((name, std::fs::read(&path).unwrap()))
}

fn benches(c: &mut Criterion) {
    let Some((name, bytes)) = largest_log() else {
        eprintln!(
            "NOTE: eventlog benches SKIPPED: no TPM corpus (set ATTESTER_VECTORS to the vectors \
             folder); nothing measured"
        );
        return;
    };
    let log = EventLog::parse(&bytes).unwrap();
    let banks = replay(&log).banks().len();
    println!(
        "eventlog bench input: {name}, {} bytes, {} events, {banks} replayed bank(s)",
        bytes.len(),
        log.events().len()
    );

    let mut g = c.benchmark_group(format!("eventlog/{name}"));
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("parse", |b| {
        b.iter(|| EventLog::parse(black_box(&bytes)).unwrap())
    });
    g.bench_function("parse + replay", |b| {
        b.iter(|| replay(&EventLog::parse(black_box(&bytes)).unwrap()))
    });
    g.bench_function("parse + replay + boot facts", |b| {
        b.iter(|| {
            let log = EventLog::parse(black_box(&bytes)).unwrap();
            (replay(&log), BootFacts::extract(&log).secure_boot)
        })
    });
    g.bench_function("sha2 SHA-256 of the log once", |b| {
        b.iter(|| sha2::Sha256::digest(black_box(&bytes)))
    });
    g.finish();
}

criterion_group!(eventlog_benches, benches);

fn main() {
    eventlog_benches();
    Criterion::default().configure_from_args().final_summary();
}
