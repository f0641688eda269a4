//! CMW encode and decode, JSON and CBOR, of a CMW whose evidence record holds 5 KiB: ours
//! (`attester_core::cmw`, `Evidence::{to_cmw, from_cmw}`) against the `cmw` crate 0.1.2
//! (veraison/rust-cmw) on the same bytes, and the allocations of one decode.

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

use attester_bench::{EVIDENCE_LEN, filler, tdx_evidence};
use attester_core::Evidence;
use attester_core::cmw::{
    Cmw, Collection, EVIDENCE_PROFILE, Encoding, Indicator, Record, decode, decode_cbor,
    decode_json,
};
use attester_core::media_types::TDX_QUOTE;
use criterion::{Criterion, criterion_group};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

/// Counts every allocation of the bench process, so that one decode can be measured. The
/// counters are a few atomic additions per allocation, paid by ours and the peer alike.
#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const PEER: &str = "cmw-0.1.2";

/// The inputs of one comparison: our value, the peer's value, and both serializations.
struct Case {
    cbor: Vec<u8>,
    json: Vec<u8>,
    peer: cmw::CMW,
}

/// A record CMW `[TDX quote type, 5 KiB, 4]`, built with our API and with the peer's; both
/// must produce the same CBOR.
fn record_case(body: &[u8]) -> Case {
    let ours = Cmw::Record(Record::new(TDX_QUOTE, body).with_ind(Indicator::EVIDENCE));
    let cbor = ours.to_cbor();
    let json = ours.to_json().unwrap().into_bytes();
    let peer: cmw::CMW = cmw::Monad::new_media_type(
        TDX_QUOTE.parse::<cmw::Mime>().unwrap(),
        body.to_vec(),
        Some(cmw::Indicator::EVIDENCE),
    )
    .unwrap()
    .into();
    assert_eq!(peer.marshal_cbor().unwrap(), cbor, "same record, same CBOR");
    assert_eq!(peer.marshal_json().unwrap(), json, "same record, same JSON");
    check_peer_reads(&cbor, &json, body);
    Case { cbor, json, peer }
}

/// The evidence envelope: a collection of the evidence profile holding the 5 KiB evidence
/// record and the binding record, as `Evidence::to_cmw` writes it.
fn envelope_case(evidence: &Evidence) -> Case {
    let cbor = evidence.to_cmw(Encoding::Cbor);
    let json = evidence.to_cmw(Encoding::Json);
    check_peer_reads(&cbor, &json, &evidence.body.bytes);
    let peer = cmw::CMW::unmarshal_cbor(&cbor).unwrap();
    report_peer_envelope_cbor(&peer, &cbor);
    Case { cbor, json, peer }
}

/// Says whether the peer's CBOR of the envelope is well-formed: the same entries as ours (its
/// order differs), and readable by our strict decoder.
fn report_peer_envelope_cbor(peer: &cmw::CMW, ours: &[u8]) {
    let theirs = peer.marshal_cbor().unwrap();
    match decode_cbor(&theirs) {
        Ok(_) => println!("{PEER} envelope CBOR encoding: well-formed"),
        Err(e) => println!(
            "{PEER} envelope CBOR encoding: refused by our decoder ({e}); map header 0x{:02x}, \
             ours 0x{:02x}",
            theirs[0], ours[0]
        ),
    }
}

/// The peer must read our bytes to the same evidence value, or the comparison is void.
fn check_peer_reads(cbor: &[u8], json: &[u8], body: &[u8]) {
    for (what, peer) in [
        ("CBOR", cmw::CMW::unmarshal_cbor(cbor).unwrap()),
        ("JSON", cmw::CMW::unmarshal_json(json).unwrap()),
    ] {
        let value = match &peer {
            cmw::CMW::Monad(m) => m.value(),
            cmw::CMW::Collection(c) => match c.get_item(&"evidence".into()) {
                Some(cmw::CMW::Monad(m)) => m.value(),
                other => panic!("peer read no evidence record from our {what}: {other:?}"),
            },
        };
        assert_eq!(value, body, "peer reads our {what}");
    }
}

/// Our evidence envelope built by hand with the collection API, to check that it is the
/// envelope `Evidence::to_cmw` writes (so the encode benches encode the same thing).
fn check_collection_api(evidence: &Evidence, cbor: &[u8]) {
    let decoded = decode_cbor(cbor).unwrap();
    let Cmw::Collection(envelope) = &decoded else {
        panic!("envelope is not a collection")
    };
    let mut built = Collection::with_type(EVIDENCE_PROFILE);
    for (label, entry) in &envelope.entries {
        built.push(label.clone(), entry.clone()).unwrap();
    }
    assert_eq!(Cmw::Collection(built).to_cbor(), cbor);
    assert_eq!(&Evidence::from_cmw(cbor).unwrap(), evidence);
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

/// Prints the allocations of one decode of each case (criterion cannot count them).
fn report_allocations(record: &Case, envelope: &Case) {
    println!(
        "allocations per decode (count, bytes requested), {EVIDENCE_LEN}-byte evidence value:"
    );
    let rows: [(&str, (usize, usize)); 9] = [
        (
            "record   CBOR ours decode_cbor",
            allocations(|| decode_cbor(&record.cbor).unwrap()),
        ),
        (
            "record   CBOR cmw-0.1.2 unmarshal_cbor",
            allocations(|| cmw::CMW::unmarshal_cbor(&record.cbor).unwrap()),
        ),
        (
            "envelope CBOR ours decode_cbor",
            allocations(|| decode_cbor(&envelope.cbor).unwrap()),
        ),
        (
            "envelope CBOR ours Evidence::from_cmw",
            allocations(|| Evidence::from_cmw(&envelope.cbor).unwrap()),
        ),
        (
            "envelope CBOR cmw-0.1.2 unmarshal_cbor",
            allocations(|| cmw::CMW::unmarshal_cbor(&envelope.cbor).unwrap()),
        ),
        (
            "record   JSON ours decode_json",
            allocations(|| decode_json(&record.json).unwrap()),
        ),
        (
            "record   JSON cmw-0.1.2 unmarshal_json",
            allocations(|| cmw::CMW::unmarshal_json(&record.json).unwrap()),
        ),
        (
            "envelope JSON ours decode_json",
            allocations(|| decode_json(&envelope.json).unwrap()),
        ),
        (
            "envelope JSON cmw-0.1.2 unmarshal_json",
            allocations(|| cmw::CMW::unmarshal_json(&envelope.json).unwrap()),
        ),
    ];
    for (what, (count, bytes)) in rows {
        println!("  {what:<40} {count:>4} allocations {bytes:>7} bytes");
    }
}

fn cases() -> (Evidence, Case, Case) {
    let evidence = tdx_evidence().unwrap();
    let record = record_case(&filler(EVIDENCE_LEN));
    let envelope = envelope_case(&evidence);
    check_collection_api(&evidence, &envelope.cbor);
    (evidence, record, envelope)
}

fn bench_case(c: &mut Criterion, name: &str, case: &Case) {
    let ours = decode_cbor(&case.cbor).unwrap();

    let mut g = c.benchmark_group(format!("cmw/{name}/cbor-decode"));
    g.bench_function("ours", |b| b.iter(|| decode_cbor(black_box(&case.cbor))));
    g.bench_function("ours-sniffing", |b| {
        b.iter(|| decode(black_box(&case.cbor)))
    });
    g.bench_function(PEER, |b| {
        b.iter(|| cmw::CMW::unmarshal_cbor(black_box(&case.cbor)))
    });
    g.finish();

    let mut g = c.benchmark_group(format!("cmw/{name}/cbor-encode"));
    g.bench_function("ours", |b| b.iter(|| black_box(&ours).to_cbor()));
    g.bench_function(PEER, |b| b.iter(|| black_box(&case.peer).marshal_cbor()));
    g.finish();

    let mut g = c.benchmark_group(format!("cmw/{name}/json-decode"));
    g.bench_function("ours", |b| b.iter(|| decode_json(black_box(&case.json))));
    g.bench_function(PEER, |b| {
        b.iter(|| cmw::CMW::unmarshal_json(black_box(&case.json)))
    });
    g.finish();

    let mut g = c.benchmark_group(format!("cmw/{name}/json-encode"));
    g.bench_function("ours", |b| b.iter(|| black_box(&ours).to_json()));
    g.bench_function(PEER, |b| b.iter(|| black_box(&case.peer).marshal_json()));
    g.finish();
}

fn benches(c: &mut Criterion) {
    let (evidence, record, envelope) = cases();
    report_allocations(&record, &envelope);

    bench_case(c, "record", &record);
    bench_case(c, "envelope", &envelope);

    // The evidence profile on top of the envelope: typed checks and owned `Evidence`.
    let mut g = c.benchmark_group("cmw/evidence");
    g.bench_function("from_cmw-cbor", |b| {
        b.iter(|| Evidence::from_cmw(black_box(&envelope.cbor)))
    });
    g.bench_function("from_cmw-json", |b| {
        b.iter(|| Evidence::from_cmw(black_box(&envelope.json)))
    });
    g.bench_function("to_cmw-cbor", |b| {
        b.iter(|| black_box(&evidence).to_cmw(Encoding::Cbor))
    });
    g.bench_function("to_cmw-json", |b| {
        b.iter(|| black_box(&evidence).to_cmw(Encoding::Json))
    });
    g.finish();
}

criterion_group!(cmw_benches, benches);

fn main() {
    cmw_benches();
    Criterion::default().configure_from_args().final_summary();
}
